"""google.monitoring.v3.ServiceMonitoringService, the Service half: Create/Get/List/Update/DeleteService.

Rules (installed google-cloud-monitoring 2.32 docstrings): `service_id` "Must match the pattern [a-z0-9\\-]+" and "If
omitted, an id will be generated" (INVALID_ARGUMENT otherwise); a taken id is ALREADY_EXISTS; user labels as in
rules.py. A service must say what it is (one of the `identifier` oneof, `custom: {}` for a custom service): the fake's
rule (INVALID_ARGUMENT) [unverified]. Deleting a service deletes its SLOs, which live under its name [unverified].
List filters: `user_labels.KEY = "V"`, `display_name`, `name` and service_service.py's `identifier_case = "CUSTOM"`.
"""

from __future__ import annotations

import re
from typing import Any

from google.cloud import monitoring_v3
from google.protobuf import empty_pb2

from tests.fakes.gcp_monitoring.errors import already_exists, invalid, not_found
from tests.fakes.gcp_monitoring.listing import compile_filter, paginate
from tests.fakes.gcp_monitoring.rules import apply_update_mask, check_user_labels, project_of_parent, split_name
from tests.fakes.gcp_monitoring.store import Store, copy_of, in_project

SERVICE_ID = re.compile(r"[a-z0-9\-]+")
DEFAULT_PAGE_SIZE = 100
FILTER_SCALARS = {
    "name": lambda s: s.name,
    "display_name": lambda s: s.display_name,
    "identifier_case": lambda s: (s.WhichOneof("identifier") or "").upper(),
}
FILTER_MAPS = {"user_labels": lambda s: s.user_labels, "user_label": lambda s: s.user_labels}


class ServiceApi:
    """The Service methods; each takes a raw request message and returns a raw response message."""

    def __init__(self, store: Store, default_page_size: int = DEFAULT_PAGE_SIZE) -> None:
        self.store = store
        self.default_page_size = default_page_size

    def create(self, request: Any) -> Any:
        """CreateService, under the client's `service_id` or a generated one."""
        project = project_of_parent(request.parent, "parent")
        service_id = request.service_id or f"generated-{self.store.next_id()}"
        if not SERVICE_ID.fullmatch(service_id):
            raise invalid(f'Field service_id had an invalid value of "{service_id}": must match [a-z0-9\\-]+')
        name = f"projects/{project}/services/{service_id}"
        if name in self.store.services:
            raise already_exists(name)
        service = copy_of(request.service)
        _validate(service)
        service.name = name
        self.store.services[name] = service
        return copy_of(service)

    def get(self, request: Any) -> Any:
        """GetService."""
        split_name(request.name, "services")
        return copy_of(self.existing(request.name))

    def list(self, request: Any) -> Any:
        """ListServices: filtered, in name order, paged."""
        project = project_of_parent(request.parent, "parent")
        matches = compile_filter(request.filter, FILTER_SCALARS, FILTER_MAPS)
        services = sorted(
            (s for s in in_project(self.store.services, f"projects/{project}/services/") if matches(s)),
            key=lambda s: s.name,
        )
        page = paginate(
            services,
            f"{request.parent}|{request.filter}",
            request.page_size,
            request.page_token,
            self.default_page_size,
        )
        response = monitoring_v3.ListServicesResponse.pb()()
        response.services.extend(page.items)
        response.next_page_token = page.next_page_token
        return response

    def update(self, request: Any) -> Any:
        """UpdateService: the masked fields, or the whole service when the mask is empty."""
        supplied = request.service
        split_name(supplied.name, "services", "service.name")
        service = copy_of(self.existing(supplied.name))
        if request.update_mask.paths:
            apply_update_mask(service, supplied, request.update_mask.paths, ("name",))
        else:
            service.CopyFrom(supplied)
        _validate(service)
        self.store.services[service.name] = service
        return copy_of(service)

    def delete(self, request: Any) -> Any:
        """DeleteService, and the SLOs under it."""
        split_name(request.name, "services")
        self.existing(request.name)
        del self.store.services[request.name]
        for name in [n for n in self.store.service_level_objectives if n.startswith(f"{request.name}/")]:
            del self.store.service_level_objectives[name]
        return empty_pb2.Empty()

    def existing(self, name: str) -> Any:
        """The stored service called `name`, or NOT_FOUND."""
        service = self.store.services.get(name)
        if service is None:
            raise not_found(name, "Service")
        return service


def _validate(service: Any) -> None:
    """A service names its kind and carries valid user labels."""
    if service.WhichOneof("identifier") is None:
        raise invalid("Field service must set one service type (e.g. custom: {})")
    check_user_labels("service.user_labels", service.user_labels)
