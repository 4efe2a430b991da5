"""Plan and apply against a manifests directory: convergence, refusals, orphans, the lock and validate-time checks."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from monaco import engine
from monaco.backends.lock import file_lock, lock_path
from tests.operator.support import compile_workspace, operator_only_copy, run

MANIFESTS = Path("out/manifests")
HAND_WRITTEN = """\
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: monaco-storefront-api
  namespace: web
spec:
  groups: []
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A scratch copy of the operator workspace (operator target only)."""
    return operator_only_copy(tmp_path / "ws")


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())} if directory.is_dir() else {}


def test_plan_apply_plan_is_empty_and_writes_the_compiled_streams(workspace: Path, tmp_path: Path) -> None:
    """The first plan has changes, apply writes exactly what compile does, and the next plan is empty."""
    assert run(workspace, "plan", "--detailed-exitcode") == 2
    assert run(workspace, "apply", "--auto-approve") == 0
    assert run(workspace, "plan", "--detailed-exitcode") == 0
    compiled = compile_workspace(workspace, tmp_path / "out")
    written = {f"k8s/{name}": data.decode() for name, data in _snapshot(workspace / MANIFESTS).items()}
    assert written == compiled


def test_an_unowned_same_named_object_is_refused_and_left_alone(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hand-written PrometheusRule of the same namespace and name, in any file, is MON410; its file is untouched."""
    directory = workspace / MANIFESTS
    directory.mkdir(parents=True)
    (directory / "hand.yaml").write_text(HAND_WRITTEN, encoding="utf-8")
    before = _snapshot(directory)
    assert run(workspace, "plan") == 1
    assert run(workspace, "apply", "--auto-approve") == 1
    err = capsys.readouterr().err
    assert "MON410" in err and "prometheus_rule.web/monaco-storefront-api" in err and "not managed by monaco" in err
    assert _snapshot(directory) == before


def test_a_same_named_file_monaco_did_not_write_is_refused(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A manifest file without the owner header, where this target would write, is never overwritten."""
    directory = workspace / MANIFESTS
    directory.mkdir(parents=True)
    (directory / "monaco-web.yaml").write_text("# kept by hand\n", encoding="utf-8")
    assert run(workspace, "apply", "--auto-approve") == 1
    assert "manifest_file.monaco-web.yaml exists and is not managed by monaco" in capsys.readouterr().err
    assert (directory / "monaco-web.yaml").read_text(encoding="utf-8") == "# kept by hand\n"


def test_an_owned_orphan_is_deleted(workspace: Path) -> None:
    """A service removed from the specs loses its objects; a namespace left empty loses its file."""
    assert run(workspace, "apply", "--auto-approve") == 0
    (workspace / "specs" / "orders-db.yaml").unlink()
    session = engine.load([workspace / "specs"], [workspace / "targets"])
    changes = engine.plan(session, session.targets).targets[0].changes
    assert sorted((c.action.value, c.key) for c in changes) == [
        ("delete", "alertmanager_config.data/monaco-orders-db"),
        ("delete", "manifest_file.monaco-data.yaml"),
        ("delete", "prometheus_rule.data/monaco-orders-db"),
    ]
    assert run(workspace, "apply", "--auto-approve") == 0
    assert sorted(_snapshot(workspace / MANIFESTS)) == ["monaco-monitoring.yaml", "monaco-web.yaml"]
    assert run(workspace, "plan", "--detailed-exitcode") == 0


def test_a_hand_edited_stream_is_not_rewritten(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A document added by hand to monaco's stream (here a ConfigMap) makes the file not monaco's to rewrite."""
    assert run(workspace, "apply", "--auto-approve") == 0
    path = workspace / MANIFESTS / "monaco-web.yaml"
    path.write_text(
        path.read_text() + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra, namespace: web}\n"
    )
    before = path.read_bytes()
    spec = workspace / "specs" / "storefront-api.yaml"
    spec.write_text(spec.read_text().replace("for: 5m", "for: 6m", 1))
    assert run(workspace, "apply", "--auto-approve") == 1
    assert "a hand-edited monaco-web.yaml (it also holds ConfigMap web/extra)" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_apply_waits_for_the_lock_beside_the_directory(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """While another apply holds the directory's lock, apply writes nothing and names the holder."""
    directory = workspace / MANIFESTS
    with file_lock(lock_path(directory), 0):
        assert run(workspace, "apply", "--auto-approve") == 1
    captured = capsys.readouterr()
    assert "is locked by" in captured.out + captured.err
    assert not directory.exists() or not any(directory.iterdir())


def test_two_targets_writing_one_stream_are_a_validate_error(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """claims(): two targets writing the same namespace's file in one directory are MON132."""
    targets = workspace / "targets" / "targets.yaml"
    text = targets.read_text()
    targets.write_text(text + "---\n" + text.replace("name: k8s", "name: k8s-copy"))
    assert run(workspace, "plan") == 1
    assert "MON132" in capsys.readouterr().err


def _target(extra: str) -> str:
    return textwrap.dedent(
        f"""\
        apiVersion: monaco/v1
        kind: Target
        metadata: {{name: k8s}}
        backend: prometheus_operator
        config:
          manifests_dir: ../out/manifests
          namespace: monitoring
        {textwrap.indent(extra, "  ")}
        """
    )


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("", "warning[MON501]"),
        ("levels: {MON501: error, MON301: error}", "error[MON501]"),
        ("default_receiver: nobody", "error[MON502]"),
        ("rule_labels: {app.kubernetes.io/managed-by: helm}", "error[MON113]"),
    ],
    ids=["no-root-receiver", "its-level-set-by-the-target", "unknown-default-receiver", "owner-label-taken"],
)
def test_what_the_target_cannot_express_is_a_diagnostic(
    workspace: Path, capsys: pytest.CaptureFixture[str], extra: str, expected: str
) -> None:
    """No receiver for other alerts (at the level `levels` sets), an unknown default_receiver, a label monaco owns."""
    (workspace / "targets" / "targets.yaml").write_text(_target(extra))
    run(workspace, "plan")
    err = capsys.readouterr().err
    assert expected in err, err
    assert "Traceback" not in err
