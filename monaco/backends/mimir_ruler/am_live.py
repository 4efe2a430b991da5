"""Reading the tenant's Alertmanager config (`GET /api/v1/alerts`) once, and normalizing it into one resource.

Mimir keeps `alertmanager_config` as the text it was given (`pkg/alertmanager/api.go`: GetUserConfig answers
`cfg.RawConfig`), so the owner header monaco writes at its top comes back, and with it the list of the pieces
monaco wrote (the alertmanager backend's file header, `amconfig.config_file`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from monaco.backends.amconfig.config_file import BASE_HEADER, file_header, split
from monaco.backends.amconfig.time_intervals import KIND as TIME_INTERVAL
from monaco.backends.amconfig.time_intervals import base_interval_names
from monaco.backends.base import LiveState, Target
from monaco.backends.mimir_ruler.am_render import ALERTMANAGER_CONFIG, PIECES, empty_body, receiver_pointer
from monaco.backends.mimir_ruler.client import RulerClient, RulerUnreachable
from monaco.backends.mimir_ruler.codes import AM_INTERVAL_CLASH, AM_LIVE_UNREADABLE, AM_NOT_OURS
from monaco.backends.mimir_ruler.config import MimirRulerConfig
from monaco.backends.ownership import Claim, file_owner
from monaco.diagnostics import Diagnostic, Level
from monaco.ir.time_intervals import used_interval_names
from monaco.plan.model import Resource
from monaco.spec.secrets import fingerprint
from monaco.spec.yaml_data import YamlReadError, load_one_yaml

NO_CONFIG = "alertmanager storage object not found"
"""Mimir's 404 text for a tenant without a config (alertspb.ErrNotFound); any other 404 is a wrong URL."""
KEPT_BASE = "(tenant)"
"""The base name recorded when the rest of the config is the tenant's own, kept as it was."""
BUILT_IN = "(built-in)"


@dataclass(slots=True)
class TenantConfig:
    """The tenant's config as served: its text, its template files, the text parsed (None when it does not)."""

    text: str
    template_files: dict[str, str] = field(default_factory=dict)
    data: dict[str, Any] | None = None
    problem: str = ""

    def claim(self, target: str) -> Claim:
        """Whose the config is, by the owner header at the top of its text."""
        return file_owner(self.text).claim(target, would_write=True)

    @property
    def managed(self) -> bool:
        """True when the header says monaco wrote the config (some target: `claim` says which)."""
        return file_owner(self.text).managed

    def remainder(self) -> tuple[str, dict[str, Any]]:
        """(base name, the config without monaco's pieces) of a config this target wrote."""
        assert self.data is not None
        pieces = split(self.text, self.data, fingerprint)
        base = next(r for r in pieces if r.kind == "base_config")
        return file_header(self.text).get(BASE_HEADER, KEPT_BASE), base.body["config"]


def get_tenant_config(client: RulerClient) -> TenantConfig | None:
    """`GET /api/v1/alerts`: the tenant's config, None when it has none; RulerUnreachable for anything else."""
    config = client.config
    response = client.request("GET", config.alerts_path, None, config.alerts_base)
    if response.status == 404 and response.body.strip() == NO_CONFIG:
        return None
    if response.status != 200:
        raise RulerUnreachable(f"cannot read the Alertmanager config at {config.alerts_url}: {response.describe()}")
    try:
        document = load_one_yaml(response.body)
    except YamlReadError as exc:
        raise RulerUnreachable(f"{config.alerts_url} answered with something that is not YAML: {exc}") from None
    text = document.get("alertmanager_config") if isinstance(document, dict) else None
    if not isinstance(text, str):
        raise RulerUnreachable(
            f"{config.alerts_url} answered with something that is not Mimir's Alertmanager config API "
            f"({response.excerpt()!r}); is `alertmanager_url` (or `url`) and `alertmanager_api_prefix` right?"
        )
    templates = document.get("template_files") or {}
    found = TenantConfig(text, {str(k): str(v) for k, v in templates.items()} if isinstance(templates, dict) else {})
    try:
        data = load_one_yaml(text)
    except YamlReadError as exc:
        found.problem = str(exc)
        return found
    if isinstance(data, dict):
        found.data = data
    else:
        found.problem = "it is not a mapping"
    return found


def _ours(found: TenantConfig, config: MimirRulerConfig) -> dict[str, Any]:
    """The body of a config this target wrote: its pieces (secrets as fingerprints), the base if a file owns it."""
    assert found.data is not None
    body = empty_body()
    secrets: dict[str, str] = {}
    for piece in split(found.text, found.data, fingerprint):
        if piece.kind == "route":
            body["routes"][piece.name] = piece.body
        elif piece.kind == "inhibit_rule":
            body["inhibit_rules"][piece.name] = piece.body
        elif piece.kind == "receiver":
            body["receivers"][piece.name] = piece.body
            secrets.update({receiver_pointer(piece.name, p): "" for p in piece.secrets})
        elif piece.kind == TIME_INTERVAL:
            body["time_intervals"][piece.name] = piece.body
        elif config.alertmanager_base_config is not None:
            body["base"] = piece.body["config"]
    return {"body": body, "secrets": secrets}


def live_alertmanager(found: TenantConfig | None, config: MimirRulerConfig, target: Target, state: LiveState) -> None:
    """Add the tenant config's resource to `state`: owned when this target wrote it, or when the rest is kept."""
    if found is None:
        return
    name = config.tenant
    if found.data is None:
        holder = "an Alertmanager config monaco cannot parse"
        state.resources.append(Resource(ALERTMANAGER_CONFIG, name, {}, owned=False, holder=holder))
        state.diagnostics.append(
            Diagnostic(
                AM_LIVE_UNREADABLE,
                f"the Alertmanager config of tenant {name} does not parse ({found.problem}); nothing is written to it",
                None,
                "look at it with `mimirtool alertmanager get`, fix or delete it",
            )
        )
        return
    claim = found.claim(target.name)
    if claim is Claim.OURS:
        ours = _ours(found, config)
        state.resources.append(Resource(ALERTMANAGER_CONFIG, name, ours["body"], secrets=ours["secrets"]))
        if config.alertmanager_base_config is None:
            state.diagnostics.extend(interval_clashes(found.remainder()[1], target, name))
        return
    if claim is Claim.UNMANAGED and config.alertmanager_base_config is None:
        # The tenant's own config: monaco adds its subtree and keeps the rest (apply merges into it).
        state.resources.append(Resource(ALERTMANAGER_CONFIG, name, empty_body()))
        state.diagnostics.extend(interval_clashes(found.data, target, name))
        return
    if claim is Claim.OTHER_TARGET:
        holder = f"monaco {file_owner(found.text).describe()}"
        why = ""
    else:
        holder = "the tenant (not monaco)"
        why = f", and alertmanager_base_config {config.alertmanager_base_config} would replace it"
    state.resources.append(Resource(ALERTMANAGER_CONFIG, name, {}, owned=False, holder=holder))
    state.diagnostics.append(_not_ours(name, holder + why))


def interval_clashes(kept: dict[str, Any], target: Target, tenant: str) -> list[Diagnostic]:
    """MON678 for each interval a selected route uses that the tenant's own (kept) config also defines."""
    taken = base_interval_names(kept)
    found: list[Diagnostic] = []
    for service in target.selected:
        for route in service.routes:
            for interval in used_interval_names([route]):
                if interval in taken:
                    taken.discard(interval)
                    found.append(
                        Diagnostic(
                            AM_INTERVAL_CLASH,
                            f"time interval {interval!r}, used by a route of {service.name}, is also defined in the "
                            f"Alertmanager config of tenant {tenant}; nothing is written to it",
                            route.origin,
                            "rename the Settings interval; the tenant's own intervals are kept as they are",
                        )
                    )
    return found


def _not_ours(tenant: str, holder: str) -> Diagnostic:
    """MON675: the config is another target's, or the tenant's while a base file would replace it."""
    return Diagnostic(
        AM_NOT_OURS,
        f"the Alertmanager config of tenant {tenant} belongs to {holder}; left alone",
        None,
        "drop `alertmanager_base_config` to merge into the tenant's config, or let one target manage it",
        Level.INFO,
    )


__all__ = [
    "BUILT_IN",
    "KEPT_BASE",
    "PIECES",
    "TenantConfig",
    "get_tenant_config",
    "interval_clashes",
    "live_alertmanager",
]
