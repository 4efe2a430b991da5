"""Which alerts mute which: each severity mutes the less severe ones of the same service and alert name,
and each SLO's page tier mutes its ticket tier. Computed once here; each backend writes it in its format."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from monaco.ir.nodes import LabelMatcher, Service


@dataclass(frozen=True, slots=True)
class InhibitRule:
    """Alerts matching `target` are muted while one matching `source` fires with the same `equal` labels."""

    name: str
    source: tuple[LabelMatcher, ...]
    target: tuple[LabelMatcher, ...]
    equal: tuple[str, ...]


def inhibit_rules(service: Service, severities: Sequence[str]) -> list[InhibitRule]:
    """The service's inhibitions, most severe first, then one per SLO that has both a page and a ticket tier."""
    ids = service.identity
    own = LabelMatcher(ids.service, (service.name,))
    rules = [
        InhibitRule(
            f"{service.name}.{severity}",
            (own, LabelMatcher(ids.severity, (severity,))),
            (own, LabelMatcher(ids.severity, tuple(severities[i + 1 :]))),
            ("alertname",),
        )
        for i, severity in enumerate(severities[:-1])
    ]
    for slo in service.slos:
        if {"page", "ticket"} <= {tier.name for tier in slo.tiers}:
            slo_matcher = LabelMatcher(ids.slo, (slo.name,))
            rules.append(
                InhibitRule(
                    f"{service.name}.slo.{slo.name}",
                    (own, slo_matcher, LabelMatcher(ids.tier, ("page",))),
                    (own, slo_matcher, LabelMatcher(ids.tier, ("ticket",))),
                    (ids.slo, *slo.group_by),
                )
            )
    return rules
