"""The compiled route tree (matchers parsed once, children indexed) walks exactly as a plain Alertmanager walk."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from monaco.backends.alertmanager.routing import node_matchers, parse_matcher
from monaco.ir.route_query import Matcher, compile_route_tree, walk_route_tree

LABELS = {"service": ["a", "b", "c", ""], "severity": ["critical", "low", ""], "env": ["prod", "dev", ""]}


def _plain_walk(node: Mapping[str, Any], labels: Mapping[str, str], inherited: str) -> list[str] | None:
    """Alertmanager's `Route.Match` without any index: every child tried in order."""
    if not all(m.matches(labels) for m in node_matchers(node)):
        return None
    receiver = str(node.get("receiver") or inherited)
    found: list[str] = []
    for child in node.get("routes") or []:
        matched = _plain_walk(child, labels, receiver)
        if matched is not None:
            found.extend(matched)
            if not child.get("continue", False):
                break
    return found or [receiver]


def _random_tree(rng: random.Random, depth: int, name: str) -> dict[str, Any]:
    """A route with random `=`/`!=`/`=~` matchers, `continue` flags, sometimes no receiver (inherited)."""
    node: dict[str, Any] = {}
    if rng.random() < 0.8:
        node["receiver"] = name
    matchers = []
    for label in rng.sample(sorted(LABELS), rng.randint(0, 2)):
        op = rng.choice(["=", "=", "=", "!=", "=~"])
        value = rng.choice(LABELS[label]) if op != "=~" else "|".join(rng.sample(LABELS[label], 2))
        matchers.append(f'{label}{op}"{value}"')
    if matchers:
        node["matchers"] = matchers
    if rng.random() < 0.4:
        node["continue"] = True
    if depth > 0:
        node["routes"] = [_random_tree(rng, depth - 1, f"{name}.{i}") for i in range(rng.randint(0, 5))]
    return node


def test_the_indexed_walk_equals_the_plain_walk_on_random_trees() -> None:
    """300 random trees, every label combination: same receivers, same order."""
    rng = random.Random(13)
    combos = [
        {k: v for k, v in (("service", s), ("severity", sev), ("env", e)) if v}
        for s in LABELS["service"]
        for sev in LABELS["severity"]
        for e in LABELS["env"]
    ]
    checked = 0
    for _ in range(300):
        tree = {**_random_tree(rng, 3, "r"), "receiver": "root"}
        tree.pop("matchers", None)
        compiled = compile_route_tree(tree, node_matchers)
        for labels in combos:
            assert compiled.match(labels) == _plain_walk(tree, labels, ""), (tree, labels)
            checked += 1
    assert checked == 300 * len(combos)


def test_matchers_read_as_alertmanager_reads_them() -> None:
    """Quoted and bare values, escapes, the four operators, anchored regexes, a missing label as empty."""
    assert parse_matcher('severity="critical"') == Matcher("severity", "=", "critical")
    assert parse_matcher("severity = critical") == Matcher("severity", "=", "critical")
    assert parse_matcher(r'summary="a \"b\""') == Matcher("summary", "=", 'a "b"')
    assert parse_matcher('env!~"prod|staging"').matches({"env": "dev"})
    assert not parse_matcher('env=~"prod|staging"').matches({"env": "prod-eu"})
    assert parse_matcher('env=""').matches({})
    assert parse_matcher('env!="prod"').matches({})
    tree = {"receiver": "root", "routes": [{"receiver": "x", "match": {"a": "1"}}, {"match_re": {"b": "2|3"}}]}
    assert walk_route_tree(tree, {"b": "3"}, node_matchers) == ["root"]
    assert walk_route_tree(tree, {"a": "1"}, node_matchers) == ["x"]
