"""Fresh seeds: a command run without --seed draws one from the OS and prints it, so the run
can be repeated exactly."""

from __future__ import annotations

import secrets

SEED_LIMIT = 2**31  # seeds fit a signed 32-bit int everywhere they are stored or typed


def fresh_seed() -> int:
    return secrets.randbelow(SEED_LIMIT)
