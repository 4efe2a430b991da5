"""Which alerting rules a backtest replays: each new or changed alert and every burn tier, beside its live version.

The desired rules are what the target renders; the live ones are what its `read_live` finds (the
plan's own read). Rules are matched by group, alert name, severity and tier. A rule is *changed* when
what decides its firing differs: its expression once recordings are inlined (`monaco.backtest.inline`,
each side with its own recordings), `for` or `keep_firing_for`; labels and annotations do not count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from monaco.backtest.inline import Recording, inline, recordings
from monaco.ir.labels import BURN_ALERT
from monaco.ir.nodes import Model, Service
from monaco.plan.model import Resource
from monaco.spec.types import parse_duration

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"


@dataclass(frozen=True, slots=True)
class Version:
    """One version of an alerting rule as the backtest evaluates it."""

    expr: str
    """With recordings inlined."""
    for_seconds: int
    keep_firing_for_seconds: int


@dataclass(frozen=True, slots=True)
class Candidate:
    """An alerting rule to replay: where it is, who it pages, and its proposed and live versions."""

    target: str
    service: str
    team: str
    alert: str
    severity: str
    tier: str
    proposed: Version
    current: Version | None

    @property
    def status(self) -> str:
        """new (nothing live), changed, or unchanged."""
        if self.current is None:
            return NEW
        return UNCHANGED if self.current == self.proposed else CHANGED

    @property
    def key(self) -> str:
        """`service/alert` with the tier or severity: how reports name it."""
        detail = self.tier or self.severity
        return f"{self.service}/{self.alert}" + (f" ({detail})" if detail else "")


RuleKey = tuple[str, str, str, str]
"""(group, alert, severity, tier)."""


def _groups(resources: Iterable[Resource]) -> list[tuple[str, Mapping[str, Any]]]:
    """(address, group body) of each rule group resource."""
    found = []
    for resource in resources:
        group = resource.body.get("group") if resource.kind == "rule_group" else None
        if isinstance(group, Mapping):
            found.append((resource.address, group))
    return found


def _alert_rules(
    groups: list[tuple[str, Mapping[str, Any]]], model: Model
) -> dict[RuleKey, tuple[str, Mapping[str, Any], Version]]:
    """Each alerting rule by key: its address, the rule, and its version with recordings inlined."""
    known: list[Recording] = recordings(g for _, g in groups)
    ids = model.identity
    found: dict[RuleKey, tuple[str, Mapping[str, Any], Version]] = {}
    for address, group in groups:
        for rule in group.get("rules") or []:
            if not isinstance(rule, Mapping) or "alert" not in rule:
                continue
            labels = rule.get("labels") or {}
            key = (
                str(group.get("name")),
                str(rule["alert"]),
                str(labels.get(ids.severity, "")),
                str(labels.get(ids.tier, "")),
            )
            version = Version(
                inline(str(rule.get("expr", "")), known), _seconds(rule, "for"), _seconds(rule, "keep_firing_for")
            )
            found[key] = (address, rule, version)
    return found


def _seconds(rule: Mapping[str, Any], name: str) -> int:
    try:
        return parse_duration(str(rule.get(name) or "0s"))
    except ValueError:
        return 0


def candidates(
    target: str, model: Model, desired: list[Resource], live: list[Resource], everything: bool = False
) -> list[Candidate]:
    """The rules to replay on a target: new or changed alerts, every burn tier (all alerts with `everything`)."""
    services: dict[str, Service] = {s.name: s for s in model.services}
    wanted = _alert_rules(_groups(desired), model)
    current = _alert_rules(_groups(r for r in live if r.owned), model)
    chosen = []
    for key, (address, _, version) in wanted.items():
        service = services.get(address.split("/", 1)[0])
        previous = current.get(key)
        candidate = Candidate(
            target,
            address.split("/", 1)[0],
            service.team if service else "",
            key[1],
            key[2],
            key[3],
            version,
            previous[2] if previous else None,
        )
        if everything or key[1] == BURN_ALERT or candidate.status != UNCHANGED:
            chosen.append(candidate)
    return chosen
