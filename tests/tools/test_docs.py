"""The docs pages: generated tables current, every spec model and registered backend documented, links resolve."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import jsonschema
from ruamel.yaml import YAML

from monaco import engine
from monaco.backends import REGISTRY
from monaco.diagnostics import Level
from tests.tools.workspaces import REPO

DOCS = REPO / "docs"
LINK = re.compile(r"\]\((?P<target>[^)#\s]+)(?:#[^)]*)?\)")


def _generator() -> ModuleType:
    """docs/generate.py, imported from its path (docs/ is no package)."""
    spec = importlib.util.spec_from_file_location("docs_generate", DOCS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_tables_are_current() -> None:
    """Each page equals what the generator writes; regenerate with `.venv/bin/python docs/generate.py`."""
    generate = _generator()
    for page in generate.PAGES:
        text = page.read_text(encoding="utf-8")
        assert generate.render(text) == text, f"{page.name} is stale: run .venv/bin/python docs/generate.py"


def test_every_spec_model_and_backend_has_a_table() -> None:
    """Every model of the JSON Schema is in specs.md and every registered backend in targets.md."""
    generate = _generator()
    pages = {page.name: page.read_text(encoding="utf-8") for page in generate.PAGES}
    assert generate.undocumented(pages) == []
    assert {name for what, name in generate.blocks(pages["targets.md"]) if what == "target"} == set(REGISTRY)
    assert len(generate.blocks(pages["specs.md"])) > 30


def test_every_key_has_a_meaning() -> None:
    """No row of a field table has an empty meaning: a field without a description needs a note in the generator."""
    for name in ("specs.md", "targets.md"):
        rows = [line for line in (DOCS / name).read_text(encoding="utf-8").splitlines() if line.startswith("| `")]
        assert len(rows) > 50
        empty = [row for row in rows if row.rstrip().endswith("|  |")]
        assert empty == [], f"{name}: {empty}"
        untyped = [row for row in rows if "| any |" in row]
        assert untyped == [], f"{name}: the generator could not name these types: {untyped}"


def test_the_pages_cover_what_users_write() -> None:
    """SLI kinds with units and `{{window}}`, tiers, severities, routes, secrets, rule tests, CI habits."""
    specs = (DOCS / "specs.md").read_text(encoding="utf-8")
    for words in ("### ratio", "### latency", "### gauge", "{{window}}", "in the metric's unit", "_bucket"):
        assert words in specs, words
    for words in ("## Burn-rate alerting", "## Severities and Settings", "## Routes, receivers and secrets"):
        assert words in specs, words
    assert "## Rule tests (`tests:`)" in specs and "{env: NAME}" in specs
    ci = (DOCS / "ci.md").read_text(encoding="utf-8")
    for words in ("--detailed-exitcode", "<!-- monaco-plan -->", "--lock-timeout", "pre-commit"):
        assert words in ci, words


def test_relative_links_resolve() -> None:
    """Every relative link of the docs pages and the README points at a file or folder that exists."""
    for page in [*DOCS.glob("*.md"), REPO / "README.md"]:
        for match in LINK.finditer(page.read_text(encoding="utf-8")):
            target = match["target"]
            if "://" in target or target.startswith("mailto:"):
                continue
            assert (page.parent / target).exists(), f"{page.relative_to(REPO)}: broken link {target}"


def test_the_readme_links_every_page() -> None:
    """The README's Documentation section names each page under docs/."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Documentation", 1)[1].split("\n## ", 1)[0]
    for page in sorted(DOCS.glob("*.md")):
        assert f"(docs/{page.name})" in section, page.name


def _document_blocks() -> list[tuple[str, str]]:
    """(page:line, text) of every ```yaml block of the docs pages that holds whole monaco documents."""
    found = []
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for match in re.finditer(r"```yaml\n(?P<body>.*?)```", text, re.S):
            if "apiVersion: monaco/v1" in match["body"]:
                found.append((f"{page.name}:{text[: match.start()].count(chr(10)) + 1}", match["body"]))
    return found


def test_the_documents_the_pages_show_are_valid(tmp_path: Path) -> None:
    """Each whole document a page shows conforms to the schema and loads without an error."""
    blocks = _document_blocks()
    assert len(blocks) >= 3
    schema = json.loads((REPO / "monaco" / "schema" / "monaco-v1.json").read_text(encoding="utf-8"))
    for where, body in blocks:
        for doc in YAML(typ="safe", pure=True).load_all(body):
            jsonschema.validate(json.loads(json.dumps(doc)), schema)
        folder = tmp_path / where.replace(":", "-").replace(".", "-")
        folder.mkdir()
        (folder / "doc.yaml").write_text(body, encoding="utf-8")
        session = engine.load([folder], [])
        errors = [f"{d.code} {d.message}" for d in session.diagnostics.sorted() if d.level is Level.ERROR]
        assert errors == [], f"{where}: {errors}"
