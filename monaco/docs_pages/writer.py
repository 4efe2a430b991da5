"""Writing rendered pages under the output directory: a page that exists already is kept, never overwritten."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from monaco.docs_pages.pages import Page

WRITTEN, KEPT = "written", "kept"


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """What happened to one page: `written` (new file) or `kept` (a file was there; left as it was)."""

    path: Path
    status: str


def write_pages(out_dir: Path, pages: list[Page]) -> list[PageOutcome]:
    """Create each page under `out_dir` unless its file exists; outcomes in the pages' order."""
    outcomes: list[PageOutcome] = []
    for page in pages:
        path = out_dir.joinpath(*page.path.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        outcomes.append(PageOutcome(path, WRITTEN if _create(path, page.text) else KEPT))
    return outcomes


def _create(path: Path, text: str) -> bool:
    """Write `text` to a new file at `path`; False (nothing written) when the file already exists."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return True
