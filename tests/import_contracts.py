"""import-linter contracts for the registered backends, generated from the registry so a new backend needs no list.

The layers contract lives in pyproject.toml; these two follow `monaco.backends.REGISTRY`:
backends never import each other, and the shared Prometheus rule rendering and the CLI import no backend.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from monaco.backends import REGISTRY, backend_package

SHARED_NOT_A_BACKEND = ("monaco.backends.promrules", "monaco.backends.amconfig", "monaco.cli")
"""Modules every backend may use, or that must stay backend-neutral: they import no backend."""


def backend_packages() -> list[str]:
    """The sub-package of every registered backend."""
    return sorted({backend_package(kind) for kind in REGISTRY})


def contracts_ini(pyproject: Path) -> str:
    """An import-linter INI config: pyproject's contracts plus the two generated from the registry."""
    settings = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["importlinter"]
    contracts = [*settings.get("contracts", [])]
    contracts.append(
        {"name": "Backends never import each other", "type": "independence", "modules": backend_packages()}
    )
    contracts.append(
        {
            "name": "Shared Prometheus rule rendering and the CLI import no backend",
            "type": "forbidden",
            "source_modules": list(SHARED_NOT_A_BACKEND),
            "forbidden_modules": backend_packages(),
        }
    )
    lines = ["[importlinter]", f"root_package = {settings['root_package']}"]
    for i, contract in enumerate(contracts):
        lines += ["", f"[importlinter:contract:{i}]"]
        for key, value in contract.items():
            lines.append(
                f"{key} =" + "".join(f"\n    {v}" for v in value) if isinstance(value, list) else f"{key} = {value}"
            )
    return "\n".join(lines) + "\n"
