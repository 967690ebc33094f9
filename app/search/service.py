"""One search over the library: lessons and idea-library entries, in en/fr/es.

Who may search: anyone signed in. The index holds only published items: their domains call
`index_document` when an item is published (or republished) and `remove_document` when it is
unpublished or deleted, so a draft never reaches it and nothing here needs to know who is
asking. The search knows none of their tables: a domain hands over a `SearchDocument`.

How each database matches and ranks: app/search/repository.py; the measured latency and
ranking quality: docs/library.md, "Search".
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from app.db import AppDbSession
from app.search import repository
from app.search.errors import SearchItemNotFound
from app.search.models import IndexedDocument
from app.search.repository import Filters
from app.search.schemas import (
    Answer,
    FacetCount,
    Facets,
    Passage,
    RelatedItem,
    SearchDocument,
    SearchHit,
    SearchResults,
)
from app.search.text import (
    has_mark,
    markdown_to_text,
    marked_html,
    query_terms,
    question_terms,
    unmarked,
)

PAGE_SIZE = 10
SUMMARY_POSITION = 0
MAX_PAGE = 50
RELATED_CANDIDATES = 30
# Reciprocal rank fusion of the two "related" lists (shared words, shared topics): an item high
# in either list comes first; 10 keeps the first few places of each list distinct.
_FUSION_K = 10
_ASK_CANDIDATES = 20
ASK_MIN_PASSAGES = 3
ASK_MAX_PASSAGES = 5
# A passage scoring under this fraction of the best one is noise, once three are kept.
_ASK_RELATIVE_FLOOR = 0.25
# At most this many passages from one document, so that one long lesson does not fill the answer.
_ASK_PER_DOCUMENT = 2


async def index_document(db: AppDbSession, doc: SearchDocument) -> None:
    """Index a published item, replacing what was indexed under the same (kind, ref)."""
    await repository.remove(db, doc.kind, doc.ref)
    summary = markdown_to_text(doc.summary)
    body = markdown_to_text(doc.body)
    await repository.add(
        db,
        IndexedDocument(
            kind=doc.kind,
            ref=doc.ref,
            language=doc.language,
            title=" ".join(doc.title.split()),
            summary=summary.text,
            body=body.text,
            level=doc.level,
            url=doc.url,
        ),
        topics=sorted(set(doc.topics)),
        # The summary is quoted whole as paragraph 0; the body's by their number.
        passages=([(SUMMARY_POSITION, summary.text)] if summary.text else []) + body.paragraphs,
    )


async def remove_document(db: AppDbSession, kind: str, ref: uuid.UUID) -> None:
    """Take an item out of the index (unpublished, deleted); nothing if it was not there."""
    await repository.remove(db, kind, ref)


def _facets(rows: repository.FacetRows) -> Facets:
    by: dict[str, dict[str, int]] = {"kind": {}, "language": {}, "level": {}}
    for kind, language, level, count in rows.groups:
        for facet, value in (("kind", kind), ("language", language), ("level", level)):
            if value is not None:
                by[facet][value] = by[facet].get(value, 0) + count

    def counts(values: dict[str, int]) -> list[FacetCount]:
        ordered = sorted(values.items(), key=lambda item: (-item[1], item[0]))
        return [FacetCount(value=v, count=c) for v, c in ordered]

    return Facets(
        kind=counts(by["kind"]),
        language=counts(by["language"]),
        level=counts(by["level"]),
        topic=[FacetCount(value=t, count=c) for t, c in rows.topics],
    )


async def search(
    db: AppDbSession,
    query: str,
    *,
    reader_language: str,
    languages: Sequence[str] | None = None,
    kinds: Sequence[str] | None = None,
    topics: Sequence[str] | None = None,
    levels: Sequence[str] | None = None,
    page: int = 1,
) -> SearchResults:
    """Ranked hits (title matches first, then more matches), their highlighted excerpts, and
    facet counts over every result under the filters, exact up to COUNT_CAP results and lower
    bounds above (the ranking then draws on bounded pools: app/search/repository.py). Every
    word must match, the last one as a prefix; `reader_language` is the language the query
    is stemmed in (PostgreSQL)."""
    terms = query_terms(query)
    filters = Filters(
        kinds=kinds or (), languages=languages or (), levels=levels or (), topics=topics or ()
    )
    index = repository.index_for(db)
    matches = (
        await index.matches(db, terms, reader_language, filters, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        if terms
        else repository.Matches([], repository.FacetRows([], []))
    )
    ids = matches.ids
    # Above the cap, "1,000+": the counts are those of the first COUNT_CAP matches found.
    total = (
        repository.COUNT_CAP
        if matches.capped
        else sum(count for *_, count in matches.facets.groups)
    )
    found = await index.hits(db, ids, terms, reader_language)
    hits = []
    # A document taken out of the index since its id was found is left out, not an error.
    for hit in (found[id_] for id_ in ids if id_ in found):
        # The body's excerpt when the body matched, else the summary's (marked or not).
        excerpt = hit.marks.body if has_mark(hit.marks.body) else hit.marks.summary
        hits.append(
            SearchHit(
                kind=hit.kind,
                ref=hit.ref,
                language=hit.language,
                level=hit.level,
                topics=hit.topics,
                url=hit.url,
                title=hit.title,
                title_html=marked_html(hit.marks.title),
                snippet_html=marked_html(excerpt),
            )
        )
    return SearchResults(
        total=total,
        counts_are_lower_bounds=matches.capped,
        page=page,
        page_size=PAGE_SIZE,
        hits=hits,
        facets=_facets(matches.facets),
    )


def _fused(*rankings: list[int]) -> list[int]:
    scores: dict[int, float] = defaultdict(float)
    for ranking in rankings:
        for place, id_ in enumerate(ranking):
            scores[id_] += 1.0 / (_FUSION_K + place + 1)
    return sorted(scores, key=lambda id_: (-scores[id_], id_))


async def related(db: AppDbSession, kind: str, ref: uuid.UUID, limit: int) -> list[RelatedItem]:
    """Other items sharing words of this one's title and summary, or its topics; never the
    item itself. Raises SearchItemNotFound if the item is not indexed (not published)."""
    document_id = await repository.document_id(db, kind, ref)
    if document_id is None:
        raise SearchItemNotFound()
    doc = (await repository.documents(db, [document_id]))[document_id]
    # The title's words: a summary's would make nearly every item a candidate.
    terms = question_terms(doc.title)
    by_words = (
        await repository.index_for(db).similar(
            db, document_id, terms, doc.language, RELATED_CANDIDATES
        )
        if terms
        else []
    )
    by_topics = await repository.sharing_topics(db, document_id, RELATED_CANDIDATES)
    chosen = [i for i in _fused(by_words, by_topics) if i != document_id][:limit]
    found = await repository.documents(db, chosen)
    return [
        RelatedItem(
            kind=found[i].kind,
            ref=found[i].ref,
            language=found[i].language,
            title=found[i].title,
            url=found[i].url,
        )
        for i in chosen
    ]


async def ask(db: AppDbSession, question: str, *, language: str) -> Answer:
    """ "Ask the library": the three to five paragraphs that best match the question's content
    words, each quoted with its document's title and a link to the paragraph. Retrieval only:
    nothing is generated and nothing leaves the server. Passages in `language` (the reader's)
    are preferred in a near tie. Fewer than three only when fewer match at all."""
    terms = question_terms(question)
    if not terms:
        return Answer(passages=[])
    rows = await repository.index_for(db).passages(db, terms, language, _ASK_CANDIDATES)
    chosen: list[repository.PassageRow] = []
    per_document: dict[int, int] = defaultdict(int)
    best = rows[0].score if rows else 0.0
    for row in rows:
        if per_document[row.document_id] >= _ASK_PER_DOCUMENT:
            continue
        if len(chosen) >= ASK_MIN_PASSAGES and row.score < best * _ASK_RELATIVE_FLOOR:
            break
        chosen.append(row)
        per_document[row.document_id] += 1
        if len(chosen) == ASK_MAX_PASSAGES:
            break
    found = await repository.documents(db, list({row.document_id for row in chosen}))
    passages = []
    for row in chosen:
        doc = found[row.document_id]
        anchor = "summary" if row.position == SUMMARY_POSITION else f"p-{row.position}"
        passages.append(
            Passage(
                text=unmarked(row.marked),
                text_html=marked_html(row.marked),
                title=doc.title,
                kind=doc.kind,
                ref=doc.ref,
                language=doc.language,
                url=doc.url,
                anchor=anchor,
                link=f"{doc.url}#{anchor}",
            )
        )
    return Answer(passages=passages)
