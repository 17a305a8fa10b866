"""Exercise c23: reference solution, probes and hidden suite."""
