"""Exercise c21: reference solution, probes and hidden suite."""
