"""The RPCs the fake serves: real service and method names, with the proto-plus classes as wire codecs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from google.cloud import monitoring_v3 as m

from tests.fakes.gcp_monitoring.alert_policies import AlertPolicyApi
from tests.fakes.gcp_monitoring.channels import NotificationChannelApi
from tests.fakes.gcp_monitoring.services import ServiceApi
from tests.fakes.gcp_monitoring.slos import SloApi
from tests.fakes.gcp_monitoring.store import Store

ALERT_POLICY_SERVICE = "google.monitoring.v3.AlertPolicyService"
NOTIFICATION_CHANNEL_SERVICE = "google.monitoring.v3.NotificationChannelService"
SERVICE_MONITORING_SERVICE = "google.monitoring.v3.ServiceMonitoringService"


@dataclass(frozen=True)
class Method:
    """One unary RPC: its short name, the proto-plus request and response classes (None: Empty), and its body."""

    name: str
    request: Any
    response: Any
    body: Callable[[Any], Any]

    def deserialize(self, data: bytes) -> Any:
        """The proto-plus request decoded from the wire."""
        return self.request.deserialize(data)

    def serialize(self, response: Any) -> bytes:
        """A raw response message encoded with the proto-plus class (google.protobuf.Empty for deletes)."""
        if self.response is None:
            return bytes(response.SerializeToString())
        return bytes(self.response.serialize(self.response.wrap(response)))


@dataclass(frozen=True)
class Apis:
    """The four resource APIs over one store."""

    alert_policies: AlertPolicyApi
    channels: NotificationChannelApi
    services: ServiceApi
    slos: SloApi

    @classmethod
    def over(cls, store: Store, default_page_size: int) -> Apis:
        """Every API bound to `store`, listing `default_page_size` items when a request asks for 0."""
        services = ServiceApi(store, default_page_size)
        return cls(
            alert_policies=AlertPolicyApi(store, default_page_size),
            channels=NotificationChannelApi(store, default_page_size),
            services=services,
            slos=SloApi(store, services, default_page_size),
        )


def method_table(apis: Apis) -> dict[str, list[Method]]:
    """Service full name -> its methods, as the generated gRPC transports call them."""
    return {
        ALERT_POLICY_SERVICE: _alert_policy_methods(apis.alert_policies),
        NOTIFICATION_CHANNEL_SERVICE: _channel_methods(apis.channels),
        SERVICE_MONITORING_SERVICE: [*_service_methods(apis.services), *_slo_methods(apis.slos)],
    }


def _alert_policy_methods(policies: AlertPolicyApi) -> list[Method]:
    """AlertPolicyService."""
    return [
        Method("CreateAlertPolicy", m.CreateAlertPolicyRequest, m.AlertPolicy, policies.create),
        Method("GetAlertPolicy", m.GetAlertPolicyRequest, m.AlertPolicy, policies.get),
        Method("ListAlertPolicies", m.ListAlertPoliciesRequest, m.ListAlertPoliciesResponse, policies.list),
        Method("UpdateAlertPolicy", m.UpdateAlertPolicyRequest, m.AlertPolicy, policies.update),
        Method("DeleteAlertPolicy", m.DeleteAlertPolicyRequest, None, policies.delete),
    ]


def _channel_methods(channels: NotificationChannelApi) -> list[Method]:
    """NotificationChannelService (the verification-code methods are not served: UNIMPLEMENTED)."""
    return [
        Method(
            "ListNotificationChannelDescriptors",
            m.ListNotificationChannelDescriptorsRequest,
            m.ListNotificationChannelDescriptorsResponse,
            channels.list_descriptors,
        ),
        Method(
            "GetNotificationChannelDescriptor",
            m.GetNotificationChannelDescriptorRequest,
            m.NotificationChannelDescriptor,
            channels.get_descriptor,
        ),
        Method("CreateNotificationChannel", m.CreateNotificationChannelRequest, m.NotificationChannel, channels.create),
        Method("GetNotificationChannel", m.GetNotificationChannelRequest, m.NotificationChannel, channels.get),
        Method(
            "ListNotificationChannels",
            m.ListNotificationChannelsRequest,
            m.ListNotificationChannelsResponse,
            channels.list,
        ),
        Method("UpdateNotificationChannel", m.UpdateNotificationChannelRequest, m.NotificationChannel, channels.update),
        Method("DeleteNotificationChannel", m.DeleteNotificationChannelRequest, None, channels.delete),
    ]


def _service_methods(services: ServiceApi) -> list[Method]:
    """ServiceMonitoringService, services."""
    return [
        Method("CreateService", m.CreateServiceRequest, m.Service, services.create),
        Method("GetService", m.GetServiceRequest, m.Service, services.get),
        Method("ListServices", m.ListServicesRequest, m.ListServicesResponse, services.list),
        Method("UpdateService", m.UpdateServiceRequest, m.Service, services.update),
        Method("DeleteService", m.DeleteServiceRequest, None, services.delete),
    ]


def _slo_methods(slos: SloApi) -> list[Method]:
    """ServiceMonitoringService, service level objectives."""
    slo = m.ServiceLevelObjective
    return [
        Method("CreateServiceLevelObjective", m.CreateServiceLevelObjectiveRequest, slo, slos.create),
        Method("GetServiceLevelObjective", m.GetServiceLevelObjectiveRequest, slo, slos.get),
        Method(
            "ListServiceLevelObjectives",
            m.ListServiceLevelObjectivesRequest,
            m.ListServiceLevelObjectivesResponse,
            slos.list,
        ),
        Method("UpdateServiceLevelObjective", m.UpdateServiceLevelObjectiveRequest, slo, slos.update),
        Method("DeleteServiceLevelObjective", m.DeleteServiceLevelObjectiveRequest, None, slos.delete),
    ]
