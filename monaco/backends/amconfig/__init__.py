"""Alertmanager configuration pieces shared by the backends that write one (not a backend itself)."""
