"""The Alertmanager config text: merging monaco's pieces into a base config, and splitting them back out."""

from __future__ import annotations

import copy
from typing import Any

from monaco.backends.amconfig.time_intervals import KIND as TIME_INTERVAL
from monaco.backends.amconfig.time_intervals import merge_intervals, split_intervals
from monaco.backends.ownership import owner_header
from monaco.plan.model import Resource
from monaco.plan.yamltext import dump_yaml
from monaco.spec.yaml_data import plain_copy

RESOURCES_HEADER = "# monaco-resources:"
BASE_HEADER = "# monaco-base:"
SECRETS_HEADER = "# monaco-secrets:"
PLACEHOLDER_URL = "https://monaco-secret.invalid/"
PLACEHOLDER_TEXT = "monaco-secret-"
NOT_A_SECRET = "(not a secret: a placeholder or fingerprint is written here)"
"""How a live secret field shows in plans when it holds placeholder or fingerprint text, not a value."""


def assemble(target: str, resources: list[Resource], secret_values: dict[str, str] | None = None) -> str:
    """The whole config file: base config plus monaco's routes (first), receivers, inhibit rules and time intervals.

    `secret_values` maps `receiver name + JSON pointer` to the real secret; without it, a clearly fake
    but valid placeholder stands in (for `compile`, which must never write secrets).
    """
    by_kind: dict[str, list[Resource]] = {}
    for resource in sorted(resources, key=lambda r: r.key):
        by_kind.setdefault(resource.kind, []).append(resource)
    base_resource = by_kind["base_config"][0]
    config = copy.deepcopy(base_resource.body["config"])
    root = config.setdefault("route", {})
    routes = [r.body for r in by_kind.get("route", [])]
    root["routes"] = routes + list(root.get("routes") or [])
    receivers = [_with_secrets(r, secret_values) for r in by_kind.get("receiver", [])]
    config["receivers"] = list(config.get("receivers") or []) + receivers
    inhibits = [r.body for r in by_kind.get("inhibit_rule", [])]
    if inhibits or config.get("inhibit_rules"):
        config["inhibit_rules"] = inhibits + list(config.get("inhibit_rules") or [])
    merge_intervals(config, [r.body for r in by_kind.get(TIME_INTERVAL, [])])
    owned = [r.key for kind in ("route", "receiver", "inhibit_rule", TIME_INTERVAL) for r in by_kind.get(kind, [])]
    secret_fields = [f"{r.name}{pointer}" for r in by_kind.get("receiver", []) for pointer in sorted(r.secrets)]
    header = [
        owner_header(target).rstrip("\n"),
        "# Generated from service specs by monaco, merged into the platform's base config. Edit specs, not this file.",
        f"{BASE_HEADER} {base_resource.name}",
        f"{RESOURCES_HEADER} {' '.join(owned)}",
        f"{SECRETS_HEADER} {' '.join(secret_fields)}",
    ]
    return "\n".join(header) + "\n" + dump_yaml(config)


def _with_secrets(resource: Resource, secret_values: dict[str, str] | None) -> dict[str, Any]:
    body = copy.deepcopy(resource.body)
    for pointer, ref in resource.secrets.items():
        _, kind, index, field = pointer.split("/")
        if secret_values is not None:
            value = secret_values[f"{resource.name}{pointer}"]
        elif field in ("api_url", "url"):
            value = f"{PLACEHOLDER_URL}{ref.replace(':', '/')}"
        else:
            value = f"{PLACEHOLDER_TEXT}{ref.replace(':', '-')}"
        body[kind][int(index)][field] = value
    return body


def file_header(text: str) -> dict[str, str]:
    """The `# monaco-...:` lines at the top of a config file monaco wrote, by header name."""
    return {
        line.split(":", 1)[0] + ":": line.split(":", 1)[1].strip()
        for line in text.splitlines()[:8]
        if line.startswith("# monaco-")
    }


def is_placeholder(value: str) -> bool:
    """True when a secret field holds monaco's placeholder or fingerprint text instead of a secret."""
    return value.startswith(("(sensitive ", PLACEHOLDER_URL, PLACEHOLDER_TEXT, NOT_A_SECRET))


def live_secret_values(text: str, data: dict[str, Any]) -> dict[str, str]:
    """The real values of the secret fields the file's header lists (`receiver + pointer` -> value)."""
    receivers = {r.get("name"): r for r in data.get("receivers") or [] if isinstance(r, dict)}
    values: dict[str, str] = {}
    for secret_field in file_header(text).get(SECRETS_HEADER, "").split():
        name, _, pointer = secret_field.partition("/")
        value = _at_pointer(receivers.get(name), "/" + pointer)
        if isinstance(value, str) and not is_placeholder(value):
            values[secret_field] = value
    return values


def _at_pointer(node: Any, pointer: str) -> Any:
    """The value at a `/kind/index/field` pointer in a receiver, or None."""
    _, kind, index, field = pointer.split("/")
    entries = node.get(kind) if isinstance(node, dict) else None
    if isinstance(entries, list) and index.isdigit() and int(index) < len(entries):
        entry = entries[int(index)]
        return entry.get(field) if isinstance(entry, dict) else None
    return None


def split(text: str, data: dict[str, Any], fingerprint: Any) -> list[Resource]:
    """Monaco's resources in a config file it wrote, and the remainder as the `base_config` resource.

    Secret fields listed in the header show as fingerprints of their real values; the live receiver's
    `secrets` maps each such pointer to "" (the value is live, not referenced), so a rewrite keeps it.
    """
    header = file_header(text)
    keys = header.get(RESOURCES_HEADER, "").split()
    secret_fields = header.get(SECRETS_HEADER, "").split()
    config = plain_copy(data)
    root = config.get("route") or {}
    live_routes = list(root.get("routes") or [])
    live_inhibits = list(config.get("inhibit_rules") or [])
    receivers = {r.get("name"): r for r in config.get("receivers") or [] if isinstance(r, dict)}
    resources: list[Resource] = []
    route_keys = [k for k in keys if k.startswith("route.")]
    inhibit_keys = [k for k in keys if k.startswith("inhibit_rule.")]
    for key, body in zip(route_keys, live_routes, strict=False):
        resources.append(Resource("route", key.removeprefix("route."), body))
    for key, body in zip(inhibit_keys, live_inhibits, strict=False):
        resources.append(Resource("inhibit_rule", key.removeprefix("inhibit_rule."), body))
    for key in (k for k in keys if k.startswith("receiver.")):
        name = key.removeprefix("receiver.")
        if name in receivers:
            pointers = [f[len(name) :] for f in secret_fields if f.startswith(f"{name}/")]
            body = _fingerprinted(receivers.pop(name), pointers, fingerprint)
            resources.append(Resource("receiver", name, body, secrets=dict.fromkeys(pointers, "")))
    if root:
        root["routes"] = live_routes[len(route_keys) :]
        if not root["routes"]:
            del root["routes"]
    config["receivers"] = list(receivers.values())
    if "inhibit_rules" in config:
        config["inhibit_rules"] = live_inhibits[len(inhibit_keys) :]
        if not config["inhibit_rules"]:
            del config["inhibit_rules"]
    resources.extend(split_intervals(config, keys))
    resources.append(Resource("base_config", header.get(BASE_HEADER, "base"), {"config": config}))
    return resources


def _fingerprinted(receiver: dict[str, Any], pointers: list[str], fingerprint: Any) -> dict[str, Any]:
    """The receiver (a copy `split` owns, changed in place) with the secret fields named in the file's header
    replaced by fingerprints."""
    body = receiver
    for pointer in pointers:
        _, kind, index, field = pointer.split("/")
        entries = body.get(kind)
        if isinstance(entries, list) and int(index) < len(entries) and isinstance(entries[int(index)], dict):
            entry = entries[int(index)]
            value = entry.get(field)
            if isinstance(value, str):
                entry[field] = NOT_A_SECRET if is_placeholder(value) else f"(sensitive {fingerprint(value)})"
    return body
