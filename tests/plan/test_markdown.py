"""The Markdown plan fits one pull-request comment at any size, with complete summaries and details by importance."""

from __future__ import annotations

import re

from monaco.diagnostics import Diagnostic, Level, Span
from monaco.plan.markdown import render_markdown
from monaco.plan.model import Action, Change, Plan, Resource, TargetPlan

GITHUB_COMMENT_LIMIT = 65_536


def _rule(service: str, i: int) -> Resource:
    body = {
        "name": f"{service}-{i}",
        "rules": [{"alert": f"Alert{i}", "expr": f'sum(rate(errors_total{{job="{service}"}}[5m])) > {i}'}] * 4,
    }
    return Resource("rule_group", f"{service}/{i}", body, address=f"{service}/Alert{i}")


def _plan(services: int) -> Plan:
    prometheus = TargetPlan("local-prometheus", "prometheus")
    alertmanager = TargetPlan("local-alertmanager", "alertmanager")
    for s in range(services):
        name = f"svc-{s:04d}"
        prometheus.changes += [Change(Action.CREATE, None, _rule(name, i)) for i in range(10)]
        route = Resource("route", name, {"receiver": f"team-{s % 7}"}, address=name)
        alertmanager.changes.append(Change(Action.CREATE, None, route))
    doomed = _rule("svc-old", 1)
    prometheus.changes.append(Change(Action.DELETE, doomed, None))
    return Plan([prometheus, alertmanager])


def test_a_plan_of_500_services_fits_one_comment_with_a_complete_summary() -> None:
    """Every service has its summary row; details stop at the budget and say how many were left out."""
    text = render_markdown(_plan(500))
    assert len(text) <= GITHUB_COMMENT_LIMIT
    rows = [line for line in text.splitlines() if re.match(r"^\| svc-\d{4} \|", line)]
    assert len(rows) == 500
    assert "| svc-0499 | +10 | +1 |" in text
    left = re.search(r"_Not shown: (\d+) more changes \(([^)]*)\)", text)
    assert left is not None and int(left.group(1)) > 0
    shown = text.count("<details><summary><code>")
    assert shown + int(left.group(1)) == 500 * 11 + 1


def test_destroys_come_before_creates() -> None:
    """The change a reviewer must not miss (a destroy) is the first detail, whatever the order in the plan."""
    text = render_markdown(_plan(30))
    first = text.index("<details><summary><code>")
    assert text[first:].startswith("<details><summary><code>- local-prometheus: rule_group.svc-old/1</code>")


def test_a_small_plan_shows_every_change_and_no_left_out_line() -> None:
    """Under the budget nothing is cut."""
    text = render_markdown(_plan(2))
    assert text.count("<details><summary><code>") == 2 * 11 + 1
    assert "not shown" not in text


def test_a_smaller_budget_cuts_sooner_and_is_respected() -> None:
    """The budget is the caller's (`--markdown-budget`)."""
    text = render_markdown(_plan(40), budget=8_000)
    assert len(text) <= 8_000 + 400
    assert "_Not shown: " in text and "more changes" in text


def test_warnings_appear_once_each_with_a_count_and_errors_are_not_listed() -> None:
    """What a backend cannot express is in the comment, not only on stderr, said once with how often."""
    span = Span("specs/a.yaml", 3, 1)
    repeated = [Diagnostic("MON711", "SLO group_by is not split on CloudWatch", span, level=Level.WARNING)] * 41
    once = Diagnostic("MON714", "no-data alert not rendered", span, level=Level.INFO)
    text = render_markdown(_plan(1), [*repeated, once])
    assert text.count("SLO group_by is not split on CloudWatch") == 1
    assert "(x41)" in text and "**info[MON714]** no-data alert not rendered" in text
    assert "Diagnostics: 42 (2 distinct)" in text
