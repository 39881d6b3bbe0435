# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""AES-256-GCM for the case data in the audit store, from the maintained ``cryptography`` package.

Imported only when case data is sealed or opened (``maatwerk[audit]``, part of ``maatwerk[service]``):
``import maatwerk`` and ``maatwerk audit verify`` do not need it, since the chain covers the
ciphertext, never the plaintext.

Each case has its own random 256-bit data key. It is stored *wrapped*: encrypted with AES-GCM under
the key-encryption key, which is derived from the audit secret and so lives outside the database.
Destroying the wrapped data key (an erasure) makes the case's records unreadable for everyone,
whoever holds the secret or a copy of the database made after the erasure.
"""

from __future__ import annotations

import os
from typing import Any

from maatwerk.audit._errors import AuditError

__all__ = ["KEY_BYTES", "NONCE_BYTES", "available", "new_key", "open_sealed", "seal"]

KEY_BYTES = 32
NONCE_BYTES = 12


def _aesgcm(key: bytes) -> Any:
    try:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    except ImportError:
        raise AuditError(
            "case data in the audit store is encrypted, and the `cryptography` package is not installed",
            hint="Install the audit extra: pip install 'maatwerk[audit]' (the service extra includes it).",
        ) from None
    return AESGCM(key)


def available() -> None:
    """Raise :class:`AuditError` (with the install hint) when case data cannot be sealed here."""
    _aesgcm(bytes(KEY_BYTES))


def new_key() -> bytes:
    """A new random data key."""
    return os.urandom(KEY_BYTES)


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """``nonce || ciphertext-with-tag``: AES-256-GCM with a random 96-bit nonce, bound to ``aad``."""
    nonce = os.urandom(NONCE_BYTES)
    sealed: bytes = _aesgcm(key).encrypt(nonce, plaintext, aad)
    return nonce + sealed


def open_sealed(key: bytes, blob: bytes, aad: bytes) -> bytes | None:
    """The plaintext of ``blob``, or None when it was altered, bound to other ``aad`` or made with
    another key."""
    cipher = _aesgcm(key)
    from cryptography.exceptions import InvalidTag

    if len(blob) < NONCE_BYTES + 16:
        return None
    try:
        plain: bytes = cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except InvalidTag:
        return None
    return plain
