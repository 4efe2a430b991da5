"""What `monaco docs` promises beyond the golden files: pages are kept, only paging alerts get runbooks,
expressions are the rendered Prometheus rules, burn numbers are the IR's, and bad input exits 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from monaco import engine
from monaco.backends.promrules.service_rules import service_groups
from monaco.cli.main import main
from monaco.diagnostics import Level
from monaco.docs_pages.markdown import code_block
from monaco.ir.burnrate import format_decimal
from monaco.ir.nodes import Model
from tests.docs_pages.test_docs_golden import CASES, REPO, write_docs


def _model(case: str) -> Model:
    specs, targets = CASES[case]
    session = engine.load([specs], [targets])
    assert session.model is not None and not session.diagnostics.has_errors
    return session.model


def test_existing_pages_are_kept_and_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A second run keeps every page (an edited one as edited) and writes only a page that was deleted."""
    out = tmp_path / "out"
    first = write_docs(*CASES["repo"], out)
    edited = out / "checkout/runbooks/CheckoutHighErrorRate.md"
    edited.write_text("# our own notes\n", encoding="utf-8")
    (out / "checkout/postmortems/availability.md").unlink()
    capsys.readouterr()
    second = write_docs(*CASES["repo"], out)
    lines = capsys.readouterr().out.splitlines()
    assert second[edited.relative_to(out).as_posix()] == "# our own notes\n"
    assert second["checkout/postmortems/availability.md"] == first["checkout/postmortems/availability.md"]
    assert sorted(lines) == sorted(
        [
            f"kept     {out / 'checkout/runbooks/CheckoutHighErrorRate.md'}",
            f"kept     {out / 'checkout/runbooks/SLOErrorBudgetBurn-availability-page.md'}",
            f"written  {out / 'checkout/postmortems/availability.md'}",
        ]
    )


def test_only_paging_alerts_and_tiers_get_runbooks(tmp_path: Path) -> None:
    """checkout: the critical alert and page tier page; the high CPU alert and the medium ticket tier do not."""
    pages = write_docs(*CASES["repo"], tmp_path / "out")
    assert sorted(pages) == [
        "checkout/postmortems/availability.md",
        "checkout/runbooks/CheckoutHighErrorRate.md",
        "checkout/runbooks/SLOErrorBudgetBurn-availability-page.md",
    ]
    assert "SLOErrorBudgetBurn` ticket (severity `medium`" in pages["checkout/postmortems/availability.md"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_expressions_are_the_rendered_prometheus_rules(case: str, tmp_path: Path) -> None:
    """Each runbook's expression block is the `expr` of the paging rule the Prometheus backend renders."""
    pages = write_docs(*CASES[case], tmp_path / "out")
    model = _model(case)
    checked = 0
    for service in model.services:
        groups, _ = service_groups(service, lambda code: Level.WARNING)
        for rule in (r for g in groups for r in g.body["rules"] if "alert" in r):
            if rule["labels"]["severity"] not in model.paging_severities or rule["alert"] == "SLONoData":
                continue
            tier = rule["labels"].get("tier")
            name = f"{rule['alert']}-{rule['labels']['slo']}-{tier}" if tier else rule["alert"]
            assert code_block(rule["expr"]) in pages[f"{service.name}/runbooks/{name}.md"]
            checked += 1
    assert checked >= 2


@pytest.mark.parametrize("case", sorted(CASES))
def test_burn_windows_are_the_irs_exact_numbers(case: str, tmp_path: Path) -> None:
    """Each paging tier's page has one table row per window pair with the IR's factor and threshold."""
    pages = write_docs(*CASES[case], tmp_path / "out")
    model = _model(case)
    for service in model.services:
        for slo in service.slos:
            for tier in (t for t in slo.tiers if t.severity in model.paging_severities):
                text = pages[f"{service.name}/runbooks/SLOErrorBudgetBurn-{slo.name}-{tier.name}.md"]
                rows = [line for line in text.splitlines() if line.startswith("| ") and "x |" in line]
                assert len(rows) == len(tier.windows)
                for row, pair in zip(rows, tier.windows, strict=True):
                    assert f"| {format_decimal(pair.factor)}x |" in row
                    assert f"| {format_decimal(pair.threshold)} (" in row


def test_known_facts_of_the_repo_slo(tmp_path: Path) -> None:
    """99.9% over 30d: the workbook's 14.4x/0.0144 and 6x/0.006 page pairs, a 43m12s budget at a full outage."""
    pages = write_docs(*CASES["repo"], tmp_path / "out")
    runbook = pages["checkout/runbooks/SLOErrorBudgetBurn-availability-page.md"]
    assert "| 1h | 5m | 2% | 14.4x | 0.0144 (1.44%) | 2d2h |" in runbook
    assert "| 6h | 30m | 5% | 6x | 0.006 (0.6%) | 5d |" in runbook
    assert "- `payments-pager`\n- `payments-slack`" in runbook
    assert "| budget as a full outage | 43m12s of the 30d |" in pages["checkout/postmortems/availability.md"]


def test_links_and_routes_when_known_and_not(tmp_path: Path) -> None:
    """A live Grafana target gives a dashboard link; an alert routed nowhere says so; its own runbook is linked."""
    mimir = write_docs(*CASES["grafana-mimir"], tmp_path / "mimir")
    assert (
        "- Dashboard: <https://grafana.example.com/d/monaco-ledger-api>"
        in mimir["ledger-api/runbooks/LedgerHighErrorRate.md"]
    )
    edge = write_docs(*CASES["edge"], tmp_path / "edge")
    stuck = edge["batch/runbooks/BatchStuck.md"]
    assert "**It reaches no one**" in stuck and "<https://wiki.example.com/batch-stuck>" in stuck
    assert "No runbook URL or dashboard is known" in edge["batch/runbooks/SLOErrorBudgetBurn-freshness-page.md"]


def test_a_workspace_with_errors_or_no_out_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A spec that does not load writes nothing and exits 1; so does a missing --out (a usage error)."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: monaco/v1\nkind: Service\nmetadata: {name: x, team: y}\nalerts: 3\n")
    out = tmp_path / "out"
    assert main(["docs", "--specs", str(bad), "--targets", str(REPO / "targets"), "--out", str(out)]) == 1
    assert not out.exists()
    assert "error[MON114]" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["docs", "--specs", str(REPO / "specs")])
    assert exit_info.value.code == 1


def test_a_code_block_fence_outlasts_backticks_inside() -> None:
    """An expression holding a run of three backticks gets a four-backtick fence."""
    assert code_block("a ``` b") == "````promql\na ``` b\n````"
    assert code_block("up") == "```promql\nup\n```"
