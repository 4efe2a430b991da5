"""The CI files: pinned, serialised, plan with --detailed-exitcode; the GitLab job keeps ONE note, on a fake API.

The GitLab plan job's own script runs (bash, curl, jq, the real monaco) against a fake of GitLab's Notes API
on 127.0.0.1, twice, and then with a broken spec: one note is created, then updated, never duplicated.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
from ruamel.yaml import YAML

from tests.threaded_server import ThreadedServer
from tests.tools.workspaces import REPO

WORKFLOW = REPO / ".github" / "workflows" / "monaco.yml"
GITLAB = REPO / "examples" / "ci" / "gitlab-ci.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")
TOKEN = "glpat-test-token"
PROJECT, MR = "42", "7"
MARKER = "<!-- monaco-plan -->"


def _yaml(path: Path) -> Any:
    """A CI file as data."""
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def test_github_actions_are_pinned_and_jobs_serialised() -> None:
    """Every `uses:` is a full commit SHA; plan is per PR and cancellable, apply one at a time and never cancelled."""
    workflow = _yaml(WORKFLOW)
    uses = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert uses and all(PINNED.match(u) for u in uses), uses
    plan, apply = workflow["jobs"]["plan"], workflow["jobs"]["apply"]
    assert plan["concurrency"]["cancel-in-progress"] is True
    assert "pull_request.number" in plan["concurrency"]["group"]
    assert plan["permissions"]["pull-requests"] == "write"
    assert apply["concurrency"] == {"group": "monaco-apply", "cancel-in-progress": False}
    assert "refs/heads/main" in apply["if"] and apply["environment"] == "production"
    plan_text = "\n".join(step.get("run", "") for step in plan["steps"])
    assert "--format markdown" in plan_text and "--detailed-exitcode" in plan_text
    assert "monaco apply" in "\n".join(step.get("run", "") for step in apply["steps"])
    assert MARKER in "\n".join(step.get("with", {}).get("script", "") for step in plan["steps"])
    secrets = re.findall(r"\$\{\{\s*secrets\.(\w+)\s*\}\}", WORKFLOW.read_text(encoding="utf-8"))
    assert secrets and "GITHUB_TOKEN" not in secrets


def test_gitlab_jobs_are_serialised_and_pinned() -> None:
    """The image is an exact tag, monaco an exact version; apply runs alone on the default branch."""
    pipeline = _yaml(GITLAB)
    assert re.fullmatch(r"python:\d+\.\d+\.\d+-slim-\w+", pipeline["default"]["image"])
    assert any(re.search(r"monaco-mac==\d+\.\d+\.\d+", line) for line in pipeline["default"]["before_script"])
    apply = pipeline["apply"]
    assert apply["resource_group"] == "monaco-apply" and apply["interruptible"] is False
    assert "$CI_DEFAULT_BRANCH" in apply["rules"][0]["if"]
    assert any("--detailed-exitcode" in line for line in pipeline["plan"]["script"])


def test_the_pre_commit_hook_runs_monaco_validate(tmp_path: Path) -> None:
    """The hook's entry is `monaco validate` on the whole workspace; run as pre-commit would, it passes and fails."""
    (hook,) = _yaml(HOOKS)
    assert hook["id"] == "monaco-validate" and hook["entry"] == "monaco validate"
    assert hook["pass_filenames"] is False and hook["language"] == "python"
    assert re.match(hook["files"], "specs/checkout.yaml") and not re.match(hook["files"], "README.md")
    workspace = _workspace_copy(tmp_path)
    assert _run_entry(hook["entry"], workspace).returncode == 0
    (workspace / "specs" / "broken.yaml").write_text("apiVersion: monaco/v1\nkind: Service\nmetadata: {}\n")
    failed = _run_entry(hook["entry"], workspace)
    assert failed.returncode == 1 and "MON111" in failed.stderr


def _run_entry(entry: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The hook's entry run the way pre-commit runs it (no file names), with the venv's monaco first on PATH."""
    return subprocess.run(
        entry.split(), cwd=cwd, env=_env({}), capture_output=True, text=True, timeout=120, check=False
    )


def _env(extra: dict[str, str]) -> dict[str, str]:
    """The test's environment with the venv's `monaco` first on PATH and colour off."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return {**os.environ, "PATH": path, "NO_COLOR": "1", **extra}


def _workspace_copy(tmp_path: Path) -> Path:
    """The repo's default specs/ and targets/ in a scratch folder (plan and CI files are written beside them)."""
    workspace = tmp_path / "repo"
    shutil.copytree(REPO / "specs", workspace / "specs")
    shutil.copytree(REPO / "targets", workspace / "targets")
    return workspace


@dataclass
class NotesApi:
    """GitLab's merge-request Notes API, as its reference describes it, for one project and merge request.

    Rules from https://docs.gitlab.com/ee/api/notes.html: a PRIVATE-TOKEN is required (401 otherwise);
    `body` is required on create and update (400 when missing); notes are listed in pages (`per_page`,
    at most 100); a note's body holds at most 1,000,000 characters (400 beyond)."""

    notes: list[dict[str, Any]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, method: str, path: str, token: str | None, body: bytes) -> tuple[int, Any]:
        """(status, JSON answer) of one request."""
        base = f"/api/v4/projects/{PROJECT}/merge_requests/{MR}/notes"
        with self.lock:
            self.requests.append(f"{method} {path.split('?')[0]}")
            if token != TOKEN:
                return 401, {"message": "401 Unauthorized"}
            route = path.split("?")[0]
            if method == "GET" and route == base:
                per_page = min(int(dict(_query(path)).get("per_page", "20")), 100)
                return 200, self.notes[:per_page]
            text = json.loads(body or b"{}").get("body") if method in ("POST", "PUT") else None
            if method in ("POST", "PUT") and (not isinstance(text, str) or not text):
                return 400, {"message": "400 Bad request - body is missing"}
            if text is not None and len(text) > 1_000_000:
                return 400, {"message": "Note is too long (maximum is 1000000 characters)"}
            if method == "POST" and route == base:
                note = {"id": 100 + len(self.notes), "body": text, "author": {"username": "bot"}}
                self.notes.append(note)
                return 201, note
            found = [n for n in self.notes if route == f"{base}/{n['id']}"]
            if method == "PUT" and found:
                found[0]["body"] = text
                return 200, found[0]
            return 404, {"message": "404 Not found"}


def _query(path: str) -> list[tuple[str, str]]:
    """The query string's pairs."""
    return parse_qsl(path.partition("?")[2])


@pytest.fixture
def notes_api() -> Iterator[tuple[NotesApi, str]]:
    """A fake Notes API on 127.0.0.1 (ephemeral port) and its `CI_API_V4_URL`; stopped after the test."""
    api = NotesApi()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, answer = api.handle(self.command, self.path, self.headers.get("PRIVATE-TOKEN"), body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = _answer

        def log_message(self, format: str, *args: Any) -> None:
            """Keep the test output quiet."""

    server = ThreadedServer()
    server.serve(Handler, "fake-gitlab-notes")
    try:
        yield api, f"{server.url}/api/v4"
    finally:
        server.stop()


def _plan_job(workspace: Path, api_url: str) -> subprocess.CompletedProcess[str]:
    """The GitLab plan job's script, as GitLab runs it (one shell, -e -o pipefail), without its apt-get line."""
    lines = [line for line in _yaml(GITLAB)["plan"]["script"] if not line.startswith("apt-get")]
    variables = {
        "CI_API_V4_URL": api_url,
        "CI_PROJECT_ID": PROJECT,
        "CI_MERGE_REQUEST_IID": MR,
        "MONACO_GITLAB_TOKEN": TOKEN,
    }
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", "\n".join(lines)],
        cwd=workspace,
        env=_env(variables),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_the_gitlab_plan_job_keeps_one_note(notes_api: tuple[NotesApi, str], tmp_path: Path) -> None:
    """First run creates the note, the second updates it, a human's note is untouched, a failed plan is shown."""
    api, url = notes_api
    api.notes.append({"id": 1, "body": "LGTM, but check the routes", "author": {"username": "alice"}})
    workspace = _workspace_copy(tmp_path)
    first = _plan_job(workspace, url)
    assert first.returncode == 0, first.stderr
    ours = [n for n in api.notes if n["body"].startswith(MARKER)]
    assert len(ours) == 1 and "### monaco plan" in ours[0]["body"] and "to add" in ours[0]["body"]
    assert ours[0]["body"].removeprefix(MARKER + "\n") == (workspace / "plan.md").read_text(encoding="utf-8")
    assert (workspace / "plan.json").is_file()
    second = _plan_job(workspace, url)
    assert second.returncode == 0, second.stderr
    assert [n["id"] for n in api.notes] == [1, ours[0]["id"]]
    assert api.requests.count(f"PUT /api/v4/projects/{PROJECT}/merge_requests/{MR}/notes/{ours[0]['id']}") == 1
    assert api.notes[0]["body"] == "LGTM, but check the routes"
    (workspace / "specs" / "broken.yaml").write_text("apiVersion: monaco/v1\nkind: Service\nmetadata: {}\n")
    failed = _plan_job(workspace, url)
    assert failed.returncode != 0
    assert len(api.notes) == 2 and "monaco plan failed" in api.notes[1]["body"] and "MON111" in api.notes[1]["body"]


def test_the_gitlab_plan_job_fails_without_a_token(notes_api: tuple[NotesApi, str], tmp_path: Path) -> None:
    """A missing or wrong token is a failed job (curl --fail on the 401), not a silently missing comment."""
    api, url = notes_api
    workspace = _workspace_copy(tmp_path)
    lines = [line for line in _yaml(GITLAB)["plan"]["script"] if not line.startswith("apt-get")]
    result = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", "\n".join(lines)],
        cwd=workspace,
        env=_env({"CI_API_V4_URL": url, "CI_PROJECT_ID": PROJECT, "CI_MERGE_REQUEST_IID": MR}),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode != 0 and "401" in result.stderr
    assert api.notes == []
