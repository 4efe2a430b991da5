"""Which receivers an alert reaches, answered from the compiled Alertmanager config itself, not from the IR.

The config file is assembled exactly as `compile` writes it (base config plus monaco's subtrees), read
back as YAML, and its route tree walked the way Alertmanager does (`monaco.ir.route_query.compile_route_tree`).
Matchers are read as Alertmanager reads them: `matchers:` strings (`a="b"`, `a=~"re"`, `a!="b"`, `a!~"re"`,
quoted or bare values; prometheus/alertmanager `pkg/labels/parse.go`) and the older `match:`/`match_re:` maps.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from monaco.backends.amconfig.config_file import assemble
from monaco.ir.nodes import Service
from monaco.ir.route_query import LABELS, Delivery, Matcher, RouteQuery, as_receivers, compile_route_tree
from monaco.plan.model import Resource
from monaco.spec.yaml_data import load_one_yaml

_MATCHER = re.compile(r'^\s*(?P<label>"(?:[^"\\]|\\.)*"|[^\s=!~"]+)\s*(?P<op>=~|!~|!=|=)\s*(?P<value>.*?)\s*$')


def parse_matcher(text: str) -> Matcher:
    """One `matchers:` string as Alertmanager reads it; raises ValueError when it is not one."""
    found = _MATCHER.match(text.strip().removeprefix("{").removesuffix("}"))
    if found is None:
        raise ValueError(f"not an Alertmanager matcher: {text!r}")
    return Matcher(_unquote(found["label"]), found["op"], _unquote(found["value"]))


def _unquote(text: str) -> str:
    """A double-quoted matcher part unescaped (Go string escapes); a bare one as written."""
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        unquoted: str = json.loads(text)
        return unquoted
    return text


def node_matchers(node: Mapping[str, Any]) -> list[Matcher]:
    """Every matcher of one route node: its `matchers:` strings and its legacy `match:`/`match_re:` maps."""
    found = [parse_matcher(str(text)) for text in node.get("matchers") or []]
    found += [Matcher(str(k), "=", str(v)) for k, v in (node.get("match") or {}).items()]
    found += [Matcher(str(k), "=~", str(v)) for k, v in (node.get("match_re") or {}).items()]
    return found


def compiled_route_tree(target_name: str, resources: Sequence[Resource]) -> dict[str, Any]:
    """The root `route:` of the config file compile writes for these resources, read back from its text."""
    config = load_one_yaml(assemble(target_name, list(resources))) or {}
    route = config.get("route") if isinstance(config, dict) else None
    return route if isinstance(route, dict) else {}


def tree_deliveries(
    tree: Mapping[str, Any], selected: Sequence[Service], queries: Sequence[RouteQuery]
) -> list[Delivery]:
    """Each query's receivers by walking `tree`; a generated alert of a service this target does not select is None
    (its alerts do not come here), while a free label set is routed as Alertmanager would route it."""
    names = {service.name for service in selected}
    compiled = compile_route_tree(tree, node_matchers)
    answers: list[Delivery] = []
    for query in queries:
        if query.kind != LABELS and query.service not in names:
            answers.append(None)
            continue
        answers.append(as_receivers(compiled.match(query.label_map()) or []))
    return answers
