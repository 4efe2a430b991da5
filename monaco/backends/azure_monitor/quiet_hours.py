"""Quiet hours on Azure: one alert processing rule per route that mutes or is active during intervals (pure).

The rule (`Microsoft.AlertsManagement/actionRules`, 2021-08-08) selects, by `AlertRuleId`, the metric
alerts, log alerts and Prometheus rule groups whose alerts pass through the route, and removes all their
action groups while its schedule holds: the route's `mute_during` intervals, plus the complement of its
`active_during` ones (`schedules`). Removing action groups silences every receiver of the alert's rule,
so a rule whose alerts also notify through a route with other quiet hours (or none) cannot be muted for
one route alone; then, as for any period Azure cannot say, the route's muting is not rendered at all,
never in part. Codes: MON912 (a period no recurrence says), MON913 (a location with no Windows zone),
MON914 (quiet hours one processing rule cannot hold); MON267 (shared) for an `active_during` whose
complement is not weekly.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from monaco.backends.azure_monitor.normalize import LOG_ALERT, METRIC_ALERT, PROCESSING_RULE, RULE_GROUP
from monaco.backends.azure_monitor.render import Context, description
from monaco.backends.azure_monitor.schedules import is_weekly, month_recurrences, problem_of, week_recurrences
from monaco.backends.azure_monitor.windows_zones import windows_zone
from monaco.backends.unsupported import level_of
from monaco.ir.nodes import Route, Service
from monaco.ir.routing import route_matches
from monaco.ir.time_interval_schedules import complement, merge, week_ranges
from monaco.ir.time_intervals import QUIET_HOURS_NOT_RENDERED, TimeInterval, quiet_hours_not_rendered
from monaco.plan.model import Resource

RULE_TYPES = {
    METRIC_ALERT: "microsoft.insights/metricAlerts",
    LOG_ALERT: "microsoft.insights/scheduledQueryRules",
    RULE_GROUP: "microsoft.alertsmanagement/prometheusRuleGroups",
}
"""The ARM type of each rendered rule kind, for the `AlertRuleId` a processing rule selects."""
REMOVE_ALL = [{"actionType": "RemoveAllActionGroups"}]
Signature = tuple[tuple[str, ...], tuple[str, ...]]
"""A route's (mute_during, active_during); the team's default receiver has ((), ())."""


def reached_routes(service: Service, labels: dict[str, str]) -> list[Route | None]:
    """The routes an alert with `labels` passes through, as `receivers_for` walks them; [None] for the team
    default receiver."""
    passed: list[Route | None] = []
    for route in service.routes:
        if route_matches(route, labels):
            passed.append(route)
            if not route.continue_:
                return passed
    return passed or ([None] if service.team_default_receiver else [])


def _signature(route: Route | None) -> Signature:
    return ((), ()) if route is None else (route.mute_during, route.active_during)


def written(route: Route) -> str:
    """`mute_during: a, b; active_during: c`, as the route wrote them."""
    fields = (("mute_during", route.mute_during), ("active_during", route.active_during))
    return "; ".join(f"{name}: {', '.join(names)}" for name, names in fields if names)


@dataclass(slots=True)
class QuietHours:
    """One target's quiet-hours rendering: the context, its intervals by name, and the reports made once."""

    ctx: Context
    intervals: dict[str, TimeInterval]
    reported: set[tuple[str, str]] = dataclasses.field(default_factory=set)

    def report(self, code: str, message: str, interval: TimeInterval | None, route: Route, hint: str) -> None:
        """A not-expressible report, once per interval (or route) and code."""
        key = (code, interval.name if interval else f"{route.origin}")
        if key not in self.reported:
            self.reported.add(key)
            self.ctx.not_here(code, message, interval.origin if interval else route.origin, hint)

    def _named(self, names: Sequence[str]) -> list[TimeInterval]:
        return [self.intervals[name] for name in names if name in self.intervals]

    def _unsayable(self, route: Route, mute: list[TimeInterval]) -> bool:
        """Report MON912 for each muting period no recurrence says; True when there is one."""
        found = False
        for interval in mute:
            for index, period in enumerate(interval.spec.intervals):
                if (problem := problem_of(period)) is None:
                    continue
                found = True
                message = (
                    f"time interval {interval.name} period {index + 1}: {problem} are not expressible in an Azure "
                    "alert processing rule; routes muted during it notify at every hour on this target"
                )
                hint = "use weekdays, times and days 1-31 only, or set MON912's level in the target's `levels`"
                self.report("MON912", message, interval, route, hint)
        return found

    def _zone(self, service: Service, route: Route, used: list[TimeInterval]) -> str | None:
        """The Windows zone every period of `used` is read in; None when reported (MON914, MON913)."""
        locations = sorted({period.location or "UTC" for i in used for period in i.spec.intervals})
        if len(locations) > 1:
            message = (
                f"a route of {service.name} ({written(route)}) reads its intervals in {', '.join(locations)}; "
                "an Azure processing rule has one time zone, so the route is not muted on this target"
            )
            self.report("MON914", message, None, route, "give the route's intervals one `location`")
            return None
        zone = windows_zone(locations[0])
        if zone is None:
            interval = next(i for i in used if any((p.location or "UTC") == locations[0] for p in i.spec.intervals))
            message = (
                f"time interval {interval.name}: location {locations[0]} has no Windows time zone name monaco "
                "knows (Azure schedules take Windows names); routes using it are not muted on this target"
            )
            self.report("MON913", message, interval, route, "use a zone of the same offset and rules that is listed")
        return zone

    def schedule(self, service: Service, route: Route) -> dict[str, Any] | None:
        """The processing rule schedule of a route's quiet hours; None when it cannot be said (reported)."""
        mute, active = self._named(route.mute_during), self._named(route.active_during)
        if self._unsayable(route, mute):
            return None
        if any(not is_weekly(period) for interval in active for period in interval.spec.intervals):
            one = dataclasses.replace(service, routes=(route,))
            level = level_of(self.ctx.target, QUIET_HOURS_NOT_RENDERED)
            self.ctx.diagnostics.extend(quiet_hours_not_rendered(one, self.ctx.target.name, "azure_monitor", level))
            return None
        zone = self._zone(service, route, [*mute, *active])
        if zone is None:
            return None
        periods = [period for interval in mute for period in interval.spec.intervals]
        ranges = week_ranges(p for p in periods if is_weekly(p))
        if active:
            ranges = merge([*ranges, *complement(week_ranges(p for i in active for p in i.spec.intervals))])
        recurrences = week_recurrences(ranges)
        recurrences += [r for period in periods if not is_weekly(period) for r in month_recurrences(period)]
        return {"timeZone": zone, "recurrences": recurrences} if recurrences else None


def _rule_ids(ctx: Context, rules: list[Resource], service: Service, route: Route) -> tuple[list[str], list[str]]:
    """(ids of the service's `rules` whose alerts pass `route`, names of those that also pass other quiet hours)."""
    chosen: list[str] = []
    mixed: list[str] = []
    for resource in rules:
        passed = [r for labels in ctx.routed[resource.key].labels for r in reached_routes(service, labels)]
        if not any(r is route for r in passed):
            continue
        if len({_signature(r) for r in passed}) > 1:
            mixed.append(resource.name)
        else:
            chosen.append(ctx.config.resource_id(RULE_TYPES[resource.kind], resource.name))
    return sorted(chosen), sorted(mixed)


def _route_rule(quiet: QuietHours, rules: list[Resource], service: Service, index: int, route: Route) -> None:
    """Add the processing rule of one route's quiet hours, or report why there is none."""
    ctx = quiet.ctx
    chosen, mixed = _rule_ids(ctx, rules, service, route)
    if mixed:
        message = (
            f"a route of {service.name} ({written(route)}) shares Azure rules with routes of other quiet hours "
            f"({', '.join(mixed)}): removing their action groups would mute those too, so it is not muted here"
        )
        hint = "give the alerts of differently muted routes their own rules, or set MON914's level in `levels`"
        quiet.report("MON914", message, None, route, hint)
        return
    schedule = quiet.schedule(service, route) if chosen else None
    if schedule is None:
        return
    properties = {
        "description": description(f"[monaco] quiet hours of service {service.name}, route {index} ({written(route)})"),
        "enabled": True,
        "scopes": [f"/subscriptions/{ctx.config.subscription_id}"],
        "conditions": [{"field": "AlertRuleId", "operator": "Equals", "values": chosen}],
        "schedule": schedule,
        "actions": REMOVE_ALL,
    }
    name = ctx.config.resource_name("quiet", service.name, f"route{index}")
    notes = {"quiet hours": written(route), "time zone": schedule["timeZone"], "rules": str(len(chosen))}
    raw = {"location": "global", "properties": properties}
    ctx.add(PROCESSING_RULE, raw, name, f"{service.name}/quiet-hours/route{index}", route.origin, service.name, notes)


def quiet_hours_rules(ctx: Context) -> None:
    """A processing rule for each route of the selected services that has quiet hours and rules to mute."""
    quiet = QuietHours(ctx, {interval.name: interval for interval in ctx.model.time_intervals})
    rules: dict[int, list[Resource]] = {}
    for resource in ctx.resources:
        if resource.kind in RULE_TYPES and resource.key in ctx.routed:
            rules.setdefault(id(ctx.routed[resource.key].service), []).append(resource)
    for service in ctx.target.selected:
        for index, route in enumerate(service.routes):
            if route.mute_during or route.active_during:
                _route_rule(quiet, rules.get(id(service), []), service, index, route)
