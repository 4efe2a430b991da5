"""Tests of the grafana_alerting backend against the fake Grafana provisioning API."""
