"""argon2id password hashing at OWASP's minimum parameters (19 MiB, t=2, p=1) or stronger.

Hashing is CPU- and memory-heavy: callers run it in a worker thread, never on the event loop.
"""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)
# Verified when the email is unknown, so that both failure paths cost the same.
_DUMMY_HASH = _HASHER.hash("not a real password: equalises sign-in timing")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)
