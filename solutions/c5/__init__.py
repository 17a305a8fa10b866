"""Exercise c5: reference solution, probes and hidden suite."""
