"""Seeds and permutations derived from sha256, so every machine and Python draws the same.

Python's `hash()` is salted per process and `random.shuffle`'s algorithm is an
implementation detail; an exam printed today must be reproducible from its manifest next
year, so every random choice of a paper is a pure function of strings hashed here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

SEED_BITS = 31  # the bank's `sample` takes a non-negative int; 31 bits fit every rng


def digest(*parts: object) -> bytes:
    """sha256 of the parts joined by an unambiguous separator."""
    text = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(text.encode("utf-8")).digest()


def derive_seed(*parts: object) -> int:
    """A non-negative 31-bit integer determined by the parts, e.g. (exam seed, student, slot)."""
    return int.from_bytes(digest(*parts)[:8], "big") >> (64 - SEED_BITS)


def permutation(n: int, *parts: object) -> list[int]:
    """A permutation of range(n) keyed by the parts: indices sorted by their own digests."""
    return sorted(range(n), key=lambda i: digest(*parts, i))


def choose(items: Sequence[T], k: int, *parts: object, key=str) -> list[T]:
    """k items without replacement, in a keyed order independent of the input order."""
    ranked = sorted(items, key=lambda item: digest(*parts, key(item)))
    return ranked[:k]
