"""`monaco test` says which expectation failed, when, and what was expected and what fired (promtool's words)."""

from __future__ import annotations

from monaco.backends.promrules.promtool_run import failure_summary

# promtool 2.45's output for a failed alert expectation, as `monaco test` receives it.
WRONG_SEVERITY = """Unit Testing:  /tmp/t/test.yml
  FAILED:
    name: a 10% error ratio pages after 5 minutes,
    alertname: StorefrontHighErrorRate, time: 15m,
        exp:[
            0:
              Labels:{alertname="StorefrontHighErrorRate", severity="high"}
              Annotations:{}
            ],
        got:[
            0:
              Labels:{alertname="StorefrontHighErrorRate", severity="critical"}
              Annotations:{}
            ]
"""
NOTHING_EXPECTED = """Unit Testing:  /tmp/t/test.yml
  FAILED:
    name: quiet,
    alertname: Down, time: 4m,
        exp:[],
        got:[
            0:
              Labels:{alertname="Down"}
              Annotations:{}
            ]
"""


def test_a_wrong_alert_names_the_alert_the_time_and_both_label_sets() -> None:
    """Expected and fired label sets side by side, not `failed: FAILED`."""
    summary = failure_summary(WRONG_SEVERITY)
    assert summary.startswith("alert StorefrontHighErrorRate at 15m: expected 1 firing (")
    assert (
        'severity="high"' in summary
        and 'got 1 firing ({alertname="StorefrontHighErrorRate", severity="critical"})' in summary
    )


def test_an_alert_that_should_be_quiet_says_none_was_expected() -> None:
    """`fires: []` that fired anyway."""
    assert (
        failure_summary(NOTHING_EXPECTED) == 'alert Down at 4m: expected none firing, got 1 firing ({alertname="Down"})'
    )


def test_output_without_a_failure_block_quotes_promtool_not_success() -> None:
    """When promtool refuses the file itself, the first meaningful line is shown, never `SUCCESS`."""
    output = "SUCCESS\n\nUnit Testing: t.yml\n  FAILED:\n    1:1: parse error: unexpected end of input\n"
    assert failure_summary(output) == "promtool refused the test: 1:1: parse error: unexpected end of input"
