"""Checks that monaco's identity labels never silently overwrite a label, and that annotations are set once.

monaco adds identity labels to every rule it generates (names from Settings `identity_labels`):
service, team and severity on threshold alerts; service and slo on SLO recordings; service, team,
slo, severity and tier on SLO alerts. A label of the same name is overwritten by Prometheus, so:

* MON260 (error): a user's own label (`metadata.labels`, an alert's or an SLO's `labels`) has the
  name of an identity label the rules it reaches carry;
* MON261 (the Prometheus family's, `monaco.backends.promrules.kept_label_checks`): a query keeps a
  label with an identity name;
* MON262 (error): `annotations` sets one that has its own field (summary, description, runbook_url).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from monaco.diagnostics import Diagnostics
from monaco.spec.load import Located, Workspace
from monaco.spec.models import IdentityLabelNames, ServiceSpec
from monaco.spec.yaml_loader import Path

RESERVED_ANNOTATIONS = ("summary", "description", "runbook_url")
"""Annotations monaco writes from an alert's own fields."""
ALERT_LABELS = ("service", "team", "severity")
"""Identity roles every generated threshold alert carries."""
SLO_LABELS = ("service", "team", "slo", "severity", "tier")
"""Identity roles the rules generated for an SLO carry."""


def identity_names(identity: IdentityLabelNames, roles: Iterable[str]) -> dict[str, str]:
    """Label name -> identity role (service, team...) for `roles`."""
    return {getattr(identity, role): role for role in roles}


def settings_hint(role: str) -> str:
    """How to rename monaco's label for `role` in Settings."""
    return f"Settings `identity_labels: {{{role}: monaco_{role}}}`"


def check_identity_labels(workspace: Workspace, diagnostics: Diagnostics) -> None:
    """MON260 and MON262 for every validated service of the workspace."""
    for located in workspace.services:
        check_service_labels(located, workspace.identity_labels, diagnostics)


def check_service_labels(located: Located[ServiceSpec], identity: IdentityLabelNames, diagnostics: Diagnostics) -> None:
    """Report every label of this service's spec that a monaco identity label would overwrite."""
    spec = located.spec
    alert_names = identity_names(identity, ALERT_LABELS)
    slo_names = identity_names(identity, SLO_LABELS)
    service_wide = {**(alert_names if spec.alerts else {}), **(slo_names if spec.slos else {})}
    _user_labels(located, ("metadata", "labels"), spec.metadata.labels, service_wide, diagnostics)
    for i, alert in enumerate(spec.alerts):
        _user_labels(located, ("alerts", i, "labels"), alert.labels, alert_names, diagnostics)
        _reserved_annotations(located, i, alert.annotations, diagnostics)
    for i, slo in enumerate(spec.slos):
        _user_labels(located, ("slos", i, "labels"), slo.labels, slo_names, diagnostics)


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
                f"rename this label, or rename monaco's with {settings_hint(role)}",
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
