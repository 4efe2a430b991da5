"""What the Mimir ruler and Alertmanager APIs refuse, with their error texts, and how they store a rule group.

Sources (grafana/mimir): `pkg/ruler/api.go` (CreateRuleGroup: an unparsable body is `unable to decoded rule
group`; validation errors joined by ", "; the limits are checked after validation), `pkg/ruler/manager.go`
(ValidateRuleGroup: empty name, no rules, then each rule's `rulefmt` validation wrapped as
`group "g", rule N, "name": err`), `pkg/ruler/ruler.go` (the limit messages), `pkg/ruler/rulespb/compat.go`
(ToProto/FromProto keep name, interval, rules, source_tenants, align_evaluation_time_on_interval,
query_offset and evaluation_delay when > 0: a group's `labels` and `limit` are not stored, so a read back
lacks them). Rule validation texts are Prometheus's `model/rulefmt` ones.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import yaml

BAD_RULE_GROUP = "unable to decoded rule group"
MAX_GROUPS = "per-user rule groups limit (limit: {limit} actual: {actual}) exceeded"
MAX_RULES = "per-user rules per rule group limit (limit: {limit} actual: {actual}) exceeded"
_METRIC_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
_LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
_DURATION = re.compile(r"^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$")
_UNITS_MS = (("y", 365 * 86400000), ("w", 7 * 86400000), ("d", 86400000), ("h", 3600000), ("m", 60000), ("s", 1000))
_PROMTOOL_SECONDS = 30
_AMTOOL_SECONDS = 30


class Refused(Exception):
    """A request the API answers with an error status and text."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


def duration_ms(value: Any) -> int:
    """A Prometheus duration (`1h30m`, `90s`) in milliseconds; raises ValueError like model.ParseDuration."""
    text = str(value)
    match = _DURATION.match(text)
    if text == "0":
        return 0
    if not text or match is None:
        raise ValueError(f'not a valid duration string: "{text}"')
    parts = [match.group(i) for i in (2, 4, 6, 8, 10, 12, 14)]
    scales = [ms for _, ms in _UNITS_MS] + [1]
    return sum(int(p) * s for p, s in zip(parts, scales, strict=True) if p)


def format_duration(ms: int) -> str:
    """Milliseconds as Prometheus's model.Duration prints them (`1d`, `4w2d`, `1h30m`); 0 is `0s`."""
    if ms == 0:
        return "0s"
    text = ""
    for unit, size in _UNITS_MS:
        if ms >= size:
            text += f"{ms // size}{unit}"
            ms %= size
    return text + (f"{ms}ms" if ms else "")


def parse_group(payload: bytes) -> dict[str, Any]:
    """The posted body as one rule group mapping; anything that does not decode is `unable to decoded rule group`."""
    try:
        data = yaml.safe_load(payload.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise Refused(400, BAD_RULE_GROUP) from exc
    if not isinstance(data, dict) or not isinstance(data.get("rules", []), list):
        raise Refused(400, BAD_RULE_GROUP)
    for key in ("interval", "query_offset", "evaluation_delay"):
        if key in data:
            try:
                duration_ms(data[key])
            except ValueError as exc:
                raise Refused(400, BAD_RULE_GROUP) from exc
    return data


def group_errors(group: dict[str, Any]) -> list[str]:
    """Mimir's ValidateRuleGroup: the group's errors, in its order (empty when valid)."""
    name = str(group.get("name") or "")
    if not name:
        return ["invalid rules configuration: rule group name must not be empty"]
    rules = group.get("rules") or []
    if not rules:
        return [f"invalid rules configuration: rule group '{name}' has no rules"]
    errors: list[str] = []
    for index, rule in enumerate(rules):
        rule = rule if isinstance(rule, dict) else {}
        rule_name = str(rule.get("alert") or rule.get("record") or "")
        errors.extend(f'group "{name}", rule {index}, "{rule_name}": {e}' for e in rule_errors(rule))
    return errors


def rule_errors(rule: dict[str, Any]) -> list[str]:
    """Prometheus rulefmt's RuleNode.Validate texts for one rule (the PromQL itself is left to promtool)."""
    errors: list[str] = []
    record, alert = rule.get("record"), rule.get("alert")
    if record and alert:
        errors.append("only one of 'record' and 'alert' must be set")
    if not record and not alert:
        errors.append("one of 'record' or 'alert' must be set")
    if not str(rule.get("expr") or "").strip():
        errors.append("field 'expr' must be set in rule")
    if record:
        if rule.get("annotations"):
            errors.append("invalid field 'annotations' in recording rule")
        for key in ("for", "keep_firing_for"):
            if key in rule and duration_ms(rule[key]) != 0:
                errors.append(f"invalid field '{key}' in recording rule")
        if not _METRIC_NAME.match(str(record)):
            errors.append(f"invalid recording rule name: {record}")
    for key, what in (("labels", "label"), ("annotations", "annotation")):
        for label in rule.get(key) or {}:
            if not _LABEL_NAME.match(str(label)):
                errors.append(f"invalid {what} name: {label}")
    return errors


def promtool_errors(group: dict[str, Any]) -> list[str]:
    """`promtool check rules` on the group as a one-group rule file: its complaints (none when it passes)."""
    promtool = shutil.which("promtool")
    if promtool is None:
        return ["promtool is not installed: the fake cannot check this group"]
    with tempfile.TemporaryDirectory(prefix="mimir-fake-") as tmp:
        path = Path(tmp) / "group.yml"
        path.write_text(yaml.safe_dump({"groups": [group]}, sort_keys=False), encoding="utf-8")
        done = subprocess.run(
            [promtool, "check", "rules", str(path)], capture_output=True, text=True, timeout=_PROMTOOL_SECONDS
        )
    if done.returncode == 0:
        return []
    lines = [line.strip() for line in (done.stdout + done.stderr).splitlines()]
    return [line.replace(str(path), "group") for line in lines if line and not line.startswith("Checking")]


def stored_group(group: dict[str, Any]) -> dict[str, Any]:
    """The group as the ruler stores and serves it (rulespb ToProto then FromProto), in rulefmt's key order."""
    stored: dict[str, Any] = {"name": str(group["name"])}
    for key in ("interval", "query_offset", "evaluation_delay"):
        if key in group and duration_ms(group[key]) > 0:
            stored[key] = format_duration(duration_ms(group[key]))
    stored["rules"] = [_stored_rule(rule) for rule in group.get("rules") or []]
    if group.get("source_tenants"):
        stored["source_tenants"] = [str(t) for t in group["source_tenants"]]
    if group.get("align_evaluation_time_on_interval"):
        stored["align_evaluation_time_on_interval"] = True
    return stored


def _stored_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """One rule as FromProto gives it back: labels and annotations sorted by name, zero durations omitted."""
    stored: dict[str, Any] = {}
    if rule.get("record"):
        stored["record"] = str(rule["record"])
    else:
        stored["alert"] = str(rule["alert"])
    stored["expr"] = str(rule["expr"])
    for key in ("for", "keep_firing_for"):
        if key in rule and duration_ms(rule[key]) > 0:
            stored[key] = format_duration(duration_ms(rule[key]))
    for key in ("labels", "annotations"):
        if rule.get(key):
            stored[key] = {str(k): str(v) for k, v in sorted(rule[key].items(), key=lambda kv: str(kv[0]))}
    return stored


def alertmanager_errors(body: bytes) -> tuple[dict[str, Any] | None, str]:
    """The posted `{template_files, alertmanager_config}` document, or why Mimir refuses it.

    `pkg/alertmanager/api.go` SetUserConfig: an undecodable body is `error marshalling YAML Alertmanager
    config`, a config Alertmanager cannot load is `error validating Alertmanager config: <reason>` (the reason
    from the checks here, else from `amtool check-config`, which loads it as Alertmanager does).
    """
    try:
        data = yaml.safe_load(body.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        return None, f"error marshalling YAML Alertmanager config: {exc}"
    if not isinstance(data, dict) or not isinstance(data.get("alertmanager_config", ""), str):
        return None, "error marshalling YAML Alertmanager config"
    try:
        config = yaml.safe_load(data.get("alertmanager_config") or "")
    except yaml.YAMLError as exc:
        return None, f"error validating Alertmanager config: {exc}"
    if not isinstance(config, dict) or not isinstance(config.get("route"), dict):
        return None, "error validating Alertmanager config: no routes provided"
    receivers = {r.get("name") for r in config.get("receivers") or [] if isinstance(r, dict)}
    if config["route"].get("receiver") not in receivers:
        missing = config["route"].get("receiver")
        return None, f'error validating Alertmanager config: undefined receiver "{missing}" used in route'
    problem = interval_error(config) or amtool_error(data["alertmanager_config"])
    if problem:
        return None, f"error validating Alertmanager config: {problem}"
    return {
        "template_files": dict(data.get("template_files") or {}),
        "alertmanager_config": data["alertmanager_config"],
    }, ""


def interval_error(config: dict[str, Any]) -> str:
    """Alertmanager's interval checks in `Config.UnmarshalYAML` (config/config.go): each name once across
    `mute_time_intervals` and `time_intervals`, then `checkTimeInterval` over the route tree (children first,
    then the node's active, then its mute intervals). Empty when they pass."""
    names: set[str] = set()
    for key, what in (("mute_time_intervals", "mute time interval"), ("time_intervals", "time interval")):
        for entry in config.get(key) or []:
            name = entry.get("name") if isinstance(entry, dict) else None
            if not name:
                return f"missing name in {what}"
            if name in names:
                return f"{what} {json.dumps(name)} is not unique"
            names.add(name)
    return _undefined_interval(config["route"], names)


def _undefined_interval(route: dict[str, Any], names: set[str]) -> str:
    for child in route.get("routes") or []:
        problem = _undefined_interval(child, names) if isinstance(child, dict) else ""
        if problem:
            return problem
    for key in ("active_time_intervals", "mute_time_intervals"):
        for name in route.get(key) or []:
            if name not in names:
                return f"undefined time interval {json.dumps(name)} used in route"
    return ""


def amtool_error(text: str) -> str:
    """`amtool check-config` on the tenant's config text: Alertmanager's own reason for refusing it (e.g. an
    interval's `couldn't parse timestamp 25:00, invalid format`), empty when it loads."""
    amtool = shutil.which("amtool")
    if amtool is None:
        return "amtool is not installed: the fake cannot check this config"
    with tempfile.TemporaryDirectory(prefix="mimir-fake-am-") as tmp:
        path = Path(tmp) / "alertmanager.yml"
        path.write_text(text, encoding="utf-8")
        done = subprocess.run(
            [amtool, "check-config", str(path)], capture_output=True, text=True, timeout=_AMTOOL_SECONDS
        )
    if done.returncode == 0:
        return ""
    output = done.stdout + done.stderr
    return output.split("FAILED:", 1)[1].strip().splitlines()[0] if "FAILED:" in output else output.strip()
