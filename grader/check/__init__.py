"""The grader's side of coding exercises: start the isolated run, judge what it observed.

Nothing here imports or runs student code. Verdicts are pytest tests (`solutions/cN/
test_cN.py`) run in this process on the observations the sandbox sent.
"""
