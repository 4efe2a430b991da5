"""Tests of `monaco routes`, the backends' routing answers and route tests in specs."""
