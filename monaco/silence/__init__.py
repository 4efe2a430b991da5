"""`monaco silence`: owned Alertmanager silences for a service's planned maintenance."""
