"""What is on record about a person: the inventory, and the machine-readable export."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from sqlalchemy import select

from app.db import VaultDbSession
from app.vault.accounts import load_profile
from app.vault.audit import audit_trail, record_read
from app.vault.calendars import feed_token
from app.vault.confirmations import pending_email
from app.vault.context import VaultContext
from app.vault.learning import learning_record
from app.vault.mail_preferences import DEFAULT_CHOICE, has_unsubscribe_id, preferences_of
from app.vault.models import Session
from app.vault.oidc import link_of
from app.vault.pseudonyms import LIBRARY_SCOPE, challenges_of, find_pseudonym
from app.vault.schemas import RecordAudience, RecordItem

OWNER = "you"
ADMIN_LOGGED = "administrators (each read is logged and shown to you)"
StoredIn = Literal["vault database", "app database", "browser"]
_VAULT: StoredIn = "vault database"
_APP: StoredIn = "app database"
# Stable codes of who can see an item (RecordItem.audience) and the English for developers.
AUDIENCES: dict[RecordAudience, str] = {
    "you": OWNER,
    "admins_logged": ADMIN_LOGGED,
    "admins": "administrators",
    "nobody": "nobody",
    "nobody_irreversible": "nobody: it cannot be reversed",
    "team_handle": "your team (handle only)",
    "facilitators_groups": "facilitators (pseudonymous, groups of 3 or more)",
    "formation": "the team-formation optimiser",
    "reviewed_team": "the reviewed team, after the round closes",
    "mentoring_partner": "your mentoring partner",
}


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _item(
    key: str,
    item: str,
    stored_in: StoredIn,
    encrypted: bool,
    audience: list[RecordAudience],
    value: str | None = None,
    **extra: Any,
) -> RecordItem:
    return RecordItem(
        key=key,
        item=item,
        stored_in=stored_in,
        encrypted=encrypted,
        visible_to=[AUDIENCES[who] for who in audience],
        audience=audience,
        value=value,
        **extra,
    )


async def record_of(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID
) -> list[RecordItem]:
    """Every item stored about the person, where, whether encrypted, and who can see it."""
    profile = await load_profile(ctx, db, account_id)
    memberships = await challenges_of(ctx, db, account_id)
    learning = await learning_record(ctx, db, account_id)
    library_pseudonym = await find_pseudonym(ctx, db, account_id, LIBRARY_SCOPE)
    personal = [
        ("display_name", "Display name", profile.display_name),
        ("email", "Email address", profile.email),
        ("birth_year", "Birth year", _text(profile.birth_year)),
        ("declared_cohort", "Declared generation", profile.declared_cohort),
        ("years_experience", "Years of work experience", _text(profile.years_experience)),
        ("department", "Department", profile.department),
        ("manager_email", "Manager's email", profile.manager_email),
    ]
    items = [
        _item(key, name, _VAULT, True, ["you", "admins_logged"], value)
        for key, name, value in personal
    ]
    items += [
        _item(
            "email_index",
            "Email lookup index (keyed hash of your email, used to sign you in)",
            _VAULT,
            True,
            ["nobody_irreversible"],
        ),
        _item(
            "password",
            "Password (argon2id hash, cannot be reversed)",
            _VAULT,
            True,
            ["nobody"],
        ),
        _item(
            "pending_email",
            "A new email address waiting for your confirmation (with a hash of its code)",
            _VAULT,
            True,
            ["you"],
            await pending_email(ctx, db, account_id),
        ),
        _item(
            "roles",
            "Roles",
            _VAULT,
            False,
            ["you", "admins"],
            ", ".join(profile.roles),
            codes=list(profile.roles),
        ),
        _item(
            "language",
            "Language",
            _VAULT,
            False,
            ["you"],
            profile.language,
            codes=[profile.language],
        ),
        _item(
            "sessions",
            "Sign-in sessions (a hash of each session token, start and last-seen times)",
            _VAULT,
            False,
            ["you"],
        ),
        _item("audit_log", "Who looked at your identity (audit log)", _VAULT, False, ["you"]),
        _item(
            "pseudonyms",
            f"Pseudonyms: one random identifier per challenge or mentoring programme you joined "
            f"({len(memberships)})",
            _VAULT,
            False,
            ["you"],
            count=len(memberships),
        ),
        _item(
            "challenge_attributes",
            "Generation cohort, seniority band and skills, under a pseudonym, per challenge or "
            "mentoring programme",
            _APP,
            False,
            ["team_handle", "facilitators_groups"],
            f"{profile.cohort or 'not given'}, {profile.seniority_band or 'not given'}",
            codes=[profile.cohort, profile.seniority_band],
        ),
        _item(
            "department_tag",
            "Department tag: a keyed hash saying only 'same department or not', per challenge or "
            "mentoring programme",
            _APP,
            True,
            ["formation"],
        ),
        _item(
            "reviews",
            "Your reviews: stored with no author; nothing on record links them to you",
            _APP,
            False,
            ["reviewed_team"],
        ),
        _item("review_tokens", "Your review tokens, until you use them", "browser", False, ["you"]),
        _item(
            "calendar_feed",
            "Your private calendar link, if you made one (a random code; a keyed hash finds it)",
            _VAULT,
            True,
            ["you"],
            "yes" if await feed_token(ctx, db, account_id) is not None else None,
        ),
        _item(
            "mail_preferences",
            "Your e-mail preferences: topics not mailed at once (named by your owner tag)",
            _VAULT,
            False,
            ["you"],
            ", ".join(
                f"{topic}: {choice}"
                for topic, choice in (await preferences_of(ctx, db, account_id)).items()
                if choice != DEFAULT_CHOICE
            )
            or None,
        ),
        _item(
            "mail_unsubscribe_id",
            "The random code in your activity mails' unsubscribe links, once you were mailed "
            "(named by your owner tag)",
            _VAULT,
            False,
            ["you"],
            "yes" if await has_unsubscribe_id(ctx, db, account_id) else None,
        ),
        _item(
            "lesson_notes",
            f"Your notes on lessons' reflection tasks ({len(learning.notes)})",
            _VAULT,
            True,
            ["you"],
            count=len(learning.notes),
        ),
        _item(
            "quiz_attempts",
            f"Your quiz attempts and their results ({len(learning.attempts)})",
            _VAULT,
            True,
            ["you"],
            count=len(learning.attempts),
        ),
    ]
    items += [
        _item(
            "mentoring_pair_work",
            "In a mentoring pair: the plan, sessions and check-ins you and your partner write, "
            "under your pseudonym for the programme (the programme's lead sees counts only)",
            _APP,
            False,
            ["you", "mentoring_partner"],
        ),
        _item(
            "mentoring_journal",
            "In a mentoring pair: the confidential journal you and your partner write, sealed "
            "under a key of your pair's own that only your and your partner's requests open; "
            "nobody else reads it, and you can export it, then delete it, when the programme ends",
            _APP,
            True,
            ["you", "mentoring_partner"],
        ),
    ]
    sso_link = await link_of(ctx, db, account_id)
    if sso_link is not None:
        items.append(
            _item(
                "sso_link",
                "Your identity at the single sign-on provider: the provider (its issuer address, "
                "shown) and your identifier there (a subject id), sealed under your key, with a "
                "keyed hash of both that finds your account when you sign in",
                _VAULT,
                True,
                ["you"],
                sso_link.issuer,
            )
        )
    if library_pseudonym is not None:
        items.append(
            _item(
                "library_pseudonym",
                "Your pseudonym as a writer in the learning library: the lessons and collections "
                "you write are stored under it, and your name is shown to their readers",
                _VAULT,
                False,
                ["you"],
            )
        )
    return items


async def export_of(ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID) -> dict[str, Any]:
    """Everything the vault holds about the person, as JSON-ready data."""
    profile = await load_profile(ctx, db, account_id)
    sessions = await db.scalars(select(Session).where(Session.account_id == account_id))
    memberships = await challenges_of(ctx, db, account_id)
    learning = await learning_record(ctx, db, account_id)
    library_pseudonym = await find_pseudonym(ctx, db, account_id, LIBRARY_SCOPE)
    sso_link = await link_of(ctx, db, account_id)
    await record_read(
        db,
        account_id,
        actor_id=account_id,
        actor_role="owner",
        action="export",
        reason="You exported your data",
    )
    return {
        "profile": profile.model_dump(mode="json"),
        "pending_email": await pending_email(ctx, db, account_id),
        "sessions": [
            {
                "started_at": session.created_at.isoformat(),
                "last_seen_at": session.last_seen_at.isoformat(),
                "expires_at": session.expires_at.isoformat(),
            }
            for session in sessions
        ],
        "challenges": [
            {"challenge_id": str(challenge), "pseudonym": str(pseudonym)}
            for challenge, pseudonym in memberships.items()
        ],
        "library_author_pseudonym": _text(library_pseudonym),
        "learning": learning.model_dump(mode="json"),
        "calendar_feed_token": await feed_token(ctx, db, account_id),
        "mail_preferences": await preferences_of(ctx, db, account_id),
        "sso_link": None
        if sso_link is None
        else {
            "issuer": sso_link.issuer,
            "subject": sso_link.subject,
            "linked_at": sso_link.linked_at.isoformat(),
        },
        "audit": [
            entry.model_dump(mode="json") for entry in await audit_trail(db, account_id, 1000)
        ],
    }
