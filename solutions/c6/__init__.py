"""Exercise c6: reference solution, probes and hidden suite."""
