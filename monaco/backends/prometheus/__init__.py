"""Prometheus rule files: rendered per service, read from a rules directory, reloaded on a live server."""
