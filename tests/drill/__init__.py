"""Tests of `monaco drill` against live Alertmanager processes and CloudWatch/SNS on moto."""
