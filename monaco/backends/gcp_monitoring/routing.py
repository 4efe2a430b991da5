"""Which notification channels an alert's policy notifies: the IR's receivers as the channel ids render writes."""

from __future__ import annotations

from collections.abc import Sequence

from monaco.backends.gcp_monitoring.channel_render import channel_ids
from monaco.ir.nodes import Model, Service
from monaco.ir.route_query import Delivered, Delivery, RouteQuery, by_name, ir_delivery


def channel_deliveries(model: Model, selected: Sequence[Service], queries: Sequence[RouteQuery]) -> list[Delivery]:
    """Each query's channels, as `policy_render.notifications` lists them (a multi-address email is one per address)."""
    receivers = {receiver.name: receiver for receiver in model.receivers}
    services, answers = by_name(selected), list[Delivery]()
    for query in queries:
        names = ir_delivery(services, query)
        if names is None:
            answers.append(None)
            continue
        found = [
            Delivered(channel, (name,))
            for name in names
            if name in receivers
            for channel in channel_ids(receivers[name])
        ]
        answers.append(tuple(sorted(found, key=lambda delivered: delivered.name)))
    return answers
