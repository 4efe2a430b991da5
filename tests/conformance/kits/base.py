"""The conformance suite's handle on a backend (`BackendKit`), and the shared base of file-writing backends."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from tests.conformance.workspace import Workspace
from tests.faults.workspace import unwritable


class BackendKit:
    """The conformance suite's handle on one backend; subclasses fill in the backend-specific parts."""

    kind: ClassVar[str]
    holds_secrets: ClassVar[bool] = True
    """False when the backend has no place for a receiver's secret (Prometheus rule files)."""

    def __init__(self, ws: Workspace, request: pytest.FixtureRequest) -> None:
        self.ws = ws
        self.request = request

    def fixture(self, name: str) -> Any:
        """A pytest fixture this kit needs (a server), set up only when a property asks for it."""
        return self.request.getfixturevalue(name)

    @classmethod
    def golden_config(cls) -> dict[str, Any]:
        """The target config used to compile the golden matrix: no server, paths inside the workspace."""
        raise NotImplementedError

    @classmethod
    def write_inputs(cls, targets: Path) -> None:
        """Inputs the target reads besides specs (a base config), written beside the targets."""

    def config(self, live: bool = False) -> dict[str, Any]:
        """The target config against this backend's local system; `live` adds its real server if it has one."""
        raise NotImplementedError

    def snapshot(self) -> dict[str, bytes]:
        """Everything the target's live system holds, byte for byte, by a stable name."""
        raise NotImplementedError

    def create_unowned(self) -> str:
        """Create, out of band, an object without monaco's marker where `checkout` would be written; its name."""
        raise NotImplementedError

    def tamper(self) -> None:
        """Change one owned live object out of band (someone editing it by hand)."""
        raise NotImplementedError

    def inject_failure(self) -> contextlib.AbstractContextManager[None]:
        """While active, an apply fails part of the way through; removed again on exit."""
        raise NotImplementedError

    def inject_secret_failure(self) -> contextlib.AbstractContextManager[None]:
        """While active, the write that carries a secret fails (its error message must not show the secret)."""
        return self.inject_failure()

    def secret_places(self) -> list[bytes]:
        """The live data that must hold the receivers' real secret values."""
        return list(self.snapshot().values())

    def prepare(self, live: bool = False) -> None:
        """Write the workspace with this backend's target and inputs."""
        self.ws.write(self.kind, self.config(live))
        self.write_inputs(self.ws.targets)


def files_under(place: Path) -> dict[str, bytes]:
    """Every file under `place` (or `place` itself) by relative path; a directory in a file's place shows as one."""
    if place.is_file():
        return {place.name: place.read_bytes()}
    if not place.is_dir():
        return {}
    found: dict[str, bytes] = {}
    for path in sorted(place.rglob("*")):
        name = str(path.relative_to(place))
        found[name] = path.read_bytes() if path.is_file() else b"<directory>"
    return found


class FileKit(BackendKit):
    """A backend that writes files: `place` is its directory (or its one file), `checkout_file` holds checkout."""

    unowned_text: ClassVar[str]
    """What a hand-written file in checkout's place holds (no owner marker)."""
    hand_edit: ClassVar[tuple[str, str]]
    """A text replacement in checkout's file that someone editing it by hand might make (marker kept)."""
    place: Path

    def checkout_file(self) -> Path:
        """The file checkout's objects are written to."""
        raise NotImplementedError

    def snapshot(self) -> dict[str, bytes]:
        """Every file in the place the target writes (a directory in a file's place shows as one)."""
        return files_under(self.place)

    def create_unowned(self) -> str:
        """A hand-written file where checkout's would go."""
        path = self.checkout_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.unowned_text, encoding="utf-8")
        return path.name

    def tamper(self) -> None:
        """Hand-edit checkout's file, keeping the marker."""
        path = self.checkout_file()
        old, new = self.hand_edit
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {path}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    @contextlib.contextmanager
    def inject_failure(self) -> Iterator[None]:
        """checkout's file cannot be replaced: immutable as root; otherwise its directory is made read-only."""
        path = self.checkout_file()
        with unwritable(path if os.geteuid() == 0 else path.parent):
            yield
