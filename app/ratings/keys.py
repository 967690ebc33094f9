"""A rated subject's blind-signing key, made when the subject is published.

Made then, not when the first person asks for a token: the key's commit would date the first
rater's request, next to the access log's line for it. Publishing is an editor's act, which
their own log already records.
"""

from __future__ import annotations

import uuid
from typing import Protocol

from anyio import to_thread

from app.db import AppDbSession
from app.ratings import repository
from app.ratings.models import RatingKey
from app.reviews import blind_rsa
from app.reviews.signing import public_der


class Sealer(Protocol):
    """The vault, or a request's bound vault: either seals with the service key provider."""

    def seal_service_secret(self, secret: bytes, *, context: str) -> bytes: ...


def key_context(key_id: str) -> str:
    """The context a rating key's private half is sealed under."""
    return f"rating_keys|private_key|{key_id}"


async def ensure_key(
    db: AppDbSession, vault: Sealer, subject_kind: str, subject_id: uuid.UUID
) -> RatingKey:
    """The subject's key, made now if it has none."""
    found = await repository.key_of(db, subject_kind, subject_id)
    if found is not None:
        return found
    private_key = await to_thread.run_sync(blind_rsa.generate_signing_key)
    key_id = blind_rsa.key_id(private_key.public_key())
    row = RatingKey(
        key_id=key_id,
        subject_kind=subject_kind,
        subject_id=subject_id,
        public_key=public_der(private_key.public_key()),
        private_key=vault.seal_service_secret(
            blind_rsa.private_key_to_bytes(private_key), context=key_context(key_id)
        ),
    )
    return await repository.add_key(db, row)
