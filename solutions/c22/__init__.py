"""Exercise c22: reference solution, probes and hidden suite."""
