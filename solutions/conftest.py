"""Hooks gengrade's pytest plugin into the hidden suites, so a suite runs by hand:
`pytest solutions/c2 --submission path/to/add_noise.py`."""

from grader.check.plugin import pytest_addoption, pytest_configure  # noqa: F401
