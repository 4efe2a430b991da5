"""The Go template checker against the real promtool: what promtool accepts passes, what it refuses fails."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from monaco.backends.promrules.gotemplate import check_template
from tests.conftest import require_tool

ACCEPTED = [
    "plain text, no action",
    "{{ $labels.instance }} is down: {{ $value | humanize }}",
    "{{ $labels | }}",
    '{{ block "b" . }}x{{ end }}',
    "{{ 'c' }}",
    '{{ define "x" }}{{ . }}{{ end }}{{ template "x" . }}',
    '{{ range $i, $x := query "up" }}{{ $x.Labels.job }}{{ end }}',
    "{{ $x = 1 }}",
    "{{ 0x1F }} {{ 1e3 }} {{ -2 }} {{ +3 }} {{ 1_000 }} {{ .5 }}",
    "{{ nil }}",
    '{{ template "x" }}',
    "{{ $labels.a.b.c }}{{ .Value }}{{ $externalURL }}{{ $externalLabels.x }}",
    "{{- /* comment */ -}}",
    "{{/* comment */ -}}",
    '{{ printf "%s" `raw` }}',
    "{{ $x := 1 }}{{ $x := 2 }}",
    '{{ query "up" | first | value | humanize }}',
    '{{ with query "up" }}{{ . | first | label "instance" }}{{ end }}',
    "{{ $value -}}",
    '{{ toUpper "a" | title | toLower | reReplaceAll "a" "b" | safeHtml }}',
    '{{ match "a" "b" }} {{ stripPort "a:1" }} {{ stripDomain "a.b" }} {{ parseDuration "1m" }} {{ graphLink "up" }}'
    ' {{ tableLink "up" }} {{ pathPrefix }} {{ externalURL }} {{ humanize1024 1 }} {{ humanizePercentage 1 }}'
    ' {{ humanizeDuration 1 }} {{ args 1 2 }} {{ sortByLabel "a" (query "up") }} {{ strvalue (first (query "up")) }}'
    " {{ humanizeTimestamp 1 }} {{ toTime 1 }}",
    '{{ index $labels "a" }}{{ len $labels }}{{ and 1 2 }}{{ or 1 2 }}{{ not 1 }}{{ eq 1 1 }}{{ js "a" }}'
    '{{ html "a" }}{{ urlquery "a" }}{{ slice "abc" 1 }}{{ println 1 }}{{ print 1 }}{{ call $value }}',
    "{{ $labels.instance }}}",
    "{{ $ }}{{ $.Labels }}{{ . }}{{ (.).Labels }}",
    '{{ query "x"|first }}',
    "{{ if 1 }}x{{ else if 2 }}y{{ else }}z{{ end }}",
    "{{ if gt $value 1.0 }}big{{ else }}small{{ end }}",
    "{{ range . }}{{ continue }}{{ break }}{{ end }}",
    "{{ $labels\n.instance }}",
    "{{ $labels.instance\n}}\n",
]
REFUSED = [
    "{{ $labels.instance",
    "{{ $value | nosuchfunc }}",
    "{{ $value | humanise }}",
    '{{ define "x" }}{{ $labels }}{{ end }}',
    "{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}",
    "{{ .Labels.foo-bar }}",
    '{{ "x" | "y" }}',
    "{{ $value | . }}",
    "{{ if 1 }}{{ else with 2 }}{{ end }}",
    "{{ range $i, $x, $y := . }}{{ end }}",
    "{{ $value | nil }}",
    "{{ template x }}",
    "{{ with $x := 1 }}{{ $x }}{{ end }}{{ $x }}",
    "{{ range . }}{{ else }}{{ break }}{{ end }}",
    "{{ /* comment */ }}",
    "{{/* unclosed comment }}",
    "{{ 'ab' }}",
    "{{ if }}{{ end }}",
    "{{ end }}",
    "{{ else }}",
    "{{ if 1 }}{{ end extra }}",
    "{{ if 1 }}never closed",
    "{{ if 1 }}{{ else }}{{ else }}{{ end }}",
    "{{ $value-}}",
    "{{-$value}}",
    '{{ urlQueryEscape "a" }}',
    "{{{ $labels.instance }}",
    "{{ (1 }}",
    "{{ 1) }}",
    "{{ .Labels. }}",
    "{{ $labels.\u20ac }}",
    "{{ a.b }}",
    "{{ continue }}",
    '{{ "a\nb" }}',
    "{{ }}",
    "{{ | }}",
    "{{ $nope }}",
    "{{ 1x }}",
]


def _promtool_refusals(templates: list[str], tmp_path: Path) -> set[int]:
    """Indexes of the templates `promtool check rules` refuses, each used as an alert's summary."""
    promtool = require_tool("promtool")
    rules = ",\n".join(
        f"{{alert: a{i}, expr: up, annotations: {{summary: {json.dumps(t)}}}}}" for i, t in enumerate(templates)
    )
    path = tmp_path / "templates.yml"
    path.write_text(f"groups:\n- name: g\n  rules: [\n{rules}]\n")
    out = subprocess.run([promtool, "check", "rules", str(path)], capture_output=True, text=True, check=False)
    return {int(m.group(1)) - 1 for m in re.finditer(r'rule (\d+), "a\d+": annotation', out.stdout + out.stderr)}


def test_the_table_is_what_promtool_says(tmp_path: Path) -> None:
    """Checked against the real promtool in the test itself, so the table cannot drift."""
    refused = _promtool_refusals([*ACCEPTED, *REFUSED], tmp_path)
    assert refused == set(range(len(ACCEPTED), len(ACCEPTED) + len(REFUSED)))


@pytest.mark.parametrize("template", ACCEPTED)
def test_what_promtool_accepts_passes(template: str) -> None:
    """No false rejections."""
    assert check_template(template) is None


@pytest.mark.parametrize("template", REFUSED)
def test_what_promtool_refuses_fails(template: str) -> None:
    """Each refusal has a message and an offset inside the text."""
    problem = check_template(template)
    assert problem is not None
    assert 0 <= problem.offset <= len(template)


def test_problems_point_at_the_token_with_a_hint() -> None:
    """The offset is the offending token's; hints name the fix."""
    unclosed = check_template("ok {{ $labels.instance")
    assert unclosed is not None and unclosed.offset == 3 and unclosed.hint == "unclosed action: add `}}`"
    typo = check_template("{{ $value | humanise }}")
    assert typo is not None and typo.offset == 12 and typo.hint == "did you mean `humanize`?"
