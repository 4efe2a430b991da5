"""Drilling PagerDuty: trigger an Events API v2 event on the service's monaco integration, then resolve it.

The integration key is read from PagerDuty (REST `GET /services?include[]=integrations`, the integration
named `monaco`); the event goes to Events API v2 `POST /v2/enqueue` with a drill dedup key, which answers 202
with that key when PagerDuty accepted it (backends.md §4.4), and is resolved with the same key. A `base_url`
(a test fake) serves both APIs; without it the SDK's own Events API URL is used.
"""

from __future__ import annotations

import ssl
import time
from typing import Any

from monaco.backends.base import Target
from monaco.backends.pagerduty.client import describe_error, make_client
from monaco.backends.pagerduty.config import PagerDutyConfig
from monaco.backends.pagerduty.live import monaco_integration
from monaco.backends.pagerduty.render import service_groups
from monaco.backends.pagerduty.severity import event_severities
from monaco.diagnostics import Diagnostic, Level
from monaco.drill.codes import CLEANUP_FAILED, SEND_FAILED
from monaco.drill.contract import Delivery, DrillAlert, DrillResult, DrillWait, elapsed_since


def _integration_key(config: PagerDutyConfig, target: Target, service_name: str) -> str | None:
    """The Events API v2 key of the PagerDuty service monaco made under `service_name`, or None."""
    client = make_client(config, target)
    try:
        for service in client.pages("/services", query=service_name, include=["integrations"]):
            if service.get("name") == service_name:
                integration = monaco_integration(service)
                key = integration.get("integration_key") if integration else None
                return str(key) if key else None
        return None
    finally:
        client.close()


def _events_client(config: PagerDutyConfig, target: Target, key: str, wait: DrillWait) -> Any:
    """The SDK's Events API v2 client for one integration key, bounded retries and timeout."""
    import pagerduty

    options: dict[str, Any] = {}
    if config.ca_file is not None:
        options["verify"] = ssl.create_default_context(cafile=str(target.path(config.ca_file)))
    client = pagerduty.EventsApiV2Client(key, **options)
    if config.base_url is not None:
        client.url = config.base_url
    client.max_http_attempts = config.max_attempts
    client.sleep_timer = config.backoff_seconds
    client.timeout = int(max(1.0, min(wait.timeout, 30.0)))
    return client


def drill_pagerduty(config: PagerDutyConfig, target: Target, alert: DrillAlert, wait: DrillWait) -> DrillResult:
    """Trigger the drill on the service's PagerDuty service, report whether PagerDuty took it, resolve it."""
    result = DrillResult()
    service = next(s for s in target.selected if s.name == alert.service)
    name = config.service_name(next(g[0] for g in service_groups([service])))
    started = time.monotonic()
    try:
        key = _integration_key(config, target, name)
        if key is None:
            result.deliveries.append(Delivery(name, False, None, True, "no monaco integration: apply the target first"))
            return result
        events = _events_client(config, target, key, wait)
        dedup = f"monaco-drill-{alert.drill_id}"
        summary = alert.annotations.get("summary", "monaco drill")
        severity = event_severities(alert.severity_levels).get(alert.severity, "warning")
        taken = events.trigger(summary, "monaco drill", dedup, severity, custom_details=alert.labels)
    except Exception as exc:  # the SDK's and httpx's errors: reported, never a traceback
        result.diagnostics.append(
            Diagnostic(SEND_FAILED, f"PagerDuty did not take the drill event: {describe_error(exc)}")
        )
        result.deliveries.append(Delivery(name, False, None, True, "the event was not accepted"))
        return result
    result.deliveries.append(Delivery(name, taken == dedup, elapsed_since(started), True, f"dedup key {taken}"))
    try:
        events.resolve(dedup)
        result.cleaned_up.append(f"resolved PagerDuty event {dedup}")
    except Exception as exc:  # reported; the event stays open until someone resolves it
        result.diagnostics.append(
            Diagnostic(CLEANUP_FAILED, f"drill event {dedup} not resolved: {describe_error(exc)}", level=Level.WARNING)
        )
    return result
