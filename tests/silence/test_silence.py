"""`monaco silence` against a live Alertmanager process: create, list and expire owned silences, refuse others'."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.live import free_port, get_json, poll
from tests.quiet_hours.live import alertmanager, base_config, post_alert
from tests.quiet_hours.workspace import SERVICE, write_specs, write_target
from tests.threaded_server import LOCALHOST
from tests.tools.workspaces import REPO


@dataclass(frozen=True)
class Live:
    """The workspace root and the running Alertmanager's URL."""

    root: Path
    url: str

    def silence(self, *args: str, targets: str = "targets") -> subprocess.CompletedProcess[str]:
        """`monaco silence ARGS` on the workspace (stdin not a terminal), bounded."""
        action, *rest = args
        argv = [sys.executable, "-m", "monaco", "--no-color", "silence", action]
        argv += ["--specs", str(self.root / "specs"), "--targets", str(self.root / targets), *rest]
        return subprocess.run(argv, cwd=REPO, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)

    def silences(self) -> dict[str, dict[str, Any]]:
        """Every silence Alertmanager holds, by id."""
        return {s["id"]: s for s in get_json(f"{self.url}/api/v2/silences")}

    def foreign(self, created_by: str = "alice", comment: str = "network work") -> str:
        """A silence someone else made through the API; its id."""
        now = time.time()
        body = {
            "matchers": [{"name": "service", "value": SERVICE, "isRegex": False, "isEqual": True}],
            "startsAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
            "endsAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now + 3600)),
            "createdBy": created_by,
            "comment": comment,
        }
        request = urllib.request.Request(
            f"{self.url}/api/v2/silences", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=5) as answer:
            return str(json.loads(answer.read())["silenceID"])


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The quiet-hours workspace applied to a config file, Alertmanager serving it, targets naming its url."""
    root = tmp_path_factory.mktemp("silence")
    write_specs(root / "specs", "http://127.0.0.1:9", [], "x", "x")
    _plain_routes(root / "specs" / "payments.yaml")
    (root / "base.yml").write_text(json.dumps(base_config("http://127.0.0.1:9")), encoding="utf-8")
    config = {"config_file": "../out/alertmanager.yml", "base_config": "../base.yml"}
    write_target(root / "bootstrap", "am", "alertmanager", config)
    argv = [sys.executable, "-m", "monaco", "apply", "--auto-approve", "--specs", str(root / "specs")]
    applied = subprocess.run([*argv, "--targets", str(root / "bootstrap")], cwd=REPO, capture_output=True, text=True)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    with alertmanager(root, root / "out" / "alertmanager.yml") as url:
        write_target(root / "targets", "am", "alertmanager", {**config, "url": url})
        write_target(root / "other", "am-staging", "alertmanager", {**config, "url": url})
        write_target(root / "no-url", "am", "alertmanager", config)
        write_target(root / "down", "am", "alertmanager", {**config, "url": f"http://{LOCALHOST}:{free_port()}"})
        yield Live(root, url)


def _plain_routes(path: Path) -> None:
    """Drop the interval fields from the workspace's routes (this module tests silences only)."""
    docs = [json.loads(part) for part in path.read_text().split("\n---\n")]
    for route in docs[1]["routes"]:
        route.pop("mute_during", None)
        route.pop("active_during", None)
    path.write_text("\n---\n".join(json.dumps(d, indent=2) for d in docs) + "\n")


def _created(live: Live, *extra: str) -> str:
    done = live.silence("create", "--service", SERVICE, "--duration", "2h", "--comment", "db upgrade", "--yes", *extra)
    assert done.returncode == 0, done.stdout + done.stderr
    return str(json.loads(done.stdout)["silence_id"]) if "json" in extra else done.stdout.split("silence ")[1][:36]


def _created_on_other_target(live: Live, comment: str) -> subprocess.CompletedProcess[str]:
    """A 1h silence of the service made through the other alertmanager target (its JSON answer)."""
    args = ("--service", SERVICE, "--duration", "1h", "--comment", comment, "--yes", "--format", "json")
    return live.silence("create", *args, targets="other")


def test_create_makes_an_owned_silence_that_silences_the_services_alerts(live: Live) -> None:
    """The silence matches service=checkout for 2h, is createdBy monaco with the marker, and an alert is silenced."""
    silence_id = _created(live, "--format", "json")
    silence = live.silences()[silence_id]
    assert silence["createdBy"] == "monaco" and silence["status"]["state"] == "active"
    assert silence["matchers"] == [{"name": "service", "value": SERVICE, "isRegex": False, "isEqual": True}]
    assert silence["comment"] == f"db upgrade [monaco-silence target=am service={SERVICE}]"
    post_alert(live.url, {"alertname": "CheckoutDown", "service": SERVICE, "severity": "critical"})

    def silenced() -> bool:
        alerts = get_json(f"{live.url}/api/v2/alerts?filter=alertname%3D%22CheckoutDown%22")
        return any(silence_id in a["status"]["silencedBy"] for a in alerts)

    poll("the alert to be silenced by monaco's silence", silenced, timeout=15)


def test_list_shows_monacos_silences_and_not_others(live: Live) -> None:
    """JSON and text lists hold monaco's silence of this target, never a person's or another target's."""
    mine = _created(live)
    theirs = live.foreign()
    staging = _created_on_other_target(live, "x")
    assert staging.returncode == 0, staging.stderr
    listed = live.silence("list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    ids = [row["id"] for row in json.loads(listed.stdout)["silences"]]
    assert mine in ids and theirs not in ids and json.loads(staging.stdout)["silence_id"] not in ids
    text = live.silence("list", "--service", SERVICE)
    assert text.returncode == 0 and mine in text.stdout and "db upgrade" in text.stdout and "[monaco" not in text.stdout


def test_expire_by_id_ends_only_monacos_silence(live: Live) -> None:
    """A person's silence is refused (MON474) and stays active; monaco's own is expired."""
    theirs = live.foreign()
    refused = live.silence("expire", theirs)
    assert refused.returncode == 1 and "MON474" in refused.stderr + refused.stdout
    assert "alice" in refused.stderr + refused.stdout and "Traceback" not in refused.stderr
    assert live.silences()[theirs]["status"]["state"] == "active"
    mine = _created(live)
    done = live.silence("expire", mine)
    assert done.returncode == 0, done.stdout + done.stderr
    assert live.silences()[mine]["status"]["state"] == "expired"


def test_a_silence_made_as_monaco_without_the_marker_or_by_another_target_is_refused(live: Live) -> None:
    """createdBy monaco alone does not make a silence monaco's; nor does another target's marker."""
    forged = live.foreign(created_by="monaco", comment="looks like monaco's")
    refused = live.silence("expire", forged)
    assert refused.returncode == 1 and "MON474" in refused.stderr
    staging = _created_on_other_target(live, "y")
    other = json.loads(staging.stdout)["silence_id"]
    refused = live.silence("expire", other)
    assert refused.returncode == 1 and "target am-staging" in refused.stderr
    assert live.silences()[other]["status"]["state"] == "active"
    assert live.silence("expire", "no-such-id").returncode == 1


def test_expire_by_service_ends_every_live_owned_silence(live: Live) -> None:
    """`expire --service` expires monaco's silences of the service on this target and leaves the rest."""
    first, second, theirs = _created(live), _created(live), live.foreign()
    done = live.silence("expire", "--service", SERVICE, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert {first, second} <= set(json.loads(done.stdout)["expired"])
    states = {k: v["status"]["state"] for k, v in live.silences().items()}
    assert states[first] == states[second] == "expired" and states[theirs] == "active"
    assert json.loads(live.silence("list", "--format", "json").stdout)["silences"] == []


def test_refusals_are_diagnostics(live: Live) -> None:
    """No --yes without a terminal, an unknown service, a target without url, bad arguments: exit 1, no traceback."""
    cases = [
        (("create", "--service", SERVICE, "--duration", "1h", "--comment", "x"), "MON475", "targets"),
        (("create", "--service", "ledger", "--duration", "1h", "--comment", "x", "--yes"), "MON471", "targets"),
        (("create", "--service", SERVICE, "--duration", "soon", "--comment", "x", "--yes"), "MON472", "targets"),
        (("create", "--service", SERVICE, "--duration", "1h", "--comment", " ", "--yes"), "MON472", "targets"),
        (("list",), "MON470", "no-url"),
        (("list", "--target", "nope"), "MON470", "targets"),
        (("expire",), "not both and not neither", "targets"),
    ]
    for args, expected, targets in cases:
        done = live.silence(*args, targets=targets)
        assert done.returncode == 1 and expected in done.stdout + done.stderr, (args, done.stdout + done.stderr)
        assert "Traceback" not in done.stderr


def test_an_unreachable_api_is_a_diagnostic_within_the_timeout(live: Live) -> None:
    """Nothing listens at the target's url: MON473 naming it, quickly, for create, list and expire."""
    for args in (
        ("create", "--service", SERVICE, "--duration", "1h", "--comment", "x", "--yes"),
        ("list",),
        ("expire", "--service", SERVICE),
    ):
        started = time.monotonic()
        done = live.silence(*args, targets="down")
        assert done.returncode == 1 and "MON473" in done.stderr, done.stdout + done.stderr
        assert "Traceback" not in done.stderr and time.monotonic() - started < 30
