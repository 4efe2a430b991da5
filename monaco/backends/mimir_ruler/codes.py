"""The diagnostic codes the mimir_ruler backend reports (block MON670-MON699): code -> (usual level, meaning)."""

from __future__ import annotations

GROUP_LIMIT_DROPPED = "MON670"
LIVE_GROUP_UNREADABLE = "MON671"
NOT_OURS = "MON672"

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
}
