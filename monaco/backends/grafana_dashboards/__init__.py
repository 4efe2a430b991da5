"""The `grafana_dashboards` backend: one generated Grafana dashboard per service, as provisioning files or over HTTP."""
