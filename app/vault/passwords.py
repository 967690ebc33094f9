"""argon2id password hashing at OWASP's minimum parameters (19 MiB, t=2, p=1) or stronger,
and the rules for new passwords (NIST SP 800-63B).

Hashing is CPU- and memory-heavy: callers run it in a worker thread, never on the event loop.
The cost is one per process, set by the vault from `CHALLENGE_PASSWORD_HASH_COST` (`use_cost`):
the test suite asks for a cheap one, which production settings refuse. A hash verifies whatever
the cost in force (its parameters are in it); one made at another cost is re-made at the cost in
force on the next sign-in (`needs_rehash`).
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from importlib import resources
from typing import Literal

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from app.config import PasswordHashCost

HASHERS: dict[PasswordHashCost, PasswordHasher] = {
    PasswordHashCost.production: PasswordHasher(
        time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID
    ),
    # Tests only: no protection worth the name (1 MiB, one pass).
    PasswordHashCost.test: PasswordHasher(
        time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID
    ),
}
# Verified when the email is unknown, so that both failure paths cost the same.
_DUMMY_HASHES = {
    cost: hasher.hash("not a real password: equalises sign-in timing")
    for cost, hasher in HASHERS.items()
}
_cost = PasswordHashCost.production


def use_cost(cost: PasswordHashCost) -> None:
    """Hash at this cost from now on, in this process (the vault calls it with its settings)."""
    global _cost
    _cost = cost


def hash_password(password: str) -> str:
    return HASHERS[_cost].hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    hasher = HASHERS[_cost]
    try:
        return (
            hasher.verify(stored_hash or _DUMMY_HASHES[_cost], password) and stored_hash is not None
        )
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return HASHERS[_cost].check_needs_rehash(stored_hash)


# New passwords (NIST SP 800-63B 3.1.1.2): a minimum length, no composition rules, and a check
# against passwords known to be common or breached and against the person's own details.
MIN_LENGTH = 12
# Personal details are compared by their parts of at least this many characters.
MIN_PERSONAL_PART = 4

PasswordProblem = Literal["too_short", "too_common", "contains_personal_info"]

REASONS: dict[PasswordProblem, str] = {
    "too_short": f"Use at least {MIN_LENGTH} characters; a few unrelated words are easy to "
    "remember.",
    "too_common": "This password is among the most common or breached passwords, so it "
    "would be guessed quickly. Choose another one.",
    "contains_personal_info": "The password contains your name or your email address, "
    "which others can guess. Choose another one.",
}


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list (app/vault/data/README.md says where it comes from), case-folded;
    read once, on first use."""
    data = resources.files("app.vault").joinpath("data/common-passwords.txt.gz").read_bytes()
    return frozenset(line.casefold() for line in gzip.decompress(data).decode().splitlines())


def _personal_parts(display_name: str, email: str) -> set[str]:
    local = email.rpartition("@")[0] or email
    parts = {local.casefold()} | {
        part for text in (display_name, local) for part in re.split(r"[\W_\d]+", text.casefold())
    }
    return {part for part in parts if len(part) >= MIN_PERSONAL_PART}


def problem_with(password: str, *, display_name: str, email: str) -> PasswordProblem | None:
    """Why a new password is refused, or None if it is acceptable."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    folded = password.casefold()
    listed = common_passwords()
    if folded in listed or folded.replace(" ", "") in listed:
        return "too_common"
    if any(part in folded for part in _personal_parts(display_name, email)):
        return "contains_personal_info"
    return None
