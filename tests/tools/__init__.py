"""Checks of compiled output with the real Prometheus and Alertmanager tools (promtool, amtool)."""
