"""What editors see of people's learning (issue 21, item 2): counts of who took each lesson,
passed its quiz, completed each collection, over ended months only, each 0 or at least 5, the
rest "fewer than 5"; computed from the sealed records in memory, writing nothing anywhere."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from app.library import counts, service
from app.vault import learning, vault_metadata
from app.vault import learning_counts as vault_learning_counts
from tests.api.people import Person
from tests.api.test_library_lessons import LESSONS, employee, facilitator, published_lesson
from tests.api.test_library_taking import _app_rows
from tests.conftest import PASSWORD, Client

OVERVIEW = "/api/v1/library/learning"
RIGHT = [[1], [0, 2]]
WRONG = [[0], [0]]


class Clock:
    """The time the service sees: records are dated by it, the counts read up to its month."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = datetime(2026, 3, 10, 12, tzinfo=UTC)
        for module in (service, learning, counts):
            monkeypatch.setattr(module, "utcnow", lambda: self.now)

    def month(self, year: int, month: int) -> None:
        self.now = datetime(year, month, 10, 12, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


async def _answer(client: Client, lesson: dict[str, Any], answers: list[list[int]]) -> None:
    response = await client.post(
        f"{LESSONS}/{lesson['id']}/attempts",
        json={"version": lesson["published_version"], "answers": answers},
    )
    assert response.status_code == 201, response.text


async def _notes(client: Client, lesson: dict[str, Any], text: str = "My thoughts.") -> None:
    response = await client.put(f"{LESSONS}/{lesson['id']}/notes", json={"text": text})
    assert response.status_code == 200, response.text


async def _people(app: FastAPI, make_client: Any, n: int) -> list[Person]:
    return [await employee(app, make_client) for _ in range(n)]


async def _overview(client: Client) -> dict[str, Any]:
    response = await client.get(OVERVIEW)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _lesson_counts(overview: dict[str, Any], lesson: dict[str, Any]) -> tuple[Any, Any]:
    row = next(
        r for r in overview["lessons"] if r["translation_group"] == lesson["translation_group"]
    )
    return row["taken"], row["passed"]


async def test_counts_cover_ended_months_and_hide_small_cells(
    app: FastAPI, make_client: Any, clock: Clock
) -> None:
    writer = await facilitator(app, make_client)
    people = await _people(app, make_client, 8)
    wide = await published_lesson(writer.client, title="Listening first")
    passed_by_all = await published_lesson(writer.client, title="Asking open questions")
    few = await published_lesson(writer.client, title="Giving feedback")
    for taker in people[:6]:
        await _answer(taker.client, wide, RIGHT)
    await _answer(people[6].client, wide, WRONG)
    await _notes(people[7].client, wide)  # notes alone: took it, did not pass
    await _notes(people[7].client, few, "")  # emptied notes: not taken
    for taker in people[:5]:
        await _answer(taker.client, passed_by_all, RIGHT)
    for taker in people[:3]:
        await _answer(taker.client, few, RIGHT)
    both = await writer.client.post(
        "/api/v1/library/collections",
        json={
            "title": "Mentor basics",
            "description": "",
            "lessons": [wide["translation_group"], passed_by_all["translation_group"]],
        },
    )
    assert both.status_code == 201, both.text
    small = await writer.client.post(
        "/api/v1/library/collections",
        json={"title": "Feedback", "description": "", "lessons": [few["translation_group"]]},
    )
    assert small.status_code == 201, small.text

    # This month's activity is not counted yet: reading before and after tells nothing.
    now = await _overview(writer.client)
    assert now["k"] == 5
    assert now["through"] == "2026-02"
    assert {_lesson_counts(now, lesson) for lesson in (wide, passed_by_all, few)} == {(0, 0)}

    clock.month(2026, 4)
    later = await _overview(writer.client)
    assert later["through"] == "2026-03"
    # 8 took it, 6 passed: 2 did not, under 5, so "passed" would give them away.
    assert _lesson_counts(later, wide) == (8, None)
    assert _lesson_counts(later, passed_by_all) == (5, 5)
    assert _lesson_counts(later, few) == (None, None)  # 3 took it
    completed = {row["title"]: row["completed"] for row in later["collections"]}
    assert completed == {"Mentor basics": 5, "Feedback": None}

    one = await writer.client.get(f"{LESSONS}/{passed_by_all['id']}/learning")
    assert one.status_code == 200, one.text
    assert one.json()["counts"]["taken"] == 5
    assert one.json()["counts"]["passed"] == 5


async def test_counts_move_only_by_k_newcomers_at_a_time(
    app: FastAPI, make_client: Any, clock: Clock
) -> None:
    writer = await facilitator(app, make_client)
    lesson = await published_lesson(writer.client)
    people = await _people(app, make_client, 10)
    for taker in people[:5]:
        await _answer(taker.client, lesson, RIGHT)
    clock.month(2026, 4)
    # The attack a counter bumped on passing would allow: read, someone passes, read again.
    # Here the figures do not move: this month is not counted, and then only by k at a time.
    before = await _overview(writer.client)
    await _answer(people[5].client, lesson, RIGHT)  # one newcomer in April
    assert await _overview(writer.client) == before
    clock.month(2026, 5)
    assert _lesson_counts(await _overview(writer.client), lesson) == (5, 5)
    for taker in people[6:]:  # four more in May: five since March
        await _answer(taker.client, lesson, RIGHT)
    clock.month(2026, 6)
    assert _lesson_counts(await _overview(writer.client), lesson) == (10, 10)


async def test_only_editors_see_counts(app: FastAPI, make_client: Any) -> None:
    writer = await facilitator(app, make_client)
    reader = await employee(app, make_client)
    lesson = await published_lesson(writer.client)
    for url in (OVERVIEW, f"{LESSONS}/{lesson['id']}/learning"):
        refused = await reader.client.get(url)
        assert refused.status_code == 403
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["code"] == "forbidden"
    missing = await writer.client.get(f"{LESSONS}/00000000-0000-4000-8000-000000000000/learning")
    assert missing.status_code == 404


async def test_an_erased_account_drops_out(app: FastAPI, make_client: Any, clock: Clock) -> None:
    writer = await facilitator(app, make_client)
    lesson = await published_lesson(writer.client)
    people = await _people(app, make_client, 5)
    for taker in people:
        await _answer(taker.client, lesson, RIGHT)
    clock.month(2026, 4)
    assert _lesson_counts(await _overview(writer.client), lesson) == (5, 5)
    erased = await people[0].client.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert erased.status_code == 200, erased.text
    assert _lesson_counts(await _overview(writer.client), lesson) == (None, None)


async def _vault_rows(app: FastAPI) -> str:
    dump = []
    async with app.state.databases.vault_engine.connect() as connection:
        for table in vault_metadata().sorted_tables:
            if table.name in {"sessions", "table_changes", "table_change_log"}:
                continue  # the editor's own session is touched by every request
            rows = (await connection.execute(select(table))).all()
            dump.append(f"{table.name}: {sorted(map(repr, rows))}")
    return "\n".join(dump)


async def test_computing_counts_writes_nothing_and_names_nobody(
    app: FastAPI, make_client: Any, clock: Clock
) -> None:
    writer = await facilitator(app, make_client)
    lesson = await published_lesson(writer.client)
    people = await _people(app, make_client, 6)
    for taker in people:
        await _answer(taker.client, lesson, RIGHT if taker is not people[0] else WRONG)
    clock.month(2026, 4)
    app_before, vault_before = await _app_rows(app), await _vault_rows(app)
    overview = await writer.client.get(OVERVIEW)
    single = await writer.client.get(f"{LESSONS}/{lesson['id']}/learning")
    assert await _app_rows(app) == app_before
    assert await _vault_rows(app) == vault_before

    # Only counts come back, each 0, at least 5 or hidden: no person's figure.
    for response in (overview, single):
        text = response.text
        for taker in people:
            assert str(taker.account_id) not in text
            assert taker.account_id.hex not in text
    body = overview.json()
    assert set(body["lessons"][0]) == {"translation_group", "lesson_id", "title", "taken", "passed"}
    figures = [r[key] for r in body["lessons"] for key in ("taken", "passed")]
    figures += [r["completed"] for r in body["collections"]]
    assert all(value is None or value == 0 or value >= 5 for value in figures)
    assert _lesson_counts(body, lesson) == (6, None)  # 5 passed and 1 did not: both hidden
    assert json.loads(single.text)["counts"]["passed"] is None


async def test_saving_notes_again_does_not_move_a_person(
    app: FastAPI, make_client: Any, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vault_learning_counts, "CACHE_SECONDS", 0.0)  # computed every time
    writer = await facilitator(app, make_client)
    lesson = await published_lesson(writer.client)
    people = await _people(app, make_client, 5)
    for taker in people:
        await _notes(taker.client, lesson)
    clock.month(2026, 4)
    assert _lesson_counts(await _overview(writer.client), lesson) == (5, 0)
    # Dated by the latest save, this person would move to April: the count would drop under 5
    # the moment they saved, telling that one of them is at it now.
    await _notes(people[0].client, lesson, "Rewritten in April.")
    assert _lesson_counts(await _overview(writer.client), lesson) == (5, 0)


async def test_counts_are_computed_off_the_event_loop(
    app: FastAPI, make_client: Any, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Opening every account's records takes CPU-seconds at a few thousand accounts: on the
    # event loop, every other request of the worker would wait for it.
    monkeypatch.setattr(vault_learning_counts, "CACHE_SECONDS", 0.0)
    tally = vault_learning_counts._tally
    on_the_loop: list[bool] = []

    def watched(*args: Any, **kwargs: Any) -> Any:
        try:
            asyncio.get_running_loop()
            on_the_loop.append(True)
        except RuntimeError:
            on_the_loop.append(False)
        return tally(*args, **kwargs)

    monkeypatch.setattr(vault_learning_counts, "_tally", watched)
    writer = await facilitator(app, make_client)
    lesson = await published_lesson(writer.client)
    for taker in await _people(app, make_client, 5):
        await _answer(taker.client, lesson, RIGHT)
    clock.month(2026, 4)
    assert _lesson_counts(await _overview(writer.client), lesson) == (5, 5)
    assert on_the_loop == [False]
