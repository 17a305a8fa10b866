"""Exercise c14: reference solution, probes and hidden suite."""
