"""Writing the tenant's Alertmanager config: one POST of the whole config (`POST /api/v1/alerts`), reported alone.

The config is read again first: the base (the file's, the rest of this target's config, the tenant's own
config, or the built-in one) is merged with monaco's pieces by `amconfig.config_file.assemble` (monaco's time
intervals first under `time_intervals`, the base's kept; a name both define is refused, MON678), receivers
whose secrets only exist live keep their live values, and template files are sent back as they were.
"""

from __future__ import annotations

import copy
from typing import Any

from monaco.backends.amconfig.config_file import assemble, live_secret_values, split
from monaco.backends.amconfig.time_intervals import KIND as TIME_INTERVAL
from monaco.backends.amconfig.time_intervals import base_interval_names
from monaco.backends.base import ChangeResult, SecretValue, Target
from monaco.backends.mimir_ruler.am_live import BUILT_IN, KEPT_BASE, TenantConfig, get_tenant_config
from monaco.backends.mimir_ruler.am_render import BUILT_IN_BASE
from monaco.backends.mimir_ruler.client import RulerClient, RulerUnreachable
from monaco.backends.mimir_ruler.codes import AM_INTERVAL_CLASH
from monaco.backends.ownership import Claim
from monaco.plan.model import Action, Change, Resource
from monaco.plan.yamltext import dump_yaml
from monaco.spec.secrets import fingerprint

SMTP_KEYS = ("smtp_smarthost", "smtp_from")


class NotApplied(Exception):
    """Why the config change cannot be made (the message goes into the change's result)."""


def _base(
    found: TenantConfig | None, resource: Resource, target: Target, config_file: str | None
) -> tuple[str, dict[str, Any]]:
    """(name, config) of the base monaco's pieces are merged into."""
    if config_file is not None:
        return str(config_file), copy.deepcopy(resource.body["base"])
    if found is None:
        return BUILT_IN, copy.deepcopy(BUILT_IN_BASE)
    if found.claim(target.name) is Claim.OURS:
        return found.remainder()
    assert found.data is not None
    return KEPT_BASE, copy.deepcopy(found.data)


def _pieces(resource: Resource, base_name: str, base: dict[str, Any]) -> list[Resource]:
    """The whole config's body as the pieces `assemble` merges (the alertmanager backend's resources)."""
    pieces = [Resource("base_config", base_name, {"config": base})]
    pieces += [Resource("route", name, body) for name, body in resource.body["routes"].items()]
    pieces += [Resource("inhibit_rule", name, body) for name, body in resource.body["inhibit_rules"].items()]
    pieces += [Resource(TIME_INTERVAL, name, body) for name, body in resource.body.get("time_intervals", {}).items()]
    for name, body in resource.body["receivers"].items():
        prefix = f"/receivers/{name}"
        secrets = {p.removeprefix(prefix): ref for p, ref in resource.secrets.items() if p.startswith(prefix + "/")}
        pieces.append(Resource("receiver", name, body, secrets=secrets))
    return pieces


def _live_fingerprints(found: TenantConfig | None) -> dict[str, Any]:
    """`receiver + pointer` -> the fingerprint text the live config shows at each secret monaco wrote."""
    if found is None or found.data is None or not found.managed:
        return {}
    shown: dict[str, Any] = {}
    for piece in split(found.text, found.data, fingerprint):
        for pointer in piece.secrets if piece.kind == "receiver" else ():
            _, kind, index, name = pointer.split("/")
            shown[f"{piece.name}{pointer}"] = piece.body[kind][int(index)].get(name)
    return shown


def _secret_values(pieces: list[Resource], found: TenantConfig | None, secrets: SecretValue) -> dict[str, str]:
    """Every secret the config carries: an unchanged one (same fingerprint) keeps its live value, unread."""
    # A changed one is resolved now through its reference; one with no reference is kept from the live config.
    live = live_secret_values(found.text, found.data) if found is not None and found.data is not None else {}
    shown = _live_fingerprints(found)
    values: dict[str, str] = {}
    for receiver in (p for p in pieces if p.kind == "receiver"):
        for pointer, ref in receiver.secrets.items():
            place = f"{receiver.name}{pointer}"
            _, kind, index, name = pointer.split("/")
            if place in live and shown.get(place) == receiver.body[kind][int(index)].get(name):
                values[place] = live[place]
            elif ref:
                try:
                    values[place] = secrets(ref)
                except KeyError as exc:
                    raise NotApplied(
                        f"cannot resolve secret {ref} of receiver {receiver.name} ({exc.args[0]})"
                    ) from None
            elif place in live:
                values[place] = live[place]
            else:
                raise NotApplied(f"receiver {receiver.name}: the live config has no real value at {pointer}")
    return values


def _check_names(resource: Resource, base: dict[str, Any]) -> None:
    """Refuse receivers and time intervals whose names the base (the tenant's own config) also defines."""
    kept = {str(r.get("name")) for r in base.get("receivers") or [] if isinstance(r, dict)}
    clash = sorted(kept & set(resource.body["receivers"]))
    if clash:
        raise NotApplied(f"receivers {clash} are also defined in the tenant's own config; rename the spec's")
    taken = sorted(base_interval_names(base) & set(resource.body.get("time_intervals", {})))
    if taken:
        raise NotApplied(
            f"{AM_INTERVAL_CLASH}: time intervals {taken} are also defined in the tenant's own config; "
            "rename the Settings intervals"
        )


def _check_smtp(resource: Resource, base: dict[str, Any]) -> None:
    """Refuse email receivers when the base sets no global SMTP smarthost and sender."""
    # Alertmanager's config.Load refuses them (`no global SMTP smarthost set`); Mimir's POST loads the config so.
    emails = sorted(name for name, body in resource.body["receivers"].items() if body.get("email_configs"))
    found = base.get("global")
    settings: dict[str, Any] = found if isinstance(found, dict) else {}
    missing = [key for key in SMTP_KEYS if not settings.get(key)]
    if emails and missing:
        raise NotApplied(
            f"receivers {emails} send email, but the tenant's config sets no global {' or '.join(missing)}; "
            "set them in the tenant's config or in alertmanager_base_config"
        )


def _checked(found: TenantConfig | None, target: Target, config_file: str | None) -> None:
    """Refuse a config that changed hands since the plan: another target's, unreadable, or one a base would replace."""
    if found is None:
        return
    if found.data is None:
        raise NotApplied(f"the live config does not parse ({found.problem}); not touching it")
    claim = found.claim(target.name)
    if claim is Claim.OTHER_TARGET or (claim is Claim.UNMANAGED and config_file is not None):
        raise NotApplied("the live config is not this target's; not touching it")


def _post(client: RulerClient, text: str, found: TenantConfig | None) -> None:
    """POST the whole config with the tenant's template files as they were; NotApplied when refused."""
    config = client.config
    document = {"template_files": found.template_files if found else {}, "alertmanager_config": text}
    response = client.request("POST", config.alerts_path, dump_yaml(document), config.alerts_base)
    if response.status not in (200, 201):
        raise NotApplied(f"failed: the Alertmanager refused it: {response.describe()}")


def _delete(client: RulerClient, found: TenantConfig | None, target: Target) -> None:
    """Take monaco's pieces out: the tenant's own rest is posted back as it was, else the config is deleted."""
    if found is None:
        return
    _checked(found, target, client.config.alertmanager_base_config)
    name, rest = found.remainder()
    config = client.config
    if name == KEPT_BASE:
        _post(client, dump_yaml(rest), found)
        return
    response = client.request("DELETE", config.alerts_path, None, config.alerts_base)
    if response.status not in (200, 202, 404):
        raise NotApplied(f"failed: the Alertmanager refused the delete: {response.describe()}")


def _write(client: RulerClient, change: Change, target: Target, secrets: SecretValue) -> None:
    """Carry out the change; NotApplied says why it was not."""
    try:
        found = get_tenant_config(client)
    except RulerUnreachable as exc:
        raise NotApplied(f"failed: {exc}") from None
    if change.action is Action.DELETE:
        _delete(client, found, target)
        return
    config_file = client.config.alertmanager_base_config
    _checked(found, target, config_file)
    base_name, base = _base(found, change.resource, target, config_file)
    _check_names(change.resource, base)
    _check_smtp(change.resource, base)
    pieces = _pieces(change.resource, base_name, base)
    _post(client, assemble(target.name, pieces, _secret_values(pieces, found, secrets)), found)


def apply_alertmanager(client: RulerClient, change: Change, target: Target, secrets: SecretValue) -> ChangeResult:
    """Apply the one config change; its result, never an exception for the Alertmanager's answers."""
    try:
        _write(client, change, target, secrets)
    except NotApplied as exc:
        return ChangeResult(change.key, change.action.value, False, str(exc))
    return ChangeResult(change.key, change.action.value, True)


def compile_text(target: str, resource: Resource, base_file: str | None) -> str:
    """The config as `compile` writes it: the base file's (or the built-in) base, fake placeholders for secrets."""
    base = resource.body.get("base")
    name = base_file if base is not None and base_file else BUILT_IN
    return assemble(target, _pieces(resource, name, copy.deepcopy(base or BUILT_IN_BASE)))
