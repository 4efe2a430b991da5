"""PromQL at the spec level: the one parse of what the user wrote, the `{{window}}` rule, version checks.

| code | level | meaning |
| --- | --- | --- |
| MON120 | error | the query does not parse (position from promtool when it arbitrates, else estimated) |
| MON123 | error | a function or syntax the workspace's Prometheus release does not have |
| MON124 | warning | a function or syntax that release has only behind a feature flag |
| MON240 | error | `{{window}}` missing from an SLI counter query, or written where nothing fills it |

Every PromQL text a user writes goes through `check_query` (spec checks, for every query) and
`parse_query` (the IR's SLI checks, for its syntax tree): one parser, one placeholder rule. Each
`{{window}}` is replaced by a duration of the same length (`000000005m`), so offsets in the parsed
text are offsets in what the user wrote. The in-process parser follows 3.x: `holt_winters` is parsed
as its 3.x name, and what a release lacks is found by `promql_scan` with its position.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import promql_parser

from monaco.backends.promrules import promql_scan
from monaco.backends.promrules.promql_shape import query_shape
from monaco.backends.promrules.promql_versions import FUNCTIONS, SYNTAX, Feature, Version, availability, format_version
from monaco.backends.promrules.sources import PromMetric
from monaco.diagnostics import Diagnostic, Level, Span

WINDOW_RE = re.compile(r"\{\{\s*window\s*\}\}")
"""The `{{window}}` placeholder of an SLI counter query (spaces allowed inside the braces)."""
WINDOW_PLACEHOLDER = "{{window}}"
_PARSE_ERRORS = (ValueError, RuntimeError, TypeError, OverflowError)
_SYNTAX_HINT = "check parentheses, braces and range selectors"


@dataclass(frozen=True, slots=True)
class QueryProblem:
    """A problem in one query, at a character offset in the text the user wrote (None: the whole field)."""

    code: str
    message: str
    offset: int | None
    hint: str | None = None
    level: Level = Level.ERROR
    arbitrable: bool = False
    """True for a refusal by the in-process parser alone, which promtool may overturn."""


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A query with each `{{window}}` padded to a duration, and its syntax tree or the parser's complaint."""

    text: str
    tree: promql_parser.Expr | None
    error: str | None


def substitute_window(query: str, window: str) -> str:
    """The query with every `{{window}}` replaced by a duration such as `5m`."""
    return WINDOW_RE.sub(window, query)


def pad_window(query: str) -> str:
    """The query with each `{{window}}` replaced by a 5m duration of the same length, keeping offsets."""
    return WINDOW_RE.sub(lambda m: "0" * (len(m.group()) - 2) + "5m", query)


SYNTAX_ERROR = "MON120"


def syntax_diagnostic(parsed: ParsedQuery, span: Span) -> Diagnostic:
    """MON120 for a query the parser refused, at `span`."""
    return Diagnostic(SYNTAX_ERROR, f"PromQL does not parse: {parsed.error}", span, _SYNTAX_HINT)


PARSES_KEPT = 2048
"""Syntax trees kept for reuse. Checks read a query's tree right after parsing it, so a small cache serves
them; keeping every tree cost ~7 KB per query (140 MB for 1,000 services). What later stages need of a
tree (kept labels, whether it is one operand) they cache themselves, as small values."""


@functools.lru_cache(maxsize=PARSES_KEPT)
def parse_query(query: str) -> ParsedQuery:
    """Parse `query` (recent parses cached): `{{window}}` padded, `holt_winters` read as its 3.x name."""
    padded = pad_window(query)
    scan = promql_scan.uses(padded) if "holt_winters" in padded else []
    calls = [u for u in scan if u.name == "holt_winters" and not u.is_syntax]
    text = padded
    for use in reversed(calls):
        text = text[: use.offset] + "double_exponential_smoothing" + text[use.offset + len("holt_winters") :]
    try:
        tree = promql_parser.parse(text)
    except _PARSE_ERRORS as exc:
        return ParsedQuery(padded, None, str(exc) or "invalid PromQL")
    return ParsedQuery(padded, tree, None)


def parse_shape(query: str) -> ParsedQuery:
    """The parse of `query`'s shape (`promql_shape`): its verdict and structure, with placeholder values.

    For what depends only on structure (does it parse, its root, its aggregations); a caller that reads
    label values from the tree, or reports the parser's complaint, parses the query itself."""
    return parse_query(query_shape(query).text)


@functools.lru_cache(maxsize=4096)
def _root_kind_of_shape(shape: str) -> str | None:
    tree = parse_query(shape).tree
    return None if tree is None else type(tree).__name__


def root_kind(query: str) -> str | None:
    """The class name of `query`'s root node (`BinaryExpr`, `VectorSelector`, ...); None when it does not parse."""
    return _root_kind_of_shape(query_shape(query.strip()).text)


def window_problem(query: str, role: str) -> QueryProblem | None:
    """The `{{window}}` rule: required in an SLI counter query (`role="counter"`), refused elsewhere."""
    found = WINDOW_RE.search(query)
    if role == "counter":
        if found:
            return None
        message = "an SLI counter query must contain `{{window}}` where the range goes"
        return QueryProblem("MON240", message, None, 'e.g. sum(rate(http_requests_total{job="x"}[{{window}}]))')
    if not found:
        return None
    if role == "gauge":
        message = "a gauge SLI is an instant 0/1 series; monaco adds the window itself"
        return QueryProblem("MON240", message, found.start(), 'remove `{{window}}`: write e.g. up{job="checkout"}')
    message = "`{{window}}` is filled in only in SLI counter queries; nothing fills it here"
    return QueryProblem("MON240", message, found.start(), "write the range itself, e.g. [5m]")


def check_query(query: str, role: str, version: Version | None) -> list[QueryProblem]:
    """Every problem of one query: the window rule, syntax, and (with a version) what that release lacks."""
    problem = window_problem(query, role)
    if problem is not None and problem.offset is None:
        return [problem]
    problems = [problem] if problem is not None else []
    shape = parse_shape(query)
    if shape.error is not None:  # the query itself, for the parser's complaint at its offset
        parsed = parse_query(query)
        if parsed.error is not None:
            offset = _locate(parsed.text, parsed.error)
            message = f"PromQL does not parse: {parsed.error}"
            problems.append(QueryProblem(SYNTAX_ERROR, message, offset, _SYNTAX_HINT, arbitrable=True))
    if version is not None and _may_lack(shape.text, version):
        problems.extend(_version_problems(pad_window(query), version))
    return problems


def _locate(text: str, error: str) -> int | None:
    """Where the in-process parser's complaint most likely points (it reports no position)."""
    unknown = re.search(r"unknown function with name '([^']+)'", error)
    if unknown:
        return promql_scan.call_offset(text, unknown.group(1))
    argument = re.search(r"in call to function '([^']+)'", error)
    if argument:
        return promql_scan.call_argument(text, argument.group(1))
    if error.startswith("unclosed left"):
        return len(text)
    return None


@functools.lru_cache(maxsize=8)
def version_triggers(version: Version) -> re.Pattern[str]:
    """Matches wherever a query may use what `version` lacks; a query it does not match has no version problem.

    The scan is the slow half of checking a query, and nearly every query uses only what every release has."""
    lacking = sorted(name for name, feature in FUNCTIONS.items() if availability(feature, version) != "stable")
    parts = [rf"(?:{'|'.join(map(re.escape, lacking))})(?![A-Za-z0-9_:])"] if lacking else []
    parts += [
        promql_scan.SYNTAX_TRIGGERS[name]
        for name, (_, feature) in sorted(SYNTAX.items())
        if availability(feature, version) != "stable"
    ]
    return re.compile("|".join(parts) or r"(?!)")


@functools.lru_cache(maxsize=4096)
def _may_lack(shape: str, version: Version) -> bool:
    """Whether a query of this (padded) shape may use what `version` lacks; values are no code, so shapes decide."""
    return version_triggers(version).search(shape) is not None


def _version_problems(text: str, version: Version) -> list[QueryProblem]:
    problems = []
    for use in promql_scan.uses(text):
        if use.is_syntax:
            what, feature = SYNTAX[use.name]
        elif use.name in FUNCTIONS:
            what, feature = f"`{use.name}()`", FUNCTIONS[use.name]
        else:
            continue
        problem = _availability_problem(what, feature, version, use.offset)
        if problem is not None:
            problems.append(problem)
    return problems


def _availability_problem(what: str, feature: Feature, version: Version, offset: int) -> QueryProblem | None:
    release = f"Prometheus {format_version(version)}"
    state = availability(feature, version)
    if state == "missing":
        message = f"{what} is not in {release}; it arrived in {format_version(feature.first)}"
        newer = "raise `prometheus_version` in Settings if your servers run a newer release"
        return QueryProblem("MON123", message, offset, newer)
    if state == "removed":
        last = format_version(feature.last) if feature.last else "?"
        message = f"{what} was removed after Prometheus {last}; the workspace targets {release}"
        instead = f"use `{feature.replacement}()`" if feature.replacement else None
        return QueryProblem("MON123", message, offset, instead)
    if state == "experimental":
        flag = f"the server (and promtool) need --enable-feature={feature.flag}"
        return QueryProblem("MON124", f"{what} is experimental in {release}", offset, flag, Level.WARNING)
    return None


def render_prom_metric(metric: PromMetric, window: str | None = None) -> str:
    """PromQL for a structured metric: `aggregate by (by) (function(metric{matchers}[range]))`."""
    parts = []
    for label, value in sorted(metric.matchers.items()):
        op, text = ("=~", value[1:]) if value.startswith("~") else ("=", value)
        escaped = text.replace("\\", "\\\\").replace('"', '\\"')
        parts.append(f'{label}{op}"{escaped}"')
    selector = metric.metric + ("{" + ",".join(parts) + "}" if parts else "")
    expr = f"{metric.function}({selector}[{window or metric.range}])" if metric.function else selector
    if metric.aggregate:
        by = f" by ({', '.join(metric.by)})" if metric.by else ""
        expr = f"{metric.aggregate}{by} ({expr})"
    return expr
