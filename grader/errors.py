"""Errors the user can act on; the CLI maps them to exit codes."""


class GraderError(Exception):
    """The work was read but something is wrong with it (exit 1)."""

    exit_code = 1


class UsageError(GraderError):
    """Bad arguments or unreadable input: the message names the file, line and the fix (exit 2)."""

    exit_code = 2
