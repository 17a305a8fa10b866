"""Problem-bank commands: answer, practice, bank validate. (Being built.)"""

COMMANDS: list = []
