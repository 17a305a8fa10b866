"""Exercise c16: reference solution, probes and hidden suite."""
