"""One search over the library (app/search), on the configured database (SQLite FTS5 or
PostgreSQL tsvector): ranking, highlights, facets, filters, French and Spanish, prefixes,
related items, "ask the library", and who may search what.

Documents are handed to the index through the service, as the library's domains do when they
publish; the texts are written for these tests.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import text, update

from app.search import repository, service
from app.search.models import IndexedDocument
from app.search.schemas import SearchDocument
from app.search.text import markdown_to_text
from tests.api.people import Person, person
from tests.conftest import BACKEND

SEARCH = "/api/v1/search"


def _doc(**fields: Any) -> SearchDocument:
    ref = fields.pop("ref", uuid.uuid4())
    kind = fields.pop("kind", "lesson")
    fields.setdefault("language", "en")
    return SearchDocument(kind=kind, ref=ref, url=f"/library/{kind}s/{ref}", **fields)


FEEDBACK = _doc(
    title="Giving feedback that helps",
    summary="Say what you saw, what it changed and what could come next.",
    body=(
        "# Why it matters\n\n"
        "Useful feedback describes a moment, not a person. It names what was observed and "
        "what effect it had on the work.\n\n"
        "Ask before you give advice: the person may already know the next step. Keep the "
        "conversation short and *specific*."
    ),
    topics=["feedback", "mentoring"],
    level="discover",
)
RETRO = _doc(
    title="Running a retrospective",
    summary="A short ritual at the end of each sprint.",
    body=(
        "Gather the team around three questions: what went well, what did not, what we try "
        "next. Close with one concrete action and an owner.\n\n"
        "Invite feedback on the ritual itself once a quarter, so that it keeps its value for "
        "everyone in the room."
    ),
    topics=["teamwork"],
    level="deepen",
)
EQUIPE = _doc(
    language="fr",
    title="Construire une équipe solide",
    summary="Des rôles clairs et une confiance qui se construit chaque semaine.",
    body=(
        "Une équipe solide partage un objectif simple et des rôles que chacun peut expliquer. "
        "La confiance naît des promesses tenues, petites ou grandes.\n\n"
        "Prenez le temps de fêter les réussites collectives, même modestes, avant de passer "
        "au chantier suivant."
    ),
    topics=["teamwork", "leadership"],
    level="discover",
)
EQUIPOS = _doc(
    language="es",
    title="Cómo motivar a los equipos",
    summary="La motivación crece con la autonomía y el reconocimiento.",
    body=(
        "Los equipos motivados eligen cómo trabajar y ven el efecto de su esfuerzo. La "
        "motivación baja cuando las decisiones llegan sin explicación.\n\n"
        "Reconocer un buen trabajo en público, con detalles concretos, vale más que un premio "
        "genérico al final del año."
    ),
    topics=["teamwork", "leadership"],
    level="exploit",
)
MENTOR_APP = _doc(
    kind="idea",
    title="A mentoring app for new joiners",
    summary="Pairs each newcomer with a mentor from another department for three months.",
    body=(
        "The team built a small app that suggests a mentor outside the newcomer's own "
        "department and reminds both of them to meet every second week."
    ),
    topics=["mentoring"],
)
LIBRARY = [FEEDBACK, RETRO, EQUIPE, EQUIPOS, MENTOR_APP]


async def _index(app: FastAPI, *docs: SearchDocument) -> None:
    async with app.state.databases.app_sessions.begin() as db:
        for doc in docs:
            await service.index_document(db, doc)


async def _remove(app: FastAPI, doc: SearchDocument) -> None:
    async with app.state.databases.app_sessions.begin() as db:
        await service.remove_document(db, doc.kind, doc.ref)


@pytest.fixture
async def reader(app: FastAPI, make_client: Any) -> Person:
    return await person(app, make_client)


async def _search(reader: Person, **params: Any) -> dict[str, Any]:
    response = await reader.client.get(SEARCH, params=params)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def _titles(result: dict[str, Any]) -> list[str]:
    return [hit["title"] for hit in result["hits"]]


async def test_a_title_match_ranks_above_a_body_match(app: FastAPI, reader: Person) -> None:
    await _index(app, *LIBRARY)
    result = await _search(reader, q="feedback")
    assert _titles(result) == [FEEDBACK.title, RETRO.title]
    assert result["total"] == 2


async def test_more_matches_rank_higher(app: FastAPI, reader: Person) -> None:
    many = _doc(
        title="Testing ideas early",
        body="Draw a prototype. Show the prototype to five people. Change the prototype.",
    )
    once = _doc(
        title="Planning the first week",
        body="Meet the team, read the brief, agree on a prototype date and a demo time.",
    )
    await _index(app, once, many)
    assert _titles(await _search(reader, q="prototype")) == [many.title, once.title]


async def test_matches_are_highlighted_and_the_text_escaped(app: FastAPI, reader: Person) -> None:
    risky = _doc(
        title="Writing safe pages",
        body="Never paste <script>alert(1)</script> into a page: escape every snippet first.",
    )
    await _index(app, FEEDBACK, risky)
    hit = (await _search(reader, q="feedback"))["hits"][0]
    assert hit["title_html"] == "Giving <mark>feedback</mark> that helps"
    assert "<mark>feedback</mark>" in hit["snippet_html"].lower()

    snippet = (await _search(reader, q="snippet"))["hits"][0]["snippet_html"]
    assert "<mark>snippet</mark>" in snippet
    assert "<script>" not in snippet
    if BACKEND == "sqlite":  # PostgreSQL's headline leaves tag-like words out of excerpts
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in snippet


async def test_facets_count_every_result_under_the_filters(app: FastAPI, reader: Person) -> None:
    await _index(app, *LIBRARY)
    result = await _search(reader, q="team")  # a prefix: team, teams; équipe is not "team"
    assert set(_titles(result)) == {RETRO.title, MENTOR_APP.title}
    facets = result["facets"]
    assert facets["kind"] == [{"value": "idea", "count": 1}, {"value": "lesson", "count": 1}]
    assert facets["language"] == [{"value": "en", "count": 2}]
    assert facets["level"] == [{"value": "deepen", "count": 1}]  # the idea has no level
    assert facets["topic"] == [
        {"value": "mentoring", "count": 1},
        {"value": "teamwork", "count": 1},
    ]

    lessons = await _search(reader, q="team", kind="lesson")
    assert _titles(lessons) == [RETRO.title]
    assert lessons["facets"]["kind"] == [{"value": "lesson", "count": 1}]


async def test_filters_by_kind_language_level_and_topic(app: FastAPI, reader: Person) -> None:
    await _index(app, *LIBRARY)
    assert _titles(await _search(reader, q="mentor", kind="idea")) == [MENTOR_APP.title]
    assert _titles(await _search(reader, q="mentor", kind="lesson")) == []
    assert _titles(await _search(reader, q="confiance", language="fr")) == [EQUIPE.title]
    assert _titles(await _search(reader, q="confiance", language="es")) == []
    assert _titles(await _search(reader, q="motivacion", level="exploit")) == [EQUIPOS.title]
    assert _titles(await _search(reader, q="motivacion", level="discover")) == []
    both = await _search(reader, q="solide", topic=["leadership", "feedback"])
    assert _titles(both) == [EQUIPE.title]
    assert _titles(await _search(reader, q="solide", topic="mentoring")) == []


async def test_french_and_spanish_are_found_without_their_accents(
    app: FastAPI, reader: Person
) -> None:
    await _index(app, *LIBRARY)
    assert _titles(await _search(reader, q="equipe solide")) == [EQUIPE.title]
    # On PostgreSQL an English reader's "equipe" also stems to the Spanish "equipos".
    assert EQUIPE.title in _titles(await _search(reader, q="ÉQUIPE"))
    assert _titles(await _search(reader, q="reussites")) == [EQUIPE.title]
    assert _titles(await _search(reader, q="motivacion")) == [EQUIPOS.title]
    assert _titles(await _search(reader, q="como motivar")) == [EQUIPOS.title]


async def test_plurals_stem_on_postgresql_only(app: FastAPI, make_client: Any) -> None:
    """A query is stemmed in its reader's language. The last word of a query is a prefix
    everywhere, so only a word before the last tells a stemmer from a prefix."""
    await _index(app, *LIBRARY)
    french_reader = await person(app, make_client, language="fr")
    spanish_reader = await person(app, make_client, language="es")
    # Written "promesses tenues" and "equipos motivados".
    french_plural = await _search(french_reader, q="promesse tenue")
    spanish_plural = await _search(spanish_reader, q="equipo motivado")
    if BACKEND == "postgres":
        assert _titles(french_plural) == [EQUIPE.title]
        assert _titles(spanish_plural) == [EQUIPOS.title]
    else:  # FTS5 has no stemmer: a word before the last must be written as in the text
        assert _titles(french_plural) == []
        assert _titles(spanish_plural) == []


async def test_the_last_word_is_a_prefix(app: FastAPI, reader: Person) -> None:
    await _index(app, *LIBRARY)
    assert _titles(await _search(reader, q="retro")) == [RETRO.title]
    assert _titles(await _search(reader, q="giving feed")) == [FEEDBACK.title]
    assert _titles(await _search(reader, q="feed giving")) == []  # only the last word


async def test_a_single_word_is_found_inside_title_words_on_postgresql(
    app: FastAPI, reader: Person
) -> None:
    """The trigram index: "quip" is inside "équipe" and "equipos", at no word's start."""
    await _index(app, *LIBRARY)
    inside = set(_titles(await _search(reader, q="quip")))
    if BACKEND == "postgres":
        assert inside == {EQUIPE.title, EQUIPOS.title}
    else:  # FTS5 matches words and their starts only
        assert inside == set()


async def test_a_document_found_both_ways_is_listed_and_counted_once(
    app: FastAPI, reader: Person
) -> None:
    """On PostgreSQL the word's matches and the titles holding it inside a longer word are
    found apart (the second only when the first are too few): a document that is both is one
    result, and the filters hold for both."""
    both = _doc(title="Equipment for a quip contest", body="Bring one quip each.", level="deepen")
    inside_only = _doc(language="fr", title="Une équipe", body="Rien d'autre.", level="discover")
    await _index(app, both, inside_only)
    result = await _search(reader, q="quip")
    expected = [both.title, inside_only.title] if BACKEND == "postgres" else [both.title]
    assert sorted(_titles(result)) == sorted(expected)
    assert result["total"] == len(expected)
    assert sum(count["count"] for count in result["facets"]["level"]) == len(expected)
    filtered = await _search(reader, q="quip", level="discover")
    assert _titles(filtered) == ([inside_only.title] if BACKEND == "postgres" else [])


async def test_a_word_typed_in_full_finds_longer_words_too_each_document_once(
    app: FastAPI, reader: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL the documents holding the last word whole are found before those holding
    only a longer word it begins (the second only when the first are too few): together they
    are every match, a document holding both is one result, under the cap and above it."""
    whole = _doc(title="Work in pairs", body="Share the work.")
    longer = _doc(title="A workshop evening", body="Plan the workshop.")
    both = _doc(title="Work before the workshop", body="Prepare the work.")
    await _index(app, whole, longer, both)
    expected = {whole.title, longer.title, both.title}

    result = await _search(reader, q="work")
    assert sorted(_titles(result)) == sorted(expected)
    assert result["total"] == 3
    assert result["counts_are_lower_bounds"] is False

    monkeypatch.setattr(repository, "COUNT_CAP", 2)
    capped = await _search(reader, q="work")
    assert capped["counts_are_lower_bounds"] is True
    assert sorted(_titles(capped)) == sorted(expected)


async def test_above_the_cap_counts_are_lower_bounds_and_title_matches_come_first(
    app: FastAPI, reader: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More matches than the cap (1,000 in the service, 3 here): the total and the facet
    counts are those of the first matches found, flagged as lower bounds ("1,000+" in the
    page), and the title matches lead without every match being scored."""
    monkeypatch.setattr(repository, "COUNT_CAP", 3)
    in_bodies = [
        _doc(title=f"Notes number {n}", body=f"A word on the roadmap, note {n}.", topics=["plan"])
        for n in range(4)
    ]
    in_title = _doc(title="Roadmap reviews", body="Once a month.", topics=["plan"], level="deepen")
    await _index(app, *in_bodies, in_title)

    result = await _search(reader, q="roadmap")
    assert result["counts_are_lower_bounds"] is True
    assert result["total"] == 3
    assert _titles(result)[0] == in_title.title
    assert set(_titles(result)) == {doc.title for doc in [in_title, *in_bodies]}
    topic = result["facets"]["topic"]
    assert [count["value"] for count in topic] == ["plan"]
    assert 3 <= topic[0]["count"] <= 5  # among the first matches found, never more than all

    # Under the cap, everything is counted exactly, as before.
    exact = await _search(reader, q="roadmap", level="deepen")
    assert exact["counts_are_lower_bounds"] is False
    assert exact["total"] == 1
    assert _titles(exact) == [in_title.title]


async def test_a_removed_document_is_no_longer_found(app: FastAPI, reader: Person) -> None:
    await _index(app, *LIBRARY)
    assert _titles(await _search(reader, q="retrospective")) == [RETRO.title]
    await _remove(app, RETRO)
    assert (await _search(reader, q="retrospective"))["total"] == 0
    related = await reader.client.get(f"{SEARCH}/related/lesson/{RETRO.ref}")
    assert related.status_code == 404
    assert related.json()["code"] == "search_item_not_found"
    # Indexed again (republished): found again, once.
    await _index(app, RETRO, RETRO)
    assert _titles(await _search(reader, q="retrospective")) == [RETRO.title]


async def _narrow_rows(app: FastAPI, doc: SearchDocument) -> list[tuple[str, str | None]]:
    """PostgreSQL: the (title_vector, level) rows of the document in the narrow table the
    matches are found in (a0026)."""
    async with app.state.databases.app_sessions() as db:
        found = await repository.document_id(db, doc.kind, doc.ref)
        rows = await db.execute(
            text(
                "SELECT CAST(title_vector AS text), level FROM search_document_vectors "
                "WHERE id = :id"
            ),
            {"id": found},
        )
        return [(vector, level) for vector, level in rows]


async def test_publishing_editing_and_removing_are_followed_by_the_matches(
    app: FastAPI, reader: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever table the matches are found in (on PostgreSQL a narrow copy of the vectors and
    facet columns, a0026), it follows each publishing, edit and removal: under the cap (ranked)
    and above it (the title pool), with the facet filters."""
    monkeypatch.setattr(repository, "COUNT_CAP", 1)
    await _index(app, *LIBRARY)
    lesson = _doc(
        title="Kanban boards", body="Columns and limits.", level="discover", topics=["flow"]
    )
    await _index(app, lesson)
    assert _titles(await _search(reader, q="kanban", level="discover")) == [lesson.title]

    # Edited (republished under the same ref): the old words and level are gone.
    edited = _doc(
        ref=lesson.ref,
        title="Roadmaps in public",
        body="Kanban no more.",
        level="exploit",
        topics=["planning", "strategy"],
    )
    await _index(app, edited)
    assert (await _search(reader, q="kanban", level="discover"))["total"] == 0
    found = await _search(reader, q="kanban", level="exploit")
    assert _titles(found) == [edited.title]
    assert [t["value"] for t in found["facets"]["topic"]] == ["planning", "strategy"]
    assert _titles(await _search(reader, q="kanban", topic="strategy")) == [edited.title]
    assert _titles(await _search(reader, q="roadmaps")) == [edited.title]

    # Changed in place, not through the service (any writer is followed).
    async with app.state.databases.app_sessions.begin() as db:
        await db.execute(
            update(IndexedDocument)
            .where(IndexedDocument.kind == edited.kind, IndexedDocument.ref == edited.ref)
            .values(title="Roadmaps in private", body="Nothing else.", level="deepen")
        )
    assert (await _search(reader, q="kanban"))["total"] == 0
    assert _titles(await _search(reader, q="private", level="deepen")) == ["Roadmaps in private"]
    if BACKEND == "postgres":
        [(title_vector, level)] = await _narrow_rows(app, edited)
        assert "privat" in title_vector
        assert "public" not in title_vector
        assert level == "deepen"

    # Above the cap: the title pool leads, from the narrow table's title vectors.
    for n in range(2):
        await _index(app, _doc(title=f"Note {n}", body="A word on private matters."))
    capped = await _search(reader, q="private")
    assert capped["counts_are_lower_bounds"] is True
    assert _titles(capped)[0] == "Roadmaps in private"

    await _remove(app, edited)
    assert "Roadmaps in private" not in _titles(await _search(reader, q="private"))
    assert (await _search(reader, q="kanban"))["total"] == 0
    if BACKEND == "postgres":
        assert await _narrow_rows(app, edited) == []


async def test_related_items_share_words_or_topics_and_exclude_the_item(
    app: FastAPI, reader: Person
) -> None:
    await _index(app, *LIBRARY)
    response = await reader.client.get(f"{SEARCH}/related/idea/{MENTOR_APP.ref}")
    assert response.status_code == 200, response.text
    refs = [item["ref"] for item in response.json()]
    assert str(MENTOR_APP.ref) not in refs
    assert refs[0] == str(FEEDBACK.ref)  # the one sharing its topic "mentoring"

    response = await reader.client.get(f"{SEARCH}/related/lesson/{EQUIPE.ref}", params={"limit": 2})
    items = response.json()
    assert len(items) == 2
    assert str(EQUIPE.ref) not in [item["ref"] for item in items]
    assert items[0]["ref"] == str(EQUIPOS.ref)  # both topics shared


async def test_related_by_topics_looks_only_at_a_bounded_pool_of_neighbours(
    app: FastAPI, reader: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Related by topics counts shared topics among TOPIC_POOL documents indexed next after
    the item, then just before it, not among every document sharing a topic: the best of the
    pool comes first, and a document outside it is not looked at."""
    monkeypatch.setattr(repository, "TOPIC_POOL", 3)
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"]
    # Titles share no word: only topics relate them.
    docs = [
        _doc(title=word.capitalize(), summary="", body="", topics=topics)
        for word, topics in zip(
            words,
            [
                ["planning", "coaching"],  # 0: before the item, shares both topics
                ["planning"],  # 1: just before it
                ["planning", "coaching"],  # 2: the item
                ["planning"],  # 3: next after it
                ["coaching"],  # 4
                ["planning", "coaching"],  # 5: in the pool, shares both
                ["planning", "coaching"],  # 6: outside the pool of 3
            ],
            strict=True,
        )
    ]
    await _index(app, *docs)
    item = docs[2]
    response = await reader.client.get(f"{SEARCH}/related/lesson/{item.ref}")
    assert response.status_code == 200, response.text
    refs = [entry["ref"] for entry in response.json()]
    assert refs == [str(docs[5].ref), str(docs[3].ref), str(docs[4].ref)]

    # At the end of the index the pool goes on with the documents just before it.
    response = await reader.client.get(f"{SEARCH}/related/lesson/{docs[6].ref}")
    refs = [entry["ref"] for entry in response.json()]
    assert refs == [str(docs[5].ref), str(docs[4].ref), str(docs[3].ref)]


async def test_ask_returns_three_to_five_passages_with_links(app: FastAPI, reader: Person) -> None:
    await _index(app, *LIBRARY)
    response = await reader.client.get(
        f"{SEARCH}/ask", params={"q": "How do I give useful feedback?"}
    )
    assert response.status_code == 200, response.text
    passages = response.json()["passages"]
    assert 3 <= len(passages) <= 5
    best = passages[0]
    assert best["title"] == FEEDBACK.title
    assert best["link"] == f"{FEEDBACK.url}#{best['anchor']}"
    # The body's first paragraph (the heading before it is no paragraph).
    assert best["anchor"] == "p-1"
    assert best["text"].startswith("Useful feedback describes a moment")
    assert "<mark>" in best["text_html"]
    assert "<mark>" not in best["text"]
    assert "feedback" in best["text"].lower()
    # Every passage is a paragraph of an indexed document (its Markdown reduced to text).
    urls = {doc.url: doc for doc in LIBRARY}
    for passage in passages:
        assert passage["url"] in urls
        source = urls[passage["url"]]
        assert passage["text"][:40] in source.summary + source.body


async def test_ask_prefers_the_readers_language_and_finds_nothing_in_nothing(
    app: FastAPI, reader: Person
) -> None:
    await _index(app, *LIBRARY)
    french = await reader.client.get(
        f"{SEARCH}/ask", params={"q": "Comment construire la confiance ?", "language": "fr"}
    )
    assert french.json()["passages"][0]["title"] == EQUIPE.title
    nothing = await reader.client.get(f"{SEARCH}/ask", params={"q": "zeppelin"})
    assert nothing.json() == {"passages": []}


async def test_signed_out_people_cannot_search(app: FastAPI, client: Any) -> None:
    await _index(app, *LIBRARY)
    for path, params in (
        (SEARCH, {"q": "feedback"}),
        (f"{SEARCH}/ask", {"q": "feedback"}),
        (f"{SEARCH}/related/lesson/{FEEDBACK.ref}", {}),
    ):
        response = await client.get(path, params=params)
        assert response.status_code == 401, path
        assert response.json()["code"] == "unauthenticated"


async def test_only_what_was_indexed_is_found(app: FastAPI, reader: Person) -> None:
    """Callers index on publish and remove on unpublish: a draft never reaches the index, and
    an unpublished item leaves it, including its passages for "ask"."""
    draft_word = "quokka"
    await _index(app, _doc(title=f"The {draft_word} method", body=f"A {draft_word} " * 8))
    found = await _search(reader, q=draft_word)
    assert found["total"] == 1
    ref = uuid.UUID(found["hits"][0]["ref"])
    async with app.state.databases.app_sessions.begin() as db:
        await service.remove_document(db, "lesson", ref)
    assert (await _search(reader, q=draft_word))["total"] == 0
    asked = await reader.client.get(f"{SEARCH}/ask", params={"q": f"what is {draft_word}"})
    assert asked.json() == {"passages": []}


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"q": ""}, "query.q", "required"),
        ({"q": "?! …"}, "query.q", "needs_letter_or_digit"),
        ({"q": "x" * 201}, "query.q", "too_long"),
        ({"q": "team", "kind": "video"}, "query.kind.0", "invalid_choice"),
        ({"q": "team", "level": "expert"}, "query.level.0", "invalid_choice"),
        ({"q": "team", "language": "de"}, "query.language.0", "invalid_choice"),
        ({"q": "team", "topic": "Not a slug!"}, "query.topic.0", "invalid_format"),
        ({"q": "team", "page": "0"}, "query.page", "too_small"),
        ({"q": "team", "page": "51"}, "query.page", "too_large"),
        ({}, "query.q", "required"),
    ],
)
async def test_bad_parameters_are_field_errors(
    reader: Person, params: dict[str, str], field: str, code: str
) -> None:
    response = await reader.client.get(SEARCH, params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [(field, code)]


async def test_bad_parameters_of_ask_and_related_are_field_errors(reader: Person) -> None:
    empty = await reader.client.get(f"{SEARCH}/ask", params={"q": " "})
    assert [e["code"] for e in empty.json()["errors"]] == ["needs_letter_or_digit"]
    bad_kind = await reader.client.get(f"{SEARCH}/related/video/{uuid.uuid4()}")
    assert [(e["field"], e["code"]) for e in bad_kind.json()["errors"]] == [
        ("path.kind", "invalid_choice")
    ]
    bad_ref = await reader.client.get(f"{SEARCH}/related/lesson/not-a-uuid")
    assert [(e["field"], e["code"]) for e in bad_ref.json()["errors"]] == [
        ("path.ref", "invalid_id")
    ]


def test_paragraphs_are_numbered_as_a_page_shows_them() -> None:
    """Anchors `p-N` count the <p> elements a Markdown renderer makes: a tight list's items
    and headings are not paragraphs; short paragraphs count but are not quoted."""
    text = markdown_to_text(
        "## A heading\n\nToo short to quote.\n\n- a tight list item with many words in it\n"
        "- another\n\nThe second paragraph has **enough** words to [be quoted](https://x.test).\n"
    )
    assert text.paragraphs == [(2, "The second paragraph has enough words to be quoted.")]
    assert "https" not in text.text
    assert "A heading" in text.text
    assert "tight list item" in text.text
