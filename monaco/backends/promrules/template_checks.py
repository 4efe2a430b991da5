"""Go templates in an alert's summary, description, other annotations and labels, checked at validate time.

| code | level | meaning |
| --- | --- | --- |
| MON125 | error | a template Prometheus' Go template parser refuses (position inside the string, with a hint) |
"""

from __future__ import annotations

from typing import Any

from monaco.backends.promrules.gotemplate import check_template
from monaco.backends.promrules.promql_versions import Version
from monaco.diagnostics import Diagnostics
from monaco.spec.yaml_loader import Document, Path


def _templated_fields(alert: Any) -> list[tuple[Path, str]]:
    """(relative path, text) of every value Prometheus expands as a template."""
    found: list[tuple[Path, str]] = []
    if not isinstance(alert, dict):
        return found
    for key in ("summary", "description"):
        if isinstance(alert.get(key), str):
            found.append(((key,), alert[key]))
    for mapping in ("annotations", "labels"):
        values = alert.get(mapping)
        if isinstance(values, dict):
            found.extend(((mapping, k), v) for k, v in values.items() if isinstance(v, str))
    return found


def check_alert_templates(doc: Document, alert_path: Path, version: Version, diagnostics: Diagnostics) -> None:
    """Report each templated value of the alert at `alert_path` that Prometheus would refuse."""
    alert: Any = doc.value
    for part in alert_path:
        if isinstance(alert, list) and isinstance(part, int) and 0 <= part < len(alert):
            alert = alert[part]
        else:
            alert = alert.get(part) if isinstance(alert, dict) and isinstance(part, str) else None
    for relative, text in _templated_fields(alert):
        problem = check_template(text, version)
        if problem is not None:
            path = (*alert_path, *relative)
            message = f"{'.'.join(map(str, relative))}: template does not parse: {problem.message}"
            diagnostics.error("MON125", message, doc.span_at(path, problem.offset), problem.hint)
