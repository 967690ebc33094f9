"""What is on record about a person: the inventory, and the machine-readable export."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from app.db import VaultDbSession
from app.vault.accounts import load_profile
from app.vault.audit import audit_trail, record_read
from app.vault.confirmations import pending_email
from app.vault.context import VaultContext
from app.vault.models import Session
from app.vault.pseudonyms import challenges_of
from app.vault.schemas import RecordItem

OWNER = "you"
ADMIN_LOGGED = "administrators (each read is logged and shown to you)"
_VAULT = "vault database"
_APP = "app database"


def _text(value: object) -> str | None:
    return None if value is None else str(value)


async def record_of(
    ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID
) -> list[RecordItem]:
    """Every item stored about the person, where, whether encrypted, and who can see it."""
    profile = await load_profile(ctx, db, account_id)
    memberships = await challenges_of(ctx, db, account_id)
    personal = [
        ("Display name", profile.display_name),
        ("Email address", profile.email),
        ("Birth year", _text(profile.birth_year)),
        ("Declared generation", profile.declared_cohort),
        ("Years of work experience", _text(profile.years_experience)),
        ("Department", profile.department),
        ("Manager's email", profile.manager_email),
    ]
    items = [
        RecordItem(
            item=name,
            stored_in=_VAULT,
            encrypted=True,
            visible_to=[OWNER, ADMIN_LOGGED],
            value=value,
        )
        for name, value in personal
    ]
    items += [
        RecordItem(
            item="Email lookup index (keyed hash of your email, used to sign you in)",
            stored_in=_VAULT,
            encrypted=True,
            visible_to=["nobody: it cannot be reversed"],
            value=None,
        ),
        RecordItem(
            item="Password (argon2id hash, cannot be reversed)",
            stored_in=_VAULT,
            encrypted=True,
            visible_to=["nobody"],
            value=None,
        ),
        RecordItem(
            item="A new email address waiting for your confirmation (with a hash of its code)",
            stored_in=_VAULT,
            encrypted=True,
            visible_to=[OWNER],
            value=await pending_email(ctx, db, account_id),
        ),
        RecordItem(
            item="Roles",
            stored_in=_VAULT,
            encrypted=False,
            visible_to=[OWNER, "administrators"],
            value=", ".join(profile.roles),
        ),
        RecordItem(
            item="Language",
            stored_in=_VAULT,
            encrypted=False,
            visible_to=[OWNER],
            value=profile.language,
        ),
        RecordItem(
            item="Sign-in sessions (a hash of each session token, start and last-seen times)",
            stored_in=_VAULT,
            encrypted=False,
            visible_to=[OWNER],
            value=None,
        ),
        RecordItem(
            item="Who looked at your identity (audit log)",
            stored_in=_VAULT,
            encrypted=False,
            visible_to=[OWNER],
            value=None,
        ),
        RecordItem(
            item=f"Pseudonyms: one random identifier per challenge you joined ({len(memberships)})",
            stored_in=_VAULT,
            encrypted=False,
            visible_to=[OWNER],
            value=None,
        ),
        RecordItem(
            item="Generation cohort, seniority band and skills, under a pseudonym, per challenge",
            stored_in=_APP,
            encrypted=False,
            visible_to=[
                "your team (handle only)",
                "facilitators (pseudonymous, groups of 3 or more)",
            ],
            value=f"{profile.cohort or 'not given'}, {profile.seniority_band or 'not given'}",
        ),
        RecordItem(
            item="Department tag: a keyed hash saying only 'same department or not', per challenge",
            stored_in=_APP,
            encrypted=True,
            visible_to=["the team-formation optimiser"],
            value=None,
        ),
        RecordItem(
            item="Your reviews: stored with no author; nothing on record links them to you",
            stored_in=_APP,
            encrypted=False,
            visible_to=["the reviewed team, after the round closes"],
            value=None,
        ),
        RecordItem(
            item="Your review tokens, until you use them",
            stored_in="browser",
            encrypted=False,
            visible_to=[OWNER],
            value=None,
        ),
    ]
    return items


async def export_of(ctx: VaultContext, db: VaultDbSession, account_id: uuid.UUID) -> dict[str, Any]:
    """Everything the vault holds about the person, as JSON-ready data."""
    profile = await load_profile(ctx, db, account_id)
    sessions = await db.scalars(select(Session).where(Session.account_id == account_id))
    memberships = await challenges_of(ctx, db, account_id)
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
        "audit": [
            entry.model_dump(mode="json") for entry in await audit_trail(db, account_id, 1000)
        ],
    }
