"""The integration keys receivers name (`pagerduty: {service: X}`): which target makes X, and reading its key.

A name is what `service_groups` calls a PagerDuty service: a monaco service, or a team whose on-call says
`pagerduty_service: per_team`; a target makes it when it selects the service(s) and has an escalation policy
for them (the team's on-call, or the target's default_escalation_policy). The key is read through the REST
API: the services under the target's prefix (one paged list, integrations embedded), then
`GET /services/{id}/integrations/{id}` of the service's `monaco` Events API v2 integration, which returns
its `integration_key`. A service that does not exist yet (or has no such integration) has no key: None.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from monaco.backends.base import Target, target_config
from monaco.backends.pagerduty.config import PagerDutyConfig
from monaco.backends.pagerduty.render import service_groups
from monaco.diagnostics import Diagnostic, Span
from monaco.ir.nodes import Service

KIND = "pagerduty"
"""The backend kind whose targets make the services receivers name."""


def oncall_names(services: Iterable[Service]) -> set[str]:
    """The PagerDuty services the teams' on-call declares for `services` (whatever the targets)."""
    return {name for name, _, _, declared in service_groups(list(services)) if declared is not None}


def target_names(target: Target) -> set[str]:
    """The PagerDuty services a pagerduty target makes: those with an escalation policy (on-call or default)."""
    config = target_config(target, PagerDutyConfig)
    has_default = config.default_escalation_policy is not None
    return {name for name, _, _, declared in service_groups(target.selected) if declared is not None or has_default}


def declared_names(services: Sequence[Service], targets: Iterable[Target]) -> set[str]:
    """Every name a receiver may give: the on-call's services and what any pagerduty target makes."""
    found = oncall_names(services)
    for target in targets:
        if target.backend == KIND:
            found |= target_names(target)
    return found


def read_keys(target: Target, names: Iterable[str]) -> dict[str, str | None]:
    """name -> the integration key of the target's PagerDuty service of that name (None: not made yet).

    Raises the SDK's (or httpx's) errors when PagerDuty cannot be read; the caller reports them."""
    from monaco.backends.pagerduty.client import make_client
    from monaco.backends.pagerduty.live import monaco_integration

    config = target_config(target, PagerDutyConfig)
    client = make_client(config, target)
    try:
        listed = {
            str(s.get("name")): s for s in client.pages("/services", query=config.name_prefix, include=["integrations"])
        }
        keys: dict[str, str | None] = {}
        for name in sorted(set(names)):
            service = listed.get(config.service_name(name))
            integration = monaco_integration(service) if service is not None else None
            if service is None or integration is None:
                keys[name] = None
                continue
            found = client.get(f"/services/{service['id']}/integrations/{integration['id']}")
            keys[name] = str(found["integration_key"]) if found.get("integration_key") else None
        return keys
    finally:
        client.close()


def unknown_service(name: str, span: Span, known: Iterable[str]) -> Diagnostic:
    """MON1004: a receiver names a PagerDuty service monaco does not make; the closest name as a hint."""
    close = difflib.get_close_matches(name, sorted(known), n=1)
    hint = (
        f"did you mean {close[0]!r}?"
        if close
        else "name a service whose team declares `oncall:` (or the team, with pagerduty_service: per_team), "
        "or give the receiver a routing_key"
    )
    return Diagnostic("MON1004", f"receiver names PagerDuty service {name!r}, which monaco does not make", span, hint)


def owners_problem(name: str, owners: Sequence[Target], span: Span | None) -> Diagnostic:
    """MON1005 (no pagerduty target makes the service) or MON1006 (more than one does)."""
    if not owners:
        message = f"receiver names PagerDuty service {name!r}, but no pagerduty target makes it"
        hint = "add a pagerduty target that selects the service (its team's on-call makes the PagerDuty service)"
        return Diagnostic("MON1005", message, span, hint)
    message = f"PagerDuty service {name!r} is made by {len(owners)} pagerduty targets: "
    message += ", ".join(t.name for t in owners)
    return Diagnostic("MON1006", message, span, "select the service into one pagerduty target, or use a routing_key")


def unreadable(target: Target, name: str, exc: Exception) -> Diagnostic | None:
    """MON1002 for an error reading the key (PagerDuty's, or an unset token); None for any other exception."""
    if isinstance(exc, KeyError):
        detail = str(exc.args[0]) if exc.args else "the token is not set"
    elif type(exc).__module__.split(".")[0] in ("pagerduty", "httpx2"):
        from monaco.backends.pagerduty.client import describe_error

        detail = describe_error(exc)
    else:
        return None
    message = f"target {target.name}: cannot read the integration key of PagerDuty service {name!r}: {detail}"
    return Diagnostic("MON1002", message, target.origin, "check token, base_url and ca_file")
