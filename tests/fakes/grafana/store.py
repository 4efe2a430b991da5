"""The fake Grafana's state: folders and dashboards of one organisation, and the rules the real API applies.

Shapes and rules follow Grafana's HTTP API reference (`docs/sources/developers/http_api/dashboard.md`,
`folder.md`, `folder_dashboard_search.md` in grafana/grafana) and the save path of `pkg/services/dashboards`
(uid at most 40 characters, title required, folder must exist, a stale version or a same-title dashboard in
the folder refused with 412 unless `overwrite`).
"""

from __future__ import annotations

import copy
import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any

Document = dict[str, Any]
MAX_UID_LENGTH = 40
"""dashboard.md / folder.md: "The uid can have a maximum length of 40 characters"."""
_UID_CHARS = re.compile(r"^[a-zA-Z0-9\-_]*$")
"""pkg/util: IsValidShortUID, the characters a client-chosen uid may hold."""
CREATED = "2026-01-01T00:00:00Z"


class ApiError(Exception):
    """An error answer: HTTP status and Grafana's JSON body (`message`, and `status` for 412s)."""

    def __init__(self, status: int, message: str, status_text: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body: Document = {"message": message}
        if status_text is not None:
            self.body["status"] = status_text


def slugify(title: str) -> str:
    """Grafana's URL slug of a title: lower case, runs of other characters as one `-`."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


@dataclass(slots=True)
class Folder:
    """One folder: numeric id, uid and title."""

    id: int
    uid: str
    title: str
    version: int = 1

    def summary(self) -> Document:
        """The `GET /api/folders` element."""
        return {"id": self.id, "uid": self.uid, "title": self.title}

    def detail(self) -> Document:
        """The `GET /api/folders/:uid` answer."""
        return {
            **self.summary(),
            "url": f"/dashboards/f/{self.uid}/{slugify(self.title)}",
            "hasAcl": False,
            "canSave": True,
            "canEdit": True,
            "canAdmin": True,
            "canDelete": True,
            "createdBy": "admin",
            "created": CREATED,
            "updatedBy": "admin",
            "updated": CREATED,
            "version": self.version,
        }


@dataclass(slots=True)
class StoredDashboard:
    """One dashboard as Grafana keeps it: its JSON (with id, uid, version set) and its folder."""

    id: int
    uid: str
    folder_uid: str
    model: Document

    @property
    def title(self) -> str:
        """The dashboard's title."""
        return str(self.model.get("title", ""))

    @property
    def version(self) -> int:
        """The saved version (1 for a new dashboard, one more on every save)."""
        return int(self.model.get("version", 0))

    @property
    def tags(self) -> list[str]:
        """The dashboard's tags."""
        tags = self.model.get("tags") or []
        return [str(t) for t in tags]

    @property
    def url(self) -> str:
        """`/d/<uid>/<slug>`."""
        return f"/d/{self.uid}/{slugify(self.title)}"


@dataclass
class GrafanaStore:
    """Folders and dashboards in memory, thread-safe; every method applies the real API's rules."""

    folders: dict[str, Folder] = field(default_factory=dict)
    dashboards: dict[str, StoredDashboard] = field(default_factory=dict)
    next_id: int = 1
    lock: threading.RLock = field(default_factory=threading.RLock)

    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def create_folder(self, body: Document) -> Document:
        """`POST /api/folders`: uid optional (generated), title required; a taken uid is 409."""
        title = body.get("title")
        if not isinstance(title, str) or not title.strip():
            raise ApiError(400, "folder title cannot be empty")
        with self.lock:
            uid = body.get("uid") or f"f{self.next_id:09d}"
            _check_uid(str(uid))
            if uid in self.folders or uid in self.dashboards:
                raise ApiError(409, "a folder with the same uid already exists")
            if any(f.title == title for f in self.folders.values()):
                raise ApiError(409, "a folder or dashboard in the general folder with the same name already exists")
            folder = Folder(self._new_id(), str(uid), title)
            self.folders[folder.uid] = folder
            return folder.detail()

    def folder(self, uid: str) -> Document:
        """`GET /api/folders/:uid`; 404 when there is none."""
        with self.lock:
            if uid not in self.folders:
                raise ApiError(404, "folder not found")
            return self.folders[uid].detail()

    def list_folders(self, limit: int, page: int) -> list[Document]:
        """`GET /api/folders` (limit default 1000, page from 1), by title."""
        with self.lock:
            ordered = sorted(self.folders.values(), key=lambda f: (f.title.lower(), f.uid))
            return [f.summary() for f in ordered[(page - 1) * limit : page * limit]]

    def save_dashboard(self, body: Document) -> Document:
        """`POST /api/dashboards/db`: create or update, with Grafana's 400 and 412 refusals."""
        dashboard = body.get("dashboard")
        if not isinstance(dashboard, dict):
            raise ApiError(400, "bad request data")
        title = dashboard.get("title")
        if not isinstance(title, str) or not title.strip():
            raise ApiError(400, "Dashboard title cannot be empty")
        overwrite = body.get("overwrite") is True
        folder_uid = str(body.get("folderUid") or "")
        with self.lock:
            if folder_uid and folder_uid not in self.folders:
                raise ApiError(400, "folder not found")
            uid = str(dashboard.get("uid") or f"d{self.next_id:09d}")
            _check_uid(uid)
            existing = self.dashboards.get(uid)
            if existing is not None and not overwrite and dashboard.get("version") != existing.version:
                raise ApiError(412, "The dashboard has been changed by someone else", "version-mismatch")
            same_title = self._same_title(title, folder_uid, uid)
            if same_title is not None:
                if not overwrite:
                    raise ApiError(412, "A dashboard with the same name in the folder already exists", "name-exists")
                del self.dashboards[same_title.uid]  # overwrite replaces the other dashboard of that title
            stored = self._store(uid, folder_uid, dashboard, existing)
            return {
                "id": stored.id,
                "uid": stored.uid,
                "url": stored.url,
                "status": "success",
                "version": stored.version,
                "slug": slugify(stored.title),
            }

    def _same_title(self, title: str, folder_uid: str, uid: str) -> StoredDashboard | None:
        """Another dashboard of this title (case-insensitive, as Grafana compares) in the folder."""
        for other in self.dashboards.values():
            if other.uid != uid and other.folder_uid == folder_uid and other.title.lower() == title.lower():
                return other
        return None

    def _store(
        self, uid: str, folder_uid: str, dashboard: Document, existing: StoredDashboard | None
    ) -> StoredDashboard:
        """Keep the posted JSON with id, uid and the next version set."""
        model = copy.deepcopy(dashboard)
        ident = existing.id if existing is not None else self._new_id()
        model["id"] = ident
        model["uid"] = uid
        model["version"] = existing.version + 1 if existing is not None else 1
        stored = StoredDashboard(ident, uid, folder_uid, model)
        self.dashboards[uid] = stored
        return stored

    def dashboard(self, uid: str) -> Document:
        """`GET /api/dashboards/uid/:uid`: the dashboard and its meta; 404 when there is none."""
        with self.lock:
            found = self.dashboards.get(uid)
            if found is None:
                raise ApiError(404, "Dashboard not found")
            return {"dashboard": copy.deepcopy(found.model), "meta": self._meta(found)}

    def _meta(self, found: StoredDashboard) -> Document:
        folder = self.folders.get(found.folder_uid)
        return {
            "type": "db",
            "canSave": True,
            "canEdit": True,
            "canAdmin": True,
            "canStar": True,
            "canDelete": True,
            "slug": slugify(found.title),
            "url": found.url,
            "expires": "0001-01-01T00:00:00Z",
            "created": CREATED,
            "updated": CREATED,
            "updatedBy": "admin",
            "createdBy": "admin",
            "version": found.version,
            "hasAcl": False,
            "isFolder": False,
            "folderId": folder.id if folder else 0,
            "folderUid": found.folder_uid,
            "folderTitle": folder.title if folder else "Dashboards",
            "folderUrl": f"/dashboards/f/{folder.uid}/{slugify(folder.title)}" if folder else "",
            "provisioned": False,
            "provisionedExternalId": "",
        }

    def delete_dashboard(self, uid: str) -> Document:
        """`DELETE /api/dashboards/uid/:uid`; 404 when there is none."""
        with self.lock:
            found = self.dashboards.pop(uid, None)
            if found is None:
                raise ApiError(404, "Dashboard not found")
            return {"title": found.title, "message": f"Dashboard {found.title} deleted", "id": found.id}

    def search(self, query: SearchQuery) -> list[Document]:
        """`GET /api/search`: folders and dashboards matching every filter, by title, one page of them."""
        with self.lock:
            hits = [self._folder_hit(f) for f in self.folders.values() if query.wants_folder(f)]
            hits += [self._dashboard_hit(d) for d in self.dashboards.values() if query.wants_dashboard(d)]
        hits.sort(key=lambda hit: (str(hit["title"]).lower(), str(hit["uid"])))
        return hits[(query.page - 1) * query.limit : query.page * query.limit]

    @staticmethod
    def _folder_hit(folder: Folder) -> Document:
        url = f"/dashboards/f/{folder.uid}/{slugify(folder.title)}"
        return {
            "id": folder.id,
            "uid": folder.uid,
            "title": folder.title,
            "uri": f"db/{slugify(folder.title)}",
            "url": url,
            "slug": "",
            "type": "dash-folder",
            "tags": [],
            "isStarred": False,
            "sortMeta": 0,
        }

    def _dashboard_hit(self, found: StoredDashboard) -> Document:
        hit: Document = {
            "id": found.id,
            "uid": found.uid,
            "title": found.title,
            "uri": f"db/{slugify(found.title)}",
            "url": found.url,
            "slug": "",
            "type": "dash-db",
            "tags": sorted(found.tags),
            "isStarred": False,
            "sortMeta": 0,
        }
        folder = self.folders.get(found.folder_uid)
        if folder is not None:
            hit.update(
                folderId=folder.id,
                folderUid=folder.uid,
                folderTitle=folder.title,
                folderUrl=f"/dashboards/f/{folder.uid}/{slugify(folder.title)}",
            )
        return hit

    def snapshot(self) -> bytes:
        """Every folder and dashboard as canonical JSON bytes (sorted keys)."""
        with self.lock:
            state = {
                "folders": {uid: f.detail() for uid, f in sorted(self.folders.items())},
                "dashboards": {
                    uid: {"folderUid": d.folder_uid, "dashboard": d.model} for uid, d in sorted(self.dashboards.items())
                },
            }
            return json.dumps(state, sort_keys=True, separators=(",", ":")).encode()

    def reset(self) -> None:
        """Forget every folder and dashboard."""
        with self.lock:
            self.folders.clear()
            self.dashboards.clear()
            self.next_id = 1


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """The filters of one `GET /api/search` (folder_dashboard_search.md)."""

    query: str = ""
    tags: tuple[str, ...] = ()
    type: str | None = None
    dashboard_uids: tuple[str, ...] = ()
    folder_uids: tuple[str, ...] = ()
    limit: int = 1000
    page: int = 1

    def wants_folder(self, folder: Folder) -> bool:
        """A folder is a hit when folders are asked for and no dashboard-only filter excludes it."""
        if self.type not in (None, "dash-folder") or self.tags or self.dashboard_uids:
            return False
        if self.folder_uids:
            return False
        return self.query.lower() in folder.title.lower()

    def wants_dashboard(self, found: StoredDashboard) -> bool:
        """Every given tag (AND), a uid and folder among those given, the query within the title."""
        if self.type not in (None, "dash-db"):
            return False
        if not set(self.tags) <= set(found.tags):
            return False
        if self.dashboard_uids and found.uid not in self.dashboard_uids:
            return False
        folder = found.folder_uid or "general"
        if self.folder_uids and folder not in self.folder_uids:
            return False
        return self.query.lower() in found.title.lower()


def _check_uid(uid: str) -> None:
    """The 400s of a client-chosen uid: too long, or characters Grafana does not allow."""
    if len(uid) > MAX_UID_LENGTH:
        raise ApiError(400, "uid too long, max 40 characters")
    if not _UID_CHARS.match(uid):
        raise ApiError(400, "uid contains illegal characters")
