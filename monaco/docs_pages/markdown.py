"""Small Markdown builders shared by the runbook and postmortem pages (pure)."""

from __future__ import annotations

import re
from collections.abc import Sequence

FILL_IN = "_To fill in._"


def code_block(text: str, language: str = "promql") -> str:
    """A fenced code block; the fence is longer than any backtick run inside `text`."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text.rstrip()}\n{fence}"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A pipe table; `|` inside a cell is escaped."""
    lines = [_row(header), _row(["---"] * len(header))]
    lines += [_row(row) for row in rows]
    return "\n".join(lines)


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def bullets(items: Sequence[str], empty: str) -> str:
    """A bullet list, or `empty` as a sentence when there are no items."""
    return "\n".join(f"- {item}" for item in items) if items else empty


def section(title: str, body: str) -> str:
    """A level-2 heading and its body."""
    return f"## {title}\n\n{body.strip()}\n"


def page(title: str, intro: str, sections: Sequence[str]) -> str:
    """A whole page: a level-1 title, an intro paragraph, then the sections; one trailing newline."""
    return "\n".join([f"# {title}\n", intro.strip() + "\n", *sections]).rstrip() + "\n"
