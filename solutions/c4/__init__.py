"""Exercise c4: reference solution, probes and hidden suite."""
