"""Rendering (pure): golden objects, and the diagnostics for what Cloud Monitoring cannot hold, at the spec line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from monaco.backends.gcp_monitoring.config import label_value
from monaco.spec.secrets import fingerprint
from tests.gcp_monitoring.workspace import SECRETS, GcpWorkspace, load_model

GOLDEN = Path(__file__).parent / "golden"


def _compiled(ws: GcpWorkspace) -> dict[str, str]:
    out = ws.root / "out"
    done = ws.run("compile", "--out", str(out))
    assert done.code == 0, done.output
    return {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file()}


def test_compiled_objects_match_the_golden_files(offline: GcpWorkspace, update_golden: bool) -> None:
    """Every policy, channel, service and SLO, enums as names; regenerate with --update-golden and read the diff."""
    produced = _compiled(offline)
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, text in produced.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(text, encoding="utf-8")
    expected = {str(p.relative_to(GOLDEN)): p.read_text(encoding="utf-8") for p in sorted(GOLDEN.rglob("*.json"))}
    assert produced == expected


def _policy(produced: dict[str, str], object_id: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(produced[f"gcp-test/alert_policy/{object_id}.json"])
    return found


def test_each_burn_tier_pair_is_one_policy_of_two_burn_rate_conditions_with_the_irs_factor(
    offline: GcpWorkspace,
) -> None:
    """Long AND short window, each `select_slo_burn_rate` above the IR's exact factor; the slow pair its own policy."""
    produced = _compiled(offline)
    model = load_model(offline)
    slo = next(s for s in model.services[0].slos if s.name == "availability")
    page, ticket = slo.tiers
    for tier in (page, ticket):
        for index, pair in enumerate(tier.windows, start=1):
            policy = _policy(produced, f"checkout--availability--{tier.name}--{index}")
            assert policy["combiner"] == "AND"
            windows = [c["conditionThreshold"]["filter"].rsplit(", ", 1)[1] for c in policy["conditions"]]
            assert windows == [f'"{pair.long_seconds}s")', f'"{pair.short_seconds}s")']
            assert {c["conditionThreshold"]["thresholdValue"] for c in policy["conditions"]} == {float(pair.factor)}
            assert Decimal(repr(float(pair.factor))) == pair.factor, "the factor does not survive as a double"


def test_severities_channels_and_renotify_follow_the_routes(offline: GcpWorkspace) -> None:
    """critical pages (CRITICAL) reach the pager and both mail channels, renotified hourly; high goes to the hook."""
    produced = _compiled(offline)
    latency = _policy(produced, label_value("checkout--HighLatency"))
    assert latency["severity"] == "CRITICAL"
    assert latency["notificationChannels"] == ["payments-mail--1", "payments-mail--2", "payments-pager"]
    assert latency["alertStrategy"]["notificationChannelStrategy"][0]["renotifyInterval"] == "3600s"
    backlog = _policy(produced, label_value("checkout--QueueBacklog"))
    assert backlog["severity"] == "ERROR" and backlog["notificationChannels"] == ["payments-hook"]
    assert "alertStrategy" not in backlog
    promql = backlog["conditions"][0]["conditionPrometheusQueryLanguage"]
    assert promql["query"].endswith(") > 1000") and promql["duration"] == "900s"


def test_secrets_are_fingerprints_in_every_compiled_file(offline: GcpWorkspace) -> None:
    """The PagerDuty key and the webhook URL show as `sha256:…`, recorded in a user label; the values nowhere."""
    produced = _compiled(offline)
    pager = json.loads(produced["gcp-test/notification_channel/payments-pager.json"])
    assert pager["labels"]["service_key"] == fingerprint(SECRETS["GCP_TEST_PD_KEY"])
    assert pager["userLabels"]["monaco_fp_service_key"] == fingerprint(SECRETS["GCP_TEST_PD_KEY"]).removeprefix(
        "sha256:"
    )
    for text in produced.values():
        assert not any(value in text for value in SECRETS.values())


@pytest.mark.parametrize(
    ("old", "new", "code", "line"),
    [
        ("objective: 99.9\n", "objective: 99.995\n", "MON804", 31),
        ("period: 28d\n", "period: 60d\n", "MON804", 31),
        ("when: {below: 1}", "when: {below_or_equal: 1}", "MON802", 15),
        ("alignment_period: 5m", "alignment_period: 90s", "MON803", 15),
        ("aligner: ALIGN_MAX", "aligner: ALIGN_NOPE", "MON803", 15),
        ("      ticket: {severity: high}\n", "      ticket: {severity: high}\n      no_data_for: 1m\n", "MON803", 31),
    ],
)
def test_what_cloud_monitoring_cannot_hold_is_an_error_at_the_spec_line(
    offline: GcpWorkspace, old: str, new: str, code: str, line: int
) -> None:
    """A goal above 0.9999, a 60d period, `<=`, a 90s alignment, an unknown aligner, 1m without data: never changed."""
    offline.edit("checkout.yaml", old, new)
    done = offline.run("validate")
    assert done.code == 1, done.output
    assert f"checkout.yaml:{line}:5: error[{code}]" in done.err, done.err


def test_a_missing_gcp_source_is_reported_at_the_level_the_target_sets(offline: GcpWorkspace) -> None:
    """MON801 is a warning by default (the alert is not rendered) and an error when `levels` says so."""
    offline.edit("checkout.yaml", "      gcp: {promql:", "      prometheus: 'sum(up)'\n      #")
    done = offline.run("validate")
    assert done.code == 0 and "checkout.yaml:23:5: warning[MON801]" in done.err, done.err
    assert not any("queuebacklog" in name for name in _compiled(offline))
    offline.write(levels={"MON801": "error"})
    done = offline.run("validate")
    assert done.code == 1 and "checkout.yaml:23:5: error[MON801]" in done.err, done.err


def test_the_backend_imports_no_google_sdk_at_module_level() -> None:
    """Loading the backend class (as the registry does) does not import google.cloud or grpc."""
    code = (
        "import sys; import monaco.backends.gcp_monitoring.backend; "
        "print(any(m.startswith(('google.cloud', 'grpc')) for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "False"
