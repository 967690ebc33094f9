"""Rating keys as sealed material: counted per KEK version, re-sealed on rotation and by each
erasure epoch (app/admin/service.py puts every kind together). Lessons and idea entries never
close, so their keys stay sealed under the current KEK; a survey's key is destroyed (NULL) at
its close and is counted and re-sealed no more."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import async_sessionmaker

from app.db import AppDbSession
from app.ratings.keys import key_context
from app.ratings.models import RatingKey
from app.reviews.sealed_keys import count_by_kek_version, reseal_column
from app.vault import Vault

KIND = "rating_signing_key"


async def rating_keys_by_kek_version(db: AppDbSession, vault: Vault) -> dict[int, int]:
    return await count_by_kek_version(db, vault, RatingKey.private_key)


async def reseal_rating_keys(vault: Vault, sessions: async_sessionmaker[AppDbSession]) -> int:
    return await reseal_column(
        vault, sessions, RatingKey.key_id, RatingKey.private_key, key_context
    )
