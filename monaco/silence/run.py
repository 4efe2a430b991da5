"""Creating, listing and expiring monaco's silences on a target's live Alertmanager (its `url`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from monaco import engine
from monaco.backends.base import Target
from monaco.diagnostics import Diagnostic
from monaco.ir.nodes import Service
from monaco.silence import api
from monaco.silence.codes import API_FAILED, BAD_REQUEST, NO_ALERTMANAGER, NO_SUCH_SERVICE, NOT_OURS
from monaco.silence.owned import CREATED_BY, Silence, marker, parse_silence

SILENCEABLE = ("alertmanager",)
"""Backends whose target config gives a live Alertmanager `url` monaco can silence."""


@dataclass(slots=True)
class Outcome:
    """What one silence command did: the silences it made, listed or expired, and any problems."""

    target: str = ""
    silences: list[Silence] = field(default_factory=list)
    created: str | None = None
    expired: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing went wrong."""
        return not any(d.level.value == "error" for d in self.diagnostics)


def target_url(target: Target) -> str | None:
    """The target's live Alertmanager URL, without a trailing slash, or None."""
    url = getattr(target.config, "url", None)
    return None if url is None else str(url).rstrip("/")


def choose_target(session: engine.Session, name: str | None) -> Target | Diagnostic:
    """The named target, or the workspace's only alertmanager target with a `url`; MON470 when there is none."""
    if name is not None:
        chosen = [t for t in session.targets if t.name == name]
        if not chosen:
            names = ", ".join(sorted(t.name for t in session.targets)) or "none"
            return Diagnostic(NO_ALERTMANAGER, f"no target named {name!r}", hint=f"targets: {names}")
        target = chosen[0]
        if target.backend not in SILENCEABLE or target_url(target) is None:
            why = "is not an alertmanager target" if target.backend not in SILENCEABLE else "has no `url`"
            hint = "silences live in a running Alertmanager: give the alertmanager target its `url`"
            return Diagnostic(
                NO_ALERTMANAGER, f"target {name} {why}: there is no live Alertmanager", target.origin, hint
            )
        return target
    live = [t for t in session.targets if t.backend in SILENCEABLE and target_url(t) is not None]
    if len(live) == 1:
        return live[0]
    what = "no alertmanager target has a `url`" if not live else f"{len(live)} alertmanager targets have a `url`"
    names = ", ".join(t.name for t in live)
    hint = f"choose one with --target: {names}" if live else "add `url:` to the alertmanager target's config"
    return Diagnostic(NO_ALERTMANAGER, what, hint=hint)


def choose_service(target: Target, name: str) -> Service | Diagnostic:
    """The target's service of that name; MON471 when the target does not select it."""
    for service in target.selected:
        if service.name == name:
            return service
    names = ", ".join(s.name for s in target.selected) or "none"
    return Diagnostic(
        NO_SUCH_SERVICE, f"target {target.name} has no service {name!r}", target.origin, f"services: {names}"
    )


def _stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def silence_body(target: Target, service: Service, seconds: int, comment: str) -> dict[str, object]:
    """The postableSilence: the service's label, from now for `seconds`, createdBy monaco, the marker."""
    now = datetime.datetime.now(datetime.UTC)
    matcher = {"name": service.identity.service, "value": service.name, "isRegex": False, "isEqual": True}
    return {
        "matchers": [matcher],
        "startsAt": _stamp(now),
        "endsAt": _stamp(now + datetime.timedelta(seconds=seconds)),
        "createdBy": CREATED_BY,
        "comment": f"{comment.strip()} {marker(target.name, service.name)}",
    }


def create(target: Target, service: Service, seconds: int, comment: str) -> Outcome:
    """Create the service's silence; its id is `created`."""
    outcome = Outcome(target.name)
    if seconds <= 0 or not comment.strip():
        why = "a silence needs a positive --duration" if seconds <= 0 else "a silence needs a --comment saying why"
        outcome.diagnostics.append(Diagnostic(BAD_REQUEST, why, hint='e.g. --duration 2h --comment "db upgrade"'))
        return outcome
    base = target_url(target)
    assert base is not None
    answer = api.create(base, silence_body(target, service, seconds, comment))
    silence_id = answer.body.get("silenceID") if answer.ok and isinstance(answer.body, dict) else None
    if not isinstance(silence_id, str):
        outcome.diagnostics.append(_failed(base, "create the silence", answer))
        return outcome
    outcome.created = silence_id
    return outcome


def _failed(base: str, what: str, answer: api.Answer) -> Diagnostic:
    """MON473: the API did not answer, or refused."""
    return Diagnostic(
        API_FAILED,
        f"cannot {what} on Alertmanager at {base}: {answer.describe()}",
        hint="check the target's `url` and that Alertmanager is running and reachable",
    )


def silences(target: Target) -> tuple[list[Silence], Diagnostic | None]:
    """Every silence the target's Alertmanager lists, parsed; a failed read is MON473."""
    base = target_url(target)
    assert base is not None
    answer = api.list_all(base)
    if not answer.ok or not isinstance(answer.body, list):
        return [], _failed(base, "list silences", answer)
    return [s for s in (parse_silence(item) for item in answer.body) if s is not None], None


def list_owned(target: Target, service: str | None) -> Outcome:
    """monaco's live silences of the target (of one service when named), soonest ending first."""
    outcome = Outcome(target.name)
    found, problem = silences(target)
    if problem is not None:
        outcome.diagnostics.append(problem)
    mine = [s for s in found if s.owned_by(target.name) and s.live and (service is None or s.service == service)]
    outcome.silences = sorted(mine, key=lambda s: (s.ends_at, s.id))
    return outcome


def expire(target: Target, silence_id: str | None, service: str | None) -> Outcome:
    """Expire one silence by id (refused, MON474, unless monaco made it through this target), or every live one
    monaco made for `service`."""
    outcome = Outcome(target.name)
    found, problem = silences(target)
    if problem is not None:
        outcome.diagnostics.append(problem)
        return outcome
    if silence_id is not None:
        chosen = [s for s in found if s.id == silence_id]
        if not chosen or not chosen[0].owned_by(target.name):
            outcome.diagnostics.append(_not_ours(target, silence_id, chosen[0] if chosen else None))
            return outcome
    else:
        chosen = [s for s in found if s.owned_by(target.name) and s.service == service and s.live]
    base = target_url(target)
    assert base is not None
    for silence in chosen:
        answer = api.expire(base, silence.id)
        if answer.ok:
            outcome.expired.append(silence.id)
        else:
            outcome.diagnostics.append(_failed(base, f"expire silence {silence.id}", answer))
    return outcome


def _not_ours(target: Target, silence_id: str, silence: Silence | None) -> Diagnostic:
    """MON474: refusing to expire a silence monaco did not make through this target (or that does not exist)."""
    if silence is None:
        why = f"Alertmanager of target {target.name} has no silence {silence_id}"
    elif silence.created_by == CREATED_BY and silence.target is not None:
        why = f"silence {silence_id} was made by monaco through target {silence.target}, not {target.name}"
    else:
        why = f"silence {silence_id} was not made by monaco (created by {silence.created_by or 'nobody named'})"
    hint = "monaco expires only the silences it made; expire others in Alertmanager's UI or with amtool"
    return Diagnostic(NOT_OURS, f"refusing to expire: {why}", hint=hint)
