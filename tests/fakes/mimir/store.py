"""The fake's state: each tenant's rule groups by namespace and its Alertmanager config, behind one lock."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import yaml


def dump(value: Any) -> str:
    """YAML as the ruler writes it (block style, keys in the order given; Go's yaml.v3 indents by 4)."""
    return yaml.safe_dump(value, sort_keys=False, indent=4, default_flow_style=False, allow_unicode=True, width=10**6)


@dataclass(slots=True)
class Limits:
    """Mimir's per-tenant ruler limits; 0 means unlimited (`ruler_max_rules_per_rule_group` and friends)."""

    max_rules_per_rule_group: int = 0
    max_rule_groups_per_tenant: int = 0


@dataclass(slots=True)
class Store:
    """Rule groups per tenant (namespace -> group name -> stored group) and Alertmanager configs per tenant."""

    rules: dict[str, dict[str, dict[str, dict[str, Any]]]] = field(default_factory=dict)
    alertmanager: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def namespaces(self, tenant: str) -> dict[str, dict[str, dict[str, Any]]]:
        """The tenant's namespaces (created empty on first use)."""
        return self.rules.setdefault(tenant, {})

    def group_count(self, tenant: str) -> int:
        """How many rule groups the tenant holds in all namespaces."""
        return sum(len(groups) for groups in self.rules.get(tenant, {}).values())

    def set_group(self, tenant: str, namespace: str, group: dict[str, Any]) -> None:
        """Store (create or replace) one group."""
        self.namespaces(tenant).setdefault(namespace, {})[str(group["name"])] = group

    def delete_group(self, tenant: str, namespace: str, name: str) -> bool:
        """Remove one group (an emptied namespace goes too); False when there was none."""
        groups = self.rules.get(tenant, {}).get(namespace, {})
        if name not in groups:
            return False
        del groups[name]
        if not groups:
            del self.rules[tenant][namespace]
        return True

    def delete_namespace(self, tenant: str, namespace: str) -> bool:
        """Remove a namespace with all its groups; False when there was none."""
        return self.rules.get(tenant, {}).pop(namespace, None) is not None

    def listing(self, tenant: str, namespace: str | None = None) -> dict[str, list[dict[str, Any]]]:
        """Namespace -> its groups, namespaces and groups sorted by name as the bucket store lists them."""
        found = self.rules.get(tenant, {})
        chosen = sorted(found) if namespace is None else [namespace] if namespace in found else []
        return {ns: [found[ns][g] for g in sorted(found[ns])] for ns in chosen}

    def snapshot(self) -> dict[str, bytes]:
        """Everything held, byte for byte: `rules/<tenant>/<namespace>/<group>` and `alertmanager/<tenant>`."""
        with self.lock:
            found = {
                f"rules/{tenant}/{ns}/{name}": dump(group).encode()
                for tenant, namespaces in sorted(self.rules.items())
                for ns, groups in sorted(namespaces.items())
                for name, group in sorted(groups.items())
            }
            found.update({f"alertmanager/{t}": dump(c).encode() for t, c in sorted(self.alertmanager.items())})
        return found

    def clear(self) -> None:
        """Forget every tenant's state."""
        with self.lock:
            self.rules.clear()
            self.alertmanager.clear()
