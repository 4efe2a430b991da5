"""A Team's on-call, as users write it: an escalation policy of existing schedules and users, and service options.

Only the shape is checked here. Whether each schedule or user exists is a question for PagerDuty, asked by
the pagerduty backend at plan time (an unknown one is a diagnostic at its line in the Team file).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from monaco.spec.types import Duration, SpecModel


class EscalationTarget(SpecModel):
    """Who a level notifies: an existing schedule by name, or an existing user by name or email."""

    schedule: str | None = Field(default=None, min_length=1, description="An existing schedule's name.")
    user: str | None = Field(default=None, min_length=1, description="An existing user's email or full name.")

    @model_validator(mode="after")
    def _exactly_one(self) -> EscalationTarget:
        if (self.schedule is None) == (self.user is None):
            raise ValueError("an escalation target names exactly one of `schedule` or `user`")
        return self


class EscalationLevel(SpecModel):
    """One level of escalation: its targets are notified, then after the delay the next level is."""

    escalation_delay_in_minutes: int = Field(
        ge=1, le=10080, description="Minutes an unacknowledged incident waits at this level before escalating."
    )
    targets: list[EscalationTarget] = Field(
        min_length=1, max_length=10, description="Schedules and users notified at this level (1 to 10)."
    )


class EscalationPolicySpec(SpecModel):
    """The escalation policy monaco creates for the team (its levels, in order, and how often to repeat them)."""

    levels: list[EscalationLevel] = Field(min_length=1, max_length=20, description="The levels, first notified first.")
    num_loops: int = Field(default=0, ge=0, le=9, description="How many times the whole policy repeats (0 to 9).")
    description: str | None = Field(default=None, max_length=500, description="Shown on the policy in PagerDuty.")


class OnCallSpec(SpecModel):
    """Who is paged for a team's services, and how monaco lays out the team's PagerDuty services."""

    escalation_policy: EscalationPolicySpec = Field(description="The levels monaco makes the team's policy of.")
    pagerduty_service: Literal["per_service", "per_team"] = Field(
        default="per_service",
        description="One PagerDuty service per monaco service, or one for the whole team.",
    )
    auto_resolve_timeout: Duration | None = Field(
        default="4h", description="An incident still open after this long is resolved; null: never (PD default 4h)."
    )
    acknowledgement_timeout: Duration | None = Field(
        default="30m",
        description="An acknowledged incident re-triggers after this long; null: never (PD default 30m).",
    )
