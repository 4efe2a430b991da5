"""Azure Monitor: metric alerts, log (scheduled query) alerts, managed-Prometheus rule groups and action groups."""
