"""The identity vault's public interface.

Everything outside `app.vault` goes through `Vault` and the schemas below; the models, keys
and crypto modules are private (import-linter contract `vault-is-sealed`). The vault is the only
code that reads or writes the vault database.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import URL, MetaData, event
from sqlalchemy.ext.asyncio import async_sessionmaker

from app.config import Settings
from app.db import SECOND_LOCK_WAIT_MS, VaultDbSession, lock_wait
from app.kit.mail import Mailer, Message
from app.vault import (
    accounts,
    admin,
    audit,
    calendars,
    confirmations,
    epochs,
    facilitators,
    keyring,
    learning,
    learning_counts,
    mail_digest,
    mail_preferences,
    mail_queue,
    oidc,
    pairs,
    passwords,
    pseudonyms,
    records,
    scim,
    sessions,
    throttle,
)
from app.vault.admin import CsvImportRejected, CsvRowError, ImportResult
from app.vault.cohorts import seniority_band_labels
from app.vault.confirmations import InvitationAnswer
from app.vault.context import OWN_SESSION_ROWS, VaultContext
from app.vault.epochs import EpochReason, PendingEpoch
from app.vault.errors import (
    AccountDeactivated,
    AccountNotFound,
    EmailTaken,
    InvalidConfirmation,
    InvalidCredentials,
    InvalidInvitation,
    LastAdmin,
    SignUpClosed,
    UnknownCohort,
)
from app.vault.keyring import KeysNotConfigured, RotationReport, load_key_provider
from app.vault.keys import (
    KeyFileProvider,
    KeyMaterialError,
    KeyProvider,
    add_kek_version,
    retire_kek_version,
)
from app.vault.learning_counts import LearningCounts
from app.vault.mail_preferences import MailChoice, MailTopic
from app.vault.mail_queue import MailPolicy, MailSender
from app.vault.oidc import (
    RoleGrant,
    SsoAccountDisabled,
    SsoIdentity,
    SsoIdentityMismatch,
    SsoLinkedElsewhere,
    SsoLinkRecord,
    SsoNoAccount,
    SsoReauthenticationMismatch,
    SsoSignIn,
)
from app.vault.pairs import NotPairMember, PairKeyShredded, PairMembers, PartnerName
from app.vault.pseudonyms import Bucket, DepartmentCounts
from app.vault.schemas import (
    AccountAdminUpdate,
    AccountSummary,
    AuditEntry,
    FacilitatorIdentity,
    InvitationCreate,
    InvitationCreated,
    InvitationPrefill,
    Language,
    LearningRecord,
    LessonNotes,
    NewProfile,
    ParticipantAttributes,
    Profile,
    ProfileRules,
    ProfileUpdate,
    QuizAttemptRecord,
    RecordItem,
    Role,
    SessionInfo,
    profile_rules,
)
from app.vault.scim import (
    ScimTokenCreated,
    ScimTokenNotFound,
    ScimTokenSummary,
    ScimUser,
    ScimUserChange,
)

__all__ = [
    "AccountAdminUpdate",
    "AccountDeactivated",
    "AccountNotFound",
    "AccountSummary",
    "AuditEntry",
    "BoundVault",
    "CsvImportRejected",
    "CsvRowError",
    "DepartmentCounts",
    "EmailTaken",
    "EpochReason",
    "FacilitatorIdentity",
    "Identity",
    "ImportResult",
    "InvalidConfirmation",
    "InvalidCredentials",
    "InvalidInvitation",
    "InvitationAnswer",
    "InvitationCreate",
    "InvitationCreated",
    "InvitationPrefill",
    "KeyFileProvider",
    "KeyMaterialError",
    "KeyProvider",
    "KeysNotConfigured",
    "Language",
    "LastAdmin",
    "LearningCounts",
    "LearningRecord",
    "LessonNotes",
    "MailChoice",
    "MailPolicy",
    "MailSender",
    "MailTopic",
    "NewProfile",
    "NotPairMember",
    "PairKeyShredded",
    "PairMembers",
    "ParticipantAttributes",
    "PartnerName",
    "PendingEpoch",
    "Profile",
    "ProfileRules",
    "ProfileUpdate",
    "QuizAttemptRecord",
    "RecordItem",
    "Role",
    "RoleGrant",
    "RotationReport",
    "ScimTokenCreated",
    "ScimTokenNotFound",
    "ScimTokenSummary",
    "ScimUser",
    "ScimUserChange",
    "SessionInfo",
    "SignUpClosed",
    "SsoAccountDisabled",
    "SsoIdentity",
    "SsoIdentityMismatch",
    "SsoLinkRecord",
    "SsoLinkedElsewhere",
    "SsoNoAccount",
    "SsoReauthenticationMismatch",
    "SsoSignIn",
    "UnknownCohort",
    "Vault",
    "add_kek_version",
    "load_key_provider",
    "profile_rules",
    "retire_kek_version",
    "vault_metadata",
]


# How long the organisation's department names are kept in memory before they are read again.
DEPARTMENT_NAMES_TTL_S = 300.0


class Vault:
    """Identity operations, bound to the key material: what runs outside any vault session
    (key rotation, service secrets, the department names) here, the rest on `bind(db)`."""

    def __init__(
        self,
        settings: Settings,
        keys: KeyProvider,
        db_sessions: async_sessionmaker[VaultDbSession],
        beside_sessions: async_sessionmaker[VaultDbSession] | None = None,
    ):
        """`beside_sessions`: for the transactions a request's vault work opens beside the
        request's own (`VaultContext.sessions`; app/db.py, `BESIDE_POOL_SIZE`)."""
        self._ctx = VaultContext(
            keys=keys, settings=settings, sessions=beside_sessions or db_sessions
        )
        passwords.use_cost(settings.password_hash_cost)
        self._sessions = db_sessions
        self._departments: tuple[float, tuple[str, ...]] | None = None
        self._departments_lock = asyncio.Lock()

    def bind(self, db: VaultDbSession) -> BoundVault:
        """The vault's operations on one vault-database session (a request's, a command's)."""
        return BoundVault(self._ctx, db)

    async def department_names(self) -> list[str]:
        """The organisation's distinct department names, sorted, for the comment check (the
        anonymous review path imports nothing of the vault: it gets them through a provider).

        Read in a short session of its own, since the anonymous comment check has no vault
        session, and kept in this worker's memory for DEPARTMENT_NAMES_TTL_S: decrypting every
        profile on every check would cost a key unwrap per account. A department added
        meanwhile is flagged a few minutes later. No audit entry (no person is
        named or returned; see accounts.department_names).
        """
        async with self._departments_lock:  # concurrent misses share one read
            cached = self._departments
            now = time.monotonic()
            if cached is None or now - cached[0] >= DEPARTMENT_NAMES_TTL_S:
                async with self._ctx.sessions() as db:
                    names = await accounts.department_names(self._ctx, db)
                cached = self._departments = (now, tuple(names))
            return list(cached[1])

    def cohort_names(self) -> list[str]:
        return [name for name, _ in self._ctx.settings.cohort_boundaries]

    def seniority_bands(self) -> list[str]:
        return seniority_band_labels(self._ctx.settings.seniority_band_bounds)

    # Service secrets (e.g. review-round signing keys): wrapped by the current KEK
    def seal_service_secret(self, secret: bytes, *, context: str) -> bytes:
        return _seal_service_secret(self._ctx, secret, context)

    def open_service_secret(self, sealed: bytes, *, context: str) -> bytes:
        return self._ctx.keys.unwrap(
            sealed[4:],
            kek_version=self.service_secret_kek_version(sealed),
            context=b"service|" + context.encode(),
        )

    @staticmethod
    def service_secret_kek_version(sealed: bytes) -> int:
        """The KEK version a sealed service secret names (its first 4 bytes are enough)."""
        return int.from_bytes(sealed[:4], "big")

    def reseal_service_secret(self, sealed: bytes, *, context: str) -> bytes | None:
        """The secret sealed under the current KEK, or None if it already is."""
        if self.service_secret_kek_version(sealed) == self._ctx.keys.current_kek_version():
            return None
        return self.seal_service_secret(
            self.open_service_secret(sealed, context=context), context=context
        )

    async def count_request(
        self, purpose: str, subject: str, *, per_window: int, window: timedelta
    ) -> float:
        """Rate limits shared by every worker and instance (app/vault/throttle.py), for routes
        that have no vault session of their own to count in: seconds to wait, 0 within."""
        return await throttle.count_request(self._ctx, purpose, subject, per_window, window)

    async def forget_ended_throttles(self) -> int:
        """Delete the rate counters whose windows ended long ago (a periodic job's)."""
        return await throttle.forget_ended(self._ctx)

    # Outgoing mail: every worker sends what the requests queued (app/vault/mail_queue.py)
    def mail_sender(self, mailer_of: Callable[[], Mailer], policy: MailPolicy) -> MailSender:
        return MailSender(self._ctx, self._sessions, mailer_of, policy)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[BoundVault]:
        """A vault transaction of its own, for work outside a request's (the phase ticker's
        mails): committed at the end of the block, rolled back if it raises. Its callers hold
        an app transaction that may have written: on SQLite it waits for the vault's writer
        lock `SECOND_LOCK_WAIT_MS` at most, then fails, and their work starts again later
        (app/db.py, `lock_wait`)."""
        async with (
            self._sessions.begin() as db,
            lock_wait(await db.connection(), SECOND_LOCK_WAIT_MS),
        ):
            yield BoundVault(self._ctx, db)

    async def send_digests(self, now: datetime | None = None) -> int:
        """Queue the daily digest of each person with news due by `now` (the digest job, in
        one worker at a time: app/kit/singleton.py); how many were queued."""
        return await mail_digest.send_digests(self._ctx, self._sessions, now)

    # Erasure epochs (app/vault/epochs.py)
    async def request_key_epoch(self, reason: EpochReason) -> None:
        """In its own transaction: for what another database destroyed (a round's keys)."""
        async with self._sessions.begin() as db:
            epochs.request_epoch(db, reason)

    async def settle_key_epoch(self, started_at: datetime) -> None:
        async with self._sessions.begin() as db:
            await epochs.settle(db, started_at)

    def can_turn_keys_over(self) -> bool:
        return epochs.can_turn_over(self._ctx.keys)

    def key_turnover(self) -> contextlib.AbstractContextManager[KeyFileProvider | None]:
        return epochs.turnover(self._ctx.keys)

    # Keys
    async def rewrap_data_keys(self) -> RotationReport:
        return await keyring.rewrap_data_keys(self._ctx)

    def current_kek_version(self) -> int:
        return self._ctx.keys.current_kek_version()

    def kek_versions(self) -> list[int]:
        """The KEK versions this worker's key document holds."""
        return self._ctx.keys.kek_versions()

    # Sessions
    # A request marks its session seen at most this often; who answers reads without
    # resolving the session again (the response cache) should touch it as often.
    last_seen_resolution = sessions.LAST_SEEN_RESOLUTION

    async def touch_sessions(self, session_ids: Collection[uuid.UUID]) -> None:
        """Mark these sessions seen now, in one transaction of its own (batches of sessions
        whose reads were answered from memory)."""
        await sessions.touch_sessions(self._ctx, session_ids)

    # The execution option marking statements that read only the signed-in session's own rows
    # (its session, account, roles, data key, pseudonyms), which `session_digests` follows.
    own_session_rows = OWN_SESSION_ROWS

    def session_digests(self, url: URL, cookie: str) -> sessions.SessionDigests:
        """A reader of digests of the rows `own_session_rows` statements read for a session
        (the one the `cookie` cookie names): an answer built from them holds while its
        session's digest does (read-only, two statements, through its own connection to the
        vault database at `url`)."""
        return sessions.SessionDigests(self._ctx, url, cookie)


def _seal_service_secret(ctx: VaultContext, secret: bytes, context: str) -> bytes:
    version, wrapped = ctx.keys.wrap(secret, context=b"service|" + context.encode())
    return version.to_bytes(4, "big") + wrapped


class BoundVault:
    """The vault's operations on one vault-database session: what a request (through the
    `RequestVault` dependency) or a command works with. Nothing here commits; the session's
    owner does."""

    __slots__ = ("_ctx", "_db")

    def __init__(self, ctx: VaultContext, db: VaultDbSession) -> None:
        self._ctx = ctx
        self._db = db

    # Accounts and sign-in
    async def accept_invitation(
        self,
        profile: NewProfile,
        *,
        password: str,
        invitation_code: str,
        client_address: str,
    ) -> InvitationAnswer:
        return await confirmations.accept_invitation(
            self._ctx,
            self._db,
            profile,
            password=password,
            invitation_code=invitation_code,
            client_address=client_address,
        )

    async def invitation_prefill(
        self, *, invitation_code: str, client_address: str
    ) -> InvitationPrefill:
        return await accounts.invitation_prefill(
            self._ctx, self._db, invitation_code=invitation_code, client_address=client_address
        )

    # Changes confirmed by a code mailed to the address (send the messages after the commit)
    async def request_sign_up(
        self, profile: NewProfile, *, password: str, client_address: str
    ) -> list[Message]:
        return await confirmations.request_sign_up(
            self._ctx, self._db, profile, password=password, client_address=client_address
        )

    async def confirm_sign_up(self, *, code: str, password: str, client_address: str) -> uuid.UUID:
        return await confirmations.confirm_sign_up(
            self._ctx, self._db, code=code, password=password, client_address=client_address
        )

    async def request_email_change(self, account_id: uuid.UUID, new_email: str) -> list[Message]:
        return await confirmations.request_email_change(self._ctx, self._db, account_id, new_email)

    async def confirm_email_change(self, account_id: uuid.UUID, code: str) -> list[Message]:
        return await confirmations.confirm_email_change(self._ctx, self._db, account_id, code)

    async def pending_email(self, account_id: uuid.UUID) -> str | None:
        return await confirmations.pending_email(self._ctx, self._db, account_id)

    async def create_account(
        self, profile: NewProfile, *, password: str, roles: list[Role]
    ) -> uuid.UUID:
        return await accounts.create_account(
            self._ctx, self._db, profile, password=password, roles=roles, status="active"
        )

    async def authenticate(self, *, email: str, password: str, client_address: str) -> uuid.UUID:
        return await accounts.authenticate(
            self._ctx, self._db, email=email, password=password, client_address=client_address
        )

    async def verify_password(self, account_id: uuid.UUID, password: str) -> None:
        await accounts.verify_own_password(self._db, account_id, password)

    async def has_password(self, account_id: uuid.UUID) -> bool:
        return await accounts.has_password(self._db, account_id)

    # Sessions and CSRF
    async def open_session(self, account_id: uuid.UUID) -> str:
        return await sessions.open_session(self._ctx, self._db, account_id)

    async def resolve_session(self, token: str) -> SessionInfo | None:
        return await sessions.resolve_session(self._ctx, self._db, token)

    async def close_session(self, session_id: uuid.UUID) -> None:
        await sessions.close_session(self._db, session_id)

    async def close_all_sessions(self, account_id: uuid.UUID) -> int:
        return await sessions.close_all_sessions(self._db, account_id)

    def csrf_token_for_seed(self, seed: str) -> str:
        return sessions.csrf_token_for_seed(self._ctx, seed)

    # Single sign-on (app/vault/oidc.py): the sealed state of a sign-in in flight, and who a
    # checked identity at the provider is here
    def seal_sso_state(self, payload: dict[str, Any], *, ttl_s: int) -> str:
        return oidc.seal_state(self._ctx, payload, ttl_s=ttl_s)

    def open_sso_state(self, token: str) -> dict[str, Any] | None:
        return oidc.open_state(self._ctx, token)

    async def sso_sign_in(
        self, identity: SsoIdentity, *, create_accounts: bool, roles: RoleGrant | None
    ) -> SsoSignIn:
        return await oidc.sign_in(
            self._ctx, self._db, identity, create_accounts=create_accounts, roles=roles
        )

    async def link_sso(self, account_id: uuid.UUID, identity: SsoIdentity) -> None:
        await oidc.link(self._ctx, self._db, account_id, identity)

    async def sso_linked(self, account_id: uuid.UUID) -> bool:
        return await oidc.is_linked(self._db, account_id)

    async def sso_link(self, account_id: uuid.UUID) -> SsoLinkRecord | None:
        return await oidc.link_of(self._ctx, self._db, account_id)

    async def sso_reauthenticate(
        self, *, session_id: uuid.UUID, account_id: uuid.UUID, issuer: str, subject: str
    ) -> None:
        await oidc.reauthenticate(
            self._ctx,
            self._db,
            session_id=session_id,
            account_id=account_id,
            issuer=issuer,
            subject=subject,
        )

    async def take_sso_reauthentication(self, session_id: uuid.UUID) -> bool:
        """Whether the session re-authenticated at the provider recently; spends it if so."""
        return await oidc.take_reauthentication(self._db, session_id)

    # Profile, record, export, erasure, audit
    async def own_profile(self, account_id: uuid.UUID) -> Profile:
        return await accounts.load_profile(self._ctx, self._db, account_id)

    async def read_profile(
        self,
        subject_id: uuid.UUID,
        *,
        reader_id: uuid.UUID,
        reader_role: Role,
        reason: str,
    ) -> Profile:
        return await accounts.read_profile(
            self._ctx,
            self._db,
            subject_id,
            reader_id=reader_id,
            reader_role=reader_role,
            reason=reason,
        )

    async def update_profile(self, account_id: uuid.UUID, update: ProfileUpdate) -> Profile:
        return await accounts.update_own_profile(self._ctx, self._db, account_id, update)

    async def record(self, account_id: uuid.UUID) -> list[RecordItem]:
        return await records.record_of(self._ctx, self._db, account_id)

    async def export(self, account_id: uuid.UUID) -> dict[str, Any]:
        return await records.export_of(self._ctx, self._db, account_id)

    async def erase(self, account_id: uuid.UUID) -> None:
        """Shred the account and ask for the erasure epoch that makes old copies useless."""
        await pseudonyms.forget_every_pseudonym(self._ctx, self._db, account_id)
        await calendars.revoke_feed(self._ctx, self._db, account_id)
        await mail_preferences.forget_preferences(self._ctx, self._db, account_id)
        await learning.forget_learning(self._ctx, self._db, account_id)
        await oidc.forget_links(self._db, account_id)
        await scim.forget_link(self._db, account_id)
        await accounts.erase_account(self._db, account_id)
        epochs.request_epoch(self._db, "erasure")

    async def audit_trail(self, account_id: uuid.UUID, *, limit: int = 200) -> list[AuditEntry]:
        return await audit.audit_trail(self._db, account_id, limit)

    # How a person wants to hear of activity by e-mail
    async def mail_preferences(self, account_id: uuid.UUID) -> dict[MailTopic, MailChoice]:
        return await mail_preferences.preferences_of(self._ctx, self._db, account_id)

    async def set_mail_preferences(
        self, account_id: uuid.UUID, choices: dict[MailTopic, MailChoice]
    ) -> dict[MailTopic, MailChoice]:
        return await mail_preferences.set_preferences(self._ctx, self._db, account_id, choices)

    async def queue_news(
        self,
        scope_id: uuid.UUID,
        recipients: Mapping[uuid.UUID, str],
        *,
        topic: MailTopic,
        title: str,
        path: str,
    ) -> int:
        """The news of a challenge or programme for the recipients (pseudonym -> the name of
        its notice), in this transaction: queued for who wants the topic at once, kept for the
        daily digest of who wants it once a day."""
        return await mail_preferences.queue_news(
            self._ctx, self._db, scope_id, recipients, topic=topic, title=title, path=path
        )

    async def unsubscribe_from_mail(self, token: str) -> MailTopic | None:
        """A one-click unsubscribe link's POST (RFC 8058): the topic now off, or None."""
        return await mail_preferences.unsubscribe(self._ctx, self._db, token)

    async def challenge_news(
        self,
        account_id: uuid.UUID,
        *,
        topic: MailTopic,
        challenge_title: str,
        link: str,
        dedupe_key: str,
    ) -> Message | None:
        """One person's mail of news in a challenge, or None when they chose otherwise."""
        return await mail_preferences.challenge_news(
            self._ctx,
            self._db,
            account_id,
            topic=topic,
            challenge_title=challenge_title,
            link=link,
            dedupe_key=dedupe_key,
        )

    # The private calendar subscription
    async def new_calendar_feed(self, account_id: uuid.UUID) -> str:
        return await calendars.new_feed(self._ctx, self._db, account_id)

    async def calendar_feed(self, account_id: uuid.UUID) -> str | None:
        return await calendars.feed_token(self._ctx, self._db, account_id)

    async def revoke_calendar_feed(self, account_id: uuid.UUID) -> None:
        await calendars.revoke_feed(self._ctx, self._db, account_id)

    async def calendar_feed_scopes(self, token: str) -> dict[uuid.UUID, uuid.UUID] | None:
        return await calendars.feed_scopes(self._ctx, self._db, token)

    # Pseudonyms and the coarse attributes the app database may hold
    async def pseudonym_for(self, account_id: uuid.UUID, challenge_id: uuid.UUID) -> uuid.UUID:
        return await pseudonyms.pseudonym_for(self._ctx, self._db, account_id, challenge_id)

    async def find_pseudonym(
        self, account_id: uuid.UUID, challenge_id: uuid.UUID
    ) -> uuid.UUID | None:
        return await pseudonyms.find_pseudonym(self._ctx, self._db, account_id, challenge_id)

    async def forget_pseudonym(self, account_id: uuid.UUID, challenge_id: uuid.UUID) -> None:
        await pseudonyms.forget_pseudonym(self._ctx, self._db, account_id, challenge_id)

    async def challenges_of(self, account_id: uuid.UUID) -> dict[uuid.UUID, uuid.UUID]:
        return await pseudonyms.challenges_of(self._ctx, self._db, account_id)

    async def count_by_department(
        self, rows: Iterable[tuple[Bucket, uuid.UUID, str | None]]
    ) -> DepartmentCounts[Bucket]:
        """Participants (bucket, challenge, department tag) counted by department name: the
        aggregate figures ask for counts and never learn whose department is whose."""
        return await pseudonyms.count_by_department(self._ctx, self._db, rows)

    async def participant_attributes(
        self, account_id: uuid.UUID, challenge_id: uuid.UUID, *, none_yet: bool = False
    ) -> ParticipantAttributes:
        return await pseudonyms.participant_attributes(
            self._ctx, self._db, account_id, challenge_id, none_yet=none_yet
        )

    async def reporting_pairs(
        self,
        challenge_id: uuid.UUID,
        participant_pseudonyms: list[uuid.UUID],
        *,
        levels: int = 2,
    ) -> list[tuple[uuid.UUID, uuid.UUID]]:
        return await pseudonyms.reporting_pairs(
            self._ctx, self._db, challenge_id, participant_pseudonyms, levels=levels
        )

    # A challenge's facilitators, by name (the app keeps their pseudonyms only)
    async def facilitator_account(
        self,
        *,
        email: str | None = None,
        account_id: uuid.UUID | None = None,
    ) -> uuid.UUID | None:
        return await facilitators.facilitator_account(
            self._ctx, self._db, email=email, account_id=account_id
        )

    async def name_facilitators(
        self,
        challenge_id: uuid.UUID,
        pseudonyms: list[uuid.UUID],
        *,
        reader_id: uuid.UUID,
        to_team: bool = False,
    ) -> list[FacilitatorIdentity]:
        return await facilitators.name_facilitators(
            self._ctx, self._db, challenge_id, pseudonyms, reader_id=reader_id, to_team=to_team
        )

    async def record_team_signature(self, account_id: uuid.UUID) -> None:
        """This facilitator signed feedback to a team (its members will see their name)."""
        await facilitators.record_team_signature(self._db, account_id)

    # Administration
    async def invite(self, invitation: InvitationCreate) -> InvitationCreated:
        return await admin.invite(self._ctx, self._db, invitation)

    async def import_invitations(
        self, text: str, *, dry_run: bool, language: Language = "en"
    ) -> ImportResult:
        return await admin.import_invitations(
            self._ctx, self._db, text, dry_run=dry_run, language=language
        )

    async def list_accounts(
        self, *, admin_id: uuid.UUID, cursor: str | None, limit: int, search: str | None = None
    ) -> tuple[list[AccountSummary], str | None]:
        return await admin.list_accounts(
            self._ctx, self._db, admin_id=admin_id, cursor=cursor, limit=limit, search=search
        )

    async def update_account(
        self,
        *,
        admin_id: uuid.UUID,
        account_id: uuid.UUID,
        update: AccountAdminUpdate,
    ) -> AccountSummary:
        return await admin.update_account(
            self._ctx, self._db, admin_id=admin_id, account_id=account_id, update=update
        )

    # SCIM provisioning (app/vault/scim.py): providers' tokens, and the people they manage
    async def new_scim_token(self, provider: str) -> ScimTokenCreated:
        return await scim.new_token(self._db, provider)

    async def scim_tokens(self) -> list[ScimTokenSummary]:
        return await scim.tokens(self._db)

    async def revoke_scim_token(self, token_id: uuid.UUID) -> ScimTokenSummary:
        return await scim.revoke_token(self._db, token_id)

    async def scim_provider(self, token: str) -> ScimTokenSummary | None:
        """The provider a bearer token belongs to; None if it is unknown or revoked."""
        return await scim.token_provider(self._db, token)

    async def scim_user(self, provider: ScimTokenSummary, scim_id: uuid.UUID) -> ScimUser:
        return await scim.get_user(self._ctx, self._db, provider, scim_id)

    async def scim_user_named(self, provider: ScimTokenSummary, email: str) -> ScimUser | None:
        return await scim.find_by_user_name(self._ctx, self._db, provider, email)

    async def scim_users(
        self, provider: ScimTokenSummary, *, offset: int, limit: int
    ) -> tuple[int, list[ScimUser]]:
        return await scim.list_users(self._ctx, self._db, provider, offset=offset, limit=limit)

    async def create_scim_user(
        self, provider: ScimTokenSummary, change: ScimUserChange
    ) -> ScimUser:
        return await scim.create_user(self._ctx, self._db, provider, change)

    async def replace_scim_user(
        self, provider: ScimTokenSummary, scim_id: uuid.UUID, change: ScimUserChange
    ) -> ScimUser:
        return await scim.replace_user(self._ctx, self._db, provider, scim_id, change)

    async def deactivated_pseudonyms(
        self, scope_id: uuid.UUID, pseudonyms: list[uuid.UUID]
    ) -> set[uuid.UUID]:
        """Those of these pseudonyms (of one challenge or programme) whose account is
        deactivated: left out of new formations and matching pools."""
        return await scim.deactivated_pseudonyms(self._ctx, self._db, scope_id, pseudonyms)

    # The learning library: its authors' names, and each person's own learning record
    async def library_pseudonym(self, account_id: uuid.UUID, *, create: bool) -> uuid.UUID | None:
        """The account's pseudonym as an author in the library (drawn now when `create`)."""
        if create:
            return await pseudonyms.pseudonym_for(
                self._ctx, self._db, account_id, pseudonyms.LIBRARY_SCOPE
            )
        return await pseudonyms.find_pseudonym(
            self._ctx, self._db, account_id, pseudonyms.LIBRARY_SCOPE
        )

    async def name_library_authors(self, authors: list[uuid.UUID]) -> dict[uuid.UUID, str]:
        return await facilitators.name_library_authors(self._ctx, self._db, authors)

    async def record_library_authorship(self, account_id: uuid.UUID) -> None:
        await facilitators.record_library_authorship(self._db, account_id)

    async def lesson_notes(self, account_id: uuid.UUID, lesson_id: uuid.UUID) -> LessonNotes | None:
        return await learning.lesson_notes(self._ctx, self._db, account_id, lesson_id)

    async def save_lesson_notes(
        self,
        account_id: uuid.UUID,
        *,
        lesson_id: uuid.UUID,
        translation_group: uuid.UUID,
        text: str,
    ) -> LessonNotes:
        return await learning.save_lesson_notes(
            self._ctx,
            self._db,
            account_id,
            lesson_id=lesson_id,
            translation_group=translation_group,
            text=text,
        )

    async def add_quiz_attempt(self, account_id: uuid.UUID, attempt: QuizAttemptRecord) -> None:
        await learning.add_quiz_attempt(self._ctx, self._db, account_id, attempt)

    async def quiz_attempts(
        self, account_id: uuid.UUID, lesson_id: uuid.UUID
    ) -> list[QuizAttemptRecord]:
        return await learning.quiz_attempts(self._ctx, self._db, account_id, lesson_id)

    def seal_service_secret(self, secret: bytes, *, context: str) -> bytes:
        """`Vault.seal_service_secret`, for a request that holds only its bound vault."""
        return _seal_service_secret(self._ctx, secret, context)

    async def rating_marker(self, account_id: uuid.UUID, subject: str) -> str:
        return await learning.rating_marker(self._ctx, self._db, account_id, subject)

    async def learning_record(self, account_id: uuid.UUID) -> LearningRecord:
        return await learning.learning_record(self._ctx, self._db, account_id)

    async def learning_counts(
        self, *, collections: Mapping[uuid.UUID, Collection[uuid.UUID]], now: datetime, k: int
    ) -> LearningCounts:
        """Everyone's learning as counts, never a person's (app/vault/learning_counts.py)."""
        return await learning_counts.learning_counts(
            self._ctx, self._db, collections=collections, now=now, k=k
        )

    # Mentoring pairs: a partner's name by consent, the pair's confidential journal
    async def name_pair_partner(
        self, members: PairMembers, reader_account_id: uuid.UUID
    ) -> PartnerName | None:
        return await pairs.name_partner(self._ctx, self._db, members, reader_account_id)

    async def seal_journal_entry(
        self, members: PairMembers, reader_account_id: uuid.UUID, entry_id: uuid.UUID, text: str
    ) -> bytes:
        return await pairs.seal_note(
            self._ctx, self._db, members, reader_account_id, entry_id=entry_id, text=text
        )

    async def open_journal(
        self,
        members: PairMembers,
        reader_account_id: uuid.UUID,
        sealed: list[tuple[uuid.UUID, bytes]],
    ) -> dict[uuid.UUID, str]:
        return await pairs.open_notes(self._ctx, self._db, members, reader_account_id, sealed)

    async def shred_journal(self, members: PairMembers, reader_account_id: uuid.UUID) -> bool:
        return await pairs.shred(self._ctx, self._db, members, reader_account_id)

    async def enqueue_mail(self, messages: Sequence[Message]) -> None:
        """Queue messages in this session's transaction: sent once it has committed."""
        await mail_queue.enqueue(self._ctx, self._db, messages)

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` once, when this session's transaction has committed."""
        event.listen(self._db.sync_session, "after_commit", lambda _: callback(), once=True)

    # Erasure epochs and keys
    async def pending_key_epoch(self) -> PendingEpoch:
        return await epochs.pending(self._db)

    async def kek_versions_in_use(self) -> list[int]:
        return await keyring.kek_versions_in_use(self._db)

    async def data_keys_by_kek_version(self) -> dict[int, int]:
        return await keyring.data_keys_by_kek_version(self._db)


@dataclass(frozen=True, slots=True)
class Identity:
    """The signed-in person behind one request: their session and the vault bound to the
    request's vault session. Services take this instead of (vault, vault session, session)."""

    session: SessionInfo
    vault: BoundVault

    @property
    def account_id(self) -> uuid.UUID:
        return self.session.account_id

    @property
    def roles(self) -> list[Role]:
        return self.session.roles

    async def pseudonym_in(self, challenge_id: uuid.UUID) -> uuid.UUID | None:
        """Their pseudonym in this challenge, or None if they have none there."""
        return await self.vault.find_pseudonym(self.account_id, challenge_id)

    async def take_pseudonym_in(self, challenge_id: uuid.UUID) -> uuid.UUID:
        """Their pseudonym in this challenge, drawn now if they have none yet."""
        return await self.vault.pseudonym_for(self.account_id, challenge_id)

    async def forget_pseudonym_in(self, challenge_id: uuid.UUID) -> None:
        await self.vault.forget_pseudonym(self.account_id, challenge_id)

    async def pseudonyms(self) -> dict[uuid.UUID, uuid.UUID]:
        """Their pseudonym in every challenge they joined, by challenge."""
        return await self.vault.challenges_of(self.account_id)


def vault_metadata() -> MetaData:
    """The vault's table metadata, for its migrations and tests."""
    from app.vault.models import VaultBase

    return VaultBase.metadata
