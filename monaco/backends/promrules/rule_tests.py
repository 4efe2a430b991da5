"""promtool unit tests: generated from an SLO's own tiers, converted from a spec's `tests:`, and run.

Generated scenarios, per SLO (all on one synthetic group; a grouped SLO also gets a healthy second
group that must never alert):

* `above` per window pair: a steady error ratio 10% above the pair's threshold fires its tier by
  short window + `for` + one evaluation; every other tier fires or not as its own thresholds say;
* `below` per tier: 10% under the tier's lowest threshold, the tier never fires, checked after each
  pair's short window and after its longest long window;
* `healthy`: no errors, nothing fires (and no "no data" alert);
* `burst` per tier: a full outage fires the tier; once it stops, the tier clears within its
  longest short window (+ the base window when that window is built from recordings);
* `low_traffic` (with `min_events`, counter SLIs): an outage seen by too few events never pages
  (a gauge's events are samples, fixed by the scrape interval, so it has no such scenario);
* `no_data`: the source series stop; the no-data alert fires after `no_data_for`.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from monaco.backends.promrules.promtool_run import (
    PromtoolResult,
    PromtoolTest,
    expand_labels,
    run_promtool_tests,
    spec_tests,
)
from monaco.backends.promrules.series_synth import (
    Segment,
    histogram_of,
    labels_for,
    regex_example,
    satisfies,
    sli_series,
    source_of,
)
from monaco.backends.promrules.slo_rules import (
    BASE_WINDOW_SECONDS,
    DIRECT_MAX_SECONDS,
    alert_labels,
    burn_annotations,
    no_data_severity,
    render_slo_groups,
    source_selector,
    windows,
)
from monaco.backends.promrules.sources import PromMetric
from monaco.ir.burnrate import format_decimal, pair_threshold
from monaco.ir.labels import BURN_ALERT, NO_DATA_ALERT, burn_alert_labels
from monaco.ir.nodes import BurnTier, Service, Slo
from monaco.plan.yamltext import dump_yaml
from monaco.spec.types import format_duration

FAST_EVAL_MINUTES = 1
SLOW_EVAL_MINUTES = 5
SLOW_AFTER_MINUTES = 3 * 60
"""Scenarios longer than 3h are evaluated every 5m: 25x less work, the same rules."""


def _minutes(seconds: int) -> int:
    return math.ceil(seconds / 60)


def _group_values(slo: Slo, which: str) -> dict[str, str]:
    """Values of the group_by labels for one synthetic group, satisfying the SLI's own matchers."""
    sli = slo.sli
    if sli.latency is not None:
        histogram = histogram_of(slo)
        sources = [source_of(PromMetric(metric=histogram.metric, matchers=histogram.matchers))]
    elif sli.ratio is not None:
        sources = [source_of(s) for s in (sli.ratio.bad, sli.ratio.good, sli.ratio.total) if s is not None]
    else:
        sources = [source_of(sli.gauge)]
    values = {}
    for i, label in enumerate(slo.group_by):
        wanted = [c for src in sources for name, c in src.constraints if name == label]
        plain = f"{which}-{i}"
        prefixes = [regex_example(v) for op, v in wanted if op == "=~"]
        candidates = [plain, *(p + plain for p in prefixes), *(v for op, v in wanted if op == "=")]
        values[label] = next((c for c in candidates if all(satisfies(c, w) for w in wanted)), plain)
    return values


class _Builder:
    """Builds the test groups of one SLO."""

    def __init__(self, service: Service, slo: Slo, every: int) -> None:
        self.service, self.slo, self.every = service, slo, every
        # conditions hold from the first evaluation with data: a rate needs two samples, a gauge one
        self.first = 0 if slo.sli.gauge is not None else every
        self.base = windows(slo)[0]
        self.scale = Decimal(max(600, 2 * int(slo.min_events or 0)))
        self.hot = _group_values(slo, "hot")
        self.cold = _group_values(slo, "cold")

    def at(self, minutes: int) -> int:
        """`minutes` rounded up to an evaluation time."""
        return math.ceil(minutes / self.every) * self.every

    def thresholds(self, tier: BurnTier) -> list[Decimal]:
        return [pair_threshold(self.slo, pair) for pair in tier.windows]

    def inputs(self, segments: list[Segment], scale: Decimal | None = None) -> list[dict[str, str]]:
        series = sli_series(self.slo, segments, scale or self.scale, self.hot)
        if self.slo.group_by:
            total = sum(m for _, m in segments)
            series += sli_series(self.slo, [(Decimal(0), total)], self.scale, self.cold)
        return series

    def expected(self, tier: BurnTier) -> dict[str, Any]:
        labels = {**burn_alert_labels(self.service, self.slo, tier), **self.hot}
        annotations = {}
        for key, template in burn_annotations(self.service, self.slo, tier).items():
            text = expand_labels(template, labels)
            assert text is not None, "SLO annotations template only $labels"
            annotations[key] = text
        return {"exp_labels": labels, "exp_annotations": annotations}

    def steady_check(self, ratio: Decimal, minute: int) -> dict[str, Any]:
        """alert_rule_test at `minute` for a ratio held since 0 (true from the first evaluation with a rate)."""
        firing = [
            tier
            for tier in self.slo.tiers
            if min(self.thresholds(tier)) < ratio and (minute - self.first) * 60 >= tier.for_seconds
        ]
        return {"eval_time": f"{minute}m", "alertname": BURN_ALERT, "exp_alerts": [self.expected(t) for t in firing]}

    def alerts_query(self, tier: BurnTier, minute: int, firing: bool) -> dict[str, Any]:
        """promql_expr_test on ALERTS: is `tier` firing at `minute`?"""
        ids = self.service.identity
        match = {
            "alertname": BURN_ALERT,
            ids.service: self.service.name,
            ids.slo: self.slo.name,
            ids.tier: tier.name,
            "alertstate": "firing",
        }
        sel = ",".join(f'{k}="{v}"' for k, v in match.items())
        samples = []
        if firing:
            labels = {**self.expected(tier)["exp_labels"], "alertname": BURN_ALERT, "alertstate": "firing"}
            samples = [
                {"labels": "ALERTS{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}", "value": 1}
            ]
        return {"expr": f"ALERTS{{{sel}}}", "eval_time": f"{minute}m", "exp_samples": samples}

    def group(self, name: str, segments: list[Segment], **tests: Any) -> dict[str, Any]:
        return {
            "name": f"{self.service.name}/{self.slo.name}: {name}",
            "interval": "1m",
            "input_series": tests.pop("inputs", None) or self.inputs(segments),
            **tests,
        }

    def above(self, tier: BurnTier, index: int) -> dict[str, Any]:
        pair = tier.windows[index]
        threshold = self.thresholds(tier)[index]
        ratio = min(threshold * Decimal("1.1"), (threshold + 1) / 2)
        minute = self.at(_minutes(pair.short_seconds + tier.for_seconds) + self.every)
        early = self.at(_minutes(tier.for_seconds)) - self.every  # `for` has not elapsed yet: pending
        checks = [self.steady_check(ratio, minute)]
        if 0 < early < minute:
            checks.insert(0, self.steady_check(ratio, early))
        label = f"{format_duration(pair.long_seconds)}/{format_duration(pair.short_seconds)}"
        return self.group(
            f"{tier.name} {label} fires above {format_decimal(ratio)}", [(ratio, minute + 5)], alert_rule_test=checks
        )

    def below(self, tier: BurnTier) -> dict[str, Any]:
        ratio = min(self.thresholds(tier)) * Decimal("0.9")
        longest = max(p.long_seconds for p in tier.windows)
        minutes = sorted(
            {self.at(_minutes(p.short_seconds + tier.for_seconds) + self.every) for p in tier.windows}
            | {self.at(_minutes(longest + tier.for_seconds) + self.every)}
        )
        return self.group(
            f"{tier.name} stays quiet at {format_decimal(ratio)}",
            [(ratio, minutes[-1] + 5)],
            alert_rule_test=[self.steady_check(ratio, m) for m in minutes],
        )

    def healthy(self) -> dict[str, Any]:
        longest = max([p.long_seconds for t in self.slo.tiers for p in t.windows], default=3600)
        end = self.at(_minutes(longest) + 30)
        checks: list[dict[str, Any]] = [
            {"eval_time": f"{m}m", "alertname": BURN_ALERT, "exp_alerts": []}
            for m in sorted({self.at(10), self.at(70), end})
        ]
        if self.slo.no_data_seconds is not None:
            checks.append({"eval_time": f"{end}m", "alertname": NO_DATA_ALERT, "exp_alerts": []})
        return self.group("healthy traffic fires nothing", [(Decimal(0), end + 5)], alert_rule_test=checks)

    def smoothing(self, seconds: int) -> int:
        """Minutes a window built from base recordings trails a direct one."""
        return _minutes(self.base) if seconds > DIRECT_MAX_SECONDS else 0

    def burst(self, tier: BurnTier) -> dict[str, Any]:
        warmup = 30
        activate = min(
            math.ceil(Decimal("1.25") * t * _minutes(p.long_seconds))
            + self.smoothing(p.long_seconds)
            + self.smoothing(p.short_seconds)
            + 2
            for p, t in zip(tier.windows, self.thresholds(tier), strict=True)
        )
        fire = self.at(warmup + activate + _minutes(tier.for_seconds) + self.every)
        stop = fire + 1
        clear = self.at(
            stop
            + max(_minutes(p.short_seconds) + self.smoothing(p.short_seconds) for p in tier.windows)
            + 2 * self.every
        )
        segments = [(Decimal(0), warmup), (Decimal(1), stop - warmup), (Decimal(0), clear + 5 - stop)]
        return self.group(
            f"{tier.name} burst fires, then clears",
            segments,
            promql_expr_test=[self.alerts_query(tier, fire, True), self.alerts_query(tier, clear, False)],
        )

    def low_traffic(self, tier: BurnTier) -> dict[str, Any]:
        assert self.slo.min_events is not None
        longest_short = max(_minutes(p.short_seconds) for p in tier.windows)
        scale = Decimal(self.slo.min_events) / (4 * longest_short)
        end = self.at(max(_minutes(p.short_seconds + tier.for_seconds) for p in tier.windows) + 10)
        return self.group(
            f"{tier.name} stays quiet under {format_decimal(self.slo.min_events)} events",
            [],
            inputs=self.inputs([(Decimal(1), end + 5)], scale),
            promql_expr_test=[self.alerts_query(tier, end, False)],
        )

    def no_data(self) -> dict[str, Any]:
        assert self.slo.no_data_seconds is not None
        inputs = self.inputs([(Decimal(0), 10)])  # the series end at 10m
        minute = self.at(10 + 5 + _minutes(self.slo.no_data_seconds) + 2 * self.every)
        labels = {
            **_absent_labels(source_selector(self.slo)),
            **alert_labels(self.service, self.slo, no_data_severity(self.slo)),
        }
        rules = render_slo_groups(self.service, self.slo)[0]["rules"]
        templates = next(r["annotations"] for r in rules if r.get("alert") == NO_DATA_ALERT)
        annotations = {k: expand_labels(v, labels) for k, v in templates.items()}
        return self.group(
            "no data fires after no_data_for",
            [],
            inputs=inputs,
            alert_rule_test=[
                {
                    "eval_time": f"{minute}m",
                    "alertname": NO_DATA_ALERT,
                    "exp_alerts": [{"exp_labels": labels, "exp_annotations": annotations}],
                }
            ],
        )


def _absent_labels(selector: str) -> dict[str, str]:
    """Labels absent() copies from a selector's equality matchers."""
    try:
        source = source_of(selector)
    except ValueError:
        return {}
    equal = [(k, c) for k, c in source.constraints if c[0] == "="]
    return labels_for([source.__class__(source.metric, tuple(equal))]) if equal else {}


def slo_rule_file(service: Service, slo: Slo) -> str:
    """The YAML text of one SLO's rule groups, as a promtool rule file."""
    return dump_yaml({"groups": render_slo_groups(service, slo)})


def _scenarios(b: _Builder) -> list[dict[str, Any]]:
    slo = b.slo
    groups: list[dict[str, Any]] = []
    for tier in slo.tiers:
        groups += [b.above(tier, i) for i in range(len(tier.windows))]
        groups += [b.below(tier), b.burst(tier)]
        if slo.min_events is not None and tier.name == "page" and slo.sli.gauge is None:
            groups.append(b.low_traffic(tier))
    groups.append(b.healthy())
    if slo.no_data_seconds is not None and slo.tiers:
        groups.append(b.no_data())
    return groups


def _length(group: dict[str, Any]) -> int:
    times = [int(t["eval_time"][:-1]) for key in ("alert_rule_test", "promql_expr_test") for t in group.get(key, [])]
    return max(times, default=0)


def slo_test_files(service: Service, slo: Slo, rule_file: str) -> list[dict[str, Any]]:
    """promtool test files (as data) proving the SLO's tiers fire, stay quiet and clear as designed.

    Scenarios up to 3h long are evaluated every minute, longer ones every 5 minutes (a second
    file). Raises `series_synth.CannotSynthesise` when the SLI's PromQL is too free-form to feed.
    """
    fast = [g for g in _scenarios(_Builder(service, slo, FAST_EVAL_MINUTES)) if _length(g) <= SLOW_AFTER_MINUTES]
    names = {g["name"] for g in fast}
    slow = [g for g in _scenarios(_Builder(service, slo, SLOW_EVAL_MINUTES)) if g["name"] not in names]
    files = [{"rule_files": [rule_file], "evaluation_interval": f"{FAST_EVAL_MINUTES}m", "tests": fast}]
    if slow:
        files.append({"rule_files": [rule_file], "evaluation_interval": f"{SLOW_EVAL_MINUTES}m", "tests": slow})
    return files


def generated_tests(service: Service, slo: Slo) -> tuple[dict[str, str], list[PromtoolTest]]:
    """The SLO's rule file (by name) and its generated tests, ready for `run_promtool_tests`."""
    rule_file = f"{service.name}.slo.{slo.name}.rules.yml"
    files = slo_test_files(service, slo, rule_file)
    tests = [
        PromtoolTest(f"{service.name}/{slo.name} generated ({f['evaluation_interval']} evaluation)", f, slo.origin)
        for f in files
    ]
    return {rule_file: slo_rule_file(service, slo)}, tests


__all__ = [
    "BASE_WINDOW_SECONDS",
    "PromtoolResult",
    "PromtoolTest",
    "expand_labels",
    "generated_tests",
    "run_promtool_tests",
    "slo_rule_file",
    "slo_test_files",
    "spec_tests",
]
