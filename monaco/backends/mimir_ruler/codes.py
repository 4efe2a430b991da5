"""The diagnostic codes the mimir_ruler backend reports (block MON670-MON699): code -> (usual level, meaning)."""

from __future__ import annotations

GROUP_LIMIT_DROPPED = "MON670"
LIVE_GROUP_UNREADABLE = "MON671"
NOT_OURS = "MON672"
AM_LIVE_UNREADABLE = "MON673"
AM_SECRET_FILE = "MON674"
AM_NOT_OURS = "MON675"
AM_BASE_UNREADABLE = "MON676"
AM_RECEIVER_IN_BASE = "MON677"
AM_INTERVAL_CLASH = "MON678"

CODES: dict[str, tuple[str, str]] = {
    GROUP_LIMIT_DROPPED: (
        "warning",
        "a rule group's `limit` is not kept by the Mimir ruler (it stores no limit), so it is not sent "
        "(level set by the target)",
    ),
    LIVE_GROUP_UNREADABLE: (
        "warning",
        "a live rule group in one of the target's namespaces is not a rule group monaco can read; it is left alone",
    ),
    NOT_OURS: (
        "info",
        "a namespace with the target's prefix belongs to another target or to no monaco target; it is left alone",
    ),
    AM_LIVE_UNREADABLE: (
        "error",
        "the tenant's live Alertmanager config (`GET /api/v1/alerts`) does not parse; nothing is written to it",
    ),
    AM_SECRET_FILE: (
        "error",
        "a receiver secret given as a file Alertmanager would read (`*_file`): Mimir refuses file paths in a "
        "tenant's config, so the receiver is left out",
    ),
    AM_NOT_OURS: (
        "info",
        "the tenant's Alertmanager config was not written by this target and `alertmanager_base_config` would "
        "replace it, so it is left alone",
    ),
    AM_BASE_UNREADABLE: ("error", "an `alertmanager_base_config` that cannot be read or has the wrong shape"),
    AM_RECEIVER_IN_BASE: ("error", "a spec receiver also defined in the target's `alertmanager_base_config`"),
    AM_INTERVAL_CLASH: (
        "error",
        "a Settings time interval a route uses whose name the tenant's own Alertmanager config or the target's "
        "`alertmanager_base_config` also defines",
    ),
}
