"""End-to-end tests against real Prometheus and Alertmanager processes on 127.0.0.1."""
