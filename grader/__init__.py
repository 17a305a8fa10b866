"""gengrade: auto-graded exercises and randomized exams on generative models."""

__version__ = "0.1.0"
__all__ = ["__version__"]
