"""The password-hashing cost: production's parameters, the tests' cheap ones, and the move
between them (a hash verifies at any cost and is re-made at the cost in force)."""

from __future__ import annotations

import pytest

from app.config import PasswordHashCost
from app.vault import passwords

PASSWORD = "violet kettle under moonrise"


@pytest.fixture
def restore_cost(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a test sets with `use_cost` is undone after it."""
    monkeypatch.setattr(passwords, "_cost", passwords._cost)


@pytest.mark.usefixtures("restore_cost")
def test_production_hashes_at_owasp_minimum() -> None:
    passwords.use_cost(PasswordHashCost.production)
    assert passwords.hash_password(PASSWORD).startswith("$argon2id$v=19$m=19456,t=2,p=1$")


@pytest.mark.usefixtures("restore_cost")
def test_a_hash_verifies_and_is_remade_whatever_the_cost_in_force() -> None:
    passwords.use_cost(PasswordHashCost.test)
    cheap = passwords.hash_password(PASSWORD)
    assert "m=19456" not in cheap
    assert passwords.verify_password(cheap, PASSWORD)
    assert not passwords.needs_rehash(cheap)

    passwords.use_cost(PasswordHashCost.production)
    assert passwords.verify_password(cheap, PASSWORD)
    assert not passwords.verify_password(cheap, PASSWORD + "!")
    assert passwords.needs_rehash(cheap)
    real = passwords.hash_password(PASSWORD)
    assert not passwords.needs_rehash(real)

    passwords.use_cost(PasswordHashCost.test)
    assert passwords.verify_password(real, PASSWORD)
    assert passwords.needs_rehash(real)


@pytest.mark.usefixtures("restore_cost")
@pytest.mark.parametrize("cost_in_force", list(PasswordHashCost))
def test_an_unknown_account_never_verifies(cost_in_force: PasswordHashCost) -> None:
    passwords.use_cost(cost_in_force)
    assert not passwords.verify_password(None, PASSWORD)
    assert not passwords.verify_password(None, "not a real password: equalises sign-in timing")
