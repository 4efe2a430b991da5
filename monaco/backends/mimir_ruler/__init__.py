"""The `mimir_ruler` backend: Prometheus rule groups on a Grafana Mimir, Cortex or Grafana Cloud ruler."""
