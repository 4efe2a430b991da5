"""Tests of the mimir_ruler backend against the fake Mimir ruler."""
