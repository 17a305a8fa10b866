"""Exercise c20: reference solution, probes and hidden suite."""
