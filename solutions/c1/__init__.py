"""Exercise c1: reference solution, probes and hidden suite."""
