"""The workspaces under test: the repository's default `specs/` + `targets/` and every `examples/*/` folder."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]
"""The repository root."""
EXAMPLES = REPO / "examples"
"""Where the worked examples live."""


@dataclass(frozen=True, slots=True)
class Workspace:
    """A folder of service specs and the targets they compile to."""

    name: str
    specs: Path
    targets: Path

    def documents(self, folder: Path | None = None) -> list[tuple[Path, dict[str, Any]]]:
        """Every YAML document (path, mapping) of the loaded files: `_`-prefixed names are skipped, like the loader."""
        found: list[tuple[Path, dict[str, Any]]] = []
        for root in [folder] if folder else [self.specs, self.targets]:
            for path in sorted(root.rglob("*.y*ml")):
                if any(part.startswith("_") for part in path.relative_to(root).parts):
                    continue
                for doc in YAML(typ="safe", pure=True).load_all(path.read_text(encoding="utf-8")):
                    if isinstance(doc, dict):
                        found.append((path, doc))
        return found

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        """The documents of one kind (Service, Team, Target, Settings)."""
        return [doc for _, doc in self.documents() if doc.get("kind") == kind]


def all_workspaces() -> list[Workspace]:
    """The default workspace first, then every example that has both `specs/` and `targets/`."""
    found = [Workspace("default", REPO / "specs", REPO / "targets")]
    for folder in sorted(p for p in EXAMPLES.iterdir() if p.is_dir()) if EXAMPLES.is_dir() else []:
        if (folder / "specs").is_dir() and (folder / "targets").is_dir():
            found.append(Workspace(f"examples/{folder.name}", folder / "specs", folder / "targets"))
    return found


@dataclass(frozen=True, slots=True)
class Compiled:
    """What `monaco compile --out DIR` wrote for one workspace."""

    workspace: Workspace
    out: Path

    @property
    def rule_files(self) -> list[Path]:
        """Every Prometheus rule file written."""
        return sorted(self.out.glob("*/*.rules.yml"))

    @property
    def alertmanager_configs(self) -> list[Path]:
        """Every Alertmanager config file written (one per alertmanager target; other targets' files are not)."""
        names = {t["metadata"]["name"] for t in self.workspace.of_kind("Target") if t["backend"] == "alertmanager"}
        return sorted(p for p in self.out.glob("*/*.yml") if p.parent.name in names)


def monaco(*args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run `python -m monaco ARGS` as a CI job would, capturing its output; never raises on a non-zero exit."""
    return subprocess.run(
        [sys.executable, "-m", "monaco", "--no-color", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def compile_workspace(workspace: Workspace, out: Path) -> Compiled:
    """Compile `workspace` into `out` with the real CLI; fails with monaco's own output when it does not exit 0."""
    result = monaco("compile", "--specs", workspace.specs, "--targets", workspace.targets, "--out", out)
    assert result.returncode == 0, f"monaco compile of {workspace.name} failed:\n{result.stdout}{result.stderr}"
    return Compiled(workspace, out)
