"""Exercise c2: reference solution, probes and hidden suite."""
