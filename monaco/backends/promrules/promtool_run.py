"""Spec `tests:` to promtool test files, and running promtool with failures mapped back to spec lines.

A spec test lists the labels an expected alert carries; the labels its rule sets itself (service,
team, severity, tier...) are filled in from the compiled rule when only one rule of that name fits.
Annotations are checked only when a test states them: for an alert no expectation annotates, the
test runs against a copy of the rules without that alert's annotations.

Codes: MON248 (an expectation cannot be compiled: no rule defines the alert, or its annotations
use more than `$labels` and must be stated), MON249 (a test failed under promtool).
"""

from __future__ import annotations

import difflib
import re
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monaco.diagnostics import Diagnostic, Diagnostics, Span
from monaco.plan.yamltext import dump_yaml
from monaco.spec.rule_tests import ExpectedAlert, RuleTestSpec
from monaco.spec.types import parse_duration
from monaco.spec.yaml_data import load_one_yaml

SpecPath = tuple[str | int, ...]
_LABEL_TEMPLATE = re.compile(r"\{\{\s*\$labels\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_HEADER = re.compile(r"^Unit Testing:\s+(\S+)\s*$", re.MULTILINE)
_FAILED_AT = re.compile(r"alertname:\s*(\S+?),\s*time:\s*(\S+?),")


def expand_labels(template: str, labels: Mapping[str, str]) -> str | None:
    """Expand a template that only uses `{{ $labels.x }}`; None when it uses anything else."""
    text = _LABEL_TEMPLATE.sub(lambda m: labels.get(m.group(1), "<no value>"), template)
    return None if "{{" in text else text


@dataclass(frozen=True, slots=True)
class PromtoolTest:
    """One promtool test file (as data), where it came from, and rule files it needs instead of the originals."""

    name: str
    content: dict[str, Any]
    origin: Span | None = None
    expectation_spans: dict[tuple[str, int], Span] = field(default_factory=dict)
    rule_overrides: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PromtoolResult:
    """The outcome of one test file: ok, promtool's words, and the spec position of a failure."""

    name: str
    ok: bool
    output: str
    span: Span | None = None

    def diagnostic(self) -> Diagnostic | None:
        """A MON249 diagnostic for a failed test (None when it passed)."""
        if self.ok:
            return None
        return Diagnostic(
            "MON249",
            f"rule test {self.name!r} failed: {failure_summary(self.output)}",
            self.span,
            self.output.strip()[:4000] or None,
        )


_EXPECTED_GOT = re.compile(r"exp:\s*(?P<exp>\[.*?\])\s*,?\s*got:\s*(?P<got>\[.*?\])\s*$", re.DOTALL)
_LABELS = re.compile(r"Labels:\s*(\{[^}]*\})")


def failure_summary(output: str) -> str:
    """What promtool's failure says, in one line: which alert, when, what was expected and what fired."""
    found = _FAILED_AT.search(output)
    if found is None:
        meaningful = [line.strip() for line in output.splitlines() if _says_something(line.strip())]
        return f"promtool refused the test: {meaningful[0] if meaningful else 'no output'}"
    alert, at = found.groups()
    block = _EXPECTED_GOT.search(output[found.end() :].split("alertname:", 1)[0])
    if block is None:
        return f"alert {alert} at {at} did not match the expectation"
    expected, got = (_LABELS.findall(block.group(name)) for name in ("exp", "got"))
    return f"alert {alert} at {at}: expected {_alerts(expected)}, got {_alerts(got)}"


def _says_something(line: str) -> bool:
    """False for promtool's framing lines (`SUCCESS`, `FAILED:`, `Unit Testing: file`)."""
    return bool(line) and line not in ("SUCCESS", "FAILED:") and not line.startswith("Unit Testing:")


def _alerts(labels: list[str]) -> str:
    if not labels:
        return "none firing"
    shown = "; ".join(labels[:2]) + ("; ..." if len(labels) > 2 else "")
    return f"{len(labels)} firing ({shown})"


def _alert_rules(rule_files: Mapping[str, str]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for text in rule_files.values():
        data = load_one_yaml(text) or {}
        for group in data.get("groups") or []:
            for rule in group.get("rules") or []:
                if "alert" in rule:
                    found.setdefault(rule["alert"], []).append(rule)
    return found


def _fitting(rules: list[dict[str, Any]], labels: Mapping[str, str]) -> list[dict[str, Any]]:
    return [r for r in rules if all(labels.get(k, v) == v for k, v in (r.get("labels") or {}).items())]


def _without_annotations(text: str, alerts: set[str]) -> str:
    data = load_one_yaml(text) or {}
    for group in data.get("groups") or []:
        for rule in group.get("rules") or []:
            if rule.get("alert") in alerts:
                rule.pop("annotations", None)
    return dump_yaml(data)


def spec_tests(
    rule_files: Mapping[str, str],
    tests: Sequence[RuleTestSpec],
    span_for: Callable[[SpecPath], Span],
    diagnostics: Diagnostics,
    *,
    base: SpecPath = ("tests",),
) -> list[PromtoolTest]:
    """promtool test files for a service's spec tests; `span_for` takes a path from the document root."""
    rules = _alert_rules(rule_files)
    out = []
    for i, test in enumerate(tests):
        path = (*base, i)
        annotated = {e.alert for e in test.expect if any(f.annotations is not None for f in e.fires)}
        strip = {e.alert for e in test.expect} - annotated
        checks, spans = [], {}
        for j, exp in enumerate(test.expect):
            where = (*path, "expect", j)
            spans[(exp.alert, parse_duration(exp.at))] = span_for(where)
            if exp.alert not in rules:
                close = difflib.get_close_matches(exp.alert, list(rules), n=1)
                diagnostics.error(
                    "MON248",
                    f"no compiled rule defines alert {exp.alert!r}",
                    span_for((*where, "alert")),
                    f"did you mean {close[0]!r}?" if close else None,
                )
                continue
            alerts = [
                _expected(rules[exp.alert], f, exp.alert in annotated, span_for((*where, "fires", k)), diagnostics)
                for k, f in enumerate(exp.fires)
            ]
            checks.append({"eval_time": exp.at, "alertname": exp.alert, "exp_alerts": alerts})
        names, overrides = _rule_file_variants(rule_files, strip, i)
        content = {
            "rule_files": names,
            "evaluation_interval": "1m",
            "tests": [
                {
                    "name": test.name,
                    "interval": test.interval,
                    "input_series": [{"series": s.series, "values": s.values} for s in test.input],
                    "alert_rule_test": checks,
                }
            ],
        }
        out.append(PromtoolTest(test.name, content, span_for(path), spans, overrides))
    return out


def _rule_file_variants(rule_files: Mapping[str, str], strip: set[str], index: int) -> tuple[list[str], dict[str, str]]:
    """The rule files test `index` loads: a variant without annotations where it must not check them."""
    overrides: dict[str, str] = {}
    names = []
    for name, text in sorted(rule_files.items()):
        if strip and any(r in text for r in strip):
            variant = f"{Path(name).stem}.test{index}{Path(name).suffix or '.yml'}"
            overrides[variant] = _without_annotations(text, strip)
            names.append(variant)
        else:
            names.append(name)
    return names, overrides


def _expected(
    rules: list[dict[str, Any]], fire: ExpectedAlert, annotated: bool, span: Span, diagnostics: Diagnostics
) -> dict[str, Any]:
    labels = dict(fire.labels)
    fitting = _fitting(rules, labels)
    static = [dict(r.get("labels") or {}) for r in fitting]
    if fitting and all(s == static[0] for s in static):
        labels = {**static[0], **labels}
    result: dict[str, Any] = {"exp_labels": labels}
    if fire.annotations is not None:
        result["exp_annotations"] = dict(fire.annotations)
    elif annotated and len(fitting) == 1:
        expanded = {k: expand_labels(str(v), labels) for k, v in (fitting[0].get("annotations") or {}).items()}
        unknown = sorted(k for k, v in expanded.items() if v is None)
        if unknown:
            diagnostics.error(
                "MON248",
                f"state the annotations of this alert: {', '.join(unknown)} use more than $labels",
                span,
                "or leave annotations out of every expectation of it",
            )
        result["exp_annotations"] = {k: v for k, v in expanded.items() if v is not None}
    return result


def run_promtool_tests(
    rule_files: Mapping[str, str], tests: Sequence[PromtoolTest], promtool: str = "promtool", timeout: float = 600
) -> list[PromtoolResult]:
    """Write the rule files and tests to a temporary directory, run `promtool test rules` once, map results."""
    if not tests:
        return []
    with tempfile.TemporaryDirectory(prefix="monaco-promtool-") as tmp:
        root = Path(tmp)
        for name, text in rule_files.items():
            (root / name).write_text(text, encoding="utf-8")
        files = []
        for i, test in enumerate(tests):
            for name, text in test.rule_overrides.items():
                (root / name).write_text(text, encoding="utf-8")
            file = root / f"test-{i:04d}.yml"
            file.write_text(dump_yaml(test.content), encoding="utf-8")
            files.append(file)
        try:
            proc = subprocess.run(
                [promtool, "test", "rules", *[f.name for f in files]],
                cwd=root,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return [PromtoolResult(t.name, False, f"promtool did not run: {exc}", t.origin) for t in tests]
    sections = _sections(proc.stdout + "\n" + proc.stderr)
    results = []
    for test, file in zip(tests, files, strict=True):
        found = sections.get(file.name)
        if found is None:
            results.append(PromtoolResult(test.name, False, (proc.stderr or proc.stdout).strip(), test.origin))
            continue
        ok = "SUCCESS" in found and "FAILED" not in found
        results.append(PromtoolResult(test.name, ok, found.strip(), None if ok else _failure_span(test, found)))
    return results


def _sections(output: str) -> dict[str, str]:
    """promtool's output split per test file (keyed by file name)."""
    marks = list(_HEADER.finditer(output))
    return {
        Path(m.group(1)).name: output[m.end() : marks[i + 1].start() if i + 1 < len(marks) else len(output)]
        for i, m in enumerate(marks)
    }


def _failure_span(test: PromtoolTest, text: str) -> Span | None:
    for alert, when in _FAILED_AT.findall(text):
        try:
            seconds = parse_duration(when)
        except ValueError:
            continue
        if (alert, seconds) in test.expectation_spans:
            return test.expectation_spans[(alert, seconds)]
    return test.origin
