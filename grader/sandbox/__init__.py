"""The student's side of the trust boundary.

This subpackage (with the exercise's `probes.py`) is the only grader code that the
student's isolated process imports: it loads the submission, runs the probes and streams
raw observations. It decides nothing and imports nothing from the rest of `grader`.
"""
