"""MON1108: a paging alert's runbook URL under Settings `lint.docs_url` names a page that exists in `lint.docs_dir`.

`monaco docs --out DIR` writes the pages (`monaco.docs_pages`) and the folder is published at docs_url;
a URL under docs_url is mapped to the file below docs_dir at the same relative path. A published page
may drop or change its extension, so `x`, `x.md`, `x.html` -> `x.md`, and a folder's `index.md` or
`README.md` all count as the page. URLs elsewhere are not checked (nothing is fetched).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from monaco.diagnostics import Level
from monaco.lint.context import LintContext
from monaco.lint.rule import Finding, Rule
from monaco.spec.yaml_loader import Path as SpecPath


def candidates(docs_dir: Path, relative: str) -> list[Path]:
    """The files that would serve `relative` (a URL path below docs_url) from docs_dir."""
    base = docs_dir / relative.strip("/") if relative.strip("/") else docs_dir
    found = [base, base.with_name(base.name + ".md"), base / "index.md", base / "README.md"]
    if base.suffix == ".html":
        found.append(base.with_suffix(".md"))
    return found


def missing_page(context: LintContext, url: str) -> Path | None:
    """The file a runbook URL under docs_url should be (when none of its candidates exists), else None."""
    settings = context.settings
    if settings.docs_dir is None or settings.docs_url is None:
        return None
    root = settings.docs_url.rstrip("/") + "/"
    plain = url.split("#", 1)[0].split("?", 1)[0]
    if not (plain + "/").startswith(root):
        return None
    relative = unquote(urlsplit(plain).path)[len(unquote(urlsplit(root).path)) :]
    docs_dir = context.settings_dir() / settings.docs_dir
    files = candidates(docs_dir, relative)
    if any(f.is_file() for f in files):
        return None
    return files[0] if files[0].suffix else files[1]


def _places(context: LintContext) -> Iterator[tuple[str, str, SpecPath, str]]:
    """(service, what pages, spec path of the runbook written, URL) of each paging alert and burn tier."""
    for service, index, alert in context.alerts():
        if context.pages(alert.severity) and alert.runbook:
            own = context.located(service).spec.alerts[index].runbook is not None
            path: SpecPath = ("alerts", index, "runbook") if own else ("metadata", "runbook")
            yield service.name, f"alert {alert.name}", path, alert.runbook
    for service, _, slo in context.slos():
        for tier in slo.tiers:
            if context.pages(tier.severity) and service.runbook:
                yield service.name, f"SLO {slo.name}'s {tier.name} tier", ("metadata", "runbook"), service.runbook


def check(context: LintContext) -> Iterator[Finding]:
    """Each runbook URL of a paging alert or tier, under docs_url, whose page is not in docs_dir (once per place)."""
    seen: set[tuple[str, SpecPath]] = set()
    docs_dir = context.settings.docs_dir or ""
    for service_name, what, path, url in _places(context):
        expected = missing_page(context, url)
        if expected is None or (service_name, path) in seen:
            continue
        seen.add((service_name, path))
        service = next(s for s in context.model.services if s.name == service_name)
        yield Finding(
            f"{what} links its runbook to {url}, under docs_url, but {expected} does not exist",
            context.span(service, path),
            f"run `monaco docs --out {docs_dir}` to write the missing runbook pages, or fix the URL",
        )


RULE = Rule(
    "MON1108",
    Level.WARNING,
    "a runbook URL under docs_url names a page in docs_dir",
    "run `monaco docs --out <docs_dir>` to write the missing runbook pages, or fix the URL",
    check,
)
