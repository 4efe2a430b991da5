"""The Prometheus source family, shared by every backend that writes Prometheus rules."""

from __future__ import annotations

from monaco.backends.promrules.source_checks import check_prometheus_sources
from monaco.backends.promrules.sources import FAMILY, PromHistogram, PromSource
from monaco.spec.sources import SourceFamily

SOURCES = SourceFamily(
    FAMILY,
    alert=PromSource,
    counter=PromSource,
    gauge=PromSource,
    latency=PromHistogram,
    check=check_prometheus_sources,
)
"""What Prometheus reads at each source place, and the PromQL checks validate runs over them."""
