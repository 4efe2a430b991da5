"""The pagerduty backend: PagerDuty services, escalation policies and Events API v2 integrations per team."""
