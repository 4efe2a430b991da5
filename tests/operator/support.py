"""The operator test workspace: compile it, copy it, read manifest streams; the CRD schemas, made strict."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from monaco.cli.main import main

WORKSPACE = Path(__file__).parent / "workspace"
GOLDEN = Path(__file__).parent / "golden"
CRDS = Path(__file__).parent / "crds"
OPERATOR_TARGET = "k8s"
PROMETHEUS_TARGET = "prom"


def compile_workspace(root: Path, out: Path) -> dict[str, str]:
    """`monaco compile` of a workspace: every written file (path under `out` -> text)."""
    code = main(["compile", "--specs", str(root / "specs"), "--targets", str(root / "targets"), "--out", str(out)])
    assert code == 0
    return {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file()}


def operator_only_copy(root: Path) -> Path:
    """A scratch copy of the workspace whose only target is the operator one (so apply writes only manifests)."""
    shutil.copytree(WORKSPACE / "specs", root / "specs")
    (root / "targets").mkdir()
    text = (WORKSPACE / "targets" / "targets.yaml").read_text(encoding="utf-8")
    operator_doc = next(doc for doc in text.split("\n---\n") if "backend: prometheus_operator" in doc)
    (root / "targets" / "targets.yaml").write_text(operator_doc + "\n", encoding="utf-8")
    return root


def documents(text: str) -> list[dict[str, Any]]:
    """The documents of a YAML stream."""
    return [d for d in YAML(typ="safe", pure=True).load_all(text) if d is not None]


def run(root: Path, *args: str) -> int:
    """A monaco command against the scratch workspace's specs and targets."""
    return main([*args, "--specs", str(root / "specs"), "--targets", str(root / "targets")])


def _scoped_flags(pattern: str) -> str:
    """Go's RE2 flag group inside a group (`((?i)sun|mon)day`: case-insensitive to the group's end) as Python's
    scoped one (`((?i:sun|mon))day`); Python refuses a global flag that is not at the start."""
    out: list[str] = []
    opened: list[int] = []  # per open group: the scoped flag groups to close with it
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif pattern.startswith("(?i)", i) and opened:
            out.append("(?i:")
            opened[-1] += 1
            i += 4
        elif pattern[i] == "(":
            opened.append(0)
            out.append("(")
            i += 1
        elif pattern[i] == ")":
            out.append(")" * (opened.pop() if opened else 0) + ")")
            i += 1
        else:
            out.append(pattern[i])
            i += 1
    return "".join(out)


def _strict(schema: Any) -> Any:
    """The schema with unknown fields refused wherever it lists an object's properties.

    Go's RE2 takes a flag group after `^` (`^(?i)...`); Python wants it first, with the same meaning. One
    inside a group is scoped to it (`_scoped_flags`).
    """
    if isinstance(schema, dict):
        result = {k: _strict(v) for k, v in schema.items()}
        if "properties" in result and "additionalProperties" not in result:
            result["additionalProperties"] = False
        if str(result.get("pattern", "")).startswith("^(?i)"):
            result["pattern"] = "(?i)^" + result["pattern"][len("^(?i)") :]
        if isinstance(result.get("pattern"), str):
            result["pattern"] = _scoped_flags(result["pattern"])
        return result
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


def crd_schema(name: str) -> dict[str, Any]:
    """A CRD schema from crds/, strict (`_strict`)."""
    schema: dict[str, Any] = _strict(json.loads((CRDS / name).read_text(encoding="utf-8")))
    return schema


def route_and_descendants(route: dict[str, Any]) -> list[dict[str, Any]]:
    """A route and all its descendants."""
    return [route, *(r for child in route.get("routes", []) for r in route_and_descendants(child))]
