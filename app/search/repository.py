"""All SQL of the search: one interface (`SearchIndex`), one implementation per database.

- SQLite: FTS5 virtual tables over `search_documents` and `search_passages` (external
  content, kept in sync by triggers: migration a0012), tokenizer `unicode61 remove_diacritics
  2` (accents and case folded, "equipe" finds "équipe"), bm25 with column weights, highlight()
  and snippet(). FTS5 has no stemmer: "équipes" does not find "équipe"; the last word of a
  query is a prefix, which covers most plurals and words being typed.
- PostgreSQL: a generated `tsvector` per row built with the document's language (text search
  configurations search_en/fr/es, each the stock one with `unaccent` before the stemmer, and
  search_simple for unknown languages), plus the same text with search_simple (unstemmed), a
  GIN index, ts_rank_cd with weights A title, B summary, C body, ts_headline, and a trigram
  index on the folded title for a single word found inside a title word ("quip").

A query is parsed in the reader's language and, word for word, language-neutrally: every word
must match either its stem in the reader's language or its folded form in any document.

Matched text comes back marked with `text.MARK_START`/`MARK_END`; the service escapes it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import bindparam, delete, select, text
from sqlalchemy.sql.elements import TextClause

from app.db import AppDbSession
from app.search.models import IndexedDocument, IndexedPassage, IndexedTopic
from app.search.text import MARK_END, MARK_START

# ruff: noqa: S608 - the SQL below is assembled from this module's own constant fragments and
# numbered placeholders; every value a request supplies travels as a bound parameter.

TOPIC_FACET_SIZE = 30
# PostgreSQL "related": how many word matches are ranked at most (see `PostgresIndex.similar`).
RELATED_POOL = 500
# Title, summary, body: a word in the title says more about the document than one in the body.
_SQLITE_WEIGHTS = "10.0, 4.0, 1.0"
# PostgreSQL ts_rank_cd weights for D, C (body), B (summary), A (title).
_POSTGRES_WEIGHTS = "'{0.05, 0.1, 0.4, 1.0}'"
_POSTGRES_CONFIGS = {"en": "search_en", "fr": "search_fr", "es": "search_es"}


@dataclass(frozen=True)
class Filters:
    kinds: Sequence[str] = ()
    languages: Sequence[str] = ()
    levels: Sequence[str] = ()
    topics: Sequence[str] = ()


@dataclass(frozen=True)
class Marks:
    """A document's title and best excerpts, marked where the query matched."""

    title: str
    summary: str
    body: str


@dataclass(frozen=True)
class FacetRows:
    groups: list[tuple[str, str, str | None, int]]  # (kind, language, level, count)
    topics: list[tuple[str, int]]


@dataclass(frozen=True)
class Matches:
    """A page of ranked document ids and the facet counts of every match."""

    ids: list[int]
    facets: FacetRows


@dataclass(frozen=True)
class PassageRow:
    passage_id: int
    document_id: int
    position: int
    score: float
    marked: str = field(default="")


class SearchIndex(Protocol):
    """What the service asks of a database's full-text engine. `terms` are folded words
    (`text.query_terms`): all must match (the last one as a prefix) in `matches` and `marks`;
    any may match in `passages` and `similar`."""

    async def matches(
        self,
        db: AppDbSession,
        terms: list[str],
        reader_language: str,
        filters: Filters,
        limit: int,
        offset: int,
    ) -> Matches: ...

    async def marks(
        self, db: AppDbSession, terms: list[str], reader_language: str, ids: list[int]
    ) -> dict[int, Marks]: ...

    async def similar(
        self, db: AppDbSession, document_id: int, terms: list[str], language: str, limit: int
    ) -> list[int]: ...

    async def passages(
        self, db: AppDbSession, terms: list[str], reader_language: str, limit: int
    ) -> list[PassageRow]: ...


def _filter_sql(filters: Filters, params: dict[str, Any]) -> tuple[str, list[str]]:
    """WHERE fragments on `d` (search_documents) and the names of the list parameters."""
    clauses: list[str] = []
    lists: list[str] = []
    for column, values in (
        ("kind", filters.kinds),
        ("language", filters.languages),
        ("level", filters.levels),
    ):
        if values:
            clauses.append(f"d.{column} IN :{column}_filter")
            params[f"{column}_filter"] = list(values)
            lists.append(f"{column}_filter")
    if filters.topics:
        clauses.append(
            "EXISTS (SELECT 1 FROM search_document_topics ft WHERE ft.document_id = d.id "
            "AND ft.topic IN :topic_filter)"
        )
        params["topic_filter"] = list(filters.topics)
        lists.append("topic_filter")
    return "".join(f" AND {c}" for c in clauses), lists


def _statement(sql: str, lists: list[str]) -> TextClause:
    return text(sql).bindparams(*(bindparam(name, expanding=True) for name in lists))


# One pass over the matches for a page of hits and every facet count: the matches (id, facet
# values, score: lower is better) are computed once, then sorted for the page and grouped for
# the counts. Matching and scoring is most of a query's cost, and three statements did it
# three times.
_HITS_AND_FACETS = (
    "WITH m AS MATERIALIZED ({matched}) "
    "SELECT 'hit', h.id, CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), "
    "0, h.score FROM (SELECT id, score FROM m ORDER BY score, id LIMIT :limit OFFSET :offset) h "
    "UNION ALL SELECT 'group', NULL, kind, language, level, count(*), NULL FROM m "
    "GROUP BY kind, language, level "
    "UNION ALL SELECT 'topic', NULL, t.topic, NULL, NULL, count(*), NULL "
    # CROSS JOIN: SQLite then keeps the matches as the outer loop (a few hundred rows) rather
    # than scanning every topic row; PostgreSQL plans it as any join.
    "FROM m CROSS JOIN search_document_topics t WHERE t.document_id = m.id GROUP BY t.topic"
)


async def _one_pass(
    db: AppDbSession, matched: str, lists: list[str], params: dict[str, Any]
) -> Matches:
    rows = (
        await db.execute(_statement(_HITS_AND_FACETS.format(matched=matched), lists), params)
    ).all()
    hits = sorted((r[6], r[1]) for r in rows if r[0] == "hit")
    topics = sorted(((r[2], r[5]) for r in rows if r[0] == "topic"), key=lambda t: (-t[1], t[0]))
    return Matches(
        ids=[id_ for _, id_ in hits],
        facets=FacetRows(
            groups=[(r[2], r[3], r[4], r[5]) for r in rows if r[0] == "group"],
            topics=topics[:TOPIC_FACET_SIZE],
        ),
    )


class SqliteIndex:
    @staticmethod
    def _match(terms: list[str], *, any_term: bool = False, prefix_last: bool = True) -> str:
        quoted = [f'"{t}"' for t in terms]
        # A one-letter prefix would match a large part of the vocabulary; the prefix indexes
        # (2 and 3 characters) make longer ones cheap.
        if prefix_last and len(terms[-1]) >= 2:
            quoted[-1] += " *"
        return (" OR " if any_term else " ").join(quoted)

    async def matches(
        self,
        db: AppDbSession,
        terms: list[str],
        reader_language: str,
        filters: Filters,
        limit: int,
        offset: int,
    ) -> Matches:
        params: dict[str, Any] = {"match": self._match(terms), "limit": limit, "offset": offset}
        where, lists = _filter_sql(filters, params)
        matched = (
            "SELECT d.id AS id, d.kind AS kind, d.language AS language, d.level AS level, "
            f"bm25(fts_search_documents, {_SQLITE_WEIGHTS}) AS score "
            "FROM fts_search_documents f JOIN search_documents d ON d.id = f.rowid "
            f"WHERE fts_search_documents MATCH :match{where}"
        )
        return await _one_pass(db, matched, lists, params)

    async def marks(
        self, db: AppDbSession, terms: list[str], reader_language: str, ids: list[int]
    ) -> dict[int, Marks]:
        # Only for the page's rows: computed in the ranking query, snippets would be built for
        # every match before the sort.
        if not ids:
            return {}
        rows = await db.execute(
            _statement(
                "SELECT rowid, highlight(fts_search_documents, 0, :a, :b), "
                "snippet(fts_search_documents, 1, :a, :b, '…', 24), "
                "snippet(fts_search_documents, 2, :a, :b, '…', 24) "
                "FROM fts_search_documents WHERE fts_search_documents MATCH :match "
                "AND rowid IN :ids",
                ["ids"],
            ),
            {"match": self._match(terms), "ids": ids, "a": MARK_START, "b": MARK_END},
        )
        return {r[0]: Marks(r[1], r[2], r[3]) for r in rows}

    async def similar(
        self, db: AppDbSession, document_id: int, terms: list[str], language: str, limit: int
    ) -> list[int]:
        rows = await db.execute(
            text(
                "SELECT rowid FROM fts_search_documents WHERE fts_search_documents MATCH :match "
                f"AND rowid != :id ORDER BY bm25(fts_search_documents, {_SQLITE_WEIGHTS}) "
                "LIMIT :limit"
            ),
            {
                # Titles only: an item's title words found in other titles say more about
                # kinship than found anywhere in a body, and there are far fewer of them.
                "match": "{title}: (" + self._match(terms, any_term=True, prefix_last=False) + ")",
                "id": document_id,
                "limit": limit,
            },
        )
        return list(rows.scalars())

    async def passages(
        self, db: AppDbSession, terms: list[str], reader_language: str, limit: int
    ) -> list[PassageRow]:
        match = self._match(terms, any_term=True, prefix_last=False)
        # bm25 is negative, lower is better: a passage in the reader's language counts half as
        # much again, so it wins a near tie but not against a clearly better one.
        rows = await db.execute(
            text(
                "SELECT p.id, p.document_id, p.position, -bm25(fts_search_passages) * "
                "CASE WHEN p.language = :language THEN 1.5 ELSE 1.0 END AS score "
                "FROM fts_search_passages f JOIN search_passages p ON p.id = f.rowid "
                "WHERE fts_search_passages MATCH :match ORDER BY score DESC, p.id LIMIT :limit"
            ),
            {"match": match, "language": reader_language, "limit": limit},
        )
        found = [PassageRow(r[0], r[1], r[2], float(r[3])) for r in rows]
        if not found:
            return []
        marked = await db.execute(
            _statement(
                "SELECT rowid, highlight(fts_search_passages, 0, :a, :b) FROM fts_search_passages "
                "WHERE fts_search_passages MATCH :match AND rowid IN :ids",
                ["ids"],
            ),
            {"match": match, "ids": [p.passage_id for p in found], "a": MARK_START, "b": MARK_END},
        )
        text_of: dict[int, str] = {r[0]: r[1] for r in marked}
        return [
            PassageRow(p.passage_id, p.document_id, p.position, p.score, text_of[p.passage_id])
            for p in found
        ]


# The configuration a document's own text was indexed with (for ts_headline).
_DOCUMENT_CONFIG = (
    "CASE {alias}.language WHEN 'en' THEN 'search_en'::regconfig "
    "WHEN 'fr' THEN 'search_fr'::regconfig WHEN 'es' THEN 'search_es'::regconfig "
    "ELSE 'search_simple'::regconfig END"
)
_HEADLINE_MARKS = f"StartSel={MARK_START}, StopSel={MARK_END}"


class PostgresIndex:
    @staticmethod
    def _query(
        terms: list[str], language: str, params: dict[str, Any], *, any_term: bool = False
    ) -> str:
        """A tsquery expression: each word as its stem in `language` or as itself (folded);
        all words (the last as a prefix), or any of them."""
        params["config"] = _POSTGRES_CONFIGS.get(language, "search_simple")
        if any_term:
            params["words"] = " | ".join(terms)
            return (
                "(to_tsquery(CAST(:config AS regconfig), :words) || "
                "to_tsquery('search_simple', :words))"
            )
        parts = []
        for index, term in enumerate(terms):
            last = index == len(terms) - 1
            params[f"w{index}"] = f"{term}:*" if last and len(term) >= 2 else term
            parts.append(
                f"(to_tsquery(CAST(:config AS regconfig), :w{index}) || "
                f"to_tsquery('search_simple', :w{index}))"
            )
        return "(" + " && ".join(parts) + ")"

    async def matches(
        self,
        db: AppDbSession,
        terms: list[str],
        reader_language: str,
        filters: Filters,
        limit: int,
        offset: int,
    ) -> Matches:
        """Documents matching every word, under the filters. A single word of three letters
        or more may also be found inside a title word (trigram index)."""
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        query = self._query(terms, reader_language, params)
        where, lists = _filter_sql(filters, params)
        inside_title = ""
        if len(terms) == 1 and len(terms[0]) >= 3:
            params["inside"] = f"%{terms[0]}%"
            inside_title = " OR search_fold(d.title) LIKE :inside"
        matched = (
            "SELECT d.id AS id, d.kind AS kind, d.language AS language, d.level AS level, "
            f"-ts_rank_cd({_POSTGRES_WEIGHTS}, d.search_vector, q.query, 1) AS score "
            f"FROM search_documents d, (SELECT {query} AS query) q "
            f"WHERE (d.search_vector @@ q.query{inside_title}){where}"
        )
        return await _one_pass(db, matched, lists, params)

    async def marks(
        self, db: AppDbSession, terms: list[str], reader_language: str, ids: list[int]
    ) -> dict[int, Marks]:
        if not ids:
            return {}
        params: dict[str, Any] = {"ids": ids}
        query = self._query(terms, reader_language, params)
        config = _DOCUMENT_CONFIG.format(alias="d")
        excerpt = (
            '\'MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … ", '
            f"{_HEADLINE_MARKS}'"
        )
        everything = f"'HighlightAll=true, {_HEADLINE_MARKS}'"
        rows = await db.execute(
            _statement(
                f"SELECT d.id, ts_headline({config}, d.title, q.query, {everything}), "
                f"ts_headline({config}, d.summary, q.query, {excerpt}), "
                f"ts_headline({config}, d.body, q.query, {excerpt}) "
                f"FROM search_documents d, (SELECT {query} AS query) q WHERE d.id IN :ids",
                ["ids"],
            ),
            params,
        )
        return {r[0]: Marks(r[1], r[2], r[3]) for r in rows}

    async def similar(
        self, db: AppDbSession, document_id: int, terms: list[str], language: str, limit: int
    ) -> list[int]:
        params: dict[str, Any] = {"id": document_id, "limit": limit}
        query = self._query(terms, language, params, any_term=True)
        params["pool"] = RELATED_POOL
        # Words of a title match a large share of the library, and ranking reads each match's
        # whole vector (seconds over 100,000 items): related items are suggestions, so only a
        # bounded pool of matches is ranked.
        rows = await db.execute(
            text(
                "SELECT pool.id FROM ("
                f"SELECT d.id, d.search_vector, q.query FROM search_documents d, "
                f"(SELECT {query} AS query) q WHERE d.search_vector @@ q.query AND d.id != :id "
                "LIMIT :pool) pool "
                f"ORDER BY ts_rank_cd({_POSTGRES_WEIGHTS}, pool.search_vector, pool.query, 1) "
                "DESC, pool.id LIMIT :limit"
            ),
            params,
        )
        return list(rows.scalars())

    async def passages(
        self, db: AppDbSession, terms: list[str], reader_language: str, limit: int
    ) -> list[PassageRow]:
        params: dict[str, Any] = {"language": reader_language, "limit": limit}
        query = self._query(terms, reader_language, params, any_term=True)
        config = _DOCUMENT_CONFIG.format(alias="best")
        # Headlines only for the few best passages: the inner query ranks, the outer marks.
        rows = await db.execute(
            text(
                "SELECT best.id, best.document_id, best.position, best.score, "
                f"ts_headline({config}, best.text, best.query, 'HighlightAll=true, "
                f"{_HEADLINE_MARKS}') FROM ("
                "SELECT p.id, p.document_id, p.position, p.language, p.text, q.query, "
                "ts_rank_cd(p.search_vector, q.query, 1) * "
                "CASE WHEN p.language = :language THEN 1.5 ELSE 1.0 END AS score "
                f"FROM search_passages p, (SELECT {query} AS query) q "
                "WHERE p.search_vector @@ q.query ORDER BY score DESC, p.id LIMIT :limit"
                ") best ORDER BY best.score DESC, best.id"
            ),
            params,
        )
        return [PassageRow(r[0], r[1], r[2], float(r[3]), r[4]) for r in rows]


def index_for(db: AppDbSession) -> SearchIndex:
    """The full-text engine of the database behind this session."""
    if db.get_bind().dialect.name == "postgresql":
        return PostgresIndex()
    return SqliteIndex()


# Dialect-neutral reads and writes of the index's own rows.


async def document_id(db: AppDbSession, kind: str, ref: uuid.UUID) -> int | None:
    return await db.scalar(
        select(IndexedDocument.id).where(IndexedDocument.kind == kind, IndexedDocument.ref == ref)
    )


async def remove(db: AppDbSession, kind: str, ref: uuid.UUID) -> bool:
    """Delete a document, its topics and passages (the triggers update FTS5). Whether it was
    there."""
    found = await document_id(db, kind, ref)
    if found is None:
        return False
    # Children first and explicitly: the FTS5 triggers then see every deleted passage whatever
    # the connection's foreign-key setting.
    await db.execute(delete(IndexedPassage).where(IndexedPassage.document_id == found))
    await db.execute(delete(IndexedTopic).where(IndexedTopic.document_id == found))
    await db.execute(delete(IndexedDocument).where(IndexedDocument.id == found))
    return True


async def add(
    db: AppDbSession,
    document: IndexedDocument,
    topics: list[str],
    passages: list[tuple[int, str]],
) -> int:
    """Add a document with its topics and its (position, text) passages."""
    db.add(document)
    await db.flush()
    db.add_all(IndexedTopic(document_id=document.id, topic=t) for t in topics)
    db.add_all(
        IndexedPassage(document_id=document.id, position=n, language=document.language, text=p)
        for n, p in passages
    )
    await db.flush()
    return document.id


async def documents(db: AppDbSession, ids: Sequence[int]) -> dict[int, IndexedDocument]:
    if not ids:
        return {}
    found = await db.scalars(select(IndexedDocument).where(IndexedDocument.id.in_(ids)))
    return {d.id: d for d in found}


async def topics_of(db: AppDbSession, ids: Sequence[int]) -> dict[int, list[str]]:
    topics: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        rows = await db.execute(
            select(IndexedTopic.document_id, IndexedTopic.topic)
            .where(IndexedTopic.document_id.in_(ids))
            .order_by(IndexedTopic.topic)
        )
        for document, topic in rows:
            topics[document].append(topic)
    return topics


async def sharing_topics(db: AppDbSession, document: int, limit: int) -> list[int]:
    """Other documents by the number of topics they share with this one, most first."""
    rows = await db.execute(
        text(
            "SELECT t.document_id FROM search_document_topics t "
            "WHERE t.topic IN (SELECT topic FROM search_document_topics WHERE document_id = :id) "
            "AND t.document_id != :id GROUP BY t.document_id "
            "ORDER BY count(*) DESC, t.document_id LIMIT :limit"
        ),
        {"id": document, "limit": limit},
    )
    return list(rows.scalars())
