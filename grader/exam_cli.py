"""Instructor commands: sheet, exam, mark, export. (Being built.)"""

COMMANDS: list = []
