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
  folded title for a single word found inside a title word ("quip"). Matches are found and
  ranked in `search_document_vectors` (a0026: the id, the facet columns and both vectors,
  copied by a trigger), whose rows are a fraction of the documents' own; the text is read
  from `search_documents` for the page's hits only.

A query is parsed in the reader's language and, word for word, language-neutrally: every word
must match either its stem in the reader's language or its folded form in any document.

Matched text comes back marked with `text.MARK_START`/`MARK_END`; the service escapes it.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Uuid, bindparam, delete, select, text
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.sql.selectable import TextualSelect

from app.db import AppDbSession
from app.search.models import VECTORS_TABLE, IndexedDocument, IndexedPassage, IndexedTopic
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
# "Related" by topics: among how many documents sharing a topic (see `sharing_topics`).
TOPIC_POOL = 300
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
class Hit:
    """A document of the page as the results show it: its columns, topics and marks."""

    kind: str
    ref: uuid.UUID
    language: str
    level: str | None
    url: str
    title: str
    topics: list[str]
    marks: Marks


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
    (`text.query_terms`): all must match (the last one as a prefix) in `matches` and `hits`;
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

    async def hits(
        self, db: AppDbSession, ids: Sequence[int], terms: list[str], reader_language: str
    ) -> dict[int, Hit]: ...

    async def similar(
        self, db: AppDbSession, document_id: int, terms: list[str], language: str, limit: int
    ) -> list[int]: ...

    async def passages(
        self, db: AppDbSession, terms: list[str], reader_language: str, limit: int
    ) -> list[PassageRow]: ...


def _filter_sql(filters: Filters, params: dict[str, Any]) -> tuple[str, list[str]]:
    """WHERE fragments on `d` (search_documents, or search_document_vectors: both have the
    facet columns) and the names of the list parameters."""
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


def _statement(sql: str, lists: Sequence[str] = ()) -> TextClause:
    """`sql` as a statement whose `lists` parameters each take a list of values."""
    return _built_statement(sql, tuple(lists))


# The statements of a search are assembled from the words' count, the filters and the cap's
# branches, so a handful of shapes recur; building one from its text parses the text for its
# parameters each time, which cost a search's largest statement a sizeable part of this
# process's CPU per search (docs/benchmarks.md, "Search (issue 21)", seventh round). A built
# statement is immutable and holds no values: they travel with each execution.
@functools.lru_cache(maxsize=512)
def _built_statement(sql: str, lists: tuple[str, ...]) -> TextClause:
    return text(sql).bindparams(*(bindparam(name, expanding=True) for name in lists))


# The page's documents with their topics (`{topics}`, one value per document) and whatever
# marks the database makes (`{marks}`), in one statement: as three (the documents, their
# topics, the marks), each cost a round trip and its own rows to read.
_HITS = (
    "SELECT d.id, d.kind, d.ref AS ref, d.language, d.level, d.url, d.title, {topics}{marks} "
    "FROM search_documents d{query} WHERE d.id IN :ids"
)


@functools.lru_cache(maxsize=64)
def _hits_statement(topics: str, marks: str = "", query: str = "") -> TextualSelect:
    sql = _HITS.format(topics=topics, marks=marks, query=query)
    return _statement(sql, ["ids"]).columns(ref=Uuid())


# One pass over (at most COUNT_CAP + 1) matches for the ranked hits and every facet count: the
# matches (id, facet values) are found once, then grouped for the counts, and ranked for the
# hits when there are no more than COUNT_CAP. `{matched}` finds them (no ORDER BY: the
# database stops at the LIMIT); `{ranked}` gives (id, score) for the hits, lower scores first,
# only when there are no more (`_if_few`). When there are more, the same statement gives what
# the page is made of instead (`_one_pass`): at most :pool title matches (`{titles}`: id and
# title, only when there are more) and the first :found_limit matches in the order found.
_HITS_AND_FACETS = (
    "WITH m AS MATERIALIZED ({matched} LIMIT :count_limit), "
    # Counted once: each test of the count below read all of `m` again.
    "n AS MATERIALIZED (SELECT count(*) AS n FROM m) "
    "SELECT 'hit', h.id, CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), "
    "0, h.score FROM ({ranked}) h "
    "UNION ALL SELECT 'group', NULL, kind, language, level, count(*), NULL FROM m "
    "GROUP BY kind, language, level "
    "UNION ALL SELECT 'topic', NULL, t.topic, NULL, NULL, count(*), NULL "
    # CROSS JOIN: SQLite then keeps the matches as the outer loop (at most COUNT_CAP rows)
    # rather than scanning every topic row; PostgreSQL plans it as any join.
    "FROM m CROSS JOIN search_document_topics t WHERE t.document_id = m.id GROUP BY t.topic "
    "UNION ALL SELECT 'title', tm.id, tm.title, NULL, NULL, 0, NULL FROM "
    "({titles}) tm "
    "UNION ALL SELECT 'found', f.id, NULL, NULL, NULL, 0, NULL FROM "
    "(SELECT id FROM m {if_more_found}) f"
)
_FEW = "(SELECT n FROM n) <= :cap"


def _if_few(limit: str, *, few: bool = True) -> str:
    """A LIMIT of `limit` rows when at most COUNT_CAP documents match (or, `few=False`, when
    more do), else of none. As a LIMIT, both databases evaluate the condition once and skip
    the scan when it is 0; in a WHERE clause, SQLite tested it on every row the scan found
    (all of a common word's matches, to rank none of them). PostgreSQL skips it in a WHERE
    clause too, and needs a constant LIMIT to choose a plan that stops early: a LIMIT it
    cannot know made it read a common word's whole posting list for 250 title matches."""
    yes, no = (limit, "0") if few else ("0", limit)
    return f"LIMIT CASE WHEN {_FEW} THEN {yes} ELSE {no} END"


async def _one_pass(
    db: AppDbSession,
    terms: list[str],
    statements: tuple[str, str, str],
    lists: list[str],
    params: dict[str, Any],
    limit: int,
    offset: int,
) -> Matches:
    """The page's ids and the facet counts, in one statement (`_HITS_AND_FACETS`, whose
    `matched`, `ranked` and `titles` are the `statements`). Above COUNT_CAP, the title matches
    lead, the most of whose title the query is first, then the other matches in the order
    found."""
    matched, ranked, titles = statements
    found_limit = offset + limit + TITLE_POOL
    # COUNT_CAP + 1 matches hold the page's (found_limit is at most 750 at page 50); the max
    # keeps a page full whatever the constants.
    params.update(
        ranked=offset + limit,
        count_limit=max(COUNT_CAP + 1, found_limit),
        cap=COUNT_CAP,
        found_limit=found_limit,
        pool=TITLE_POOL,
    )
    statement = _HITS_AND_FACETS.format(
        matched=matched,
        ranked=ranked,
        titles=titles,
        if_more_found=_if_few(":found_limit", few=False),
    )
    rows = (await db.execute(_statement(statement, lists), params)).all()
    topics = sorted(((r[2], r[5]) for r in rows if r[0] == "topic"), key=lambda t: (-t[1], t[0]))
    groups = [(r[2], r[3], r[4], r[5]) for r in rows if r[0] == "group"]
    facets = FacetRows(groups, topics[:TOPIC_FACET_SIZE])
    found = [r[1] for r in rows if r[0] == "found"]
    if not found:  # at most COUNT_CAP match: all were ranked
        hits = sorted((r[6], r[1]) for r in rows if r[0] == "hit")
        return Matches([id_ for _, id_ in hits][offset : offset + limit], facets)
    in_title = [(r[1], r[2]) for r in rows if r[0] == "title"]
    first = sorted(in_title, key=lambda row: (-title_share(row[1], terms), row[0]))
    ids = [id_ for id_, _ in first]
    seen = set(ids)
    ids += [id_ for id_ in found if id_ not in seen]
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
        params: dict[str, Any] = {"match": match, "title_match": "{title}: (" + match + ")"}
        where, lists = _filter_sql(filters, params)
        found = (
            "FROM fts_search_documents f JOIN search_documents d ON d.id = f.rowid "
            "WHERE fts_search_documents MATCH {match}" + where
        )
        matched = (
            "SELECT d.id AS id, d.kind AS kind, d.language AS language, d.level AS level "
            + found.format(match=":match")
        )
        # The filters were applied once, in `m`: each match is only looked up among those
        # (`+` keeps the membership test a filter; as a rowid constraint, FTS5 would search
        # its index again for each id) rather than joined to its document and checked again.
        ranked = (
            f"SELECT f.rowid AS id, bm25(fts_search_documents, {_SQLITE_WEIGHTS}) AS score "
            "FROM fts_search_documents f WHERE fts_search_documents MATCH :match "
            f"AND +f.rowid IN (SELECT id FROM m) ORDER BY score, f.rowid {_if_few(':ranked')}"
        )
        titles = (
            f"SELECT d.id, d.title {found.format(match=':title_match')} "
            f"{_if_few(':pool', few=False)}"
        )
        return await _one_pass(db, terms, (matched, ranked, titles), lists, params, limit, offset)

    async def hits(
        self, db: AppDbSession, ids: Sequence[int], terms: list[str], reader_language: str
    ) -> dict[int, Hit]:
        if not ids:
            return {}
        statement = _hits_statement(
            "(SELECT json_group_array(t.topic) FROM search_document_topics t "
            "WHERE t.document_id = d.id), d.summary, d.body"
        )
        rows = await db.execute(statement, {"ids": list(ids)})
        # Marked here, for the page's rows only: FTS5's highlight() and snippet() would look
        # each row up in the index again, which costs milliseconds a row for a common word.
        return {
            id_: Hit(
                kind,
                ref,
                language,
                level,
                url,
                title,
                sorted(json.loads(topics)),
                Marks(mark_words(title, terms), excerpt(summary, terms), excerpt(body, terms)),
            )
            for id_, kind, ref, language, level, url, title, topics, summary, body in rows
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


async def _plan_for_these_words(db: AppDbSession) -> None:
    """Plan the rest of this transaction's statements for their own words, for data in memory
    (docs/benchmarks.md, "Search (issue 21)", fourth round).

    - The driver prepares each statement, and after five runs PostgreSQL may keep a plan made
      for no word in particular, which assumes a word matches few documents: for a common word
      it read the word's whole GIN posting list, three to five times the CPU of a plan made
      for that word.
    - With the default cost of a random page read (4, a disk's), a scan of the table in order
      looked cheaper than the GIN index whenever several words together were estimated to
      match a few per cent of the documents; estimated as independent, they often match
      fewer, and the scan then read most of the table to find 1,001 matches (70,000 rows,
      about 40 ms of CPU). The index and the table are read from memory: 1.1, the value
      PostgreSQL's documentation suggests for that case, keeps the scan for the common words
      it suits.
    - A page read in order costs as much here as one read at random (1.1 too, not the
      default 1.0): the scan of a table larger than a quarter of the shared buffers reads
      it through a small ring of buffers, so each page comes from the operating system's
      cache again, where the GIN index's random reads stay in the shared buffers. With the
      default, a typed prefix whose matches the planner overestimated ("herram", estimated
      twice as many as it has) was scanned in order, 19,000 rows for 1,001 matches, at three
      times the server's CPU of the GIN index (docs/benchmarks.md, seventh round).
    - No parallel workers: starting them costs more than these short statements take, and
      a parallel UNION ALL would run the trigram branch of `PostgresIndex.matches` at once
      rather than only when the vector finds too few.
    """
    await db.execute(
        _statement(
            "SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
            "set_config('random_page_cost', '1.1', true), "
            "set_config('seq_page_cost', '1.1', true), "
            "set_config('max_parallel_workers_per_gather', '0', true)"
        )
    )


def _whole_word_first(
    columns: str, vector: str, queries: tuple[str, str, str], where: str, limit: str
) -> str:
    """The documents (`d`, in `VECTORS_TABLE`) whose `vector` matches `query`, under `where`,
    without a final LIMIT.
    `queries`: `query`, `whole` (the same words, the last whole, not as a prefix) and
    `only_longer` (`query` and not the last word whole). When the last word is a prefix
    (`whole` differs from `query`), the documents holding it whole come first, then those
    holding only a longer word it begins (`only_longer`: GIN leaves out those holding it
    whole, so their rows are not read twice): under the caller's LIMIT the second branch runs
    only if the first finds too few. GIN reads every posting
    list a prefix covers into one bitmap before the first match comes out, several times the
    work of the word's own list when the word is common (docs/benchmarks.md, "Search", fifth
    round), and a word typed in full often gives enough matches alone. Whatever the LIMIT,
    the documents found are matches of `query`; when fewer than it match, all of them.

    Each branch has its own LIMIT (`limit`): PostgreSQL plans the branches of a UNION ALL for
    all their rows, and a common word's branch would build a bitmap of every match rather
    than scan the table until it has found enough."""
    query, whole, only_longer = queries
    if whole == query:
        return (
            f"SELECT {columns} FROM {VECTORS_TABLE} d, (SELECT {query} AS query) q "
            f"WHERE d.{vector} @@ q.query{where}"
        )
    return (
        f"(SELECT {columns} FROM {VECTORS_TABLE} d, (SELECT {whole} AS query) q "
        f"WHERE d.{vector} @@ q.query{where} LIMIT {limit}) UNION ALL "
        f"(SELECT {columns} FROM {VECTORS_TABLE} d, (SELECT {only_longer} AS query) q "
        f"WHERE d.{vector} @@ q.query{where} LIMIT {limit})"
    )


class PostgresIndex:
    @staticmethod
    def _query(
        terms: list[str],
        language: str,
        params: dict[str, Any],
        *,
        any_term: bool = False,
        prefix_last: bool = True,
    ) -> str:
        """A tsquery expression: each word as its stem in `language` or as itself (folded);
        all words (the last as a prefix of two letters or more, unless `prefix_last` is
        false), or any of them."""
        params["config"] = _POSTGRES_CONFIGS.get(language, "search_simple")
        if any_term:
            params["words"] = " | ".join(terms)
            return (
                "(to_tsquery(CAST(:config AS regconfig), :words) || "
                "to_tsquery('search_simple', :words))"
            )
        parts = []
        for index, term in enumerate(terms):
            name = f"w{index}"
            params[name] = term
            if prefix_last and index == len(terms) - 1 and len(term) >= 2:
                name = f"p{index}"
                params[name] = f"{term}:*"
            parts.append(PostgresIndex._word(name))
        return "(" + " && ".join(parts) + ")"

    @staticmethod
    def _word(name: str) -> str:
        """One word of a query, the parameter `name`: its stem in the reader's language or
        itself."""
        stem = f"to_tsquery(CAST(:config AS regconfig), :{name})"
        word = f"to_tsquery('search_simple', :{name})"
        # Most words are their own stem: "x | x" would make GIN and @@ check each twice.
        return f"(CASE WHEN {stem} = {word} THEN {word} ELSE {stem} || {word} END)"

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
        await _plan_for_these_words(db)
        params: dict[str, Any] = {}
        query = self._query(terms, reader_language, params)
        where, lists = _filter_sql(filters, params)
        whole = self._query(terms, reader_language, params, prefix_last=False)
        # The prefix's matches without the whole word's (when it is a prefix; `_query` named
        # the last word whole `w<n>`).
        only_longer = f"({query} && !!{self._word(f'w{len(terms) - 1}')})"
        columns = "d.id AS id, d.kind AS kind, d.language AS language, d.level AS level"
        matched = _whole_word_first(
            columns, "search_vector", (query, whole, only_longer), where, ":count_limit"
        )
        if len(terms) == 1 and len(terms[0]) >= 3:
            # The titles holding the word inside a longer word, through the trigram index,
            # after the vector's matches: under the LIMIT, this second branch runs only if
            # those are too few. As an OR in one scan, each document without the word had its
            # title folded and compared, which dominated a common word's search
            # (docs/benchmarks.md, "Search", fourth round).
            params["inside"] = f"%{terms[0]}%"
            matched = (
                f"({matched}) UNION ALL (SELECT {columns} FROM search_documents d, "
                f"(SELECT {query} AS query) q WHERE search_fold(d.title) LIKE :inside "
                f"AND NOT d.search_vector @@ q.query{where})"
            )
        # Ranking reads each match's whole vector: only when there are at most COUNT_CAP.
        ranked = (
            f"SELECT d.id, -ts_rank_cd({_POSTGRES_WEIGHTS}, d.search_vector, q.query, 1) AS score "
            f"FROM m JOIN {VECTORS_TABLE} d ON d.id = m.id, (SELECT {query} AS query) q "
            f"ORDER BY score, d.id {_if_few(':ranked')}"
        )
        # The title's own vector and GIN index (a0020, a0026); the titles themselves, for
        # ordering the pool in Python, from the documents.
        in_titles = _whole_word_first(
            "d.id",
            "title_vector",
            (query, whole, only_longer),
            f"{where} AND NOT ({_FEW})",
            ":pool",
        )
        titles = (
            f"SELECT t.id, w.title FROM ({in_titles} LIMIT :pool) t "
            "JOIN search_documents w ON w.id = t.id"
        )
        return await _one_pass(db, terms, (matched, ranked, titles), lists, params, limit, offset)

    async def hits(
        self, db: AppDbSession, ids: Sequence[int], terms: list[str], reader_language: str
    ) -> dict[int, Hit]:
        if not ids:
            return {}
        params: dict[str, Any] = {"ids": list(ids)}
        query = self._query(terms, reader_language, params)
        config = _DOCUMENT_CONFIG.format(alias="d")
        excerpt = (
            '\'MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … ", '
            f"{_HEADLINE_MARKS}'"
        )
        everything = f"'HighlightAll=true, {_HEADLINE_MARKS}'"
        statement = _hits_statement(
            "ARRAY(SELECT t.topic FROM search_document_topics t WHERE t.document_id = d.id "
            "ORDER BY t.topic)",
            f", ts_headline({config}, d.title, q.query, {everything}), "
            f"ts_headline({config}, d.summary, q.query, {excerpt}), "
            f"ts_headline({config}, d.body, q.query, {excerpt})",
            f", (SELECT {query} AS query) q",
        )
        rows = await db.execute(statement, params)
        return {
            id_: Hit(kind, ref, language, level, url, title, list(topics), Marks(*marks))
            for id_, kind, ref, language, level, url, title, topics, *marks in rows
        }

    async def similar(
        self, db: AppDbSession, document_id: int, terms: list[str], language: str, limit: int
    ) -> list[int]:
        await _plan_for_these_words(db)
        params: dict[str, Any] = {"id": document_id, "limit": limit}
        query = self._query(terms, language, params, any_term=True)
        params["pool"] = RELATED_POOL
        # Words of a title match a large share of the library, and ranking reads each match's
        # whole vector (seconds over 100,000 items): related items are suggestions, so only a
        # bounded pool of matches is ranked.
        rows = await db.execute(
            text(
                "SELECT pool.id FROM ("
                f"SELECT d.id, d.search_vector, q.query FROM {VECTORS_TABLE} d, "
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
        await _plan_for_these_words(db)
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


async def sharing_topics(db: AppDbSession, document: int, limit: int) -> list[int]:
    """Other documents by the number of topics they share with this one, most first, among at
    most TOPIC_POOL documents sharing one: those indexed next after it, then those just before
    it (an id follows the order of publishing). Counting every document sharing a topic read a
    sixth of the library per topic (docs/library.md, "Search"); the pool is a range of the
    topics' primary key, (document_id, topic), read in order up to the LIMIT."""
    topics = list(
        await db.scalars(select(IndexedTopic.topic).where(IndexedTopic.document_id == document))
    )
    if not topics:
        return []
    counts: dict[int, int] = {}  # in order of nearness: after it, then before it
    for side, order in (("t.document_id > :id", "ASC"), ("t.document_id < :id", "DESC")):
        rows = await db.execute(
            _statement(
                f"SELECT t.document_id, count(*) FROM search_document_topics t WHERE {side} "
                f"AND t.topic IN :topics GROUP BY t.document_id ORDER BY t.document_id {order} "
                "LIMIT :pool",
                ["topics"],
            ),
            {"id": document, "topics": topics, "pool": TOPIC_POOL - len(counts)},
        )
        counts.update((id_, count) for id_, count in rows)
        if len(counts) >= TOPIC_POOL:
            break
    # A stable sort: among those sharing as many topics, the nearest first.
    return sorted(counts, key=lambda id_: -counts[id_])[:limit]
