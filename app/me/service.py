"""Your own account: profile and e-mail changes, erasure (the vault holds the identity; the app
database only the pseudonyms' places, see repository.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.db import AppDbSession
from app.kit.mail import Message
from app.me import repository as repo
from app.me.schemas import Me, MeUpdate
from app.vault import Identity, InvalidCredentials, ProfileUpdate


async def me(identity: Identity) -> Me:
    profile = await identity.vault.own_profile(identity.account_id)
    pending = await identity.vault.pending_email(identity.account_id)
    return Me(**profile.model_dump(), pending_email=pending)


async def update_me(identity: Identity, body: MeUpdate) -> tuple[Me, list[Message]]:
    """The profile after the change, and the messages to send once it is committed."""
    vault, account_id = identity.vault, identity.account_id
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    password = changes.pop("current_password", None)
    new_email = changes.get("email")
    asked_for = None
    if new_email is not None:
        del changes["email"]
        current = await vault.own_profile(account_id)
        if new_email.casefold() != current.email.casefold():
            if password is None:
                raise InvalidCredentials("Give your current password to change your email.")
            await vault.verify_password(account_id, password)
            asked_for = new_email
    profile = await vault.update_profile(account_id, ProfileUpdate.model_validate(changes))
    messages: list[Message] = []
    if asked_for is not None:  # after the rest, which may change the language to write in
        messages = await vault.request_email_change(account_id, asked_for)
    pending = await vault.pending_email(account_id)
    return Me(**profile.model_dump(), pending_email=pending), messages


async def confirm_email(identity: Identity, code: str) -> tuple[Me, list[Message]]:
    messages = await identity.vault.confirm_email_change(identity.account_id, code)
    profile = await identity.vault.own_profile(identity.account_id)
    return Me(**profile.model_dump(), pending_email=None), messages


async def erase(
    identity: Identity, app_db: AppDbSession, password: str, *, then: Callable[[], None]
) -> None:
    """Leave every running challenge and shred the account; `then` runs once the vault's
    transaction has committed (it wakes the erasure epoch that makes old copies useless)."""
    await identity.vault.verify_password(identity.account_id, password)
    mine = await identity.pseudonyms()
    await repo.leave_running_challenges(app_db, mine.values())
    await identity.vault.erase(identity.account_id)
    identity.vault.after_commit(then)
