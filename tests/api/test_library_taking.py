"""Taking a lesson (issue 21, item 2): quizzes graded all-or-nothing per question, with the
explanations only after answering; notes and attempts kept for their author alone, in the
vault, sealed, with no lesson named in plain and nothing in the app database; on record, in
the export, and gone with an erasure."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from app.models import app_metadata
from app.vault.models import LearningRecord
from tests.api.test_library_lessons import (
    LESSONS,
    codes,
    create_lesson,
    edit_body,
    employee,
    facilitator,
    publish,
    published_lesson,
)
from tests.conftest import PASSWORD, Client


async def _attempt(client: Client, lesson: dict[str, Any], answers: list[list[int]]) -> Any:
    return await client.post(
        f"{LESSONS}/{lesson['id']}/attempts",
        json={"version": lesson["published_version"], "answers": answers},
    )


@pytest.mark.parametrize(
    ("answers", "score", "passed", "correct"),
    [
        ([[1], [0, 2]], 100, True, [True, True]),
        ([[1], [2, 0, 2]], 100, True, [True, True]),  # the same choice twice is one choice
        ([[1], [0]], 50, True, [True, False]),  # multiple: all or nothing; 50 % passes at 50
        ([[1], [0, 1, 2]], 50, True, [True, False]),  # a wrong extra choice spoils it
        ([[1, 2], [0, 2]], 50, True, [False, True]),  # two choices on a single question
        ([[0], []], 0, False, [False, False]),
        ([[1]], 50, True, [True, False]),  # an unanswered question is wrong
    ],
)
async def test_an_attempt_is_graded_and_only_then_explained(
    app: FastAPI,
    make_client: Any,
    answers: list[list[int]],
    score: int,
    passed: bool,
    correct: list[bool],
) -> None:
    writer = await facilitator(app, make_client)
    reader = await employee(app, make_client)
    lesson = await published_lesson(writer.client)
    response = await _attempt(reader.client, lesson, answers)
    assert response.status_code == 201, response.text
    result = response.json()
    assert (result["score"], result["passed"]) == (score, passed)
    assert [q["correct"] for q in result["questions"]] == correct
    assert [q["correct_choices"] for q in result["questions"]] == [[1], [0, 2]]
    assert result["questions"][0]["explanation"].startswith("A mentor is neither")


async def test_the_pass_mark_decides(app: FastAPI, make_client: Any) -> None:
    writer = await facilitator(app, make_client)
    reader = await employee(app, make_client)
    lesson = await published_lesson(writer.client, pass_mark=51)
    half = (await _attempt(reader.client, lesson, [[1], [0]])).json()
    assert (half["score"], half["passed"], half["pass_mark"]) == (50, False, 51)


async def test_answers_that_do_not_fit_the_quiz_are_refused(app: FastAPI, make_client: Any) -> None:
    writer = await facilitator(app, make_client)
    reader = await employee(app, make_client)
    lesson = await published_lesson(writer.client)
    out_of_range = await _attempt(reader.client, lesson, [[3], [0]])
    assert out_of_range.status_code == 422
    assert ("body.answers.0", "out_of_range") in codes(out_of_range.json())
    too_many = await _attempt(reader.client, lesson, [[1], [0], [0]])
    assert too_many.status_code == 422
    assert ("body.answers", "too_many_items") in codes(too_many.json())
    negative = await _attempt(reader.client, lesson, [[-1], [0]])
    assert negative.status_code == 422

    # Republished since the reader opened it: answering the old quiz is refused.
    edited = await writer.client.put(f"{LESSONS}/{lesson['id']}", json=edit_body(1))
    assert edited.status_code == 200
    await publish(writer.client, lesson["id"], 2)
    stale = await _attempt(reader.client, lesson, [[1], [0, 2]])
    assert stale.status_code == 409
    assert stale.json()["code"] == "quiz_changed"
    assert (await reader.client.get(f"{LESSONS}/{lesson['id']}/attempts")).json() == []

    no_quiz = await published_lesson(writer.client, quiz=[], title="Just reading")
    refused = await _attempt(reader.client, no_quiz, [])
    assert refused.status_code == 409
    assert refused.json()["code"] == "no_quiz"


async def test_notes_and_attempts_are_their_authors_alone(app: FastAPI, make_client: Any) -> None:
    writer = await facilitator(app, make_client)
    author = await employee(app, make_client)
    lesson = await published_lesson(writer.client)
    notes_url = f"{LESSONS}/{lesson['id']}/notes"
    attempts_url = f"{LESSONS}/{lesson['id']}/attempts"
    assert (await author.client.get(notes_url)).json() == {"text": "", "updated_at": None}
    saved = await author.client.put(notes_url, json={"text": "I learned a shortcut from Léa."})
    assert saved.status_code == 200, saved.text
    assert (await author.client.put(notes_url, json={"text": "Rewritten."})).status_code == 200
    assert (await _attempt(author.client, lesson, [[0], [0]])).status_code == 201
    assert (await _attempt(author.client, lesson, [[1], [0, 2]])).status_code == 201

    assert (await author.client.get(notes_url)).json()["text"] == "Rewritten."
    mine = (await author.client.get(attempts_url)).json()
    assert [(a["score"], a["passed"]) for a in mine] == [(0, False), (100, True)]
    progress = (await author.client.get("/api/v1/library/me")).json()
    assert [(p["state"], p["attempts"], p["best_score"]) for p in progress["lessons"]] == [
        ("passed", 2, 100)
    ]

    # Another employee, the lesson's own writer, and an admin: nothing of the author's.
    someone_else = await employee(app, make_client)
    admin = await _admin(app, make_client)
    for other in (someone_else.client, writer.client, admin):
        assert (await other.get(notes_url)).json() == {"text": "", "updated_at": None}
        assert (await other.get(attempts_url)).json() == []
        assert (await other.get("/api/v1/library/me")).json() == {
            "lessons": [],
            "collections": [],
        }
    # No route takes another person: the paths have no account in them, and a query naming
    # one is not read.
    named = await admin.get(f"{attempts_url}?account_id={author.account_id}")
    assert named.json() == []


async def _admin(app: FastAPI, make_client: Any) -> Client:
    from tests.api.people import person

    return (await person(app, make_client, roles=["participant", "facilitator", "admin"])).client


async def _app_rows(app: FastAPI) -> str:
    """Every row of every app-database table, as text."""
    dump = []
    async with app.state.databases.app_engine.connect() as connection:
        for table in app_metadata().sorted_tables:
            rows = (await connection.execute(select(table))).all()
            dump.append(f"{table.name}: {sorted(map(repr, rows))}")
    return "\n".join(dump)


async def test_taking_a_lesson_leaves_no_trace_in_the_app_database(
    app: FastAPI, make_client: Any
) -> None:
    writer = await facilitator(app, make_client)
    reader = await employee(app, make_client)
    lesson = await published_lesson(writer.client)
    before = await _app_rows(app)
    await reader.client.get(f"{LESSONS}/{lesson['id']}")
    await reader.client.put(f"{LESSONS}/{lesson['id']}/notes", json={"text": "My thoughts."})
    assert (await _attempt(reader.client, lesson, [[1], [0, 2]])).status_code == 201
    await reader.client.get("/api/v1/library/me")
    after = await _app_rows(app)
    assert after == before
    assert str(reader.account_id) not in after
    assert reader.account_id.hex not in after


async def test_the_vault_row_names_no_lesson_and_no_account(app: FastAPI, make_client: Any) -> None:
    writer = await facilitator(app, make_client)
    first = await employee(app, make_client)
    second = await employee(app, make_client)
    lesson = await published_lesson(writer.client)
    for reader in (first, second):
        await reader.client.put(f"{LESSONS}/{lesson['id']}/notes", json={"text": "Noted."})
        assert (await _attempt(reader.client, lesson, [[1], [0]])).status_code == 201

    async with app.state.databases.vault_engine.connect() as connection:
        rows = (await connection.execute(select(LearningRecord.__table__))).all()
    assert len(rows) == 4
    lesson_id = uuid.UUID(lesson["id"])
    group = uuid.UUID(lesson["translation_group"])
    secrets = [str(v).encode() for v in (lesson_id, group, first.account_id, second.account_id)] + [
        v.hex.encode() for v in (lesson_id, group, first.account_id, second.account_id)
    ]
    secrets += [v.bytes for v in (lesson_id, group, first.account_id, second.account_id)]
    for row in rows:
        for value in row:
            raw = value if isinstance(value, bytes) else str(value).encode()
            assert not any(secret in raw for secret in secrets)
        assert b"Noted." not in row.payload
    # The same lesson has a different index for each person: the vault cannot tell that two
    # people took the same lesson.
    indexes = {(row.owner_tag, row.lesson_index) for row in rows}
    assert len({tag for tag, _ in indexes}) == 2
    assert len({index for _, index in indexes}) == 2


async def test_notes_and_attempts_are_on_record_exported_and_erased(
    app: FastAPI, make_client: Any
) -> None:
    writer = await facilitator(app, make_client)
    reader = await employee(app, make_client)
    lesson = await published_lesson(writer.client)
    await reader.client.put(f"{LESSONS}/{lesson['id']}/notes", json={"text": "On my record."})
    assert (await _attempt(reader.client, lesson, [[1], [0, 2]])).status_code == 201

    record = (await reader.client.get("/api/v1/me/record")).json()["items"]
    by_key = {item["key"]: item for item in record}
    assert by_key["lesson_notes"]["count"] == 1
    assert by_key["quiz_attempts"]["count"] == 1
    assert by_key["quiz_attempts"]["audience"] == ["you"]
    assert by_key["quiz_attempts"]["stored_in"] == "vault database"
    exported = (await reader.client.get("/api/v1/me/export")).json()
    assert exported["learning"]["notes"][0]["text"] == "On my record."
    assert exported["learning"]["notes"][0]["lesson_id"] == lesson["id"]
    assert exported["learning"]["attempts"][0]["score"] == 100
    assert exported["learning"]["attempts"][0]["answers"] == [[1], [0, 2]]
    # The writer's export names their library pseudonym; the reader has none.
    assert exported["library_author_pseudonym"] is None
    assert (await writer.client.get("/api/v1/me/export")).json()["library_author_pseudonym"]
    writer_record = (await writer.client.get("/api/v1/me/record")).json()["items"]
    assert "library_pseudonym" in {item["key"] for item in writer_record}
    assert "library_pseudonym" not in by_key

    erased = await reader.client.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert erased.status_code == 200, erased.text
    async with app.state.databases.vault_engine.connect() as connection:
        left = (await connection.execute(select(LearningRecord.__table__))).all()
    assert left == []


async def test_an_unpublished_lesson_takes_no_notes_or_attempts(
    app: FastAPI, make_client: Any
) -> None:
    writer = await facilitator(app, make_client)
    reader = await employee(app, make_client)
    draft = await create_lesson(writer.client)
    notes = await reader.client.put(f"{LESSONS}/{draft['id']}/notes", json={"text": "x"})
    assert notes.status_code == 404
    attempt = await reader.client.post(
        f"{LESSONS}/{draft['id']}/attempts", json={"version": 1, "answers": [[1], [0]]}
    )
    assert attempt.status_code == 404
