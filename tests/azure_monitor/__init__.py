"""Tests of the azure_monitor backend: render, plan and apply through the real SDKs against the fake ARM server."""
