"""Exercise c12: reference solution, probes and hidden suite."""
