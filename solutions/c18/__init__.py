"""Exercise c18: reference solution, probes and hidden suite."""
