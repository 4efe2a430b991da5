"""IR layer: the backend-neutral model, lowering from specs, burn-rate math."""
