"""The AWS drills use the `aws` fixture of tests/aws (a reset in-process moto server on 127.0.0.1)."""

from __future__ import annotations

from tests.aws.conftest import aws

__all__ = ["aws"]
