"""Exercise c7: reference solution, probes and hidden suite."""
