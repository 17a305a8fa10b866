"""Exercise c19: reference solution, probes and hidden suite."""
