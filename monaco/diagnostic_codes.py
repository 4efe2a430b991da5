"""Every diagnostic code: its owner (the one package that reports it), its usual level and its meaning.

Each backend lists its own codes in `monaco/backends/<kind>/codes.py`; they are added here from the
registry. `tests/test_diagnostic_codes.py` checks that every code written in the package is listed here, that
each appears only under its owner, and that `docs/diagnostics.md` is this table
(regenerate it with `python -m monaco.diagnostic_codes > docs/diagnostics.md`).
Blocks: MON1xx loading and schema, MON2xx cross-document checks and the IR, MON3xx rendering,
MON4xx live state and apply, MON5xx prometheus-operator, MON60x-62x grafana_dashboards, MON63x-66x
grafana_alerting, MON67x-69x mimir_ruler, MON7xx AWS CloudWatch, MON8xx GCP Cloud Monitoring, MON9xx Azure
Monitor, MON10xx PagerDuty, MON11xx lint rules; a new backend takes a free four-digit block of its own.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass

from monaco.backends import REGISTRY, backend_package


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """One code's owner package (under `monaco.`), its usual level and what it means."""

    owner: str
    level: str
    meaning: str


def _codes(owner: str, rows: dict[str, tuple[str, str]]) -> dict[str, CodeInfo]:
    return {code: CodeInfo(owner, level, meaning) for code, (level, meaning) in rows.items()}


CODES: dict[str, CodeInfo] = {
    **_codes(
        "spec",
        {
            "MON100": ("error", "a spec file cannot be read, is too large, is not UTF-8 or is not YAML"),
            "MON101": ("error", "a mapping key is written twice"),
            "MON102": ("error", "a YAML tag that constructs objects"),
            "MON103": ("error", "a mapping key that is not a plain scalar, or nesting too deep"),
            "MON105": ("error", "a secret written inline instead of referenced"),
            "MON106": ("warning", "a spec file named on the command line holds no documents"),
            "MON110": ("error", "an unknown field (with a did-you-mean hint)"),
            "MON111": ("error", "a required field is missing"),
            "MON112": ("error", "a malformed duration"),
            "MON113": ("error", "a value that breaks a field's rule (pattern, range, length)"),
            "MON114": ("error", "a value of the wrong type (a document that is not a mapping, a null number)"),
            "MON115": ("error", "a value outside a closed set (a document kind, an enum)"),
            "MON116": ("error", "a malformed time interval (times, weekdays, days_of_month, months, years, location)"),
            "MON121": ("error", "more than one Settings document"),
            "MON201": ("error", "two services, teams or targets with one name"),
            "MON202": ("error", "two alerts of a service with one identity (name and severity, or id)"),
            "MON203": ("error", "two SLOs of a service with one name"),
            "MON204": ("error", "a severity not in the workspace's closed set"),
            "MON205": ("error", "a route names an unknown receiver"),
            "MON206": ("error", "two receivers with one name"),
            "MON207": ("error", "a route mutes or is active during an unknown time interval"),
            "MON208": ("error", "two time intervals with one name"),
        },
    ),
    **_codes(
        "ir",
        {
            "MON230": ("error", "a burn-rate window pair that can never fire (threshold of 100% or more)"),
            "MON231": ("error", "a short window not shorter than its long window"),
            "MON232": ("error", "a long window longer than the SLO period"),
            "MON233": ("error", "an objective outside (0, 100): no error budget"),
            "MON234": ("error", "a burn tier's severity not in the closed set"),
            "MON235": ("error", "budget_percent outside (0, 100]"),
            "MON236": ("error", "pairs of one tier disagree on severity or `for`"),
            "MON237": ("error", "a pair beyond the defaults without long_window or budget_percent"),
            "MON238": ("warning", "every burn tier of an SLO is disabled"),
            "MON239": ("error", "min_events not positive"),
            "MON245": ("warning", "a window shorter than 1m"),
            "MON246": ("error", "an SLO period that is not whole days"),
            "MON247": ("info", "an SLO that pages while its service has no runbook"),
            "MON260": ("error", "a user label named like one of monaco's identity labels"),
            "MON262": ("error", "a reserved annotation (summary, description, runbook_url) set twice"),
            "MON263": ("error", "a rule-group option the workspace's Prometheus version cannot read"),
            "MON264": ("warning", "a recording rule on a backend with no recording rules (level set by the target)"),
            "MON267": (
                "warning",
                "a route's quiet hours a backend cannot express (level set by the target)",
            ),
        },
    ),
    **_codes(
        "engine",
        {
            "MON130": ("error", "a target names an unknown backend"),
            "MON131": ("error", "`--target` names no defined target"),
            "MON132": ("error", "two targets would write the same file or object"),
            "MON421": ("error", "what is live cannot be read (a directory where a file belongs, permissions)"),
        },
    ),
    **_codes("plan", {"MON410": ("error", "a desired object exists and is not this target's: refused")}),
    **_codes(
        "routes",
        {
            "MON265": (
                "error",
                "a route test's alert reaches other receivers than expected on a target, or none carries it",
            ),
            "MON266": ("error", "a route test names an unknown alert, target (or target kind) or receiver"),
        },
    ),
    **_codes(
        "backends.base",
        {
            "MON304": ("error", "a target renders one resource key twice"),
            "MON401": ("error", "a referenced secret is not set (plan and apply need it)"),
        },
    ),
    **_codes(
        "drill",
        {
            "MON450": ("error", "`monaco drill` on a target whose backend cannot be drilled"),
            "MON451": ("error", "a drill without `--yes` while stdin is not a terminal: refused"),
            "MON452": (
                "error",
                "a drill that would page a person (PagerDuty, a paging severity) the spec does not allow",
            ),
            "MON453": ("error", "`--service` names no service of the target, or the target has several"),
            "MON454": ("error", "the drill alert reaches no receiver through the service's routes"),
            "MON455": ("error", "the target has no live endpoint to drill (an alertmanager target without `url`)"),
            "MON456": ("error", "the live system refused the drill alert or could not be reached"),
            "MON457": (
                "warning",
                "what the drill created could not be cleaned up (an alarm, a queue, an active alert)",
            ),
            "MON458": ("error", "a drill severity not in the workspace's closed set"),
            "MON459": ("warning", "the drill alert reached a receiver the spec's routes do not give it"),
        },
    ),
    **_codes(
        "backtest",
        {
            "MON460": (
                "error",
                "`monaco backtest`: the Prometheus to query did not answer (refused, unresolvable, too slow)",
            ),
            "MON461": ("error", "`monaco backtest`: a bad --range, --step, --end, --max-queries or --query-timeout"),
            "MON462": ("error", "`monaco backtest`: more queries than --max-queries; refused before any query"),
            "MON463": ("error", "`monaco backtest`: Prometheus answered a rule's range query with an error"),
            "MON464": ("error", "`monaco backtest`: no prometheus target with a live `url:` (and no --url)"),
            "MON465": ("error", "`monaco backtest`: the target's live rules (to compare against) cannot be read"),
        },
    ),
    **_codes(
        "silence",
        {
            "MON470": ("error", "`monaco silence` on a target that is not an alertmanager target with a `url`"),
            "MON471": ("error", "`monaco silence --service` names no service of the target"),
            "MON472": ("error", "a silence without a positive --duration or a --comment"),
            "MON473": ("error", "the Alertmanager silences API could not be reached or refused the request"),
            "MON474": ("error", "refusing to expire a silence monaco did not make through this target"),
            "MON475": ("error", "`monaco silence create` without --yes while stdin is not a terminal: refused"),
        },
    ),
    **_codes(
        "backends.promrules",
        {
            "MON120": ("error", "PromQL that does not parse"),
            "MON123": ("error", "a PromQL function or syntax the workspace's Prometheus version lacks"),
            "MON124": ("warning", "a PromQL function or syntax behind a feature flag in that version"),
            "MON125": ("error", "a Go template (summary, description, annotation, label) that does not parse"),
            "MON240": ("error", "`{{window}}` missing from an SLI counter query, or written where nothing fills it"),
            "MON242": ("error", "an SLI query that drops or aggregates away the SLO's group_by labels"),
            "MON243": ("error", "an SLI with a Prometheus source on one side only, or a counter not read with rate()"),
            "MON261": ("error", "PromQL that keeps a label named like an identity label (collision)"),
            "MON244": ("error", "an SLO without a Prometheus SLI source, on a Prometheus target"),
            "MON248": ("error", "a spec rule test expects an alert no compiled rule defines"),
            "MON249": ("error", "a spec rule test failed under promtool"),
            "MON301": ("warning", "an alert without a Prometheus source (level set by the target)"),
        },
    ),
    **_codes("lint.runbook", {"MON1100": ("warning", "lint: a paging alert or burn tier without a runbook")}),
    **_codes(
        "lint.paging",
        {"MON1101": ("warning", "lint: a non-paging severity reaches PagerDuty, or a page tier does not page")},
    ),
    **_codes("lint.for_interval", {"MON1102": ("warning", "lint: `for` shorter than the evaluation interval")}),
    **_codes(
        "lint.rate_range",
        {"MON1103": ("warning", "lint: a rate/increase/irate/delta range under 4 scrape intervals (configurable)")},
    ),
    **_codes("lint.unrouted", {"MON1104": ("error", "lint: an alert or burn tier that reaches no receiver")}),
    **_codes(
        "lint.never_fires",
        {
            "MON1105": (
                "error",
                "lint: an alert that can never fire (a false constant comparison, no series can match)",
            )
        },
    ),
    **_codes("lint.slo_page_tier", {"MON1106": ("warning", "lint: an SLO without a page tier")}),
    **_codes(
        "lint.pages_budget",
        {"MON1107": ("warning", "lint: a team's pages per week, estimated by a backtest, over Settings' budget")},
    ),
    **_codes(
        "lint.runbook_target",
        {"MON1108": ("warning", "lint: a paging alert's runbook URL under docs_url names no page in docs_dir")},
    ),
}


def _backend_codes() -> dict[str, CodeInfo]:
    """Each registered backend's own codes, from the `codes` module of its sub-package (when it has one)."""
    found: dict[str, CodeInfo] = {}
    for kind in REGISTRY:
        package = backend_package(kind)
        if importlib.util.find_spec(f"{package}.codes") is None:
            continue
        module = importlib.import_module(f"{package}.codes")
        for code, info in _codes(package.removeprefix("monaco."), module.CODES).items():
            if code in found or code in CODES:
                raise ValueError(f"{code} is registered twice")
            found[code] = info
    return found


CODES.update(_backend_codes())


def markdown() -> str:
    """The table of every code as a Markdown page."""
    lines = [
        "# Diagnostic codes",
        "",
        "Generated from `monaco/diagnostic_codes.py`; regenerate with",
        "`python -m monaco.diagnostic_codes > docs/diagnostics.md`.",
        "",
        "| code | level | owner | meaning |",
        "| --- | --- | --- | --- |",
    ]
    for code, info in sorted(CODES.items(), key=lambda item: int(item[0][3:])):
        lines.append(f"| {code} | {info.level} | `monaco.{info.owner}` | {info.meaning} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
