"""Exercise c15: reference solution, probes and hidden suite."""
