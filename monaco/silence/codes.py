"""The diagnostic codes `monaco silence` reports (MON470-MON479)."""

from __future__ import annotations

NO_ALERTMANAGER = "MON470"
"""The target is not an alertmanager target with a `url`, or there is no such target to choose."""
NO_SUCH_SERVICE = "MON471"
BAD_REQUEST = "MON472"
"""A duration or comment the silence cannot carry."""
API_FAILED = "MON473"
NOT_OURS = "MON474"
NOT_CONFIRMED = "MON475"
