"""MON261: a Prometheus query keeps a label that monaco's identity labels would overwrite.

An error where that is certain (`by (x)`, `label_replace`, `count_values`, an SLO's `group_by`): series
differing only in it collapse into one labelset and Prometheus refuses the rule; a warning where it is a
strong hint (a selector matcher, `on (x)`); nothing for `without (...)` or a bare selector, which cannot
be known.
"""

from __future__ import annotations

from collections.abc import Mapping

from monaco.backends.promrules.promql import render_prom_metric
from monaco.backends.promrules.promql_labels import KeptLabel, kept_labels
from monaco.backends.promrules.sources import FAMILY, PromMetric, prom_source
from monaco.diagnostics import Diagnostic, Diagnostics, Level, Span
from monaco.ir.label_checks import ALERT_LABELS, SLO_LABELS, identity_names, settings_hint
from monaco.spec.load import Located
from monaco.spec.models import IdentityLabelNames, ServiceSpec, SloSpec
from monaco.spec.sources import Sources
from monaco.spec.yaml_loader import Path

_COLLAPSE = "vector contains metrics with the same labelset after applying {} labels"


def check_kept_labels(located: Located[ServiceSpec], identity: IdentityLabelNames, diagnostics: Diagnostics) -> None:
    """Report each query (and SLO `group_by`) of this service that keeps an identity label."""
    spec = located.spec
    alert_names = identity_names(identity, ALERT_LABELS)
    slo_names = identity_names(identity, SLO_LABELS)
    for i, alert in enumerate(spec.alerts):
        values = {"service": spec.metadata.name, "team": spec.metadata.team, "severity": alert.severity}
        _alert_query(located, i, prom_source(alert.source), alert_names, values, diagnostics)
    for i, slo in enumerate(spec.slos):
        for j, label in enumerate(slo.group_by):
            if label in slo_names:
                kept = KeptLabel(label, f"`group_by: [{label}]`", certain=True)
                _kept(located, ("slos", i, "group_by", j), kept, slo_names[label], "rule", diagnostics)
        values = {"service": spec.metadata.name, "team": spec.metadata.team, "slo": slo.name}
        for path, query in _sli_queries(slo):
            for kept in kept_labels(query):
                if kept.label in slo_names and not _same_value(kept, values.get(slo_names[kept.label])):
                    _kept(located, ("slos", i, "sli", *path), kept, slo_names[kept.label], "rule", diagnostics)


def _sli_queries(slo: SloSpec) -> list[tuple[Path, str]]:
    """(path under `sli`, PromQL text) of an SLI's free-form Prometheus queries."""
    sli = slo.sli
    places: list[tuple[Path, Sources | None]] = [(("gauge", FAMILY), sli.gauge)]
    if sli.ratio is not None:
        places += [(("ratio", role, FAMILY), getattr(sli.ratio, role)) for role in ("bad", "good", "total")]
    return [(path, query) for path, place in places if isinstance(query := prom_source(place), str)]


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
    base: Path = ("alerts", index, "source", FAMILY)
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
    hint = f"rename monaco's label with {settings_hint(role)}, or aggregate {kept.label!r} away"
    diagnostics.add(Diagnostic("MON261", message, span, hint, level))
