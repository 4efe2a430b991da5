"""`monaco drill`: a labelled synthetic alert sent through a target's real pipeline, and where it arrived."""
