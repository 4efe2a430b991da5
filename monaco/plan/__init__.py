"""Plan layer: resources, changes, diffing and plan views."""
