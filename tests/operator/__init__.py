"""The prometheus_operator backend: manifests compiled, checked by promtool and the CRD schemas, planned and applied."""
