"""Regenerate the field tables of docs/specs.md and docs/targets.md from the models monaco validates with.

Each page is hand-written prose with generated blocks between marker comments:

    <!-- generated: schema AlertSpec -->      every field of a spec model (from the JSON Schema's $defs)
    <!-- generated: target prometheus -->     every config key of a registered backend (its config model)
    <!-- end generated -->

Run `.venv/bin/python docs/generate.py` to rewrite the blocks in place, `--check` to fail when a page is stale
(`tests/tools/test_docs.py` does the same).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from monaco.backends import REGISTRY, get_backend, source_families
from monaco.spec.schema import spec_schema

DOCS = Path(__file__).resolve().parent
PAGES = (DOCS / "specs.md", DOCS / "targets.md")
"""The pages holding generated blocks."""
BLOCK = re.compile(
    r"(<!-- generated: (?P<what>schema|target) (?P<name>\w+) -->\n)(?P<body>.*?)(<!-- end generated -->)", re.S
)
MISSING_DESCRIPTIONS: dict[tuple[str, str], str] = {
    ("prometheus", "file_prefix"): "Start of every rule file's name (`<prefix><service>.rules.yml`).",
    ("aws_cloudwatch", "partition"): "AWS partition of the topic ARNs monaco renders.",
    ("aws_cloudwatch", "role_arn"): "A role to assume (STS AssumeRole) before any call.",
    ("prometheus_operator", "name_prefix"): "Start of every PrometheusRule and AlertmanagerConfig name.",
}
"""Descriptions of config keys whose model gives none (reported to the models' owners)."""
SPEC_NOTES: dict[tuple[str, str], str] = {
    ("Metadata", "name"): "The service's name, unique in the workspace.",
    ("Metadata", "team"): "The owning team; a `kind: Team` document of that name holds shared routes and receivers.",
    ("Metadata", "labels"): "Labels of the service, added to its alerts; targets `select` services by them.",
    ("AlertSpec", "name"): "The alert's name (Prometheus `alert:`).",
    ("AlertSpec", "severity"): "One of the workspace's severities.",
    ("AlertSpec", "source"): "Where the signal lives, one entry per backend family.",
    ("AlertSpec", "summary"): "One line for people; may use Prometheus templates.",
    ("AlertSpec", "keep_firing_for"): "Keep firing this long after the condition clears.",
    ("AlertSpec", "labels"): "Extra labels of the alert (not monaco's identity label names).",
    ("SloSpec", "name"): "The SLO's name, unique in its service (the `slo` label).",
    ("SloSpec", "period"): "The rolling period of the objective, in whole days.",
    ("SloSpec", "sli"): "What counts as good and bad: exactly one of ratio, latency, gauge.",
    ("SloSpec", "alerting"): "Burn-rate tiers and the no-data alert.",
    ("ServiceSpec", "slos"): "Service level objectives, each compiled into burn-rate alerts.",
    ("ServiceSpec", "alerts"): "Threshold alerts.",
    ("ServiceSpec", "routes"): "Routes tried before the team's, in order.",
    ("ServiceSpec", "receivers"): "Receivers of this service (beside its team's).",
    ("ServiceSpec", "tests"): "Rule tests run by `monaco test`.",
    ("ServiceSpec", "rule_group"): "Options of the service's Prometheus rule group.",
    ("RatioSli", "total"): "All events.",
    ("RatioSli", "bad"): "Bad events (or write `good`).",
    ("RatioSli", "good"): "Good events (or write `bad`).",
    ("ReceiverSpec", "name"): "The name routes send to.",
    ("TeamSpec", "routes"): "Routes tried after each service's own.",
    ("TeamSpec", "receivers"): "Receivers any of the team's services may route to.",
    ("RuleTestSpec", "name"): "What the test shows.",
    ("RuleTestSpec", "interval"): "Time between input samples.",
    ("RuleTestSpec", "input"): "Input series.",
    ("RuleTestSpec", "expect"): "Alerts expected (or not) at given times.",
    ("PromqlTestSeries", "series"): 'A series selector, e.g. `http_requests_total{code="500"}`.',
    ("PromqlTestSeries", "values"): "promtool expanding notation, e.g. `0+10x20`.",
    ("AlertExpectation", "at"): "Evaluation time from the start of the input.",
    ("AlertExpectation", "alert"): "The compiled alert's name.",
    ("AlertExpectation", "fires"): "The alerts firing then (empty: none).",
    ("ExpectedAlert", "labels"): "The alert's full label set, monaco's identity labels included.",
    ("ExpectedAlert", "annotations"): "Compared only when written.",
    ("TargetSpec", "config"): "The backend's own settings: see targets.md.",
    ("BurnTierSpec", "severity"): "The tier's severity (default: page tier critical, ticket tier medium).",
    ("BurnTierSpec", "for"): "How long a pair must burn before the tier fires (default: page 2m, ticket 15m).",
    ("SeverityLevel", "name"): "The severity's name, as alerts write it.",
    ("SeverityLevel", "page"): "This severity wakes someone up (the default page-tier severity is the first such).",
    ("TargetMetadata", "name"): "The target's name (`--target NAME`, ownership marks).",
    ("TeamMetadata", "name"): "The team's name, as services' `metadata.team` write it.",
    ("PromMetric", "metric"): "The metric name.",
    ("PromMetric", "function"): "A range function applied over `range`.",
    ("PromMetric", "range"): "The range of the range function.",
    ("PromMetric", "aggregate"): "An aggregation over series.",
    ("PromMetric", "by"): "Labels the aggregation keeps.",
    ("CloudWatchMetric", "namespace"): "The metric's namespace, e.g. `AWS/ApplicationELB`.",
    ("CloudWatchMetric", "metric"): "The metric's name, e.g. `HTTPCode_Target_5XX_Count`.",
    ("CloudWatchMetric", "dimensions"): "Dimension -> value.",
    ("CloudWatchMetric", "period"): "The statistic's period (a multiple of 1m, or 10s/30s for high resolution).",
    ("CloudWatchMetric", "unit"): "The metric's unit, when its datapoints carry several.",
    ("CloudWatchMath", "expression"): "Metric math over the ids of `metrics`, e.g. `errors / requests`.",
    ("CloudWatchMath", "period"): "The period of every metric of the expression.",
    ("GcpMetric", "alignment_period"): "The aligner's period.",
    ("AzureMetric", "aggregation"): "How the metric is aggregated over the window (timeAggregation).",
    ("PromHistogram", "matchers"): "Label -> value; prefix with ~ for a regex.",
}
"""Descriptions of spec fields whose model gives none."""
COMMON_NOTES: dict[str, str] = {
    "apiVersion": "Always `monaco/v1`.",
    "kind": "The document kind.",
    "metadata": "The document's name and owner.",
    "description": "Free text for people.",
    "runbook": "Link to the runbook (`runbook_url` of the alerts).",
    "send_resolved": "Also notify when the alert resolves.",
    "labels": "Labels added to what this generates.",
    "prometheus": "The Prometheus family's source: read by prometheus and prometheus_operator targets.",
    "cloudwatch": "The CloudWatch family's source: read by aws_cloudwatch targets.",
    "gcp": "The Cloud Monitoring family's source: read by gcp_monitoring targets.",
    "azure": "The Azure Monitor family's source: read by azure_monitor targets.",
    "above": "Fires when the value is above this number.",
    "above_or_equal": "Fires when the value is this number or more.",
    "below": "Fires when the value is below this number.",
    "below_or_equal": "Fires when the value is this number or less.",
    "equal": "Fires when the value equals this number.",
    "not_equal": "Fires when the value differs from this number.",
    "ratio": "Bad (or good) events over total events.",
    "latency": "Requests slower than a threshold over all requests.",
    "gauge": "The fraction of time a 0/1 series was 1.",
    "page": "The page tier (one override, or one entry per window pair).",
    "ticket": "The ticket tier (one override, or one entry per window pair).",
    "disabled": "Turn this tier off.",
    "long_window": "The pair's long window.",
    "short_window": "The pair's short window (shorter than the long one).",
    "continue": "Keep trying the routes after this one when it matches.",
    "group_by": "Labels Alertmanager groups notifications by.",
    "group_wait": "How long Alertmanager waits to group a new alert's first notification.",
    "group_interval": "How long Alertmanager waits before notifying about new alerts in a group.",
    "repeat_interval": "How long Alertmanager waits before repeating a notification.",
    "slack": "A Slack channel.",
    "pagerduty": "A PagerDuty service.",
    "email": "Email addresses.",
    "webhook": "An HTTP webhook.",
    "channel": "The Slack channel, e.g. `#payments-alerts`.",
    "webhook_url": "The incoming-webhook URL, as a secret reference.",
    "routing_key": "The Events API v2 routing key, as a secret reference.",
    "url": "The URL (a secret reference when it carries a token).",
    "identity_labels": "Names of the labels monaco adds to every alert.",
}
"""Descriptions of spec fields that mean the same in every model (used when SPEC_NOTES has none)."""
_PATTERN_NAMES = {
    r"^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$": "duration",
    r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$": "name",
    r"^[a-zA-Z_][a-zA-Z0-9_]*$": "label name",
}
"""Spellings of the patterns shared by many fields."""


def _type_of(prop: dict[str, Any], link: bool = False) -> str:
    """A reader's spelling of a JSON Schema property's type: `string`, `list of Route`, `A or B`.

    With `link`, a model's name links to its heading on the same page (`#### AlertSpec` is `#alertspec`)."""
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})" if link else f"`{name}`"
    if "const" in prop:
        return f"`{json.dumps(prop['const'])}`"
    if "enum" in prop:
        return "one of " + ", ".join(f"`{value}`" for value in prop["enum"])
    if "if" in prop and "else" in prop:
        return _type_of(prop["else"], link)  # a union the schema enters by type: the whole union is its last `else`
    if "anyOf" in prop or "oneOf" in prop:
        options = [p for p in prop.get("anyOf", prop.get("oneOf", [])) if p.get("type") != "null"]
        return " or ".join(dict.fromkeys(_type_of(p, link) for p in options)) or "null"
    kind = prop.get("type", "any")
    if kind == "array":
        return f"list of {_inner(prop.get('items', {}), link)}"
    if kind == "object" and isinstance(prop.get("additionalProperties"), dict):
        return f"map of {_inner(prop['additionalProperties'], link)}"
    if kind == "object" and len(prop.get("patternProperties", {})) == 1:
        ((pattern, value),) = prop["patternProperties"].items()
        return f"map of {_PATTERN_NAMES.get(pattern, 'string')} to {_inner(value, link)}"
    if kind == "string" and prop.get("format") == "uri":
        return "URL"
    return _PATTERN_NAMES.get(prop.get("pattern", ""), str(kind)) if kind == "string" else str(kind)


def _inner(prop: dict[str, Any], link: bool) -> str:
    """An element type inside `list of` / `map of`, parenthesised when it is itself a phrase."""
    text = _type_of(prop, link)
    return f"({text})" if text.startswith("one of") or " or " in text else text


def _limits(prop: dict[str, Any]) -> str:
    """Bounds a value must keep (`> 0`, `< 100`, `at least 1 item`), for the description column."""
    found = []
    for key, text in (
        ("exclusiveMinimum", "> {}"),
        ("minimum", ">= {}"),
        ("exclusiveMaximum", "< {}"),
        ("maximum", "<= {}"),
        ("minLength", "at least {} characters"),
        ("maxLength", "at most {} characters"),
        ("minItems", "at least {} item(s)"),
        ("minProperties", "at least {} key(s)"),
        ("maxProperties", "at most {} keys"),
        ("maxItems", "at most {} items"),
    ):
        if (
            key in prop
            and not (key == "minLength" and prop[key] == 1)
            and not (key == "maxLength" and prop[key] > 5000)
        ):
            found.append(text.format(prop[key]))
    return ", ".join(found)


def _default(prop: dict[str, Any], required: bool) -> str:
    """The default cell: `required`, the default as YAML would spell it, or empty."""
    if required:
        return "**required**"
    if "default" not in prop or prop["default"] is None:
        return ""
    return f"`{json.dumps(prop['default'])}`"


def _escape(text: str) -> str:
    """Table-cell text: pipes escaped, newlines folded."""
    return " ".join(text.replace("|", "\\|").split())


def field_table(model_schema: dict[str, Any], notes: Callable[[str], str] = lambda _: "", link: bool = False) -> str:
    """A Markdown table of every property of one object schema: key, type, default, what it means."""
    lines = ["| key | type | default | meaning |", "| --- | --- | --- | --- |"]
    required = set(model_schema.get("required", []))
    for key, prop in model_schema.get("properties", {}).items():
        meaning = prop.get("description") or notes(key)
        limits = _limits(prop)
        meaning = f"{meaning} ({limits})" if limits and meaning else meaning or limits
        cells = (f"`{key}`", _type_of(prop, link), _default(prop, key in required), meaning)
        lines.append("| " + " | ".join(_escape(cell) for cell in cells) + " |")
    if not model_schema.get("properties"):
        lines.append(f"| (any key) | {_escape(_type_of(model_schema, link))} | | |")
    return "\n".join(lines)


def schema_block(name: str, definitions: dict[str, Any]) -> str:
    """The generated block for one spec model of the JSON Schema: a heading to link to, its purpose, its fields."""
    definition = definitions[name]
    description = definition.get("description", "")
    if "$ref" in definition and "properties" not in definition:
        return f"#### {name}\n\n{description} Its keys: {_type_of(definition, link=True)}.\n"
    table = field_table(definition, lambda key: SPEC_NOTES.get((name, key), COMMON_NOTES.get(key, "")), link=True)
    return f"#### {name}\n\n{description}\n\n{table}\n" if description else f"#### {name}\n\n{table}\n"


def target_block(kind: str) -> str:
    """The generated block for one registered backend: its config model's keys (nested models inline)."""
    if kind not in REGISTRY:
        return f"No backend `{kind}` is registered in `monaco/backends/__init__.py`.\n"
    model_schema = get_backend(kind).config_model.model_json_schema()
    parts = [f"`backend: {kind}` — {model_schema.get('description', '')}\n"]
    parts.append(field_table(model_schema, lambda key: MISSING_DESCRIPTIONS.get((kind, key), "")))
    for name, nested in sorted(model_schema.get("$defs", {}).items()):
        parts.append(f"\n`{name}`: {nested.get('description', '')}\n\n{field_table(nested)}")
    return "\n".join(parts) + "\n"


def render(page: str) -> str:
    """`page` with every generated block rewritten from the current models."""
    definitions: dict[str, Any] = spec_schema(source_families())["$defs"]

    def replace(match: re.Match[str]) -> str:
        name = match["name"]
        body = schema_block(name, definitions) if match["what"] == "schema" else target_block(name)
        return f"{match[1]}{body}{match[5]}"

    return BLOCK.sub(replace, page)


def blocks(page: str) -> list[tuple[str, str]]:
    """(schema|target, name) of every generated block of a page, in order."""
    return [(m["what"], m["name"]) for m in BLOCK.finditer(page)]


def undocumented(pages: dict[str, str]) -> list[str]:
    """Spec models and registered backends no page has a generated block for."""
    present = {block for page in pages.values() for block in blocks(page)}
    models = sorted(spec_schema(source_families())["$defs"])
    missing = [f"schema {name}" for name in models if ("schema", name) not in present]
    return missing + [f"target {kind}" for kind in REGISTRY if ("target", kind) not in present]


def main(argv: list[str]) -> int:
    """Rewrite the pages (or, with --check, report the stale ones and exit 1)."""
    check = "--check" in argv
    stale = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        fresh = render(text)
        if fresh != text:
            stale.append(page.name)
            if not check:
                page.write_text(fresh, encoding="utf-8")
    missing = undocumented({p.name: p.read_text(encoding="utf-8") for p in PAGES})
    for item in missing:
        print(f"no generated block for {item}", file=sys.stderr)
    if check and stale:
        print(f"stale: {', '.join(stale)}; run .venv/bin/python docs/generate.py", file=sys.stderr)
    return 1 if (check and stale) or missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
