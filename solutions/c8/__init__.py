"""Exercise c8: reference solution, probes and hidden suite."""
