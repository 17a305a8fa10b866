"""Exercise c13: reference solution, probes and hidden suite."""
