"""Your own account: profile and e-mail changes, erasure (the vault holds the identity; the app
database only the pseudonyms' places, see repository.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.db import AppDbSession
from app.kit.mail import Message
from app.mail.service import mail_notices
from app.me import repository as repo
from app.me.errors import ReauthenticationRequired
from app.me.schemas import Me, MeUpdate, Record
from app.mentoring import record as mentoring_record
from app.vault import Identity, InvalidCredentials, ProfileUpdate


async def me(identity: Identity) -> Me:
    profile = await identity.vault.own_profile(identity.account_id)
    pending = await identity.vault.pending_email(identity.account_id)
    has_password = await identity.vault.has_password(identity.account_id)
    return Me(**profile.model_dump(), pending_email=pending, has_password=has_password)


async def confirm_it_is_you(identity: Identity, password: str | None, *, needed_for: str) -> None:
    """Proof that the person at the keyboard owns the account, before an action a session left
    open must not be enough for: the password, or for an account without one a recent
    re-authentication at the single sign-on provider from this session (spent here)."""
    vault, account_id = identity.vault, identity.account_id
    if password is not None or await vault.has_password(account_id):
        if password is None:
            raise InvalidCredentials(f"Give your password to {needed_for}.")
        await vault.verify_password(account_id, password)
    elif not await vault.take_sso_reauthentication(identity.session.session_id):
        raise ReauthenticationRequired(
            f"Sign in again at your single sign-on provider to {needed_for}."
        )


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
            await confirm_it_is_you(identity, password, needed_for="change your email")
            asked_for = new_email
    profile = await vault.update_profile(account_id, ProfileUpdate.model_validate(changes))
    messages: list[Message] = []
    if asked_for is not None:  # after the rest, which may change the language to write in
        messages = await vault.request_email_change(account_id, asked_for)
    pending = await vault.pending_email(account_id)
    has_password = await vault.has_password(account_id)
    return Me(**profile.model_dump(), pending_email=pending, has_password=has_password), messages


async def confirm_email(identity: Identity, code: str) -> tuple[Me, list[Message]]:
    messages = await identity.vault.confirm_email_change(identity.account_id, code)
    return await me(identity), messages


async def erase(
    identity: Identity, app_db: AppDbSession, password: str | None, *, then: Callable[[], None]
) -> None:
    """Leave every running challenge and shred the account; `then` runs once the vault's
    transaction has committed (it wakes the erasure epoch that makes old copies useless).
    Erasure is everyone's right: an account without a password confirms it at its provider."""
    await confirm_it_is_you(identity, password, needed_for="erase your account")
    mine = await identity.pseudonyms()
    left = await repo.leave_running_challenges(app_db, mine.values())
    # The teams they left are mailed as each member chose ("team"), before the mapping goes.
    for title, notices in left.items():
        await mail_notices(app_db, identity.vault, notices, topic="team", challenge_title=title)
    await identity.vault.erase(identity.account_id)
    identity.vault.after_commit(then)


async def record(identity: Identity, app_db: AppDbSession) -> Record:
    """What the vault holds about the person, and what the app database holds under their
    pseudonyms that a list of items cannot say: their mentoring programmes and pairs."""
    return Record(
        items=await identity.vault.record(identity.account_id),
        mentoring=await mentoring_record.on_record(app_db, identity),
    )


async def export(identity: Identity, app_db: AppDbSession) -> dict[str, Any]:
    data: dict[str, Any] = await identity.vault.export(identity.account_id)
    data["mentoring"] = [
        programme.model_dump(mode="json")
        for programme in await mentoring_record.export(app_db, identity)
    ]
    return data
