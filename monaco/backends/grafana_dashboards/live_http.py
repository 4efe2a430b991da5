"""Reading a live Grafana's dashboards as resources, normalized once, here.

Three searches find everything that matters (each paged): this target's dashboards by tag, the desired
uids wherever they are (an unowned dashboard holding one is refused), and the monaco folder (an unowned
dashboard with a desired title there is refused too: with `overwrite` Grafana would replace it). Each
owned dashboard is then read by uid, a few at a time. Normalizing drops what Grafana adds to the JSON
(`id`, `version`) and keeps the folder from `meta`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from monaco.backends.base import LiveState, Target
from monaco.backends.grafana_dashboards.client import GrafanaError, GrafanaHttp, Hit
from monaco.backends.grafana_dashboards.config import (
    OWNER_TAG,
    TARGET_TAG_PREFIX,
    GrafanaDashboardsConfig,
    dashboard_title,
    holder_of,
    tag_owner,
)
from monaco.diagnostics import Diagnostic
from monaco.plan.model import Resource

DASHBOARD = "dashboard"
SERVER_FIELDS = ("id", "version")
"""What Grafana adds to a saved dashboard's JSON; never desired, so dropped on read."""
CANNOT_READ = "MON600"


def normalize(found: dict[str, Any]) -> dict[str, Any]:
    """A `GET /api/dashboards/uid` answer as a resource body: the dashboard without server fields, and its folder."""
    model = {k: v for k, v in found["dashboard"].items() if k not in SERVER_FIELDS}
    meta = found.get("meta")
    if not isinstance(meta, dict):
        meta = {}
    return {"folder": str(meta.get("folderUid") or ""), "dashboard": model}


def read_live(target: Target, config: GrafanaDashboardsConfig) -> LiveState:
    """Owned dashboards with their bodies, and unowned ones where this target would write; MON600 when unreadable."""
    try:
        api = GrafanaHttp(config, target.base_dir)
    except KeyError as exc:
        return _unreadable(target, config, f"its credential is not set ({exc.args[0]})", 0)
    try:
        resources = _read(api, target, config)
    except GrafanaError as exc:
        return _unreadable(target, config, str(exc), api.calls)
    return LiveState(resources=resources, calls=api.calls)


def _unreadable(target: Target, config: GrafanaDashboardsConfig, why: str, calls: int) -> LiveState:
    message = f"target {target.name}: cannot read the dashboards of Grafana at {config.base_url}: {why}"
    hint = "check url, token or basic_auth, and that the token may read dashboards and folders"
    return LiveState(diagnostics=[Diagnostic(CANNOT_READ, message, hint=hint)], calls=calls)


def _read(api: GrafanaHttp, target: Target, config: GrafanaDashboardsConfig) -> list[Resource]:
    """Every resource of the target's place: owned ones read in full, unowned ones as refusals."""
    owned = {hit["uid"]: hit for hit in api.search(tag=[OWNER_TAG, f"{TARGET_TAG_PREFIX}{target.name}"])}
    owned = {uid: hit for uid, hit in owned.items() if tag_owner(hit.get("tags")) == target.name}
    wanted = {config.dashboard_uid(s.name): dashboard_title(s.name) for s in target.selected}
    resources = _read_owned(api, config, sorted(owned))
    taken: dict[str, Resource] = {}
    for hit in api.search_uids(sorted(set(wanted) - set(owned))):
        uid = str(hit.get("uid"))
        taken[uid] = Resource(DASHBOARD, uid, {}, owned=False, holder=_holder(hit, "holds that uid"))
    by_title = {title.lower(): uid for uid, title in wanted.items() if uid not in owned and uid not in taken}
    for hit in api.search(folderUIDs=[config.folder_uid]):
        same_title = by_title.get(str(hit.get("title", "")).lower())
        if same_title is not None and hit.get("uid") not in owned and same_title not in taken:
            holder = _holder(hit, "has that title in the same folder")
            taken[same_title] = Resource(DASHBOARD, same_title, {}, owned=False, holder=holder)
    return resources + [taken[uid] for uid in sorted(taken)]


def _holder(hit: Hit, clash: str) -> str:
    """Who holds a clashing dashboard, for MON410: `a dashboard not made by monaco (...)` or `target X (...)`."""
    folder = hit.get("folderUid")
    where = f"in folder {folder}" if folder else "at the root"
    what = f"dashboard {hit.get('title')!r}, uid {hit.get('uid')} {where}, {clash}"
    owner = holder_of(hit.get("tags"))
    return f"a dashboard not made by monaco ({what})" if owner == "not monaco" else f"{owner} ({what})"


def _read_owned(api: GrafanaHttp, config: GrafanaDashboardsConfig, uids: list[str]) -> list[Resource]:
    """Each owned dashboard by uid, `max_concurrency` at a time, in uid order (one deleted meanwhile is left out)."""

    def body(uid: str) -> dict[str, Any] | None:
        """The normalized body of one dashboard, None when it is gone."""
        try:
            return normalize(api.dashboard(uid))
        except GrafanaError as exc:
            if exc.status == 404:
                return None
            raise

    with ThreadPoolExecutor(max_workers=config.max_concurrency, thread_name_prefix="grafana-read") as pool:
        bodies = list(pool.map(body, uids))
    return [Resource(DASHBOARD, uid, found) for uid, found in zip(uids, bodies, strict=True) if found is not None]
