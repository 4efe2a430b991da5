"""Prometheus rule groups, shared by every backend that ships them (rule files, PrometheusRule objects).

Not a backend: the Prometheus and prometheus-operator backends both import it, so their groups are
the same bytes. It also holds the promtool tooling (`monaco test`, generated SLO tests).
"""
