"""The prometheus-operator backend: PrometheusRule and AlertmanagerConfig objects written as GitOps manifests."""
