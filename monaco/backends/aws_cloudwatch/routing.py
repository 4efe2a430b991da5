"""Which SNS topics an alert's alarm notifies: the IR's receivers as the topic ARNs render puts in AlarmActions."""

from __future__ import annotations

from collections.abc import Sequence

from monaco.backends.aws_cloudwatch.config import CloudWatchConfig
from monaco.backends.aws_cloudwatch.render import MAX_ACTIONS
from monaco.ir.nodes import Model, Service
from monaco.ir.route_query import Delivered, Delivery, RouteQuery, by_name, ir_delivery


def topic_deliveries(
    config: CloudWatchConfig, model: Model, selected: Sequence[Service], queries: Sequence[RouteQuery]
) -> list[Delivery]:
    """Each query's topics, as `Context.actions` chooses them: known receivers only, at most MAX_ACTIONS."""
    known = {receiver.name for receiver in model.receivers}
    services, answers = by_name(selected), list[Delivery]()
    for query in queries:
        names = ir_delivery(services, query)
        if names is None:
            answers.append(None)
            continue
        kept = [name for name in names if name in known][:MAX_ACTIONS]
        answers.append(tuple(Delivered(config.topic_arn(config.topic_name(name)), (name,)) for name in kept))
    return answers
