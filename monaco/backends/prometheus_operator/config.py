"""A prometheus-operator target's config, and the names and labels every object it writes derives from it."""

from __future__ import annotations

from pydantic import Field, field_validator

from monaco.backends.unsupported import NotHereLevels
from monaco.ir.nodes import Service
from monaco.spec.types import Name, SpecModel

MANAGED_BY = "app.kubernetes.io/managed-by"
TARGET_LABEL = "monaco.dev/target"
SERVICE_LABEL = "monaco.dev/service"
OWNER_LABELS = (MANAGED_BY, TARGET_LABEL, SERVICE_LABEL)
"""Labels monaco sets on every object: ownership is read back from the first two."""


class OperatorConfig(SpecModel, NotHereLevels):
    """Where the manifests go, the namespaces and selector labels of the objects, and the receivers' Secret."""

    manifests_dir: str = Field(
        description="Directory of YAML streams (one per namespace), relative to the target file."
    )
    namespace: Name = Field(description="Namespace of every object, unless the service's team has its own.")
    team_namespaces: dict[Name, Name] = Field(
        default_factory=dict, description="Team -> namespace, for teams whose objects live in their own namespace."
    )
    rule_labels: dict[str, str] = Field(
        default_factory=dict,
        description="Labels the Prometheus's ruleSelector matches, e.g. {release: kube-prometheus-stack}.",
    )
    config_labels: dict[str, str] = Field(
        default_factory=dict, description="Labels the Alertmanager's alertmanagerConfigSelector matches."
    )
    secret_name: Name = Field(
        default="monaco-receivers",
        description="Kubernetes Secret (in each namespace) holding receiver secrets, under keys `<receiver>.<field>`.",
    )
    default_receiver: Name | None = Field(
        default=None, description="Spec receiver for services whose team has no default_receiver."
    )
    name_prefix: str = Field(default="monaco-", pattern=r"^([a-z0-9][a-z0-9-]*)?$")

    @field_validator("rule_labels", "config_labels")
    @classmethod
    def _no_owner_labels(cls, labels: dict[str, str]) -> dict[str, str]:
        taken = sorted(set(labels) & set(OWNER_LABELS))
        if taken:
            raise ValueError(f"{', '.join(taken)} is set by monaco (it records who owns the object)")
        return labels


def namespace_of(config: OperatorConfig, service: Service) -> str:
    """The namespace of a service's objects: its team's, else the target's."""
    return config.team_namespaces.get(service.team, config.namespace)


def object_name(config: OperatorConfig, service: Service) -> str:
    """The name of a service's PrometheusRule and AlertmanagerConfig: `<name_prefix><service>`."""
    return f"{config.name_prefix}{service.name}"


def manifest_file(config: OperatorConfig, namespace: str) -> str:
    """The YAML stream holding one namespace's objects."""
    return f"{config.name_prefix}{namespace}.yaml"


def object_labels(extra: dict[str, str], target: str, service: Service) -> dict[str, str]:
    """The selector labels the target sets, then monaco's ownership labels."""
    return {**extra, MANAGED_BY: "monaco", TARGET_LABEL: target, SERVICE_LABEL: service.name}


def object_holder(labels: object, target: str) -> str:
    """Who holds a live object, by its labels: "" when it is this target's, else `target X` or `not monaco`."""
    found = labels if isinstance(labels, dict) else {}
    if found.get(MANAGED_BY) != "monaco":
        return "not monaco"
    owner = found.get(TARGET_LABEL)
    if owner == target:
        return ""
    return f"target {owner}" if owner else "monaco, no target recorded"
