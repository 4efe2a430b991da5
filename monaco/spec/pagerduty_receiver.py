"""The `pagerduty:` receiver: a routing key by reference, or the name of a PagerDuty service monaco makes."""

from __future__ import annotations

from pydantic import ConfigDict, Field, model_validator

from monaco.spec.secrets import Secret, ServiceKeyRef
from monaco.spec.types import Name, SecretRef, SpecModel


class PagerDutyReceiver(SpecModel):
    """A PagerDuty service: by its Events API v2 routing key, or named, so monaco reads its integration key."""

    model_config = ConfigDict(json_schema_extra={"oneOf": [{"required": ["routing_key"]}, {"required": ["service"]}]})
    routing_key: Secret | None = Field(default=None, description="The routing key, by reference (or `service`).")
    service: Name | None = Field(
        default=None,
        description="A PagerDuty service monaco makes (a monaco service, or a team with `pagerduty_service: "
        "per_team`): its integration key is read from PagerDuty at plan and apply time. Exactly one of the two.",
    )
    send_resolved: bool = True

    @model_validator(mode="after")
    def _key_or_service(self) -> PagerDutyReceiver:
        if (self.routing_key is None) == (self.service is None):
            raise ValueError("a pagerduty receiver sets exactly one of routing_key or service")
        return self

    @property
    def key(self) -> SecretRef:
        """The routing key's reference: the written one, or `pagerduty:<service>` for a named service."""
        return self.routing_key if self.routing_key is not None else ServiceKeyRef(service=str(self.service))
