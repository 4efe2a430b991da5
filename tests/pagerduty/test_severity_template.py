"""The one severity table as Alertmanager sends it: the `severity` template evaluated by amtool, per severity.

`amtool template render` runs Alertmanager's own template engine over an alert group whose common labels
carry each severity: the result must be the table's PagerDuty severity (`warning` for an unknown one).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from monaco.backends.amconfig.render import receiver_resource
from monaco.diagnostics import Span
from monaco.ir.nodes import Receiver
from monaco.ir.pagerduty_severity import event_severities, severity_template
from monaco.spec.models import DEFAULT_SEVERITIES, ReceiverSpec, SeverityLevel
from tests.conftest import require_tool

CUSTOM = (
    SeverityLevel(name="p1", page=True),
    SeverityLevel(name="p2", page=True),
    SeverityLevel(name="p3"),
    SeverityLevel(name="p4"),
    SeverityLevel(name="p5"),
)


def _render(tmp_path: Path, template: str, labels: dict[str, str]) -> str:
    """What Alertmanager's template engine makes of `template` for a group with these common labels."""
    amtool = require_tool("amtool")
    (tmp_path / "none.tmpl").write_text('{{ define "unused" }}{{ end }}\n', encoding="utf-8")
    data = {"receiver": "pager", "status": "firing", "alerts": [], "groupLabels": {}, "commonLabels": labels}
    data |= {"commonAnnotations": {}, "externalURL": "http://127.0.0.1:9093"}
    (tmp_path / "data.json").write_text(json.dumps(data), encoding="utf-8")
    files = [f"--template.glob={tmp_path / 'none.tmpl'}", f"--template.data={tmp_path / 'data.json'}"]
    done = subprocess.run(
        [amtool, "template", "render", *files, f"--template.text={template}"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize(("levels", "label"), [(DEFAULT_SEVERITIES, "severity"), (CUSTOM, "sev")])
def test_alertmanager_evaluates_the_table(
    tmp_path: Path, levels: tuple[SeverityLevel, ...] | list[SeverityLevel], label: str
) -> None:
    """Every severity of the workspace gives its table entry; a severity outside the table gives `warning`."""
    table = event_severities(levels)
    template = severity_template(table, label)
    expected = {**table, "unknown": "warning"}
    got = {name: _render(tmp_path, template, {label: name}) for name in expected}
    assert got == expected
    assert _render(tmp_path, template, {}) == "warning"


def test_the_receivers_pagerduty_config_carries_the_template() -> None:
    """Alertmanager's (and Mimir's) PagerDuty config sends the table's severity; the key stays a fingerprint."""
    spec = ReceiverSpec.model_validate({"name": "pager", "pagerduty": {"service": "checkout"}})
    template = severity_template(event_severities(DEFAULT_SEVERITIES), "severity")
    resource, problems = receiver_resource(
        Receiver(spec, "team/payments", Span("t.yaml", 1, 1)), lambda ref, span: "sha256:0", template
    )
    assert problems == []
    [config] = resource.body["pagerduty_configs"]
    assert config["severity"] == template and config["routing_key"] == "(sensitive sha256:0)"
    assert resource.secrets == {"/pagerduty_configs/0/routing_key": "pagerduty:checkout"}
