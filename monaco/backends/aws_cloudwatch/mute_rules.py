"""Routes' quiet hours as CloudWatch alarm mute rules: which alarms to mute, when, and what cannot be (pure).

A mute rule mutes every action of the alarms it names, so an alarm is muted only when every route that
notifies it has the same quiet hours (`mute_during` and `active_during`), and a route's hours are muted
only when all of its alarms are (never half): a route whose hours the cron cannot say, or that shares
an alarm with a route of other hours (or with such a route), is reported as MON267 at the route and
mutes nothing. Each quiet-hours set gets one rule per schedule (see `mute_schedules`), named
`<topic_prefix>mute_<intervals>_<n>`, tagged like the alarms, with at most 100 alarms a rule
(`-<k>` parts beyond).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from monaco.backends.aws_cloudwatch.mute_schedules import MuteSchedule, quiet_schedules
from monaco.backends.aws_cloudwatch.normalize import ALARM, MUTE_RULE, canonical_mute_rule
from monaco.backends.aws_cloudwatch.render import Context
from monaco.backends.unsupported import level_of
from monaco.diagnostics import Diagnostic
from monaco.ir.nodes import Route, Service
from monaco.ir.routing import route_matches
from monaco.ir.time_intervals import QUIET_HOURS_NOT_RENDERED, TimeInterval
from monaco.plan.model import Resource

MAX_MUTE_TARGETS = 100
QuietHours = tuple[tuple[str, ...], tuple[str, ...]]
"""A route's (mute_during, active_during) interval names."""
RouteKey = tuple[str, int]
"""(service name, index of the route in the service's routes)."""


def quiet_hours_of(route: Route) -> QuietHours:
    """The route's (mute_during, active_during); both empty when it has no quiet hours."""
    return route.mute_during, route.active_during


def notifying_routes(service: Service, labels: dict[str, str]) -> list[int]:
    """The indexes of the routes an alert with `labels` is notified through, Alertmanager-style."""
    chosen: list[int] = []
    for i, route in enumerate(service.routes):
        if route_matches(route, labels):
            chosen.append(i)
            if not route.continue_:
                break
    return chosen


def _schedules(quiet: QuietHours, intervals: dict[str, TimeInterval]) -> tuple[list[MuteSchedule], str | None]:
    """The mute schedules of one quiet-hours set, or why there are none."""
    missing = [n for n in (*quiet[0], *quiet[1]) if n not in intervals]
    if missing:
        return [], f"an unknown time interval {missing[0]!r}"
    muted = [p for name in quiet[0] for p in intervals[name].spec.intervals]
    active = [p for name in quiet[1] for p in intervals[name].spec.intervals] if quiet[1] else None
    return quiet_schedules(muted, active)


def _alarm_routes(ctx: Context) -> dict[str, tuple[Service, list[int]]]:
    """Alarm name -> (service, routes notifying it), for the rendered alarms that have actions."""
    with_actions = {r.name for r in ctx.resources if r.kind == ALARM and r.body.get("AlarmActions")}
    return {
        name: (service, notifying_routes(service, labels))
        for name, (service, labels) in ctx.routed.items()
        if name in with_actions
    }


def settle(
    alarms: dict[str, tuple[Service, list[int]]], problems: dict[RouteKey, str]
) -> tuple[dict[QuietHours, list[str]], dict[RouteKey, str]]:
    """(quiet hours -> the alarms muted for them, route -> why it is not muted), never muting half a route."""
    bad = dict(problems)
    changed = True
    while changed:
        changed = False
        for name, (service, indexes) in sorted(alarms.items()):
            hours = {quiet_hours_of(service.routes[i]) for i in indexes}
            quiet = [(service.name, i) for i in indexes if any(quiet_hours_of(service.routes[i]))]
            if not quiet:
                continue
            if len(hours) > 1:
                reason = f"alarm {name} is also notified through a route with other quiet hours"
            elif any(key in bad for key in quiet):
                reason = f"it shares alarm {name} with a route whose quiet hours are not muted"
            else:
                continue
            for key in quiet:
                if key not in bad:
                    bad[key], changed = reason, True
    muted: dict[QuietHours, list[str]] = {}
    for name, (service, indexes) in sorted(alarms.items()):
        hours = {quiet_hours_of(service.routes[i]) for i in indexes}
        if len(hours) == 1 and any(next(iter(hours))) and all((service.name, i) not in bad for i in indexes):
            muted.setdefault(next(iter(hours)), []).append(name)
    return muted, bad


def rule_label(quiet: QuietHours) -> str:
    """The intervals part of a mute rule name: `mute-<name>`s then `active-<name>`s, joined by `_`."""
    label = "_".join([*(f"mute-{n}" for n in quiet[0]), *(f"active-{n}" for n in quiet[1])])
    if len(label) <= 200:
        return label
    return f"{label[:190]}-{hashlib.sha256(label.encode()).hexdigest()[:8]}"


def _written(quiet: QuietHours) -> str:
    parts = [(field, names) for field, names in (("mute_during", quiet[0]), ("active_during", quiet[1])) if names]
    return "; ".join(f"{field}: {', '.join(names)}" for field, names in parts)


def _rules(ctx: Context, quiet: QuietHours, schedules: Sequence[MuteSchedule], alarms: list[str]) -> None:
    """The mute rules of one quiet-hours set: one per schedule, at most 100 alarms each."""
    label = rule_label(quiet)
    for n, schedule in enumerate(schedules, start=1):
        for part, start in enumerate(range(0, len(alarms), MAX_MUTE_TARGETS), start=1):
            name = f"{ctx.config.mute_rule_prefix}{label}_{n}" + (f"-{part}" if part > 1 else "")
            raw = {
                "Name": name,
                "Description": f"[monaco] quiet hours ({_written(quiet)}): schedule {n} of {len(schedules)}",
                "Rule": {"Schedule": schedule.body()},
                "MuteTargets": {"AlarmNames": alarms[start : start + MAX_MUTE_TARGETS]},
            }
            body = canonical_mute_rule(raw, ctx.tags(f"mute/{label}/{n}/{part}"))
            notes = {"quiet hours": _written(quiet), "schedule": schedule.expression, "duration": schedule.duration}
            if schedule.timezone:
                notes["timezone"] = schedule.timezone
            ctx.resources.append(Resource(MUTE_RULE, name, body, notes=notes))  # target-wide: alarms of any service


def _report(ctx: Context, service: Service, route: Route, reason: str) -> Diagnostic:
    """MON267 at a route whose quiet hours are not muted on this target."""
    return Diagnostic(
        QUIET_HOURS_NOT_RENDERED,
        f"target {ctx.target.name}: a route of {service.name} ({_written(quiet_hours_of(route))}) has quiet hours "
        f"aws_cloudwatch cannot mute: {reason}; its notifications are sent at every hour on this target",
        route.origin,
        "a mute rule mutes every action of an alarm: give all routes of its alarms the same quiet hours, "
        "of weekdays, times, days of the month and months; or set this code's level in the target's `levels`",
        level_of(ctx.target, QUIET_HOURS_NOT_RENDERED),
    )


def mute_rules(ctx: Context, intervals: Sequence[TimeInterval]) -> None:
    """Add the mute rules of the selected services' quiet hours to `ctx`, reporting what is not muted."""
    by_name = {interval.name: interval for interval in intervals}
    services = {service.name: service for service in ctx.target.selected}
    schedules: dict[QuietHours, tuple[list[MuteSchedule], str | None]] = {}
    problems: dict[RouteKey, str] = {}
    for service in services.values():
        for i, route in enumerate(service.routes):
            quiet = quiet_hours_of(route)
            if any(quiet):
                found = schedules.setdefault(quiet, _schedules(quiet, by_name))
                if found[1] is not None:
                    problems[(service.name, i)] = f"not expressible: {found[1]}"
    muted, bad = settle(_alarm_routes(ctx), problems)
    for (service_name, i), reason in sorted(bad.items()):
        service = services[service_name]
        ctx.diagnostics.append(_report(ctx, service, service.routes[i], reason))
    for quiet, alarms in sorted(muted.items()):
        _rules(ctx, quiet, schedules[quiet][0], alarms)
