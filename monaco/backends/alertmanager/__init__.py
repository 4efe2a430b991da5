"""Alertmanager configuration: route subtrees, receivers and inhibit rules merged into a base config."""
