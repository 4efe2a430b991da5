"""Checks that monaco's identity labels never silently overwrite a label, and that annotations are set once.

monaco adds identity labels to every rule it generates (names from Settings `identity_labels`):
service, team and severity on threshold alerts; service and slo on SLO recordings; service, team,
slo, severity and tier on SLO alerts. A label of the same name is overwritten by Prometheus, so:

* MON260 (error): a user's own label (`metadata.labels`, an alert's or an SLO's `labels`) has the
  name of an identity label the rules it reaches carry;
* MON261: the PromQL keeps a label with an identity name. An error where that is certain (`by (x)`,
  `label_replace`, `count_values`, an SLO's `group_by`): series differing only in it collapse into
  one labelset and Prometheus refuses the rule; a warning where it is a strong hint (a selector
  matcher, `on (x)`); nothing for `without (...)` or a bare selector, which cannot be known;
* MON262 (error): `annotations` sets one that has its own field (summary, description, runbook_url).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from monaco.diagnostics import Diagnostic, Diagnostics, Level, Span
from monaco.ir.promql_labels import KeptLabel, kept_labels
from monaco.spec.load import Located
from monaco.spec.models import IdentityLabelNames, ServiceSpec
from monaco.spec.promql import render_prom_metric
from monaco.spec.sources import PromMetric
from monaco.spec.yaml_loader import Path

RESERVED_ANNOTATIONS = ("summary", "description", "runbook_url")
"""Annotations monaco writes from an alert's own fields."""
_ALERT_LABELS = ("service", "team", "severity")
_SLO_LABELS = ("service", "team", "slo", "severity", "tier")
_COLLAPSE = "vector contains metrics with the same labelset after applying {} labels"


def _names(identity: IdentityLabelNames, roles: Iterable[str]) -> dict[str, str]:
    """Label name -> identity role (service, team...) for `roles`."""
    return {getattr(identity, role): role for role in roles}


def _settings_hint(role: str) -> str:
    return f"Settings `identity_labels: {{{role}: monaco_{role}}}`"


def check_service_labels(located: Located[ServiceSpec], identity: IdentityLabelNames, diagnostics: Diagnostics) -> None:
    """Report every label of this service's spec that a monaco identity label would overwrite."""
    spec = located.spec
    alert_names = _names(identity, _ALERT_LABELS)
    slo_names = _names(identity, _SLO_LABELS)
    service_wide = {**(alert_names if spec.alerts else {}), **(slo_names if spec.slos else {})}
    _user_labels(located, ("metadata", "labels"), spec.metadata.labels, service_wide, diagnostics)
    for i, alert in enumerate(spec.alerts):
        _user_labels(located, ("alerts", i, "labels"), alert.labels, alert_names, diagnostics)
        _reserved_annotations(located, i, alert.annotations, diagnostics)
        values = {"service": spec.metadata.name, "team": spec.metadata.team, "severity": alert.severity}
        _alert_query(located, i, alert.source.prometheus, alert_names, values, diagnostics)
    for i, slo in enumerate(spec.slos):
        _user_labels(located, ("slos", i, "labels"), slo.labels, slo_names, diagnostics)
        for j, label in enumerate(slo.group_by):
            if label in slo_names:
                kept = KeptLabel(label, f"`group_by: [{label}]`", certain=True)
                _kept(located, ("slos", i, "group_by", j), kept, slo_names[label], "rule", diagnostics)
        values = {"service": spec.metadata.name, "team": spec.metadata.team, "slo": slo.name}
        for path, query in _sli_queries(slo.sli.model_dump(exclude_none=True)):
            for kept in kept_labels(query.replace("{{window}}", "5m")):
                if kept.label in slo_names and not _same_value(kept, values.get(slo_names[kept.label])):
                    _kept(located, ("slos", i, "sli", *path), kept, slo_names[kept.label], "rule", diagnostics)


def _sli_queries(sli: Mapping[str, object]) -> list[tuple[Path, str]]:
    """(path under `sli`, PromQL text) of an SLI's free-form Prometheus queries."""
    found: list[tuple[Path, str]] = []
    for kind, body in sli.items():
        if not isinstance(body, dict):
            continue
        if isinstance(body.get("prometheus"), str):
            found.append(((kind, "prometheus"), body["prometheus"]))
        for role in ("bad", "good", "total"):
            side = body.get(role)
            if isinstance(side, dict) and isinstance(side.get("prometheus"), str):
                found.append(((kind, role, "prometheus"), side["prometheus"]))
    return found


def _user_labels(
    located: Located[ServiceSpec],
    path: Path,
    labels: Mapping[str, str],
    names: Mapping[str, str],
    diagnostics: Diagnostics,
) -> None:
    for label in sorted(labels):
        if label in names:
            role = names[label]
            diagnostics.error(
                "MON260",
                f"label {label!r} has the name monaco gives its own {role} label on the rules it generates; "
                "monaco's value would silently replace yours",
                located.doc.span((*path, label), key=True),
                f"rename this label, or rename monaco's with {_settings_hint(role)}",
            )


def _reserved_annotations(
    located: Located[ServiceSpec], index: int, annotations: Mapping[str, str], diagnostics: Diagnostics
) -> None:
    for name in sorted(annotations):
        if name in RESERVED_ANNOTATIONS:
            field = "runbook" if name == "runbook_url" else name
            diagnostics.error(
                "MON262",
                f"annotation {name!r} is written from the alert's `{field}:` field; it cannot be set twice",
                located.doc.span(("alerts", index, "annotations", name), key=True),
                f"move the text to `{field}:` and remove it from `annotations`",
            )


def _same_value(kept: KeptLabel, value: str | None) -> bool:
    """True when a hint pins the label to the value monaco sets anyway (nothing is lost)."""
    return not kept.certain and kept.value is not None and kept.value == value


def _alert_query(
    located: Located[ServiceSpec],
    index: int,
    source: str | PromMetric | None,
    names: Mapping[str, str],
    values: Mapping[str, str],
    diagnostics: Diagnostics,
) -> None:
    base: Path = ("alerts", index, "source", "prometheus")
    if source is None:
        return
    query = render_prom_metric(source) if isinstance(source, PromMetric) else source
    for kept in kept_labels(query):
        if kept.label not in names or _same_value(kept, values.get(names[kept.label])):
            continue
        path = base
        if isinstance(source, PromMetric):
            path = (*base, "by", source.by.index(kept.label)) if kept.label in source.by else (*base, "matchers")
        _kept(located, path, kept, names[kept.label], "alert", diagnostics)


def _kept(
    located: Located[ServiceSpec], path: Path, kept: KeptLabel, role: str, rule: str, diagnostics: Diagnostics
) -> None:
    span: Span = located.doc.span(path)
    if kept.certain:
        message = (
            f"the expression keeps label {kept.label!r} ({kept.evidence}), which monaco sets to the {role} on every "
            f"{rule} it generates: series that differ only in it collapse into one, and Prometheus refuses the "
            f'rule ("{_COLLAPSE.format(rule)}")'
        )
    else:
        message = (
            f"the series carry label {kept.label!r} ({kept.evidence}), which monaco sets to the {role} on every "
            f"{rule} it generates: their own value would be silently replaced"
        )
    level = Level.ERROR if kept.certain else Level.WARNING
    hint = f"rename monaco's label with {_settings_hint(role)}, or aggregate {kept.label!r} away"
    diagnostics.add(Diagnostic("MON261", message, span, hint, level))
