"""Contact points and the notification policy tree of the fake, with Grafana's rejections.

From the provisioning API reference and the notifier services: a contact point needs a name and a known
integration `type`; its secure settings (`SECURE_SETTINGS`) are stored apart and read back as `[REDACTED]`,
and a write sending `[REDACTED]` keeps the stored value. The policy tree is one object: PUT replaces it
whole and is refused (400, Grafana's "Invalid format of the submitted route: ...") when a route names an
unknown contact point or mute timing (as `mute_time_intervals` or `active_time_intervals`); DELETE resets it
to the default. A contact point the tree still uses cannot be deleted (409 "referenced"), nor renamed away
from; mute timings are in `mute_timings.py`. Provenance as for rules: an API-provisioned object is not
editable without it.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.grafana_provisioning.store import (
    REDACTED,
    SECURE_SETTINGS,
    ApiError,
    GrafanaState,
    Json,
    check_provenance,
    copied,
    default_tree,
    new_uid,
    walk,
)


def _split_secrets(kind: str, settings: Json, kept: dict[str, str]) -> tuple[Json, dict[str, str]]:
    """Settings without the secure ones, and the secure values (`[REDACTED]` keeps the stored value)."""
    plain, secure = {}, {}
    for key, value in settings.items():
        if key in SECURE_SETTINGS[kind]:
            if value == REDACTED:
                if key in kept:
                    secure[key] = kept[key]
            elif value not in (None, ""):
                secure[key] = str(value)
        else:
            plain[key] = value
    return plain, secure


def _validated(state: GrafanaState, body: Json, uid: str, provenance: str) -> tuple[Json, dict[str, str]]:
    name = str(body.get("name") or "").strip()
    if not name:
        raise ApiError(400, "invalid contact point: name must be set")
    kind = body.get("type")
    if kind not in SECURE_SETTINGS:
        raise ApiError(400, f"invalid contact point: unknown type {kind!r}")
    settings = body.get("settings")
    if not isinstance(settings, dict):
        raise ApiError(400, "invalid contact point: settings must be an object")
    plain, secure = _split_secrets(str(kind), settings, state.secrets.get(uid, {}))
    required = {"slack": "url", "pagerduty": "integrationKey"}.get(str(kind))
    if required and required not in secure and not plain.get("recipient"):
        raise ApiError(400, f"invalid contact point {name}: {kind} needs {required}")
    if kind == "webhook" and not plain.get("url"):
        raise ApiError(400, f"invalid contact point {name}: webhook needs url")
    if kind == "email" and not plain.get("addresses"):
        raise ApiError(400, f"invalid contact point {name}: email needs addresses")
    point = {
        "uid": uid,
        "name": name,
        "type": kind,
        "settings": plain,
        "disableResolveMessage": bool(body.get("disableResolveMessage", False)),
        "provenance": provenance,
    }
    return point, secure


def redacted(state: GrafanaState, point: Json) -> Json:
    """A contact point as GET returns it: secure settings present only as `[REDACTED]`."""
    shown = copied(point)
    for key in state.secrets.get(point["uid"], {}):
        shown["settings"][key] = REDACTED
    return shown


def list_contact_points(state: GrafanaState, name: str | None) -> list[Json]:
    """GET /api/v1/provisioning/contact-points[?name=]: all, or those with exactly that name."""
    with state.lock:
        found = [p for p in state.contact_points.values() if name is None or p["name"] == name]
        return [redacted(state, p) for p in sorted(found, key=lambda p: (p["name"], p["uid"]))]


def create_contact_point(state: GrafanaState, body: Json, provenance: str) -> Json:
    """POST: 202 with the stored contact point (redacted); 409 when the uid exists."""
    with state.lock:
        uid = new_uid(body.get("uid"))
        if uid in state.contact_points:
            raise ApiError(409, f"contact point with uid {uid} already exists")
        point, secure = _validated(state, body, uid, provenance)
        state.contact_points[uid] = point
        state.secrets[uid] = secure
        return redacted(state, point)


def update_contact_point(state: GrafanaState, uid: str, body: Json, provenance: str) -> Json:
    """PUT /:uid: replaced; 404 when missing, 409 on provenance or when renaming one the tree uses."""
    with state.lock:
        existing = state.contact_points.get(uid)
        if existing is None:
            raise ApiError(404, f"contact point {uid} not found")
        check_provenance(existing["provenance"], provenance, f"contact point {uid}")
        point, secure = _validated(state, body, uid, provenance)
        renamed = point["name"] != existing["name"] and existing["name"] in state.used_receivers()
        if renamed and not any(p["name"] == existing["name"] for u, p in state.contact_points.items() if u != uid):
            raise ApiError(409, f"contact point {existing['name']} is referenced by a notification policy")
        state.contact_points[uid] = point
        state.secrets[uid] = secure
        return redacted(state, point)


def delete_contact_point(state: GrafanaState, uid: str, provenance: str) -> None:
    """DELETE /:uid: 204; 409 when the policy tree still routes to its name (and no other point has it)."""
    with state.lock:
        existing = state.contact_points.get(uid)
        if existing is None:
            return
        check_provenance(existing["provenance"], provenance, f"contact point {uid}")
        name = existing["name"]
        others = [p for u, p in state.contact_points.items() if u != uid and p["name"] == name]
        if name in state.used_receivers() and not others:
            raise ApiError(409, f"contact point {name} is referenced by a notification policy")
        del state.contact_points[uid]
        state.secrets.pop(uid, None)


def invalid_route(reason: str) -> ApiError:
    """Grafana's 400 for a tree that names what does not exist (`MakeErrRouteInvalidFormat`)."""
    message = f"Invalid format of the submitted route: {reason}. Correct the payload and try again."
    return ApiError(400, message, "alerting.notifications.routes.invalidFormat", {"Error": reason})


def _check_route(route: Any, receivers: set[str], timings: set[str], root: bool) -> None:
    if not isinstance(route, dict):
        raise ApiError(400, "invalid route: each route must be an object")
    receiver = route.get("receiver")
    if root and not receiver:
        raise ApiError(400, "invalid policy tree: the root route must name a receiver")
    if receiver and receiver not in receivers:
        raise invalid_route(f"receiver '{receiver}' does not exist")
    for kind in ("mute", "active"):
        for name in route.get(f"{kind}_time_intervals") or []:
            if name not in timings:
                raise invalid_route(f"{kind} time interval '{name}' does not exist")
    for matcher in route.get("object_matchers") or []:
        if not (isinstance(matcher, list) and len(matcher) == 3 and matcher[1] in ("=", "!=", "=~", "!~")):
            raise ApiError(400, f"invalid route matcher {matcher!r}: want [name, op, value]")
    if root and (route.get("object_matchers") or route.get("matchers")):
        raise ApiError(400, "invalid policy tree: the root route must have no matchers")
    for child in route.get("routes") or []:
        _check_route(child, receivers, timings, root=False)


def put_policies(state: GrafanaState, body: Json, provenance: str) -> None:
    """PUT /api/v1/provisioning/policies: the whole tree replaced (202), after every route is checked."""
    with state.lock:
        check_provenance(state.policies.get("provenance", ""), provenance, "the notification policy tree")
        _check_route(body, state.receiver_names(), set(state.mute_timings), root=True)
        tree = copied(body)
        for route in walk(tree):
            route.pop("provenance", None)
        tree["provenance"] = provenance
        state.policies = tree


def reset_policies(state: GrafanaState) -> Json:
    """DELETE /api/v1/provisioning/policies: back to the default tree (202)."""
    with state.lock:
        state.policies = default_tree()
        return copied(state.policies)
