"""An alert's identity in its service: its explicit `id`, else its name, plus its severity when the name repeats.

The same name at two severities is the standard warning/critical ladder, so a name alone is not an
identity. Backends that need unique names (CloudWatch alarms, resource keys) use these keys.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence


def alert_key(name: str, severity: str, name_repeats: bool, explicit_id: str | None = None) -> str:
    """One alert's key: `explicit_id` when given, else `name`, or `name.severity` when the name repeats."""
    if explicit_id is not None:
        return explicit_id
    return f"{name}.{severity}" if name_repeats else name


def alert_keys(alerts: Sequence[tuple[str, str, str | None]]) -> list[str]:
    """The key of each (name, severity, id) in a service's alerts, in order."""
    counts = Counter(name for name, _, _ in alerts)
    return [alert_key(name, severity, counts[name] > 1, explicit) for name, severity, explicit in alerts]
