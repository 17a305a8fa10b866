"""Exercise c10: reference solution and hidden checks."""
