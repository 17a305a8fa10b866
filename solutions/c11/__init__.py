"""Exercise c11: reference solution, probes and hidden suite."""
