"""google.monitoring.v3.ServiceMonitoringService, the SLO half: Create/Get/List/Update/DeleteServiceLevelObjective.

Rules (installed google-cloud-monitoring 2.32 service.py / service_service.py docstrings):
- the parent service must exist (NOT_FOUND);
- `service_level_objective_id` "Must match the pattern ^[a-zA-Z0-9-_:.]+$" (INVALID_ARGUMENT), "If omitted, an id will
  be generated", and "The provided name will be respected if no ServiceLevelObjective exists with this name"; a
  taken id is ALREADY_EXISTS;
- `goal`: "0 < goal <= 0.9999" (INVALID_ARGUMENT);
- `rolling_period`: "Must be an integer multiple of 1 day no larger than 30 days" (INVALID_ARGUMENT);
- `calendar_period`: "only DAY, WEEK, FORTNIGHT, and MONTH are supported" (INVALID_ARGUMENT);
- an SLO without a period or without a service level indicator is INVALID_ARGUMENT (both define what the SLO
  measures; the fake's rule); user labels as in rules.py.
List accepts `projects/P/services/-` for the SLOs of every service (service_service.py) and filters on `name`,
`display_name` and `user_labels.KEY`.
"""

from __future__ import annotations

import re
from typing import Any

from google.cloud import monitoring_v3
from google.protobuf import empty_pb2
from google.type import calendar_period_pb2

from tests.fakes.gcp_monitoring.errors import already_exists, invalid, not_found
from tests.fakes.gcp_monitoring.listing import compile_filter, paginate
from tests.fakes.gcp_monitoring.rules import apply_update_mask, check_user_labels, split_name
from tests.fakes.gcp_monitoring.services import ServiceApi
from tests.fakes.gcp_monitoring.store import Store, copy_of

SLO_ID = re.compile(r"^[a-zA-Z0-9-_:.]+$")
MAX_GOAL = 0.9999
SECONDS_PER_DAY = 86_400
MAX_ROLLING_DAYS = 30
CALENDAR_PERIODS = frozenset(
    calendar_period_pb2.CalendarPeriod.Value(name) for name in ("DAY", "WEEK", "FORTNIGHT", "MONTH")
)
DEFAULT_PAGE_SIZE = 100
FILTER_SCALARS = {"name": lambda s: s.name, "display_name": lambda s: s.display_name}
FILTER_MAPS = {"user_labels": lambda s: s.user_labels, "user_label": lambda s: s.user_labels}
OBJECTIVES = "serviceLevelObjectives"


class SloApi:
    """The ServiceLevelObjective methods; each takes a raw request message and returns a raw response message."""

    def __init__(self, store: Store, services: ServiceApi, default_page_size: int = DEFAULT_PAGE_SIZE) -> None:
        self.store = store
        self.services = services
        self.default_page_size = default_page_size

    def create(self, request: Any) -> Any:
        """CreateServiceLevelObjective under an existing service."""
        split_name(request.parent, "services", "parent")
        self.services.existing(request.parent)
        slo = copy_of(request.service_level_objective)
        slo_id = request.service_level_objective_id or self._id_from_name(slo.name, request.parent)
        if not SLO_ID.fullmatch(slo_id):
            raise invalid(f'Field service_level_objective_id had an invalid value of "{slo_id}"')
        name = f"{request.parent}/{OBJECTIVES}/{slo_id}"
        if name in self.store.service_level_objectives:
            raise already_exists(name)
        _validate(slo)
        slo.name = name
        self.store.service_level_objectives[name] = slo
        return copy_of(slo)

    def get(self, request: Any) -> Any:
        """GetServiceLevelObjective."""
        return copy_of(self._existing(request.name))

    def list(self, request: Any) -> Any:
        """ListServiceLevelObjectives of one service, or of all (`services/-`): filtered, in name order, paged."""
        split_name(request.parent, "services", "parent")
        if not request.parent.endswith("/-"):
            self.services.existing(request.parent)
        prefix = request.parent.removesuffix("-") if request.parent.endswith("/-") else f"{request.parent}/"
        matches = compile_filter(request.filter, FILTER_SCALARS, FILTER_MAPS)
        slos = sorted(
            (
                slo
                for name, slo in self.store.service_level_objectives.items()
                if name.startswith(prefix) and matches(slo)
            ),
            key=lambda slo: slo.name,
        )
        query = f"{request.parent}|{request.filter}"
        page = paginate(slos, query, request.page_size, request.page_token, self.default_page_size)
        response = monitoring_v3.ListServiceLevelObjectivesResponse.pb()()
        response.service_level_objectives.extend(page.items)
        response.next_page_token = page.next_page_token
        return response

    def update(self, request: Any) -> Any:
        """UpdateServiceLevelObjective: the masked fields, or the whole SLO when the mask is empty."""
        supplied = request.service_level_objective
        slo = copy_of(self._existing(supplied.name))
        if request.update_mask.paths:
            apply_update_mask(slo, supplied, request.update_mask.paths, ("name",))
        else:
            slo.CopyFrom(supplied)
        _validate(slo)
        self.store.service_level_objectives[slo.name] = slo
        return copy_of(slo)

    def delete(self, request: Any) -> Any:
        """DeleteServiceLevelObjective."""
        self._existing(request.name)
        del self.store.service_level_objectives[request.name]
        return empty_pb2.Empty()

    def _existing(self, name: str) -> Any:
        """The stored SLO called `name` (`projects/P/services/S/serviceLevelObjectives/ID`), or NOT_FOUND."""
        service, _, slo_id = name.rpartition(f"/{OBJECTIVES}/")
        if not service or not slo_id or "/" in slo_id:
            raise invalid(f'Field name had an invalid value of "{name}": expected {{service}}/{OBJECTIVES}/{{id}}')
        split_name(service, "services")
        slo = self.store.service_level_objectives.get(name)
        if slo is None:
            raise not_found(name, "Service level objective")
        return slo

    def _id_from_name(self, name: str, parent: str) -> str:
        """The id in a client-provided SLO name under `parent`, else a generated one."""
        prefix = f"{parent}/{OBJECTIVES}/"
        return name.removeprefix(prefix) if name.startswith(prefix) else f"generated-{self.store.next_id()}"


def _validate(slo: Any) -> None:
    """Goal, period, indicator and labels as documented."""
    if not 0 < slo.goal <= MAX_GOAL:
        raise invalid(f"Field service_level_objective.goal had an invalid value of {slo.goal}: 0 < goal <= 0.9999")
    period = slo.WhichOneof("period")
    if period is None:
        raise invalid("Field service_level_objective must set rolling_period or calendar_period")
    if period == "rolling_period":
        _check_rolling_period(slo.rolling_period)
    elif slo.calendar_period not in CALENDAR_PERIODS:
        name = calendar_period_pb2.CalendarPeriod.Name(slo.calendar_period)
        raise invalid(
            f"Field service_level_objective.calendar_period {name} is not supported: DAY, WEEK, FORTNIGHT, MONTH"
        )
    if not slo.HasField("service_level_indicator") or slo.service_level_indicator.WhichOneof("type") is None:
        raise invalid("Field service_level_objective.service_level_indicator is required")
    check_user_labels("service_level_objective.user_labels", slo.user_labels)


def _check_rolling_period(duration: Any) -> None:
    """A whole number of days, from 1 to 30."""
    days, remainder = divmod(duration.seconds, SECONDS_PER_DAY)
    if remainder or duration.nanos or not 1 <= days <= MAX_ROLLING_DAYS:
        raise invalid(
            f"Field service_level_objective.rolling_period had an invalid value of {duration.seconds}s: "
            f"must be a whole number of days from 1 to {MAX_ROLLING_DAYS}"
        )
