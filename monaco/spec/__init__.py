"""Spec layer: YAML with positions, Pydantic models, workspace loading and checks."""
