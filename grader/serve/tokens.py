"""Access tokens: random, shown once, stored only as their SHA-256 (a database leak gives no
token away). Tokens have 256 bits of entropy, so a plain hash is enough: nothing to brute-force."""

from __future__ import annotations

import hashlib
import secrets


def new_token(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
