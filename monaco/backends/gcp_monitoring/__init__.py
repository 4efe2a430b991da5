"""The `gcp_monitoring` backend: Cloud Monitoring alert policies, notification channels, services and SLOs."""
