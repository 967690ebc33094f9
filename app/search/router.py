"""Search over the library, "ask the library", and related items. Signed in only; the index
holds published items only (app/search/service.py).

Not marked `@cached_read`: a search answer is cheap to compute (docs/library.md) and queries
repeat little, so keeping them would mostly fill the cache. The tables are counted all the
same (migration a0012), so a cached read elsewhere may include search results.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AfterValidator, StringConstraints

from app.auth.deps import CurrentIdentity
from app.db import AppDb
from app.errors import Unauthenticated, responses, rule_error
from app.search import service
from app.search.errors import SearchItemNotFound
from app.search.schemas import Answer, Kind, Language, Level, RelatedItem, SearchResults
from app.search.text import query_terms

router = APIRouter(prefix="/search", tags=["search"])

MAX_QUERY_LENGTH = 200
MAX_RELATED = 10


def _has_words(value: str) -> str:
    if not query_terms(value):
        raise rule_error("needs_letter_or_digit", "the query needs a letter or a digit")
    return value


QueryText = Annotated[
    str,
    Query(min_length=1, max_length=MAX_QUERY_LENGTH, description="Words to find"),
    AfterValidator(_has_words),
]
TopicSlug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,50}$")]


@router.get("", response_model=SearchResults, responses=responses(Unauthenticated))
async def search(
    identity: CurrentIdentity,
    db: AppDb,
    q: QueryText,
    kind: Annotated[list[Kind] | None, Query(description="Only these kinds")] = None,
    topic: Annotated[
        list[TopicSlug] | None, Query(max_length=10, description="Only items with one of these")
    ] = None,
    level: Annotated[list[Level] | None, Query(description="Only these guidance levels")] = None,
    language: Annotated[list[Language] | None, Query(description="Only these languages")] = None,
    page: Annotated[int, Query(ge=1, le=service.MAX_PAGE)] = 1,
) -> SearchResults:
    """Lessons and library entries matching every word (the last one as a prefix), best first,
    with highlighted excerpts and facet counts. Words are stemmed in the reader's language
    where the database can (PostgreSQL) and matched without accents everywhere."""
    return await service.search(
        db,
        q,
        reader_language=identity.session.language,
        kinds=kind,
        topics=topic,
        levels=level,
        languages=language,
        page=page,
    )


@router.get("/ask", response_model=Answer, responses=responses(Unauthenticated))
async def ask(
    identity: CurrentIdentity,
    db: AppDb,
    q: QueryText,
    language: Annotated[
        Language | None, Query(description="Preferred language (default: the reader's)")
    ] = None,
) -> Answer:
    """The three to five paragraphs of the library that best answer a question, each with a
    link to where it stands. Retrieval only: nothing is generated."""
    return await service.ask(db, q, language=language or identity.session.language)


@router.get(
    "/related/{kind}/{ref}",
    response_model=list[RelatedItem],
    responses=responses(Unauthenticated, SearchItemNotFound),
)
async def related(
    identity: CurrentIdentity,
    db: AppDb,
    kind: Kind,
    ref: uuid.UUID,
    limit: Annotated[int, Query(ge=1, le=MAX_RELATED)] = 5,
) -> list[RelatedItem]:
    """Other published items sharing words or topics with this one (never itself)."""
    return await service.related(db, kind, ref, limit)
