"""Conformance kit: PrometheusRule and AlertmanagerConfig manifests in a directory (GitOps)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conformance.kits.base import FileKit


class OperatorKit(FileKit):
    """PrometheusRule and AlertmanagerConfig manifests, one YAML stream per namespace, in a GitOps directory."""

    kind = "prometheus_operator"
    holds_secrets = False
    """Receivers' secrets are `secretKeyRef`s to a Kubernetes Secret; no value is ever written."""
    unowned_text = (
        "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\n"
        "metadata: {name: monaco-checkout, namespace: payments}\nspec: {groups: []}\n"
    )
    hand_edit = ("severity: high", "severity: low")

    @classmethod
    def golden_config(cls) -> dict[str, Any]:
        """Manifests under `out/manifests` in namespace `payments`, with kube-prometheus-stack's selector labels."""
        return {
            "manifests_dir": "out/manifests",
            "namespace": "payments",
            "rule_labels": {"release": "kube-prometheus-stack"},
            "config_labels": {"alertmanagerConfig": "monaco"},
        }

    def config(self, live: bool = False) -> dict[str, Any]:
        """The workspace's `live/manifests` (the operator's API server is out of scope: the files are the target)."""
        self.place = self.ws.root / "live" / "manifests"
        return {"manifests_dir": "../live/manifests", "namespace": "payments"}

    def checkout_file(self) -> Path:
        """The namespace's stream (both services are in namespace `payments`)."""
        return self.place / "monaco-payments.yaml"


KIT = OperatorKit
