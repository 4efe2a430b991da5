"""`monaco routes`: the table, the JSON, label pairs, --service and --alert, unreached alerts first; bad input exits 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monaco.cli.main import main
from tests.routes.workspace import SERVICE, TEAM, write_workspace

CLOUDWATCH = """\
---
apiVersion: monaco/v1
kind: Target
metadata: {name: cw}
backend: aws_cloudwatch
config: {region: eu-west-1, account_id: "123456789012"}
"""


def _routes(root: Path, *rest: str) -> int:
    """`monaco routes` on the workspace."""
    return main(["routes", "--specs", str(root / "specs"), "--targets", str(root / "targets"), *rest])


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """The routing workspace, without a team default so that a low alert outside prod reaches no one."""
    team = TEAM.replace("default_receiver: payments-email\n", "")
    return write_workspace(tmp_path, SERVICE.replace("env: prod}", "env: dev}"), team=team)


def test_the_table_lists_unreached_alerts_first_and_marks_them(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A header with each target; the low alert (no route, no team default) first with `!`; the root receiver on
    Alertmanager, NO ONE on the IR-answered target."""
    assert _routes(workspace) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].split() == ["ALERT", "SERVICE", "SEVERITY", "am", "prom"]
    assert lines[1].split() == ["!", "CheckoutDiskLow", "checkout", "low", "platform-default", "NO", "ONE"]
    assert "payments-pager, payments-slack" in captured.out
    assert "6 alerts on 2 targets; 1 reach no one on some target." in captured.err


def test_json_gives_every_alert_with_labels_and_per_target_objects(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--format json`: format_version, targets with kinds, alerts with their labels, `unreached_on` first."""
    assert _routes(workspace, "--format", "json") == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["targets"] == [{"kind": "alertmanager", "name": "am"}, {"kind": "prometheus", "name": "prom"}]
    first = answer["alerts"][0]
    assert (first["alert"], first["unreached_on"], first["targets"]["prom"]) == ("CheckoutDiskLow", ["prom"], [])
    db = next(a for a in answer["alerts"] if a["alert"] == "CheckoutDbSlow")
    assert db["labels"]["component"] == "db" and db["labels"]["alertname"] == "CheckoutDbSlow"
    assert db["targets"]["am"] == [
        {"name": "db-hook", "receivers": ["db-hook"]},
        {"name": "payments-slack", "receivers": ["payments-slack"]},
    ]


def test_label_pairs_alert_and_service_select_what_is_routed(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Label pairs route as the services they fit; `--alert` takes a prefix; `--service` one service."""
    assert _routes(workspace, "severity=critical", "component=db", "--format", "json") == 0
    (row,) = json.loads(capsys.readouterr().out)["alerts"]
    assert [d["name"] for d in row["targets"]["am"]] == ["db-hook", "payments-pager", "payments-slack"]
    assert _routes(workspace, "team=storage", "--format", "json") == 0
    (row,) = json.loads(capsys.readouterr().out)["alerts"]
    assert (row["service"], row["targets"]["am"][0]["name"], row["targets"]["prom"]) == (None, "platform-db", None)
    assert _routes(workspace, "--alert", "SLOErrorBudgetBurn", "--service", "checkout", "--format", "json") == 0
    alerts = json.loads(capsys.readouterr().out)["alerts"]
    assert sorted(a["alert"] for a in alerts) == [
        "SLOErrorBudgetBurn availability/page",
        "SLOErrorBudgetBurn availability/ticket",
    ]


def test_a_cloudwatch_target_answers_with_topic_arns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The CloudWatch column names SNS topic ARNs; a Prometheus-only alert is not carried there (`-`)."""
    from tests.routes.workspace import TARGETS

    root = write_workspace(tmp_path, targets=TARGETS + CLOUDWATCH)
    assert _routes(root, "--alert", "CheckoutErrors", "--format", "json") == 0
    (row,) = json.loads(capsys.readouterr().out)["alerts"]
    arns = [d["name"] for d in row["targets"]["cw"]]
    assert arns == [
        "arn:aws:sns:eu-west-1:123456789012:monaco-payments-pager",
        "arn:aws:sns:eu-west-1:123456789012:monaco-payments-slack",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["severity"], "'severity' is not a label pair"),
        (["1x=a"], "'1x=a' is not a label pair"),
        (["a=1", "a=2"], "label 'a' is given twice"),
        (["--service", "chekout"], "no service named 'chekout'; did you mean 'checkout'?"),
        (["--alert", "CheckoutErrs"], "no alert named 'CheckoutErrs'; did you mean 'CheckoutErrors'?"),
        (["--alert", "CheckoutErrors", "severity=low"], "give --alert or label pairs, not both"),
        (["--format", "yaml"], "invalid choice: 'yaml'"),
    ],
)
def test_bad_input_exits_1_with_a_message(
    args: list[str], message: str, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each mistake is one line on stderr and exit 1, never a traceback."""
    try:
        code = _routes(workspace, *args)
    except SystemExit as exit_info:
        code = int(exit_info.code or 0)
    err = capsys.readouterr().err
    assert code == 1
    assert message in err and "Traceback" not in err


def test_a_broken_spec_is_a_diagnostic(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A spec that does not load: its diagnostic at its line, exit 1."""
    (workspace / "specs" / "checkout.yaml").write_text(SERVICE.replace("severity: low", "severity: lowest"))
    assert _routes(workspace) == 1
    assert "error[MON204]" in capsys.readouterr().err


def test_help_has_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    """`monaco routes --help` says what it does and shows a label-pair example."""
    with pytest.raises(SystemExit):
        main(["routes", "--help"])
    out = capsys.readouterr().out
    assert "Show which receivers get which alert" in out and "monaco routes severity=critical team=payments" in out
