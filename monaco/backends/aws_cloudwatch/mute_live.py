"""Reading and writing alarm mute rules: paged `ListAlarmMuteRules`, then tags and `GetAlarmMuteRule` per rule.

A listing's summaries carry only ARNs, so each rule's tags are read (`ListTagsForResource`, one call a
rule) to know whose it is, and the rules that are this target's or under its mute-rule prefix are read
whole (`GetAlarmMuteRule`); another owner's rule elsewhere is never read further. Ownership is by tags,
as for alarms (see `live`). A put sends the whole rule (PutAlarmMuteRule creates or replaces it) and
converges tags with TagResource / UntagResource, as tags on an update are AWS's to ignore.
"""

from __future__ import annotations

from typing import Any

from monaco.backends.aws_cloudwatch.clients import Clients, converge_tags
from monaco.backends.aws_cloudwatch.config import CloudWatchConfig
from monaco.backends.aws_cloudwatch.normalize import MUTE_RULE, canonical_mute_rule, canonical_tags, mute_rule_params
from monaco.plan.model import Action, Change, Resource

PAGE = 100


def mute_rule_names(clients: Clients) -> list[str]:
    """The name of every alarm mute rule of the account and region (paged `ListAlarmMuteRules`)."""
    names: list[str] = []
    token = ""
    while True:
        params: dict[str, Any] = {"MaxRecords": PAGE, **({"NextToken": token} if token else {})}
        page = clients.call("cloudwatch", "ListAlarmMuteRules", **params)
        names.extend(s["AlarmMuteRuleArn"].rsplit(":", 1)[-1] for s in page.get("AlarmMuteRuleSummaries", []))
        token = page.get("NextToken") or ""
        if not token:
            return sorted(names)


def mute_rule_tags(clients: Clients, config: CloudWatchConfig, name: str) -> dict[str, str]:
    """One mute rule's tags, read now."""
    arn = config.mute_rule_arn(name)
    return canonical_tags(clients.call("cloudwatch", "ListTagsForResource", ResourceARN=arn).get("Tags"))


def read_mute_rules(clients: Clients, config: CloudWatchConfig, target: str) -> list[Resource]:
    """This target's mute rules and those under its prefix, canonical, with their ownership."""
    from monaco.backends.aws_cloudwatch.live import ownership

    resources: list[Resource] = []
    for name in mute_rule_names(clients):
        tags = mute_rule_tags(clients, config, name)
        owned, holder = ownership(tags, target)
        if not owned and not name.startswith(config.mute_rule_prefix):
            continue
        rule = clients.call("cloudwatch", "GetAlarmMuteRule", AlarmMuteRuleName=name)
        body = canonical_mute_rule({**rule, "Name": name}, tags)
        resources.append(Resource(MUTE_RULE, name, body, owned=owned, holder=holder))
    return resources


def put_mute_rule(clients: Clients, config: CloudWatchConfig, change: Change) -> str:
    """Create or replace one mute rule, then converge its tags on an update."""
    after = change.after
    assert after is not None
    clients.call("cloudwatch", "PutAlarmMuteRule", **mute_rule_params(after.body))
    before = change.before if change.action is Action.UPDATE else None
    if before is None:
        return ""
    converge_tags(clients, config.mute_rule_arn(after.name), before.body.get("Tags", {}), after.body.get("Tags", {}))
    return ""


def delete_mute_rule(clients: Clients, change: Change) -> str:
    """Delete one mute rule (idempotent on AWS)."""
    clients.call("cloudwatch", "DeleteAlarmMuteRule", AlarmMuteRuleName=change.resource.name)
    return ""
