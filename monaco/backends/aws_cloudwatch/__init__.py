"""AWS CloudWatch: threshold and burn-rate alarms, SNS topics per receiver, planned in batched API calls."""
