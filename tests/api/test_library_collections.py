"""Collections of lessons (issue 21, item 3): ordered by translation group, each reader gets
their language; each lesson's state and the collection's completion for the caller alone;
`has_completed_collection` for other domains (a mentoring programme's training)."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from pypdf import PdfReader

from app.db import AppDbSession
from app.kit.orm import utcnow
from app.library import service
from app.vault import Identity, SessionInfo
from tests.api.people import Person, person
from tests.api.test_library_lessons import (
    LESSONS,
    codes,
    create_lesson,
    employee,
    facilitator,
    publish,
    published_lesson,
)
from tests.conftest import PASSWORD

COLLECTIONS = "/api/v1/library/collections"


async def _collection(client: Any, groups: list[str], **body: Any) -> dict[str, Any]:
    response = await client.post(
        COLLECTIONS,
        json={
            "title": "Mentor training",
            "description": "The right posture.",
            "lessons": groups,
            **body,
        },
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _has_completed(app: FastAPI, someone: Person, collection_id: str) -> bool:
    """The service function a mentoring programme calls, in the person's own request."""
    async with (
        app.state.databases.app_sessions() as db,
        app.state.databases.vault_sessions() as vault_db,
    ):
        assert isinstance(db, AppDbSession)
        session = SessionInfo(
            session_id=uuid.uuid4(),
            account_id=someone.account_id,
            roles=["participant"],
            language="en",
            csrf_token="unused",
            ends_at=utcnow() + timedelta(hours=1),
        )
        identity = Identity(session=session, vault=app.state.vault.bind(vault_db))
        return await service.has_completed_collection(db, identity, uuid.UUID(collection_id))


async def test_a_collection_shows_each_lesson_in_the_readers_language_and_their_progress(
    app: FastAPI, make_client: Any
) -> None:
    writer = await facilitator(app, make_client)
    english = await published_lesson(writer.client, title="Posture")
    french = await create_lesson(
        writer.client, language="fr", title="Posture (fr)", translation_of=english["id"]
    )
    await publish(writer.client, french["id"])
    second = await published_lesson(writer.client, title="Sessions", quiz=[])
    second_quiz = await published_lesson(writer.client, title="Plans")
    draft = await create_lesson(writer.client, title="Not yet")
    groups = [
        english["translation_group"],
        second_quiz["translation_group"],
        draft["translation_group"],
    ]
    created = await _collection(writer.client, groups)
    cid = created["id"]
    assert created["author_name"] == "Noor Writer"
    assert second["id"] not in str(created)

    francophone = await employee(app, make_client, language="fr")
    anglophone = await employee(app, make_client)
    shown = (await francophone.client.get(f"{COLLECTIONS}/{cid}")).json()
    assert [item["lesson"] and item["lesson"]["title"] for item in shown["items"]] == [
        "Posture (fr)",
        "Plans",
        None,  # a draft in every language: listed, not counted
    ]
    assert [item["state"] for item in shown["items"]] == ["not_started"] * 3
    assert (shown["passed"], shown["total"], shown["completed"]) == (0, 2, False)
    english_view = (await anglophone.client.get(f"{COLLECTIONS}/{cid}")).json()
    assert english_view["items"][0]["lesson"]["title"] == "Posture"

    # Notes, a failed attempt, a pass in French (it counts for the group), then the second.
    client = francophone.client
    await client.put(f"{LESSONS}/{french['id']}/notes", json={"text": "Mes notes."})
    states = (await client.get(f"{COLLECTIONS}/{cid}")).json()["items"]
    assert states[0]["state"] == "notes_written"
    fail = {"version": 1, "answers": [[0], [0]]}
    success = {"version": 1, "answers": [[1], [0, 2]]}
    assert (await client.post(f"{LESSONS}/{french['id']}/attempts", json=fail)).status_code == 201
    assert (await client.get(f"{COLLECTIONS}/{cid}")).json()["items"][0]["state"] == "attempted"
    await client.post(f"{LESSONS}/{french['id']}/attempts", json=success)
    view = (await client.get(f"{COLLECTIONS}/{cid}")).json()
    assert [item["state"] for item in view["items"]] == ["passed", "not_started", "not_started"]
    assert (view["passed"], view["completed"]) == (1, False)
    assert await _has_completed(app, francophone, cid) is False

    await client.post(f"{LESSONS}/{second_quiz['id']}/attempts", json=success)
    view = (await client.get(f"{COLLECTIONS}/{cid}")).json()
    assert (view["passed"], view["total"], view["completed"]) == (2, 2, True)
    assert await _has_completed(app, francophone, cid) is True
    # Someone else's completion is theirs: the anglophone has done nothing.
    assert (await anglophone.client.get(f"{COLLECTIONS}/{cid}")).json()["completed"] is False
    assert await _has_completed(app, anglophone, cid) is False

    record = (await client.get("/api/v1/library/me")).json()
    assert record["collections"] == [
        {"id": cid, "title": "Mentor training", "passed": 2, "total": 2, "completed": True}
    ]
    assert {(p["title"], p["state"]) for p in record["lessons"]} == {
        ("Posture (fr)", "passed"),
        ("Plans", "passed"),
    }

    # Publishing the draft adds a lesson to pass: the collection is no longer complete.
    await publish(writer.client, draft["id"])
    assert (await client.get(f"{COLLECTIONS}/{cid}")).json()["completed"] is False
    assert await _has_completed(app, francophone, cid) is False


async def test_collections_are_written_by_facilitators_only(app: FastAPI, make_client: Any) -> None:
    writer = await facilitator(app, make_client)
    reader = await employee(app, make_client)
    lesson = await published_lesson(writer.client)
    group = lesson["translation_group"]
    body = {"title": "Discover", "description": "", "lessons": [group]}
    assert (await reader.client.post(COLLECTIONS, json=body)).status_code == 403
    created = await _collection(writer.client, [group])
    cid = created["id"]
    edit = {**body, "revision": 1}
    assert (await reader.client.put(f"{COLLECTIONS}/{cid}", json=edit)).status_code == 403
    assert (await reader.client.delete(f"{COLLECTIONS}/{cid}")).status_code == 403

    listed = (await reader.client.get(COLLECTIONS)).json()
    assert listed == [
        {"id": cid, "title": "Mentor training", "description": "The right posture.", "lessons": 1}
    ]
    renamed = await writer.client.put(f"{COLLECTIONS}/{cid}", json=edit)
    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["title"], renamed.json()["revision"]) == ("Discover", 2)
    stale = await writer.client.put(f"{COLLECTIONS}/{cid}", json=edit)
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_collection"

    unknown = await writer.client.post(
        COLLECTIONS, json={**body, "lessons": [group, str(uuid.uuid4())]}
    )
    assert unknown.status_code == 409
    assert unknown.json()["code"] == "unknown_lessons"
    twice = await writer.client.post(COLLECTIONS, json={**body, "lessons": [group, group]})
    assert twice.status_code == 422
    assert ("body", "duplicate_lesson") in codes(twice.json())

    assert (await writer.client.delete(f"{COLLECTIONS}/{cid}")).status_code == 204
    assert (await reader.client.get(f"{COLLECTIONS}/{cid}")).status_code == 404


async def test_the_seed_library_loads_through_the_api(app: FastAPI, make_client: Any) -> None:
    """app/demo/library.py: every seed lesson and collection passes the library's own rules."""
    from app.demo.activity import DemoBrowser
    from app.demo.lessons import COLLECTIONS as SEED_COLLECTIONS
    from app.demo.lessons import LESSONS as SEED_LESSONS
    from app.demo.library import publish_seed_library

    writer = await facilitator(app, make_client)
    editor = DemoBrowser(app)
    await editor.sign_in(writer.email, PASSWORD)
    assert await publish_seed_library(editor) is True
    assert await publish_seed_library(editor) is False  # once only

    reader = await employee(app, make_client, language="es")
    listed = (await reader.client.get(f"{LESSONS}?limit=200")).json()["items"]
    assert len(listed) == len(SEED_LESSONS)
    assert {item["level"] for item in listed} == {"discover", "deepen", "exploit"}
    assert {item["language"] for item in listed} == {"en", "fr", "es"}
    collections = (await reader.client.get(COLLECTIONS)).json()
    assert len(collections) == len(SEED_COLLECTIONS)
    training = (await reader.client.get(f"{COLLECTIONS}/{collections[0]['id']}")).json()
    assert training["total"] == len(training["items"]) > 0
    assert {item["lesson"]["language"] for item in training["items"]} == {"es"}
    await editor.http.aclose()


async def test_a_collection_and_its_lessons_download_as_pdfs_without_answers(
    app: FastAPI, make_client: Any
) -> None:
    writer = await facilitator(app, make_client)
    reader = await person(app, make_client, language="fr")
    english = await published_lesson(writer.client, title="Posture")
    french = await create_lesson(
        writer.client, language="fr", title="La bonne posture", translation_of=english["id"]
    )
    await publish(writer.client, french["id"])
    draft = await create_lesson(writer.client, title="Not yet")
    collection = await _collection(
        writer.client, [english["translation_group"], draft["translation_group"]]
    )

    response = await reader.client.get(f"{LESSONS}/{english['id']}.pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Posture" in text
    assert "Which make a first session useful?" in text
    assert "neither a coach" not in text  # the explanations are given in the app only

    whole = await reader.client.get(f"{COLLECTIONS}/{collection['id']}.pdf")
    assert whole.status_code == 200, whole.text
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(whole.content)).pages)
    assert "La bonne posture" in text  # the reader's language
    assert "Not yet" not in text  # a draft is nobody's to read

    assert (await reader.client.get(f"{LESSONS}/{draft['id']}.pdf")).status_code == 404
    assert (await make_client().get(f"{LESSONS}/{english['id']}.pdf")).status_code == 401
