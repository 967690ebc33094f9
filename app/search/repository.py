"""All SQL of the search: one interface (`SearchIndex`), one implementation per database.

- SQLite: FTS5 virtual tables over `search_documents` and `search_passages` (external
  content, kept in sync by triggers: migration a0012), tokenizer `unicode61 remove_diacritics
  2` (accents and case folded, "equipe" finds "équipe"), bm25 with column weights; the
  highlights are made here (`text.mark_words`, `text.excerpt`) for the page's hits only.
  FTS5 has no stemmer: "équipes" does not find "équipe"; the last word of a query is a
  prefix, which covers most plurals and words being typed.
- PostgreSQL: a generated `tsvector` per row built with the document's language (text search
  configurations search_en/fr/es, each the stock one with `unaccent` before the stemmer, and
  search_simple for unknown languages), plus the same text with search_simple (unstemmed), a
  GIN index, ts_rank_cd with weights A title, B summary, C body, ts_headline, a title-only
  vector (a0020) for the title matches of a query above COUNT_CAP, and a trigram index on the
  folded title for a single word found inside a title word ("quip").

A query is parsed in the reader's language and, word for word, language-neutrally: every word
must match either its stem in the reader's language or its folded form in any document.

Matched text comes back marked with `text.MARK_START`/`MARK_END`; the service escapes it.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import bindparam, delete, select, text
from sqlalchemy.sql.elements import TextClause

from app.db import AppDbSession
from app.search.models import IndexedDocument, IndexedPassage, IndexedTopic
from app.search.text import MARK_END, MARK_START, excerpt, mark_words, title_share

# ruff: noqa: S608 - the SQL below is assembled from this module's own constant fragments and
# numbered placeholders; every value a request supplies travels as a bound parameter.

TOPIC_FACET_SIZE = 30
# Up to this many matching documents, the total and the facet counts are exact and every match
# is ranked; above it they are counted among the first COUNT_CAP found (shown as "1,000+"),
# and only a pool of title matches is ordered (below). Counting and scoring every match of a
# common word took most of a query's time (docs/library.md, "Search").
COUNT_CAP = 1000
# Above COUNT_CAP, nothing is scored by the database (either reads every match to score any:
# FTS5's bm25 counts each word's documents, PostgreSQL reads each one's vector): at most this
# many title matches come first, by how much of their title the query is, then the other
# matches in the order found.
TITLE_POOL = 250
# "Ask" and SQLite's "related": each word's passages (or titles) are taken among at most this
# many of the rows containing it. A rare word's rows are all there; a common word's take
# little part in the score anyway (BM25's weight of a word falls with its frequency).
WORD_POOL = 300
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
    """The ranked ids of the results a reader can page through (at most `RANKED`), and the
    facet counts. `capped`: more than `COUNT_CAP` documents match, and the counts are those of
    the first `COUNT_CAP` found, lower bounds of the true ones."""

    ids: list[int]
    facets: FacetRows
    capped: bool = False


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


# One pass over (at most COUNT_CAP + 1) matches for the ranked hits and every facet count: the
# matches (id, facet values) are found once, then grouped for the counts, and ranked for the
# hits when there are no more than COUNT_CAP. `{matched}` finds them (no ORDER BY: the
# database stops at the LIMIT); `{ranked}` gives (id, score) for the hits, lower scores first,
# under the condition `_FEW`, which both databases evaluate once, before scoring any row.
_HITS_AND_FACETS = (
    "WITH m AS MATERIALIZED ({matched} LIMIT :count_limit) "
    "SELECT 'hit', h.id, CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), "
    "0, h.score FROM ({ranked}) h "
    "UNION ALL SELECT 'group', NULL, kind, language, level, count(*), NULL FROM m "
    "GROUP BY kind, language, level "
    "UNION ALL SELECT 'topic', NULL, t.topic, NULL, NULL, count(*), NULL "
    # CROSS JOIN: SQLite then keeps the matches as the outer loop (at most COUNT_CAP rows)
    # rather than scanning every topic row; PostgreSQL plans it as any join.
    "FROM m CROSS JOIN search_document_topics t WHERE t.document_id = m.id GROUP BY t.topic"
)
_FEW = "(SELECT count(*) FROM m) <= :cap"


async def _one_pass(
    db: AppDbSession,
    matched: str,
    ranked: str,
    lists: list[str],
    params: dict[str, Any],
) -> tuple[list[int], FacetRows, bool]:
    """The ranked ids (none when capped), the facet rows, and whether more than COUNT_CAP
    documents match."""
    params.update(count_limit=COUNT_CAP + 1, cap=COUNT_CAP)
    statement = _HITS_AND_FACETS.format(matched=matched, ranked=ranked)
    rows = (await db.execute(_statement(statement, lists), params)).all()
    hits = sorted((r[6], r[1]) for r in rows if r[0] == "hit")
    topics = sorted(((r[2], r[5]) for r in rows if r[0] == "topic"), key=lambda t: (-t[1], t[0]))
    groups = [(r[2], r[3], r[4], r[5]) for r in rows if r[0] == "group"]
    capped = sum(count for *_, count in groups) > COUNT_CAP
    return [id_ for _, id_ in hits], FacetRows(groups, topics[:TOPIC_FACET_SIZE]), capped


async def _capped_page(
    db: AppDbSession,
    title_matches: str,
    found: str,
    terms: list[str],
    lists: list[str],
    params: dict[str, Any],
    facets: FacetRows,
    limit: int,
    offset: int,
) -> Matches:
    """Above COUNT_CAP: the title matches (`title_matches` gives id and title of at most
    :pool), the most of whose title the query is first, then the other matches (`found`
    gives ids, at most :ranked) in the order found."""
    params = {**params, "pool": TITLE_POOL, "ranked": offset + limit}
    titles = (await db.execute(_statement(title_matches, lists), params)).all()
    first = sorted(titles, key=lambda row: (-title_share(row[1], terms), row[0]))
    ids = [id_ for id_, _ in first]
    if len(ids) < offset + limit:
        seen = set(ids)
        rows = await db.execute(_statement(found, lists), params)
        ids += [id_ for id_ in rows.scalars() if id_ not in seen]
    return Matches(ids[offset : offset + limit], facets, capped=True)


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
        match = self._match(terms)
        params: dict[str, Any] = {
            "match": match,
            "title_match": "{title}: (" + match + ")",
            "ranked": offset + limit,
        }
        where, lists = _filter_sql(filters, params)
        found = (
            "FROM fts_search_documents f JOIN search_documents d ON d.id = f.rowid "
            "WHERE fts_search_documents MATCH {match}" + where
        )
        matched = (
            "SELECT d.id AS id, d.kind AS kind, d.language AS language, d.level AS level "
            + found.format(match=":match")
        )
        ranked = (
            f"SELECT d.id, bm25(fts_search_documents, {_SQLITE_WEIGHTS}) AS score "
            f"{found.format(match=':match')} AND {_FEW} ORDER BY score, d.id LIMIT :ranked"
        )
        ids, facets, capped = await _one_pass(db, matched, ranked, lists, params)
        if not capped:
            return Matches(ids[offset : offset + limit], facets)
        return await _capped_page(
            db,
            f"SELECT d.id, d.title {found.format(match=':title_match')} LIMIT :pool",
            f"SELECT d.id {found.format(match=':match')} LIMIT :ranked",
            terms,
            lists,
            params,
            facets,
            limit,
            offset,
        )

    async def marks(
        self, db: AppDbSession, terms: list[str], reader_language: str, ids: list[int]
    ) -> dict[int, Marks]:
        # Marked here, for the page's rows only: FTS5's highlight() and snippet() would look
        # each row up in the index again, which costs milliseconds a row for a common word.
        if not ids:
            return {}
        rows = await db.execute(
            _statement(
                "SELECT id, title, summary, body FROM search_documents WHERE id IN :ids", ["ids"]
            ),
            {"ids": ids},
        )
        return {
            r[0]: Marks(mark_words(r[1], terms), excerpt(r[2], terms), excerpt(r[3], terms))
            for r in rows
        }

    @staticmethod
    async def _pooled_scores(
        db: AppDbSession, select: str, matches: list[str]
    ) -> dict[int, tuple[float, Any]]:
        """Each row's BM25 for any of `matches`: the sum of its score for each one (BM25 adds
        up word by word), each looked for among WORD_POOL rows containing it. `select` gives
        (rowid, bm25, extra) for :match and :pool; the extra column is kept."""
        scores: dict[int, tuple[float, Any]] = {}
        for match in matches:
            rows = await db.execute(text(select), {"match": match, "pool": WORD_POOL})
            for rowid, score, extra in rows:
                previous = scores.get(rowid, (0.0, extra))[0]
                scores[rowid] = (previous - score, extra)  # bm25 is negative, lower is better
        return scores

    async def similar(
        self, db: AppDbSession, document_id: int, terms: list[str], language: str, limit: int
    ) -> list[int]:
        # Titles only: an item's title words found in other titles say more about kinship
        # than found anywhere in a body, and there are far fewer of them. Not bm25: with a
        # column filter it reads every row holding the word to weigh it (a fifth of a second
        # for a common one); a word weighs here the inverse of the titles found holding it
        # (at most WORD_POOL), which likewise makes a shared rare word count most.
        weights: dict[int, float] = defaultdict(float)
        for term in terms:
            rows = await db.execute(
                text(
                    "SELECT rowid FROM fts_search_documents WHERE fts_search_documents "
                    "MATCH :match LIMIT :pool"
                ),
                {"match": "{title}: " + f'"{term}"', "pool": WORD_POOL},
            )
            found = list(rows.scalars())
            for id_ in found:
                weights[id_] += 1.0 / len(found)
        weights.pop(document_id, None)
        return sorted(weights, key=lambda id_: (-weights[id_], id_))[:limit]

    async def passages(
        self, db: AppDbSession, terms: list[str], reader_language: str, limit: int
    ) -> list[PassageRow]:
        scores = await self._pooled_scores(
            db,
            "SELECT f.rowid, bm25(fts_search_passages), p.language "
            "FROM fts_search_passages f JOIN search_passages p ON p.id = f.rowid "
            "WHERE fts_search_passages MATCH :match LIMIT :pool",
            [f'"{term}"' for term in terms],
        )
        # A passage in the reader's language counts half as much again, so it wins a near tie
        # but not against a clearly better one.
        weighted = {
            id_: score * (1.5 if language == reader_language else 1.0)
            for id_, (score, language) in scores.items()
        }
        best = sorted(weighted, key=lambda id_: (-weighted[id_], id_))[:limit]
        if not best:
            return []
        rows = await db.execute(
            _statement(
                "SELECT id, document_id, position, text FROM search_passages WHERE id IN :ids",
                ["ids"],
            ),
            {"ids": best},
        )
        found = {r[0]: r for r in rows}
        return [
            PassageRow(
                id_,
                found[id_][1],
                found[id_][2],
                weighted[id_],
                mark_words(found[id_][3], terms, prefix_last=False),
            )
            for id_ in best
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
        params: dict[str, Any] = {"ranked": offset + limit}
        query = self._query(terms, reader_language, params)
        where, lists = _filter_sql(filters, params)
        inside_title = ""
        if len(terms) == 1 and len(terms[0]) >= 3:
            params["inside"] = f"%{terms[0]}%"
            inside_title = " OR search_fold(d.title) LIKE :inside"
        found = (
            f"FROM search_documents d, (SELECT {query} AS query) q "
            "WHERE (d.{vector} @@ q.query{inside})" + where
        )
        matched = (
            "SELECT d.id AS id, d.kind AS kind, d.language AS language, d.level AS level "
            + found.format(vector="search_vector", inside=inside_title)
        )
        # Ranking reads each match's whole vector: only when there are at most COUNT_CAP.
        ranked = (
            f"SELECT d.id, -ts_rank_cd({_POSTGRES_WEIGHTS}, d.search_vector, q.query, 1) AS score "
            f"FROM m JOIN search_documents d ON d.id = m.id, (SELECT {query} AS query) q "
            f"WHERE {_FEW} ORDER BY score, d.id LIMIT :ranked"
        )
        ids, facets, capped = await _one_pass(db, matched, ranked, lists, params)
        if not capped:
            return Matches(ids[offset : offset + limit], facets)
        return await _capped_page(
            db,
            # The title's own vector and GIN index (a0020).
            f"SELECT d.id, d.title {found.format(vector='title_vector', inside='')} LIMIT :pool",
            f"SELECT d.id {found.format(vector='search_vector', inside=inside_title)} "
            "LIMIT :ranked",
            terms,
            lists,
            params,
            facets,
            limit,
            offset,
        )

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
        params: dict[str, Any] = {"language": reader_language, "limit": limit, "pool": WORD_POOL}
        query = self._query(terms, reader_language, params, any_term=True)
        config = _DOCUMENT_CONFIG.format(alias="best")
        # Ranked: the passages found among WORD_POOL of each word's (a rare word's are all
        # there), rather than every passage containing any word of the question.
        for index, term in enumerate(terms):
            params[f"t{index}"] = term
        pools = " UNION ".join(
            f"(SELECT id FROM search_passages WHERE search_vector @@ "
            f"(to_tsquery(CAST(:config AS regconfig), :t{index}) || "
            f"to_tsquery('search_simple', :t{index})) LIMIT :pool)"
            for index in range(len(terms))
        )
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
                f"WHERE p.id IN ({pools}) AND p.search_vector @@ q.query "
                "ORDER BY score DESC, p.id LIMIT :limit"
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
