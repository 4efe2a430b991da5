"""Which action group an alert's rule notifies: the one group of the IR's receiver set, named as render names it."""

from __future__ import annotations

from collections.abc import Sequence

from monaco.backends.azure_monitor.action_groups import group_name
from monaco.backends.azure_monitor.config import AzureMonitorConfig
from monaco.ir.nodes import Model, Service
from monaco.ir.route_query import Delivered, Delivery, RouteQuery, by_name, ir_delivery


def action_group_deliveries(
    config: AzureMonitorConfig, model: Model, selected: Sequence[Service], queries: Sequence[RouteQuery]
) -> list[Delivery]:
    """Each query's action group, as `Context.action_group_ids` picks it: one group per set of known receivers."""
    known = {receiver.name for receiver in model.receivers}
    services, answers = by_name(selected), list[Delivery]()
    for query in queries:
        names = ir_delivery(services, query)
        if names is None:
            answers.append(None)
            continue
        chosen = tuple(sorted(name for name in dict.fromkeys(names) if name in known))
        answers.append((Delivered(group_name(config, chosen), chosen),) if chosen else ())
    return answers
