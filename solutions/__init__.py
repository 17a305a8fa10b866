"""Reference solutions and hidden suites (instructor side; never shipped to students)."""
