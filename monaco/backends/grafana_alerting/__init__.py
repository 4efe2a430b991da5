"""The `grafana_alerting` backend: Grafana-managed alert rules, contact points and the notification policy subtree."""
