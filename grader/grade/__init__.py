"""Grading a whole class: submissions in, a gradebook, feedback and a class report out."""
