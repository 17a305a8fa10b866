"""The problem bank: problems as YAML data, exact keys with sympy, answers, self-study."""
