"""The text entrance: bytes decoded in whatever encoding they came in, then repaired and structured."""
