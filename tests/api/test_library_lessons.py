"""The learning library, lessons (issue 21, item 1): written and versioned by facilitators,
published one version at a time, invisible to employees until then; quizzes checked as they
are written. The helpers here are shared by the other tests/api/test_library_*.py."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from tests.api.people import Person, person
from tests.conftest import Client

LESSONS = "/api/v1/library/lessons"


def quiz_questions() -> list[dict[str, Any]]:
    """Question 0: single choice, choice 1 correct. Question 1: multiple, choices 0 and 2."""
    return [
        {
            "kind": "single",
            "prompt": "What does a mentor in a reverse-mentoring pair avoid being?",
            "choices": [
                {"text": "A peer who listens"},
                {"text": "The mentee's boss", "correct": True},
                {"text": "Someone who shares a tool"},
            ],
            "explanation": "A mentor is neither a coach, nor a sponsor, nor a boss.",
        },
        {
            "kind": "multiple",
            "prompt": "Which make a first session useful?",
            "choices": [
                {"text": "Sharing what each knows", "correct": True},
                {"text": "Grading the mentee"},
                {"text": "Designing a plan together", "correct": True},
            ],
            "explanation": "The first session is for interests, knowledge and a plan.",
        },
    ]


def lesson_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Taking the right posture",
        "summary": "What a mentor is, and what a mentor is not.",
        "body": "A mentor **listens** first.\n\n<script>alert(1)</script>",
        "task": "Think of a time you *learned* from someone younger.",
        "case_study": "Two colleagues, one tool, six sessions.",
        "level": "discover",
        "topics": ["Mentoring", "short video"],
        "language": "en",
        "quiz": quiz_questions(),
        "pass_mark": 50,
    }
    body.update(overrides)
    return body


def edit_body(base_version: int, **overrides: Any) -> dict[str, Any]:
    body = lesson_body(**overrides)
    body.pop("language")
    body.pop("translation_of", None)
    body["base_version"] = base_version
    return body


async def create_lesson(editor: Client, **overrides: Any) -> dict[str, Any]:
    response = await editor.post(LESSONS, json=lesson_body(**overrides))
    assert response.status_code == 201, response.text
    return dict(response.json())


async def publish(editor: Client, lesson_id: str, version: int = 1) -> dict[str, Any]:
    response = await editor.put(f"{LESSONS}/{lesson_id}/publication", json={"version": version})
    assert response.status_code == 200, response.text
    return dict(response.json())


async def published_lesson(editor: Client, **overrides: Any) -> dict[str, Any]:
    lesson = await create_lesson(editor, **overrides)
    return await publish(editor, lesson["id"])


async def facilitator(app: FastAPI, make_client: Any, **profile: Any) -> Person:
    profile.setdefault("display_name", "Noor Writer")
    return await person(app, make_client, roles=["participant", "facilitator"], **profile)


async def employee(app: FastAPI, make_client: Any, **profile: Any) -> Person:
    return await person(app, make_client, **profile)


def codes(problem: dict[str, Any]) -> set[tuple[str, str]]:
    return {(error["field"], error["code"]) for error in problem.get("errors") or []}


async def test_a_lesson_is_versioned_and_only_its_published_version_is_read(
    app: FastAPI, make_client: Any
) -> None:
    writer = await facilitator(app, make_client)
    reader = await employee(app, make_client)
    created = await create_lesson(writer.client)
    lesson_id = created["id"]
    assert created["latest_version"] == 1
    assert created["published_version"] is None
    assert created["author_name"] == "Noor Writer"
    assert "<script>" not in created["latest"]["body_html"]
    assert "<strong>listens</strong>" in created["latest"]["body_html"]
    assert created["latest"]["topics"] == ["mentoring", "short_video"]
    assert created["latest"]["quiz"][0]["choices"][1]["correct"] is True

    # A draft does not exist for employees, nor for its own writer on the readers' route.
    assert (await reader.client.get(f"{LESSONS}/{lesson_id}")).status_code == 404
    assert (await writer.client.get(f"{LESSONS}/{lesson_id}")).status_code == 404

    second = await writer.client.put(
        f"{LESSONS}/{lesson_id}", json=edit_body(1, title="The right posture, revised")
    )
    assert second.status_code == 200, second.text
    assert second.json()["latest_version"] == 2
    stale = await writer.client.put(f"{LESSONS}/{lesson_id}", json=edit_body(1, title="Lost"))
    assert stale.status_code == 409
    assert stale.json()["code"] == "lesson_version_conflict"

    history = (await writer.client.get(f"{LESSONS}/{lesson_id}/versions")).json()
    assert [(v["version"], v["title"]) for v in history] == [
        (2, "The right posture, revised"),
        (1, "Taking the right posture"),
    ]
    assert {v["editor_name"] for v in history} == {"Noor Writer"}
    first = await writer.client.get(f"{LESSONS}/{lesson_id}/versions/1")
    assert first.json()["title"] == "Taking the right posture"
    missing = await writer.client.get(f"{LESSONS}/{lesson_id}/versions/9")
    assert missing.status_code == 404

    # Publishing version 1: readers see it, later drafts do not reach them.
    await publish(writer.client, lesson_id, 1)
    read = await reader.client.get(f"{LESSONS}/{lesson_id}")
    assert read.status_code == 200, read.text
    shown = read.json()
    assert shown["title"] == "Taking the right posture"
    assert shown["version"] == 1
    assert shown["author_name"] == "Noor Writer"
    assert shown["quiz"][0] == {
        "kind": "single",
        "prompt": "What does a mentor in a reverse-mentoring pair avoid being?",
        "choices": ["A peer who listens", "The mentee's boss", "Someone who shares a tool"],
    }
    assert "explanation" not in str(shown)
    assert "correct" not in str(shown["quiz"])

    await publish(writer.client, lesson_id, 2)
    assert (await reader.client.get(f"{LESSONS}/{lesson_id}")).json()["version"] == 2
    unpublished = await writer.client.delete(f"{LESSONS}/{lesson_id}/publication")
    assert unpublished.status_code == 200
    assert unpublished.json()["published_version"] is None
    assert (await reader.client.get(f"{LESSONS}/{lesson_id}")).status_code == 404
    no_such = await writer.client.put(f"{LESSONS}/{lesson_id}/publication", json={"version": 3})
    assert no_such.status_code == 404
    assert no_such.json()["code"] == "lesson_version_not_found"


async def test_employees_cannot_write_or_see_drafts(app: FastAPI, make_client: Any) -> None:
    writer = await facilitator(app, make_client)
    reader = await employee(app, make_client)
    draft = await create_lesson(writer.client)
    lesson_id = draft["id"]
    attempts = [
        await reader.client.post(LESSONS, json=lesson_body()),
        await reader.client.put(f"{LESSONS}/{lesson_id}", json=edit_body(1)),
        await reader.client.get(f"{LESSONS}/{lesson_id}/edit"),
        await reader.client.get(f"{LESSONS}/{lesson_id}/versions"),
        await reader.client.get(f"{LESSONS}/{lesson_id}/versions/1"),
        await reader.client.put(f"{LESSONS}/{lesson_id}/publication", json={"version": 1}),
        await reader.client.delete(f"{LESSONS}/{lesson_id}/publication"),
        await reader.client.get(f"{LESSONS}?drafts=true"),
    ]
    assert [response.status_code for response in attempts] == [403] * len(attempts)
    listed = (await reader.client.get(LESSONS)).json()
    assert listed["items"] == []
    assert (await writer.client.get(f"{LESSONS}/{lesson_id}/edit")).status_code == 200


async def test_an_admin_writes_lessons_too(app: FastAPI, make_client: Any) -> None:
    admin = await person(app, make_client, roles=["admin"], display_name="Ada Admin")
    lesson = await create_lesson(admin.client)
    assert lesson["author_name"] == "Ada Admin"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda q: q[0]["choices"][1].update(correct=False),
            ("body.quiz.0", "no_correct_choice"),
        ),
        (
            lambda q: q[0]["choices"][0].update(correct=True),
            ("body.quiz.0", "single_choice_one_correct"),
        ),
        (
            lambda q: q[1]["choices"][1].update(correct=True),  # multiple: more is fine
            None,
        ),
        (
            lambda q: q[0].update(choices=[{"text": "Only one", "correct": True}]),
            ("body.quiz.0.choices", "too_few_items"),
        ),
        (lambda q: q[1].update(kind="essay"), ("body.quiz.1.kind", "invalid_choice")),
    ],
)
async def test_a_quiz_that_breaks_a_rule_is_refused_with_its_field_code(
    app: FastAPI, make_client: Any, change: Any, expected: tuple[str, str] | None
) -> None:
    writer = await facilitator(app, make_client)
    questions = quiz_questions()
    change(questions)
    response = await writer.client.post(LESSONS, json=lesson_body(quiz=questions))
    if expected is None:
        assert response.status_code == 201, response.text
        return
    assert response.status_code == 422, response.text
    assert expected in codes(response.json())


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"pass_mark": 0}, ("body.pass_mark", "too_small")),
        ({"pass_mark": 101}, ("body.pass_mark", "too_large")),
        ({"level": "expert"}, ("body.level", "invalid_choice")),
        ({"language": "de"}, ("body.language", "invalid_choice")),
        ({"topics": ["!!!"]}, ("body.topics.0", "needs_letter_or_digit")),
        ({"topics": ["Short video", "short_video"]}, ("body", "duplicate_skill")),
        ({"title": ""}, ("body.title", "required")),
        ({"title": "x" * 201}, ("body.title", "too_long")),
    ],
)
async def test_lesson_fields_are_checked(
    app: FastAPI, make_client: Any, override: dict[str, Any], expected: tuple[str, str]
) -> None:
    writer = await facilitator(app, make_client)
    response = await writer.client.post(LESSONS, json=lesson_body(**override))
    assert response.status_code == 422, response.text
    assert expected in codes(response.json())


async def test_translations_are_linked_and_readers_see_the_published_ones(
    app: FastAPI, make_client: Any
) -> None:
    writer = await facilitator(app, make_client)
    reader = await employee(app, make_client)
    english = await published_lesson(writer.client)
    french = await create_lesson(
        writer.client, language="fr", title="La bonne posture", translation_of=english["id"]
    )
    assert french["translation_group"] == english["translation_group"]
    twice = await writer.client.post(
        LESSONS, json=lesson_body(language="fr", translation_of=english["id"])
    )
    assert twice.status_code == 409
    assert twice.json()["code"] == "translation_exists"

    # The French draft is listed to editors, not yet to readers.
    edited = (await writer.client.get(f"{LESSONS}/{english['id']}/edit")).json()
    assert [(t["language"], t["title"]) for t in edited["translations"]] == [
        ("fr", "La bonne posture")
    ]
    assert (await reader.client.get(f"{LESSONS}/{english['id']}")).json()["translations"] == []
    await publish(writer.client, french["id"])
    read = (await reader.client.get(f"{LESSONS}/{english['id']}")).json()
    assert read["translations"] == [
        {"lesson_id": french["id"], "language": "fr", "title": "La bonne posture"}
    ]
    unknown = await writer.client.post(
        LESSONS, json=lesson_body(language="es", translation_of=reader_id(reader))
    )
    assert unknown.status_code == 404


def reader_id(someone: Person) -> str:
    """An id that is no lesson's (an account's, which the library never sees)."""
    return str(someone.account_id)


async def test_listing_filters_pages_and_shows_each_writer_their_drafts(
    app: FastAPI, make_client: Any
) -> None:
    writer = await facilitator(app, make_client)
    colleague = await facilitator(app, make_client, display_name="Other Writer")
    reader = await employee(app, make_client)
    discover = await published_lesson(writer.client, title="Discover", topics=["short_video"])
    deepen = await published_lesson(
        writer.client, title="Approfondir", level="deepen", language="fr", topics=["ai"]
    )
    exploit = await published_lesson(
        colleague.client, title="Exploit", level="exploit", topics=["ai", "short_video"]
    )
    draft = await create_lesson(writer.client, title="Unfinished")

    async def titles(client: Client, query: str = "") -> list[str]:
        response = await client.get(f"{LESSONS}{query}")
        assert response.status_code == 200, response.text
        return [item["title"] for item in response.json()["items"]]

    assert await titles(reader.client) == ["Exploit", "Approfondir", "Discover"]
    assert await titles(reader.client, "?level=deepen") == ["Approfondir"]
    assert await titles(reader.client, "?language=en") == ["Exploit", "Discover"]
    assert await titles(reader.client, "?topic=ai") == ["Exploit", "Approfondir"]
    assert await titles(reader.client, "?topic=ai&level=exploit") == ["Exploit"]
    assert await titles(writer.client, "?drafts=true") == ["Unfinished"]
    assert await titles(colleague.client, "?drafts=true") == []

    first = (await reader.client.get(f"{LESSONS}?limit=2")).json()
    assert [item["id"] for item in first["items"]] == [exploit["id"], deepen["id"]]
    rest = (await reader.client.get(f"{LESSONS}?limit=2&cursor={first['next_cursor']}")).json()
    assert [item["id"] for item in rest["items"]] == [discover["id"]]
    assert rest["next_cursor"] is None
    assert draft["id"] not in str(first) + str(rest)
    bad = await reader.client.get(f"{LESSONS}?cursor=not-a-cursor")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_cursor"


async def test_every_library_route_needs_a_session(app: FastAPI, make_client: Any) -> None:
    """The library's part of the authorisation matrix that tests/api/test_authorisation_matrix
    leaves to these files: nobody signed out gets anything, whatever the route."""
    writer = await facilitator(app, make_client)
    lesson = await published_lesson(writer.client)
    anonymous = make_client()
    await anonymous.csrf()
    ids = {"lesson_id": lesson["id"], "collection_id": lesson["id"], "version": "1"}
    routes = [
        (method.upper(), path.replace("/api/v1", "", 1).format(**ids))
        for path, operations in app.openapi()["paths"].items()
        if path.startswith("/api/v1/library/")
        for method in operations
    ]
    assert len(routes) >= 17
    for method, path in routes:
        response = await anonymous.request(method, f"/api/v1{path}", json={})
        assert response.status_code == 401, (method, path, response.status_code)


async def test_a_published_lesson_is_found_by_search_and_leaves_it_when_unpublished(
    app: FastAPI, make_client: Any
) -> None:
    writer = await facilitator(app, make_client)
    reader = await employee(app, make_client)
    draft = await create_lesson(
        writer.client, title="Raccourcis du tableur", language="fr", case_study="Une équipe."
    )

    async def found(words: str) -> list[str]:
        response = await reader.client.get("/api/v1/search", params={"q": words})
        assert response.status_code == 200, response.text
        return [hit["ref"] for hit in response.json()["hits"]]

    assert await found("raccourcis") == []  # a draft is never indexed
    await publish(writer.client, draft["id"])
    assert await found("raccourcis") == [draft["id"]]
    assert await found("equipe") == [draft["id"]]  # the case study, accents folded

    await writer.client.delete(f"{LESSONS}/{draft['id']}/publication")
    assert await found("raccourcis") == []
