"""The tenant's Alertmanager config as one resource: monaco's route subtrees, receivers and inhibit rules (pure).

The body holds `routes` (service -> subtree), `receivers` (name -> receiver), `inhibit_rules` (name -> rule),
`time_intervals` (name -> the Settings interval in Alertmanager's shape, those the selected routes use) and, only when the target names an `alertmanager_base_config`, `base` (that file's config, which monaco then
owns). Without a base file the rest of the tenant's config is the tenant's: it is kept, never diffed. Secrets
sit in receivers as fingerprints, at pointers `/receivers/<name>/<kind>/<index>/<field>`. Mimir loads a
tenant's config as Alertmanager does, so a route naming an interval the config does not define is refused
(`undefined time interval "x" used in route`): the intervals go in with the routes. A name the base file also
defines is MON678 here; one the tenant's own config defines is MON678 when live is read (am_live.py).
"""

from __future__ import annotations

from typing import Any

from monaco.backends.amconfig.render import inhibit_rule, receiver_resource, route_subtree
from monaco.backends.amconfig.time_intervals import interval_resources
from monaco.backends.base import SecretFingerprint, Target
from monaco.backends.mimir_ruler.codes import AM_INTERVAL_CLASH, AM_RECEIVER_IN_BASE, AM_SECRET_FILE
from monaco.backends.mimir_ruler.config import MimirRulerConfig
from monaco.diagnostics import Diagnostic
from monaco.ir.inhibition import inhibit_rules
from monaco.ir.nodes import Model, Receiver, Service
from monaco.ir.pagerduty_severity import model_template
from monaco.ir.routing import service_receivers
from monaco.ir.time_intervals import intervals_used_by
from monaco.plan.model import Resource

ALERTMANAGER_CONFIG = "alertmanager_config"
"""The resource kind of the tenant's Alertmanager config (one per target, named by the tenant)."""
BUILT_IN_BASE: dict[str, Any] = {
    "route": {"receiver": "default", "group_by": ["alertname", "service"]},
    "receivers": [{"name": "default"}],
}
"""The base a tenant without any Alertmanager config gets (the alertmanager backend's built-in one)."""
PIECES = ("routes", "receivers", "inhibit_rules", "time_intervals")


def empty_body() -> dict[str, Any]:
    """A config with none of monaco's pieces in it."""
    return {piece: {} for piece in PIECES}


def receiver_pointer(name: str, pointer: str) -> str:
    """A receiver's secret pointer inside the whole config's body."""
    return f"/receivers/{name}{pointer}"


def _subtree(service: Service, base: dict[str, Any] | None) -> dict[str, Any]:
    """The service's subtree; without a base file a service with no team receiver inherits the tenant's root one."""
    if base is not None:
        return route_subtree(service, str(base.get("route", {}).get("receiver", "default")))
    subtree = route_subtree(service, "")
    if not service.team_default_receiver:
        del subtree["receiver"]
    return subtree


def _used_receivers(services: list[Service]) -> set[str]:
    """Every receiver a selected service's routes, alerts or team default reach."""
    used: set[str] = set()
    for service in services:
        used.update(r for route in service.routes for r in route.receivers)
        used.update(service_receivers(service))
        if service.team_default_receiver:
            used.add(service.team_default_receiver)
    return used


def _file_fields(body: dict[str, Any]) -> list[str]:
    """The `*_file` fields of a rendered receiver (a path Alertmanager would read on its own host)."""
    return sorted(
        f"{kind}.{key}"
        for kind, entries in body.items()
        if isinstance(entries, list)
        for entry in entries
        for key in entry
        if key.endswith("_file")
    )


def _receiver_problem(receiver: Receiver, body: dict[str, Any], base_names: set[str]) -> Diagnostic | None:
    """Why a receiver cannot go into the tenant's config: it is the base file's, or it reads a file."""
    if receiver.name in base_names:
        return Diagnostic(
            AM_RECEIVER_IN_BASE,
            f"receiver {receiver.name!r} is also defined in the alertmanager_base_config",
            receiver.origin,
            "rename the spec's receiver; the base config belongs to the platform team",
        )
    files = _file_fields(body)
    if not files:
        return None
    # Mimir's tenant config validation (pkg/alertmanager, ValidateAlertmanagerConfig) refuses secret files:
    # `setting Slack api_url_file or global slack_api_url_file is not allowed`, `setting PagerDuty routing_key_file
    # is not allowed`, `setting Webhook url_file is not allowed`, password and TLS files: they are not the tenant's.
    return Diagnostic(
        AM_SECRET_FILE,
        f"receiver {receiver.name!r} reads its secret from a file ({', '.join(files)}); "
        "Mimir's Alertmanager refuses file paths in a tenant's config, so the receiver is left out",
        receiver.origin,
        "reference the secret with `env:` (or a monaco secrets file) so monaco sends its value",
    )


def render_alertmanager(
    model: Model, target: Target, config: MimirRulerConfig, secrets: SecretFingerprint
) -> tuple[list[Resource], list[Diagnostic]]:
    """The tenant config resource for `target.selected` (none unless `alertmanager: true`), and its diagnostics."""
    if not config.alertmanager:
        return [], []
    base: dict[str, Any] | None = target.inputs.get("alertmanager_base") if config.alertmanager_base_config else None
    body = empty_body()
    refs: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
    severities = [s.name for s in model.severities]
    for service in target.selected:
        body["routes"][service.name] = _subtree(service, base)
        for rule in inhibit_rules(service, severities):
            body["inhibit_rules"][rule.name] = inhibit_rule(rule)
    where = f"the alertmanager_base_config {config.alertmanager_base_config}"
    intervals, clashes = interval_resources(
        intervals_used_by(model.time_intervals, target.selected), base or {}, AM_INTERVAL_CLASH, where
    )
    body["time_intervals"] = {interval.name: interval.body for interval in intervals}
    diagnostics.extend(clashes)
    used = _used_receivers(list(target.selected))
    base_names = {str(r.get("name")) for r in (base or {}).get("receivers") or [] if isinstance(r, dict)}
    for receiver in model.receivers:
        if receiver.name not in used:
            continue
        resource, problems = receiver_resource(receiver, secrets, model_template(model))
        diagnostics.extend(problems)
        problem = _receiver_problem(receiver, resource.body, base_names)
        if problem is not None:
            diagnostics.append(problem)
            continue
        body["receivers"][receiver.name] = resource.body
        refs.update({receiver_pointer(receiver.name, p): ref for p, ref in resource.secrets.items()})
    if base is not None:
        body["base"] = base
    return [Resource(ALERTMANAGER_CONFIG, config.tenant, body, secrets=refs)], diagnostics
