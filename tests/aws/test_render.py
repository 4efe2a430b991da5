"""Rendering (pure): golden request files, determinism, and the diagnostics for what AWS cannot express."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from monaco.backends.aws_cloudwatch.backend import CloudWatchBackend
from monaco.backends.aws_cloudwatch.config import CloudWatchConfig
from monaco.backends.aws_cloudwatch.sources import CloudWatchMath, CloudWatchMetric
from monaco.backends.base import RenderResult
from monaco.diagnostics import Level
from monaco.ir.nodes import BurnTier, BurnWindowPair, Model
from monaco.spec.sources import SliSpec
from tests.aws import builders as b
from tests.sources import alert_source, latency_sli

GOLDEN = Path(__file__).parent / "golden"
CONFIG = CloudWatchConfig(region="eu-west-1", account_id="123456789012")


def _render(model: Model, config: CloudWatchConfig = CONFIG, secrets: dict[str, str] = b.SECRETS) -> RenderResult:
    target = b.target(config, *model.services)
    return CloudWatchBackend().render(model, target, lambda ref, span: b.fingerprint(ref, span, secrets))


def _rich_model() -> Model:
    math = alert_source(
        cloudwatch=CloudWatchMath(
            expression="errors / requests",
            period="1m",
            metrics={"errors": b.elb("HTTPCode_Target_5XX_Count"), "requests": b.elb("RequestCount")},
        )
    )
    p99 = CloudWatchMetric(
        namespace="AWS/ApplicationELB",
        metric="TargetResponseTime",
        stat="p99",
        dimensions={"LoadBalancer": "app/checkout/abc"},
    )
    sli = SliSpec(latency=latency_sli(0.3, prometheus={"metric": "http_request_duration_seconds"}, cloudwatch=p99))
    latency = replace(b.ratio_slo("latency"), sli=sli, tiers=b.workbook_tiers()[:1])
    slack_route = b.routes(({"severity": ("low",)}, ("payments-slack",)))
    checkout = b.service(
        alerts=(b.alert("HighCPU"), b.alert("ErrorRatio", threshold=0.05, severity="critical", line=50, source=math)),
        slos=(b.ratio_slo(), b.ratio_slo("served", good=True, tiers=b.workbook_tiers()[:1]), latency),
        service_routes=b.DEFAULT_ROUTES,
    )
    cart = b.service("cart", alerts=(b.alert("Quiet", severity="low", line=70),), service_routes=slack_route)
    return b.model(cart, checkout)


def _snapshot(result: RenderResult) -> str:
    data = {
        "resources": [r.to_json() for r in result.resources],
        "diagnostics": [
            {"code": d.code, "level": d.level.value, "span": str(d.span), "message": d.message}
            for d in sorted(result.diagnostics, key=lambda d: d.sort_key())
        ],
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def test_rendered_requests_match_golden_file() -> None:
    text = _snapshot(_render(_rich_model()))
    path = GOLDEN / "render.json"
    if os.environ.get("MONACO_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), "golden file missing: run with MONACO_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8"), "rendered requests changed; review, then MONACO_UPDATE_GOLDEN=1"


def test_render_is_deterministic_and_valid() -> None:
    first, second = _render(_rich_model()), _render(_rich_model())
    assert _snapshot(first) == _snapshot(second)
    assert not [d for d in first.diagnostics if d.code == "MON710"]  # botocore accepts every request


def test_secret_values_never_reach_the_plan() -> None:
    text = _snapshot(_render(_rich_model()))
    assert all(value not in text for value in b.SECRETS.values())


def test_missing_cloudwatch_source_is_reported_at_its_line() -> None:
    alert = b.alert("PromOnly", line=44, source=alert_source(prometheus="up == 0"))
    result = _render(b.model(b.service(alerts=(alert,))))
    [diagnostic] = [d for d in result.diagnostics if d.code == "MON701"]
    assert diagnostic.span == b.span(44) and diagnostic.level is Level.WARNING
    assert result.resources == []
    strict = _render(b.model(b.service(alerts=(alert,))), CONFIG.model_copy(update={"levels": {"MON701": "error"}}))
    assert [d.level for d in strict.diagnostics if d.code == "MON701"] == [Level.ERROR]


def test_long_window_rule_and_its_configured_level() -> None:
    result = _render(
        b.model(b.service(slos=(b.ratio_slo(),))), CONFIG.model_copy(update={"levels": {"MON704": "error"}})
    )
    [diagnostic] = [d for d in result.diagnostics if d.code == "MON704"]
    assert diagnostic.level is Level.ERROR and diagnostic.span == b.span(21)
    child = next(r for r in result.resources if r.name.endswith("/ticket/3d"))
    assert (child.body["EvaluationPeriods"], child.body["DatapointsToAlarm"]) == (3, 1)
    assert {q["MetricStat"]["Period"] for q in child.body["Metrics"] if "MetricStat" in q} == {86400}


def test_window_over_seven_days_drops_the_tier_with_an_error() -> None:
    tier = BurnTier(
        "ticket", "medium", 0, (BurnWindowPair(8 * 86400, 7200, Decimal(10), Decimal(1), Decimal("0.001")),), b.span(30)
    )
    result = _render(b.model(b.service(slos=(b.ratio_slo(tiers=(tier,)),))))
    assert [d.code for d in result.diagnostics if d.level is Level.ERROR] == ["MON705"]
    assert [r for r in result.resources if r.kind == "alarm"] == []


def test_burn_thresholds_are_factor_times_budget_and_guarded() -> None:
    result = _render(b.model(b.service(slos=(b.ratio_slo(),))))
    child = next(r for r in result.resources if r.name.endswith("/page/1h"))
    assert child.body["Threshold"] == 0.0144 and "ActionsEnabled" in child.body
    assert child.body["Metrics"][-1]["Expression"] == "IF(total > 0, bad / total, 0)"
    assert child.body["TreatMissingData"] == "notBreaching"


def test_inexpressible_conditions_and_bad_requests_point_at_the_spec() -> None:
    equal = b.alert("Exactly", line=41, comparison="equal")
    bad_stat = b.alert(
        "BadStat", line=42, source=alert_source(cloudwatch=CloudWatchMetric(namespace="A", metric="B", stat="Median"))
    )
    too_long = b.alert(
        "Long",
        line=43,
        source=alert_source(cloudwatch=CloudWatchMetric(namespace="A", metric="B", dimensions={"Name": "v" * 1100})),
    )
    long_for = b.alert("LongFor", line=45, for_seconds=2 * 86400)
    result = _render(b.model(b.service(alerts=(equal, bad_stat, too_long, long_for))))
    found = {(d.code, d.span.line if d.span else 0) for d in result.diagnostics}
    assert {("MON702", 41), ("MON713", 42), ("MON710", 43), ("MON703", 45)} <= found
    message = next(d.message for d in result.diagnostics if d.code == "MON710")
    assert "Dimensions[0].Value" in message and "at most 1024" in message


def test_unset_secret_and_slack_receiver_are_reported() -> None:
    model = _rich_model()
    result = _render(model, secrets={})
    codes = {d.code for d in result.diagnostics}
    assert {"MON401", "MON706"} <= codes
    slack = next(r for r in result.resources if r.name == "monaco-payments-slack")
    assert "Subscriptions" not in slack.body and slack.body["Tags"]["monaco:subscriptions"] == "unmanaged"


def test_importing_the_backend_does_not_import_boto3() -> None:
    code = (
        "import sys, monaco.backends.aws_cloudwatch.backend; print('boto3' in sys.modules, 'botocore' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2]
    )
    assert out.stdout.split() == ["False", "False"]


def test_the_older_level_knobs_are_read_as_levels() -> None:
    """`missing_source_level` and `long_window_level` still work: they become `levels` entries."""
    data = {**CONFIG.model_dump(), "missing_source_level": "error", "long_window_level": "info"}
    data.pop("levels")
    assert CloudWatchConfig.model_validate(data).levels == {"MON701": "error", "MON704": "info"}
    with pytest.raises(ValueError, match="unknown diagnostic code"):
        CloudWatchConfig.model_validate({**data, "levels": {"MON999": "error"}})
