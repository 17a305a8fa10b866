"""Skip markers for tests that need OS isolation, which become failures where it is required.

On a kernel without user namespaces or Landlock these tests skip and say why. CI sets
GENGRADE_REQUIRE_ISOLATION=1: there the isolation the README claims must exist, so a missing
one fails the run instead of quietly skipping the proof.
"""

from __future__ import annotations

import os

import pytest

from grader.check import isolation

REQUIRED = os.environ.get("GENGRADE_REQUIRE_ISOLATION") == "1"


def needs(available: bool, what: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(not (available or REQUIRED), reason=f"no {what} on this machine")


BUBBLEWRAP = needs(isolation.bubblewrap_works(), "user namespaces for bubblewrap")
LANDLOCK = needs(isolation.landlock_works(), "Landlock or seccomp")
ANY = needs(isolation.choose().protected, "OS isolation")
