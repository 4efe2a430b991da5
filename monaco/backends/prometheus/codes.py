"""The diagnostic codes the prometheus backend reports: code -> (usual level, meaning)."""

from __future__ import annotations

CODES: dict[str, tuple[str, str]] = {
    "MON411": ("warning", "a rule file from an older monaco that no target claims: left alone"),
    "MON420": ("warning", "a live rule file that does not parse"),
}
