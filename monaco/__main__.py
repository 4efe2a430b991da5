"""`python -m monaco` runs the command-line interface."""

from monaco.cli.main import run

run()
