"""Gradescope: the autograder zip (`export`) and what runs inside it for each submission
(`autograder`: find the student's files, grade them, write results.json)."""
