"""The environment .ci/setup builds keeps the real urllib3 beside grafana-client's urllib3-future."""

from __future__ import annotations

import importlib.metadata

import urllib3


def test_urllib3_is_not_shadowed_by_the_fork() -> None:
    """urllib3-future's wheel copies itself over urllib3 at start-up; botocore and the Azure SDK must get the real one."""
    patch = int(urllib3.__version__.split(".")[2])
    assert patch < 900, f"urllib3 {urllib3.__version__} is urllib3-future (patch >= 900): see .ci/setup"
    assert urllib3.__version__ == importlib.metadata.version("urllib3")


def test_niquests_runs_on_the_fork_under_its_own_name() -> None:
    """grafana-client's HTTP stack finds urllib3-future as `urllib3_future`."""
    import urllib3_future  # type: ignore[import-not-found,unused-ignore]

    assert int(urllib3_future.__version__.split(".")[2]) >= 900
