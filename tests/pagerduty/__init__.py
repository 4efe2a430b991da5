"""Tests of the pagerduty backend against the fake PagerDuty, through the real client and the CLI."""
