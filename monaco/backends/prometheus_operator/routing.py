"""Which receivers an alert reaches through the AlertmanagerConfig objects this target renders (their route trees).

The operator puts each AlertmanagerConfig's route under the Alertmanager's root with `continue: true`
(prometheus-operator `pkg/alertmanager/amcfg.go`), so an alert is offered to every object's tree in turn;
each tree is walked the way Alertmanager does (`monaco.ir.route_query.compile_route_tree`). A receiver is
named as the operator writes it into the generated config: `<namespace>/<object>/<receiver>`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from monaco.ir.nodes import Service
from monaco.ir.route_query import LABELS, CompiledRoute, Delivered, Delivery, Matcher, RouteQuery, compile_route_tree
from monaco.plan.model import Resource


def structured_matchers(node: Mapping[str, Any]) -> list[Matcher]:
    """An AlertmanagerConfig route's matchers: `{name, value, matchType}` (v1alpha1's `regex: true` is `=~`)."""
    found = []
    for item in node.get("matchers") or []:
        op = str(item.get("matchType") or ("=~" if item.get("regex") else "="))
        found.append(Matcher(str(item["name"]), op, str(item.get("value", ""))))
    return found


def _object_tree(manifest: Mapping[str, Any]) -> tuple[str, CompiledRoute]:
    """One AlertmanagerConfig's receiver-name prefix (`<namespace>/<object>/`) and its route tree, read once."""
    metadata = manifest.get("metadata") or {}
    prefix = f"{metadata.get('namespace', '')}/{metadata.get('name', '')}/"
    return prefix, compile_route_tree(manifest.get("spec", {}).get("route") or {}, structured_matchers)


def config_deliveries(
    resources: Sequence[Resource], selected: Sequence[Service], queries: Sequence[RouteQuery]
) -> list[Delivery]:
    """Each query's receivers over every rendered AlertmanagerConfig; None for another service's generated alert."""
    trees = [_object_tree(r.body["object"]) for r in resources if r.kind == "alertmanager_config"]
    names = {service.name for service in selected}
    answers: list[Delivery] = []
    for query in queries:
        if query.kind != LABELS and query.service not in names:
            answers.append(None)
            continue
        labels = query.label_map()
        found = [Delivered(prefix + name, (name,)) for prefix, tree in trees for name in tree.match(labels) or []]
        answers.append(tuple(dict.fromkeys(found)))
    return answers
