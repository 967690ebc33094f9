"""Changes that wait for a one-time code mailed to the address concerned (issue 17, finding 5):
an open sign-up and a new email. Neither request tells whether an address has an account.

- **Open sign-up.** The answer is the same whether the address is free or not, and so is the
  work: the password rules, one argon2 hash, a lookup, and writes to the same tracked tables
  (their change counts move alike, so the response cache's hits and misses tell nothing
  either). A free address: an account waits as `invited` with its password set, and a link
  goes to the address. An address whose account still waits for its own link: the newer
  request replaces the older (password, profile and code), so a lost or expired link never
  blocks an address. An address an administrator invited is treated the same way: the person
  who signs up instead of using their code gets the link (what the administrator set stays),
  so an invitation never turns open sign-up into a dead end. Any other account: its owner is
  told that someone tried, nobody else is.
  Confirming needs the code *and* the password chosen with it, so a link someone else asked
  for cannot sign the mailbox's owner into an account whose password that someone knows.
- **An invitation accepted with another address.** The code proves the invited mailbox only:
  the person who types a different address waits, like an open sign-up, for the link mailed
  to it (the new address is kept sealed with the code's hash and written to the profile when
  the link is confirmed). Until then the account stays invited and the invited address keeps
  working with the code.
- **A new email.** The address is not changed at once: the request stores the new address,
  sealed under the account's own data key, with the code's hash, whether the address is free
  or taken; a free address receives the link, an address with an account receives a notice
  instead (so no code ever reaches it). Confirming, signed in as the same account, changes the
  address if it is still free; the old address is then told.

Codes are 24 random bytes, kept as a SHA-256 hash, valid for `CONFIRMATION_LIFETIME`, used
once. Expired rows are deleted by the next request of either kind.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from anyio import to_thread
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from app.db import VaultDbSession
from app.errors import TooManyRequests
from app.kit.mail import Message
from app.kit.orm import utcnow
from app.vault import accounts, passwords, throttle
from app.vault.context import VaultContext
from app.vault.crypto import keyed_digest
from app.vault.errors import (
    AccountNotFound,
    EmailTaken,
    InvalidConfirmation,
    InvalidCredentials,
    InvalidInvitation,
    SignUpClosed,
)
from app.vault.messages import (
    EMAIL_CHANGE_CONFIRMATION_PATH,
    SIGN_UP_CONFIRMATION_PATH,
    compose,
)
from app.vault.models import (
    Account,
    AccountRole,
    DataKey,
    EmailConfirmation,
    Invitation,
)
from app.vault.models import (
    Profile as ProfileRow,
)
from app.vault.schemas import NewProfile, ProfileUpdate

CONFIRMATION_LIFETIME = timedelta(hours=24)
SIGN_UP = "sign_up"
EMAIL_CHANGE = "email_change"
TABLE = "email_confirmations"


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _new_code() -> str:
    return secrets.token_urlsafe(24)


def _hours() -> int:
    return int(CONFIRMATION_LIFETIME.total_seconds() // 3600)


def _waits_for_sign_up(account: Account) -> bool:
    """An open sign-up not confirmed yet, or an admin's invitation for which an open sign-up
    was asked (an invitation alone has no password until it is accepted, and accepting it
    activates the account)."""
    return account.status == "invited" and account.password_hash is not None


def _may_sign_up(account: Account) -> bool:
    """An address an open sign-up may (re)claim through the mailed link: one waiting for its
    own link, or one an administrator invited. The invited person who signs up instead of
    using their code gets the link too, rather than a notice that leads nowhere."""
    return account.status == "invited"


async def _forget_expired(db: VaultDbSession) -> None:
    await db.execute(delete(EmailConfirmation).where(EmailConfirmation.expires_at <= utcnow()))


async def _replace(
    db: VaultDbSession, account_id: uuid.UUID, purpose: str, *, new_email: bytes | None = None
) -> str:
    """A fresh code for this account and purpose; an older one stops working."""
    for attempt in range(3):
        code = _new_code()
        try:
            async with db.begin_nested():
                await db.execute(
                    delete(EmailConfirmation).where(
                        EmailConfirmation.account_id == account_id,
                        EmailConfirmation.purpose == purpose,
                    )
                )
                db.add(
                    EmailConfirmation(
                        account_id=account_id,
                        purpose=purpose,
                        code_hash=code_hash(code),
                        new_email=new_email,
                        expires_at=utcnow() + CONFIRMATION_LIFETIME,
                    )
                )
                await db.flush()
            return code
        except IntegrityError:
            # A concurrent request for the same account committed its own row after our
            # delete looked: delete again (it sees that row now) and insert ours.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


async def _touch(db: VaultDbSession, account_id: uuid.UUID) -> None:
    """Statements that change nothing, on the tracked tables a new account is written to, so
    that their change counts move as they would for a new account (app/cache/changes.py)."""
    await db.execute(update(Account).where(Account.id == account_id).values(status=Account.status))
    await db.execute(
        update(AccountRole)
        .where(AccountRole.account_id == account_id)
        .values(role=AccountRole.role)
    )
    await db.execute(
        update(DataKey)
        .where(DataKey.account_id == account_id)
        .values(wrapped_at=DataKey.wrapped_at)
    )
    await db.execute(
        update(ProfileRow)
        .where(ProfileRow.account_id == account_id)
        .values(updated_at=ProfileRow.updated_at)
    )


async def request_sign_up(
    ctx: VaultContext,
    db: VaultDbSession,
    profile: NewProfile,
    *,
    password: str,
    client_address: str,
) -> list[Message]:
    """Open sign-up: the message to send, whoever holds the address (see the module's doc)."""
    await accounts.count_sign_up(ctx, client_address)
    if not ctx.settings.sign_up_is_open:
        raise SignUpClosed()
    # Everything that can refuse the request is checked before the address is looked up.
    accounts.check_cohort(ctx, profile.declared_cohort)
    accounts.check_new_password(password, display_name=profile.display_name, email=profile.email)
    password_hash = await to_thread.run_sync(passwords.hash_password, password)
    await _forget_expired(db)
    public_url = ctx.settings.public_url
    existing = await db.scalar(
        select(Account).where(Account.email_index == ctx.email_index(profile.email))
    )
    # An administrator's invitation (its code unused so far): what they set (department,
    # manager, role) stays; only what the person gives now is written.
    invited_by_admin = (
        await db.scalar(select(Invitation.id).where(Invitation.account_id == existing.id).limit(1))
        if existing is not None
        else None
    ) is not None
    if existing is not None and not _may_sign_up(existing):
        await _touch(db, existing.id)
        return [
            compose("sign_up_attempt", existing.language, to=profile.email, public_url=public_url)
        ]
    if existing is None:
        try:
            async with db.begin_nested():
                account_id = await accounts.create_account(
                    ctx, db, profile, password=None, roles=["participant"], status="invited"
                )
        except EmailTaken:
            # A sign-up for the same address committed meanwhile: its own link is on its way.
            return []
        account = await db.get(Account, account_id)
        assert account is not None
    else:
        account = existing
        # Every field is replaced, cleared ones included: nothing of the older request stays
        # (an administrator's invitation keeps what they set and the person left out).
        given = profile.model_dump(exclude_unset=invited_by_admin, exclude_none=invited_by_admin)
        await accounts.apply_profile_update(ctx, db, account, ProfileUpdate.model_validate(given))
        await _touch(db, account.id)
    account.password_hash = password_hash
    code = await _replace(db, account.id, SIGN_UP)
    return [
        compose(
            "sign_up_confirmation",
            profile.language,
            to=profile.email,
            public_url=public_url,
            link=public_url + SIGN_UP_CONFIRMATION_PATH + code,
            hours=_hours(),
        )
    ]


@dataclass(frozen=True)
class InvitationAnswer:
    """An accepted invitation: the account, active now (`account_id`), or, for another
    address than the invited one, the messages to send while it waits for its link."""

    account_id: uuid.UUID | None
    messages: list[Message]


async def accept_invitation(
    ctx: VaultContext,
    db: VaultDbSession,
    profile: NewProfile,
    *,
    password: str,
    invitation_code: str,
    client_address: str,
) -> InvitationAnswer:
    """Sign up with an administrator's code (see the module's doc)."""
    await accounts.count_sign_up(ctx, client_address)
    accounts.check_new_password(password, display_name=profile.display_name, email=profile.email)
    account, invitation = await accounts.open_invitation(db, invitation_code)
    accounts.check_cohort(ctx, profile.declared_cohort)
    password_hash = await to_thread.run_sync(passwords.hash_password, password)
    if ctx.email_index(profile.email) == account.email_index:
        await accounts.activate_invitation(
            ctx, db, account, invitation, profile, password_hash=password_hash
        )
        # A link asked for earlier (for another address) must not move the account later.
        await db.execute(
            delete(EmailConfirmation).where(
                EmailConfirmation.account_id == account.id, EmailConfirmation.purpose == SIGN_UP
            )
        )
        return InvitationAnswer(account_id=account.id, messages=[])
    await _forget_expired(db)
    public_url = ctx.settings.public_url
    owner_language = await db.scalar(
        select(Account.language).where(Account.email_index == ctx.email_index(profile.email))
    )
    if owner_language is not None:
        # The address has an account: its owner is told, as for an open sign-up.
        return InvitationAnswer(
            account_id=None,
            messages=[
                compose("sign_up_attempt", owner_language, to=profile.email, public_url=public_url)
            ],
        )
    cipher = await ctx.cipher(db, account.id)
    if cipher is None:
        raise InvalidInvitation()
    # Everything but the address is the person's to set now; the address waits for its link.
    given = profile.model_dump(exclude_unset=True, exclude_none=True, exclude={"email"})
    await accounts.apply_profile_update(ctx, db, account, ProfileUpdate.model_validate(given))
    account.password_hash = password_hash
    sealed = cipher.seal(TABLE, "new_email", profile.email)
    code = await _replace(db, account.id, SIGN_UP, new_email=sealed)
    return InvitationAnswer(
        account_id=None,
        messages=[
            compose(
                "sign_up_confirmation",
                profile.language,
                to=profile.email,
                public_url=public_url,
                link=public_url + SIGN_UP_CONFIRMATION_PATH + code,
                hours=_hours(),
            )
        ],
    )


async def confirm_sign_up(
    ctx: VaultContext, db: VaultDbSession, *, code: str, password: str, client_address: str
) -> uuid.UUID:
    """Activate the account the code was mailed for; its password must be the one chosen with
    that request. Attempts count against the sign-in limit per client address."""
    settings = ctx.settings
    address_key = keyed_digest(ctx.throttle_key, "sign-in:address:" + client_address)
    async with ctx.sessions.begin() as attempts_db:
        wait = await throttle.count_attempt(
            attempts_db,
            [throttle.Limit(address_key, settings.sign_in_attempts_per_address)],
            timedelta(minutes=settings.sign_in_window_minutes),
        )
    if wait:
        raise TooManyRequests(
            "Too many attempts. Wait a little before trying again.", retry_after_s=int(wait) + 1
        )
    row = await db.scalar(
        select(EmailConfirmation).where(
            EmailConfirmation.code_hash == code_hash(code), EmailConfirmation.purpose == SIGN_UP
        )
    )
    account = await db.get(Account, row.account_id) if row is not None else None
    if (
        row is None
        or row.expires_at <= utcnow()
        or account is None
        or not _waits_for_sign_up(account)
    ):
        raise InvalidConfirmation()
    if not await to_thread.run_sync(passwords.verify_password, account.password_hash, password):
        raise InvalidCredentials("This is not the password chosen when the account was created.")
    if row.new_email is not None:
        # An invitation accepted with another address: the link proves that one now.
        cipher = await ctx.cipher(db, account.id)
        new_email = cipher.open(TABLE, "new_email", row.new_email) if cipher else None
        if new_email is None:
            raise InvalidConfirmation()
        await accounts.apply_profile_update(ctx, db, account, ProfileUpdate(email=new_email))
    account.status = "active"
    await db.delete(row)
    # An administrator's invitation for the same account is used up with it.
    await db.execute(delete(Invitation).where(Invitation.account_id == account.id))
    await throttle.forgive(db, reset=[], decrement=[address_key])
    await db.flush()
    return account.id


async def request_email_change(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID, new_email: str
) -> list[Message]:
    """Keep the new address waiting for its code; the message to send, whoever holds it.

    The caller has checked the current password. The work is the same for a free and a taken
    address: one lookup, one row replaced, one message composed."""
    account = await db.get(Account, account_id)
    cipher = await ctx.cipher(db, account_id)
    if account is None or cipher is None:
        raise AccountNotFound()
    limit_key = keyed_digest(ctx.throttle_key, f"email-change:account:{account_id}")
    wait = await throttle.count_attempt(
        db, [throttle.Limit(limit_key, ctx.settings.email_changes_per_hour)], timedelta(hours=1)
    )
    if wait:
        raise TooManyRequests(
            "Too many changes of address asked for. Wait a little before trying again.",
            retry_after_s=int(wait) + 1,
        )
    await _forget_expired(db)
    owner_language = await db.scalar(
        select(Account.language).where(
            Account.email_index == ctx.email_index(new_email), Account.id != account_id
        )
    )
    sealed = cipher.seal(TABLE, "new_email", new_email)
    code = await _replace(db, account_id, EMAIL_CHANGE, new_email=sealed)
    public_url = ctx.settings.public_url
    if owner_language is not None:
        # The code goes nowhere: the owner is told, the requester can never confirm.
        return [
            compose("email_change_attempt", owner_language, to=new_email, public_url=public_url)
        ]
    return [
        compose(
            "email_change_confirmation",
            account.language,
            to=new_email,
            public_url=public_url,
            link=public_url + EMAIL_CHANGE_CONFIRMATION_PATH + code,
            hours=_hours(),
        )
    ]


async def pending_email(ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID) -> str | None:
    """The new address waiting for confirmation, if any (until it expires)."""
    sealed = await db.scalar(
        select(EmailConfirmation.new_email).where(
            EmailConfirmation.account_id == account_id,
            EmailConfirmation.purpose == EMAIL_CHANGE,
            EmailConfirmation.expires_at > utcnow(),
        )
    )
    cipher = await ctx.cipher(db, account_id) if sealed is not None else None
    return cipher.open(TABLE, "new_email", sealed) if cipher is not None else None


async def confirm_email_change(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID, code: str
) -> list[Message]:
    """Move the account to the address the code was mailed to, if it is still free; the
    message telling the old address."""
    row = await db.scalar(
        select(EmailConfirmation).where(
            EmailConfirmation.code_hash == code_hash(code),
            EmailConfirmation.purpose == EMAIL_CHANGE,
        )
    )
    if row is None or row.account_id != account_id or row.expires_at <= utcnow():
        raise InvalidConfirmation()
    account = await db.get(Account, account_id)
    cipher = await ctx.cipher(db, account_id)
    if account is None or cipher is None:
        raise InvalidConfirmation()
    new_email = cipher.open(TABLE, "new_email", row.new_email)
    if new_email is None:
        raise InvalidConfirmation()
    old = await accounts.load_profile(ctx, db, account_id)
    await db.delete(row)
    try:
        await accounts.apply_profile_update(ctx, db, account, ProfileUpdate(email=new_email))
    except EmailTaken as exc:
        raise EmailTaken(
            "Another account has taken this address since you asked for it; your address "
            "was not changed."
        ) from exc
    return [
        compose("email_changed", account.language, to=old.email, public_url=ctx.settings.public_url)
    ]
