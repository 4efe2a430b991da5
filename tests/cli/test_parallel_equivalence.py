"""Every command prints and writes the same with the second core as without it (`MONACO_JOBS=1`).

The workspace is large enough that loading, source checks, plan text and the live rule-file read each
fork a child, and its mistakes sit in the files the child reads, so the child's diagnostics are the
ones compared.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from monaco import parallel
from tests.cli.workspace import TARGETS
from tests.cli_run import Run, run_cli

SERVICES = 64
SERVICE = """\
apiVersion: monaco/v1
kind: Service
metadata: {{name: {name}, team: payments, tier: 2}}
slos:
  - name: availability
    objective: 99.9
    sli:
      ratio:
        bad: {{prometheus: 'sum(rate(http_requests_total{{job="{name}",code=~"5.."}}[{{{{window}}}}]))'}}
        total: {{prometheus: 'sum(rate(http_requests_total{{job="{name}"}}[{{{{window}}}}]))'}}
alerts:
  - name: QueueBacklog
    severity: high
    for: 5m
    when: {{above: {threshold}}}
    source: {{prometheus: 'sum(queue_depth{{job="{name}"}})'}}
    summary: 'queue of {{{{ $labels.job }}}} is long'
"""
TEAM = """\
apiVersion: monaco/v1
kind: Team
metadata: {name: payments}
receivers:
  - {name: payments-email, email: {to: [payments@example.com]}}
default_receiver: payments-email
"""
BASE = """\
global: {smtp_smarthost: 'mail.example.com:25', smtp_from: monaco@example.com}
route: {receiver: fallback}
receivers:
  - name: fallback
"""


def write_services(root: Path, services: int) -> Path:
    """`services` services, one file each, with Prometheus and Alertmanager targets writing under `root/live/`."""
    specs = root / "specs"
    specs.mkdir()
    (specs / "team.yaml").write_text(TEAM, encoding="utf-8")
    for i in range(services):
        name = f"svc-{i:03d}"
        (specs / f"{name}.yaml").write_text(SERVICE.format(name=name, threshold=i + 1), encoding="utf-8")
    (root / "targets" / "_base").mkdir(parents=True)
    (root / "targets" / "targets.yaml").write_text(TARGETS, encoding="utf-8")
    (root / "targets" / "_base" / "alertmanager.yml").write_text(BASE, encoding="utf-8")
    return root


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """`SERVICES` services, large enough that every split forks."""
    return write_services(tmp_path, SERVICES)


class Forks:
    """Counts the children forked while it is installed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        start = parallel._start

        def counting(compute: parallel.Callable[[], list[object]]) -> parallel._Child | None:
            child = start(compute)
            self.count += child is not None
            return child

        monkeypatch.setattr(parallel, "_start", counting)


def both_ways(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, root: Path, *args: str
) -> tuple[Run, Run, int]:
    """The same command run serially and with a forked child: (serial run, parallel run, children forked)."""
    monkeypatch.setenv("MONACO_JOBS", "1")
    serial = run_cli(capsys, root / "specs", root / "targets", args, ())
    monkeypatch.setenv("MONACO_JOBS", "2")
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)  # a daemon thread an earlier test left
    forks = Forks(monkeypatch)
    split = run_cli(capsys, root / "specs", root / "targets", args, ())
    return serial, split, forks.count


def apply(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    """Apply the workspace, so that what is live is what the specs say."""
    applied = run_cli(capsys, root / "specs", root / "targets", ("apply", "--auto-approve"), ())
    assert applied.code == 0, applied.output


def assert_same(serial: Run, split: Run) -> None:
    """Exit code, standard output and standard error are identical, but for timings."""
    assert split.code == serial.code
    assert split.out == serial.out
    assert _untimed(split.err) == _untimed(serial.err)


def _untimed(text: str) -> list[str]:
    """Lines with the read timing (`..., 0.0s`) removed."""
    return [line.rsplit(", ", 1)[0] if line.endswith("s") and "reads" in line else line for line in text.splitlines()]


def test_validate_reports_the_same_mistakes(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = workspace / "specs"
    (specs / "svc-050.yaml").write_text(
        (specs / "svc-050.yaml").read_text().replace('sum(queue_depth{job="svc-050"})', "sum(queue_depth{job=})")
    )
    (specs / "svc-060.yaml").write_text((specs / "svc-060.yaml").read_text().replace("for: 5m", "for: [5m"))
    (specs / "svc-005.yaml").write_text((specs / "svc-005.yaml").read_text().replace("tier: 2", "tier: 2, tiers: 3"))
    serial, split, forks = both_ways(capsys, monkeypatch, workspace, "validate")
    assert serial.code == 1
    assert {"svc-050.yaml", "svc-060.yaml", "svc-005.yaml"} <= {
        Path(line.split(":")[0]).name for line in serial.err.splitlines() if "error[" in line
    }
    assert forks >= 1
    assert_same(serial, split)


def test_validate_reports_the_same_source_mistakes(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = workspace / "specs"
    (specs / "svc-063.yaml").write_text((specs / "svc-063.yaml").read_text().replace("sum(queue_depth", "sum(("))
    serial, split, forks = both_ways(capsys, monkeypatch, workspace, "validate")
    assert serial.code == 1 and "svc-063.yaml" in serial.err
    assert forks == 2  # loading, and source checks beside lowering
    assert_same(serial, split)


def test_compile_writes_the_same_files(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONACO_JOBS", "1")
    run_cli(capsys, workspace / "specs", workspace / "targets", ("compile", "--out", str(workspace / "one")), ())
    monkeypatch.setenv("MONACO_JOBS", "2")
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    run_cli(capsys, workspace / "specs", workspace / "targets", ("compile", "--out", str(workspace / "two")), ())
    one = {p.relative_to(workspace / "one"): p.read_bytes() for p in (workspace / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(workspace / "two"): p.read_bytes() for p in (workspace / "two").rglob("*") if p.is_file()}
    assert len(one) == SERVICES + 1
    assert one == two


@pytest.mark.parametrize("form", [(), ("--format", "json"), ("--compact",), ("--format", "markdown")])
def test_a_first_plan_is_the_same(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, form: tuple[str, ...]
) -> None:
    serial, split, forks = both_ways(capsys, monkeypatch, workspace, "plan", *form)
    assert serial.code == 0
    assert forks >= 2
    assert_same(serial, split)


def test_a_plan_against_edited_live_files_is_the_same(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    apply(capsys, workspace)
    rules = workspace / "live" / "rules"
    edited = sorted(rules.iterdir())[-3]
    edited.write_text(edited.read_text().replace("> 62", "> 620"))
    (rules / "zz-foreign.yml").write_text("groups:\n  - name: theirs\n    rules: []\n")
    (rules / "svc-061.yml").write_text("groups: [not closed\n")
    serial, split, forks = both_ways(capsys, monkeypatch, workspace, "plan", "--detailed-exitcode")
    assert serial.code == 2
    assert "620" in serial.out and "svc-061" in serial.output
    assert forks >= 3  # loading, source checks, the rule files read beside their texts
    assert_same(serial, split)


def test_a_plan_with_nothing_to_change_is_the_same(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    apply(capsys, workspace)
    serial, split, forks = both_ways(capsys, monkeypatch, workspace, "plan", "--detailed-exitcode")
    assert serial.code == 0, serial.output
    assert forks >= 3
    assert_same(serial, split)
