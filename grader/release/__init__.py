"""What a course hands out: the student release (stubs, statements, public checks, the
problem bank, the CLI) and what it must never contain (references, hidden checks)."""
