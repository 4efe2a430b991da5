"""Tests of the gcp_monitoring backend: render goldens, plan/apply through the real clients, faults."""
