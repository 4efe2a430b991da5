"""The diagnostic codes the alertmanager backend reports: code -> (usual level, meaning)."""

from __future__ import annotations

CODES: dict[str, tuple[str, str]] = {
    "MON302": ("error", "a spec receiver also defined in the platform's base config"),
    "MON303": ("error", "a base config that cannot be read or has the wrong shape"),
    "MON305": ("error", "an email receiver while the base config sets no global SMTP smarthost or sender"),
    "MON306": ("error", "a Settings time interval whose name the platform's base config also defines"),
    "MON422": ("error", "a live Alertmanager config that does not parse"),
}
