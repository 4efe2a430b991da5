"""Tests of the aws_cloudwatch backend, through boto3 against moto's server on 127.0.0.1."""
