"""A fake Mimir/Cortex ruler and Alertmanager config API for tests (see server.py for the routes and sources)."""

from tests.fakes.mimir.fixture import mimir_fake, mimir_server, running_mimir_fake
from tests.fakes.mimir.server import Call, MimirFake
from tests.fakes.mimir.store import Limits

__all__ = ["Call", "Limits", "MimirFake", "mimir_fake", "mimir_server", "running_mimir_fake"]
