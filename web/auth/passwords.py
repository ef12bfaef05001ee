"""Password hashing with Argon2id (memory-hard), through argon2-cffi's defaults (RFC 9106)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Return a hash verified when the name is unknown, so a wrong name costs as long as a wrong
    password (made on first use: hashing costs half a second, too much for every start-up)."""
    return _HASHER.hash("no such account")


def hash_password(password: str) -> str:
    """Return the Argon2id hash of ``password`` (salted; parameters inside the hash)."""
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored`` (an unknown account never matches)."""
    try:
        return _HASHER.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False
