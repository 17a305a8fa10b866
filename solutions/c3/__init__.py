"""Exercise c3: reference solution, probes and hidden suite."""
