"""Shared test helpers: real tools are required under CI (a missing one fails), optional elsewhere."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest


def require_tool(name: str) -> str:
    """The path of an external tool; under CI=true a missing tool fails the test instead of skipping it."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (apt-get install prometheus prometheus-alertmanager)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--update-golden` rewrites golden files instead of comparing against them."""
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when golden files should be rewritten (flag or MONACO_UPDATE_GOLDEN=1)."""
    return bool(request.config.getoption("--update-golden")) or os.environ.get("MONACO_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """The URL of an in-process moto server, shims installed, stopped when the session ends."""
    from moto.server import ThreadedMotoServer

    from tests.aws import moto_shims

    moto_shims.install()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()
