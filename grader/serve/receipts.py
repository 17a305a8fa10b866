"""Signed receipts: the server signs each final result with Ed25519 (the `cryptography` library),
so a student holds proof of what was graded (the file's SHA-256), when, and the score; anyone
can verify it offline with the server's public key, and any change to it breaks the signature.

A receipt is JSON: `{"receipt": {...fields...}, "signature": base64, "public_key": base64}`; the
signature covers the canonical JSON of `receipt` (sorted keys, no spaces). `public_key` is a
convenience: verification should use the key the course publishes (its fingerprint is printed).
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from grader.atomic import write_file


def canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def load_or_create(path: Path) -> Ed25519PrivateKey:
    """The server's signing key, created (mode 0600) on first use."""
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path}: not an Ed25519 private key")
        return key
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file(path, pem, mode=0o600)
    return key


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(public: bytes) -> str:
    return "SHA256:" + base64.b64encode(hashlib.sha256(public).digest()).decode().rstrip("=")


def sign(key: Ed25519PrivateKey, fields: dict[str, Any]) -> dict[str, Any]:
    return {"receipt": fields, "signature": base64.b64encode(key.sign(canonical(fields))).decode(),
            "public_key": base64.b64encode(public_bytes(key.public_key())).decode()}


def verify(receipt: dict[str, Any], public_key: bytes | None = None) -> bool:
    """Whether the signature holds for the receipt's fields, under `public_key` (default: the one
    the receipt carries). Never raises on a malformed receipt: it does not verify."""
    try:
        key = public_key if public_key is not None else base64.b64decode(receipt["public_key"], validate=True)
        Ed25519PublicKey.from_public_bytes(key).verify(base64.b64decode(receipt["signature"], validate=True),
                                                       canonical(receipt["receipt"]))
        return True
    except (InvalidSignature, KeyError, TypeError, ValueError):
        return False
