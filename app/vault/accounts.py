"""Accounts, credentials and profiles."""

from __future__ import annotations

import hashlib
import math
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from anyio import to_thread
from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError

from app.db import VaultDbSession
from app.errors import TooManyRequests
from app.kit.orm import utcnow
from app.vault import passwords, throttle
from app.vault.audit import record_read
from app.vault.cohorts import cohort_for_birth_year, seniority_band
from app.vault.context import AccountCipher, VaultContext, forget_own_data_key
from app.vault.crypto import keyed_digest
from app.vault.errors import (
    AccountDeactivated,
    AccountNotFound,
    EmailTaken,
    InvalidCredentials,
    InvalidInvitation,
    UnknownCohort,
    WeakPassword,
)
from app.vault.models import (
    Account,
    AccountRole,
    AuditEvent,
    DataKey,
    EmailConfirmation,
    Invitation,
    Session,
)
from app.vault.models import (
    Profile as ProfileRow,
)
from app.vault.schemas import (
    AccountStatus,
    InvitationPrefill,
    Language,
    NewProfile,
    Profile,
    ProfileUpdate,
    Role,
)

PROFILES = "profiles"


def check_new_password(password: str, *, display_name: str, email: str) -> None:
    """Refuse a new password the rules (NIST SP 800-63B, `passwords.problem_with`) reject."""
    reason = passwords.problem_with(password, display_name=display_name, email=email)
    if reason is not None:
        params = {"min_length": passwords.MIN_LENGTH} if reason == "too_short" else None
        raise WeakPassword(reason, passwords.REASONS[reason], params)


def invitation_code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def check_cohort(ctx: VaultContext, declared: str | None) -> None:
    names = [name for name, _ in ctx.settings.cohort_boundaries]
    if declared is not None and declared not in names:
        raise UnknownCohort(f"Choose one of: {', '.join(names)}.")


async def _roles(db: VaultDbSession, account_id: uuid.UUID) -> list[Role]:
    rows = await db.scalars(select(AccountRole.role).where(AccountRole.account_id == account_id))
    return cast(list[Role], sorted(rows))


async def create_account(
    ctx: VaultContext,
    db: VaultDbSession,
    profile: NewProfile,
    *,
    password: str | None,
    roles: list[Role],
    status: AccountStatus,
) -> uuid.UUID:
    check_cohort(ctx, profile.declared_cohort)
    index = ctx.email_index(profile.email)
    if await db.scalar(select(Account.id).where(Account.email_index == index)) is not None:
        raise EmailTaken()
    password_hash = (
        await to_thread.run_sync(passwords.hash_password, password) if password else None
    )
    account = Account(
        id=uuid.uuid4(),
        status=status,
        email_index=index,
        password_hash=password_hash,
        language=profile.language,
    )
    db.add(account)
    await db.flush()
    for role in sorted({"participant", *roles}):
        db.add(AccountRole(account_id=account.id, role=role))
    cipher = await ctx.new_cipher(db, account.id)
    db.add(
        ProfileRow(
            account_id=account.id,
            display_name=cipher.seal(PROFILES, "display_name", profile.display_name),
            email=cipher.seal(PROFILES, "email", profile.email),
            birth_year=cipher.seal(PROFILES, "birth_year", profile.birth_year),
            declared_cohort=cipher.seal(PROFILES, "declared_cohort", profile.declared_cohort),
            years_experience=cipher.seal(PROFILES, "years_experience", profile.years_experience),
            department=cipher.seal(PROFILES, "department", profile.department),
            manager_email=cipher.seal(PROFILES, "manager_email", profile.manager_email),
        )
    )
    try:
        await db.flush()
    except IntegrityError as exc:  # a concurrent sign-up with the same email
        raise EmailTaken() from exc
    return account.id


async def count_sign_up(ctx: VaultContext, client_address: str) -> None:
    """Sign-ups (open or by invitation) are counted per client address (an HMAC of it) in
    their own transaction, like sign-in: each costs an argon2 hash and must not be scriptable."""
    address_key = keyed_digest(ctx.throttle_key, "sign-up:address:" + client_address)
    async with ctx.sessions.begin() as attempts_db:
        wait = await throttle.count_attempt(
            attempts_db,
            [throttle.Limit(address_key, ctx.settings.sign_ups_per_address_per_hour)],
            timedelta(hours=1),
        )
    if wait:
        raise TooManyRequests(
            "Too many accounts created from here. Wait a little before trying again.",
            retry_after_s=int(wait) + 1,
        )


async def open_invitation(db: VaultDbSession, invitation_code: str) -> tuple[Account, Invitation]:
    """The invited account a code (still unused and unexpired) stands for."""
    invitation = await db.scalar(
        select(Invitation).where(Invitation.code_hash == invitation_code_hash(invitation_code))
    )
    if invitation is None or invitation.expires_at <= utcnow():
        raise InvalidInvitation()
    account = await db.get(Account, invitation.account_id)
    if account is None or account.status != "invited":
        raise InvalidInvitation()
    return account, invitation


async def invitation_prefill(
    ctx: VaultContext, db: VaultDbSession, *, invitation_code: str, client_address: str
) -> InvitationPrefill:
    """What the administrator entered, for the sign-up form to show its holder: the code is
    the invitee's own secret. Looking codes up counts against the same per-address limit as
    the other code checks (a successful one is forgiven), so codes cannot be guessed here."""
    address_key = keyed_digest(ctx.throttle_key, "sign-in:address:" + client_address)
    async with ctx.sessions.begin() as attempts_db:
        wait = await throttle.count_attempt(
            attempts_db,
            [throttle.Limit(address_key, ctx.settings.sign_in_attempts_per_address)],
            timedelta(minutes=ctx.settings.sign_in_window_minutes),
        )
    if wait:
        raise TooManyRequests(
            "Too many attempts. Wait a little before trying again.", retry_after_s=int(wait) + 1
        )
    account, _ = await open_invitation(db, invitation_code)
    profile = await load_profile(ctx, db, account.id)
    await throttle.forgive(db, reset=[], decrement=[address_key])
    return InvitationPrefill(
        display_name=profile.display_name, email=profile.email, language=profile.language
    )


async def activate_invitation(
    ctx: VaultContext,
    db: VaultDbSession,
    account: Account,
    invitation: Invitation,
    profile: NewProfile,
    *,
    password_hash: str,
) -> None:
    """Accept an invitation for the invited address itself: the code, given to the person,
    already proves that mailbox. (Another address waits for its own link:
    `confirmations.accept_invitation`.)"""
    account.status = "active"
    account.password_hash = password_hash
    await db.delete(invitation)
    # What the administrator set (department, manager...) stays unless the person gives
    # another value: a sign-up form's empty field is not a wish to clear it.
    given = profile.model_dump(exclude_unset=True, exclude_none=True)
    await apply_profile_update(ctx, db, account, ProfileUpdate.model_validate(given))


async def authenticate(
    ctx: VaultContext, db: VaultDbSession, *, email: str, password: str, client_address: str
) -> uuid.UUID:
    """The account for these credentials, with the same message and cost for every failure."""
    settings = ctx.settings
    # One email from one address: someone else's failures never slow the owner down elsewhere.
    pair_key = keyed_digest(
        ctx.throttle_key, "sign-in:pair:" + ctx.email_index(email) + ":" + client_address
    )
    address_key = keyed_digest(ctx.throttle_key, "sign-in:address:" + client_address)
    window = timedelta(minutes=settings.sign_in_window_minutes)
    async with ctx.sessions.begin() as attempts_db:
        wait = await throttle.count_attempt(
            attempts_db,
            [throttle.Limit(address_key, settings.sign_in_attempts_per_address)],
            window,
        )
        if not wait:
            wait = await throttle.delay_attempt(
                attempts_db,
                pair_key,
                throttle.Delay(
                    free=settings.sign_in_failures_before_delay,
                    base=timedelta(seconds=settings.sign_in_delay_seconds),
                    cap=timedelta(seconds=settings.sign_in_max_delay_seconds),
                    forget_after=window,
                ),
            )
    if wait:
        raise TooManyRequests(
            "Too many sign-in attempts. Wait a little before trying again.",
            retry_after_s=math.ceil(wait),
        )
    account = await db.scalar(select(Account).where(Account.email_index == ctx.email_index(email)))
    stored_hash = account.password_hash if account is not None else None
    valid = await to_thread.run_sync(passwords.verify_password, stored_hash, password)
    if valid and account is not None and account.status == "disabled":
        raise AccountDeactivated()
    if not valid or account is None or account.status != "active":
        raise InvalidCredentials()
    if stored_hash is not None and passwords.needs_rehash(stored_hash):
        account.password_hash = await to_thread.run_sync(passwords.hash_password, password)
    await throttle.forgive(db, reset=[pair_key], decrement=[address_key])
    return account.id


async def verify_own_password(db: VaultDbSession, account_id: uuid.UUID, password: str) -> None:
    account = await db.get(Account, account_id)
    stored = account.password_hash if account else None
    if not await to_thread.run_sync(passwords.verify_password, stored, password):
        raise InvalidCredentials("The password is not correct.")


async def has_password(db: VaultDbSession, account_id: uuid.UUID) -> bool:
    """Whether the account has a password (one made by single sign-on may have none)."""
    stored = await db.scalar(select(Account.password_hash).where(Account.id == account_id))
    return stored is not None


def _band(ctx: VaultContext, years: str | None) -> str | None:
    if years is None:
        return None
    return seniority_band(int(years), ctx.settings.seniority_band_bounds)


def _derive(ctx: VaultContext, birth_year: str | None, declared: str | None) -> str | None:
    if birth_year is not None:
        return cohort_for_birth_year(int(birth_year), ctx.settings.cohort_boundaries)
    return declared


async def _decrypt_profile(
    ctx: VaultContext, db: VaultDbSession, account: Account
) -> tuple[AccountCipher, ProfileRow] | None:
    cipher = await ctx.cipher(db, account.id)
    row = await db.get(ProfileRow, account.id)
    if cipher is None or row is None:
        return None
    return cipher, row


@dataclass(frozen=True)
class ParticipantLabels:
    """What a join takes from a profile (`pseudonyms.participant_attributes`), decrypted."""

    cohort: str | None
    seniority_band: str | None
    department: str | None
    language: Language


# The account's language and its profile row in one statement: a join reads no more of them.
_LANGUAGE_AND_PROFILE = (
    select(Account.language, ProfileRow)
    .join(ProfileRow, ProfileRow.account_id == Account.id)
    .where(Account.id == bindparam("account_id"))
)


async def participant_labels(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID
) -> ParticipantLabels:
    found = (await db.execute(_LANGUAGE_AND_PROFILE, {"account_id": account_id})).first()
    cipher = await ctx.cipher(db, account_id)
    if found is None or cipher is None:
        raise AccountNotFound()
    language, row = found
    birth_year = cipher.open(PROFILES, "birth_year", row.birth_year)
    years = cipher.open(PROFILES, "years_experience", row.years_experience)
    return ParticipantLabels(
        cohort=_derive(
            ctx, birth_year, cipher.open(PROFILES, "declared_cohort", row.declared_cohort)
        ),
        seniority_band=_band(ctx, years),
        department=cipher.open(PROFILES, "department", row.department),
        language=cast(Language, language),
    )


async def load_profile(ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID) -> Profile:
    account = await db.get(Account, account_id)
    opened = await _decrypt_profile(ctx, db, account) if account else None
    if account is None or opened is None:
        raise AccountNotFound()
    cipher, row = opened
    birth_year = cipher.open(PROFILES, "birth_year", row.birth_year)
    declared = cipher.open(PROFILES, "declared_cohort", row.declared_cohort)
    years = cipher.open(PROFILES, "years_experience", row.years_experience)
    return Profile(
        account_id=account.id,
        display_name=cipher.open(PROFILES, "display_name", row.display_name) or "",
        email=cipher.open(PROFILES, "email", row.email) or "",
        birth_year=int(birth_year) if birth_year else None,
        declared_cohort=declared,
        cohort=_derive(ctx, birth_year, declared),
        years_experience=int(years) if years is not None else None,
        seniority_band=_band(ctx, years),
        department=cipher.open(PROFILES, "department", row.department),
        manager_email=cipher.open(PROFILES, "manager_email", row.manager_email),
        language=cast(Language, account.language),
        roles=await _roles(db, account.id),
        status=cast(AccountStatus, account.status),
    )


async def read_profile(
    ctx: VaultContext,
    db: VaultDbSession,
    subject_id: uuid.UUID,
    *,
    reader_id: uuid.UUID,
    reader_role: Role,
    reason: str,
) -> Profile:
    """Decrypt a profile; a reader other than its owner leaves an audit entry."""
    profile = await load_profile(ctx, db, subject_id)
    if reader_id != subject_id:
        await record_read(
            db,
            subject_id,
            actor_id=reader_id,
            actor_role=reader_role,
            action="read_profile",
            reason=reason,
        )
    return profile


async def apply_profile_update(
    ctx: VaultContext, db: VaultDbSession, account: Account, update: ProfileUpdate
) -> None:
    changes = update.model_dump(exclude_unset=True)
    check_cohort(ctx, changes.get("declared_cohort"))
    cipher = await ctx.cipher(db, account.id)
    row = await db.get(ProfileRow, account.id)
    if cipher is None or row is None:
        raise AccountNotFound()
    if "email" in changes:
        if changes["email"] is None:
            raise InvalidCredentials("The email cannot be removed.")
        index = ctx.email_index(changes["email"])
        taken = await db.scalar(
            select(Account.id).where(Account.email_index == index, Account.id != account.id)
        )
        if taken is not None:
            raise EmailTaken()
        account.email_index = index
    if changes.get("language"):
        account.language = changes["language"]
    if changes.get("birth_year") is not None:
        changes["declared_cohort"] = None  # one way to a cohort: the latest one given wins
    elif changes.get("declared_cohort") is not None:
        changes["birth_year"] = None
    for column in (
        "display_name",
        "email",
        "birth_year",
        "declared_cohort",
        "years_experience",
        "department",
        "manager_email",
    ):
        if column in changes:
            if column in ("display_name", "email") and changes[column] is None:
                continue
            setattr(row, column, cipher.seal(PROFILES, column, changes[column]))
    row.updated_at = utcnow()
    try:
        await db.flush()
    except IntegrityError as exc:
        raise EmailTaken() from exc


async def update_own_profile(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID, update: ProfileUpdate
) -> Profile:
    account = await db.get(Account, account_id)
    if account is None:
        raise AccountNotFound()
    await apply_profile_update(ctx, db, account, update)
    return await load_profile(ctx, db, account_id)


async def erase_account(db: VaultDbSession, account_id: uuid.UUID) -> None:
    """Crypto-shred: the data key goes first, then every row that names the account.

    What the person did under their pseudonyms stays in the app database, and nothing is left
    anywhere that maps it back to them.
    """
    forget_own_data_key(db, account_id)
    await db.execute(delete(DataKey).where(DataKey.account_id == account_id))
    await db.execute(delete(ProfileRow).where(ProfileRow.account_id == account_id))
    await db.execute(delete(Session).where(Session.account_id == account_id))
    await db.execute(delete(Invitation).where(Invitation.account_id == account_id))
    await db.execute(delete(EmailConfirmation).where(EmailConfirmation.account_id == account_id))
    await db.execute(delete(AuditEvent).where(AuditEvent.subject_account_id == account_id))
    await db.execute(delete(AccountRole).where(AccountRole.account_id == account_id))
    await db.execute(delete(Account).where(Account.id == account_id))


async def department_names(ctx: VaultContext, db: VaultDbSession) -> list[str]:
    """The organisation's distinct department names, for the reviewers' comment check.

    One name per department, however its spellings differ in case or spacing (the spelling of
    the earliest account is kept: reading rows in storage order made it depend on the
    database's page layout). It decrypts every profile's department but returns no account
    and names no one, so unlike the reads of a person's identity it writes no audit entry:
    there is no subject whose audit trail it would belong to.
    """
    rows = (
        await db.execute(
            select(DataKey, ProfileRow.department)
            .join(ProfileRow, ProfileRow.account_id == DataKey.account_id)
            .join(Account, Account.id == DataKey.account_id)
            .where(ProfileRow.department.is_not(None))
            .order_by(Account.created_at, Account.id)
        )
    ).all()

    # One key unwrap and one decryption per account: off the event loop for a large
    # organisation, like password hashing.
    def decrypt() -> list[str]:
        names: dict[str, str] = {}
        for data_key, sealed in rows:
            name = ctx.cipher_of(data_key).open(PROFILES, "department", sealed)
            if name is not None and name.strip():
                names.setdefault(" ".join(name.casefold().split()), " ".join(name.split()))
        return sorted(names.values(), key=str.casefold)

    return await to_thread.run_sync(decrypt)


def new_invitation_code() -> str:
    return secrets.token_urlsafe(18)
