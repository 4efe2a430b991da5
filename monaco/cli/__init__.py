"""Command-line interface: arguments and output only."""
