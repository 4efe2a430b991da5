"""A fake PagerDuty (REST API v2 and Events API v2 over HTTPS) for the pagerduty backend's tests.

Start one with the `pagerduty_fake` fixture (import `pagerduty_server` beside it) or `running_pagerduty_fake()`;
`rest_client(fake)` / the `pagerduty_client` fixture give the real `pagerduty.RestApiV2Client` aimed at it.
Hooks on `PagerDutyFake`: `snapshot()`, `add_user()` / `add_schedule()` / `add_policy()` /
`add_unowned_service()`, `throttle()`, `fail_nth_write()`, `requests` (the call log), `events.alerts`, `reset()`.
"""

from tests.fakes.pagerduty.fixture import (
    events_client,
    pagerduty_client,
    pagerduty_fake,
    pagerduty_server,
    rest_client,
    running_pagerduty_fake,
)
from tests.fakes.pagerduty.server import TOKEN, LoggedRequest, PagerDutyFake

__all__ = [
    "TOKEN",
    "LoggedRequest",
    "PagerDutyFake",
    "events_client",
    "pagerduty_client",
    "pagerduty_fake",
    "pagerduty_server",
    "rest_client",
    "running_pagerduty_fake",
]
