"""Exercise c9: reference solution, probes and hidden suite."""
