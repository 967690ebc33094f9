"""The facilitator's participants overview must not give back the cells its distributions hide.

The overview holds suppressed distributions (cells under k hidden, with complementary
suppression) and a row per handle. A facilitator who counts the rows by label recomputes every
cell: the rows may name a label only where its cell is shown.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import FastAPI

from tests.api.people import create_challenge, join, move, person

# (birth year, years of experience, skill taught): four millennials, one person of generation
# X, one of generation Z, one who gave no birth year; mostly juniors, one of each other band.
PEOPLE: list[tuple[int | None, int | None, str]] = [
    (1990, 1, "ai_assistants"),
    (1990, 1, "ai_assistants"),
    (1990, 2, "ai_assistants"),
    (1990, 1, "ai_assistants"),
    (1970, 25, "python"),
    (2000, 12, "ai_assistants"),
    (None, 5, "ai_assistants"),
]


async def _overview(app: FastAPI, make_client: Any) -> dict[str, Any]:
    facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await create_challenge(facilitator.client)
    cid = challenge["id"]
    await move(facilitator.client, cid, "enrolment")
    for year, experience, skill in PEOPLE:
        profile: dict[str, Any] = {"years_experience": experience}
        if year is not None:
            profile["birth_year"] = year
        someone = await person(app, make_client, **profile)
        assert (await join(someone.client, cid, teach=skill)).status_code == 200
    items: list[dict[str, Any]] = []
    url: str | None = f"/api/v1/challenges/{cid}/participants?limit=3"
    while url:
        page = (await facilitator.client.get(url)).json()
        items += page["items"]
        url = (
            f"/api/v1/challenges/{cid}/participants?limit=3&cursor={page['next_cursor']}"
            if page["next_cursor"]
            else None
        )
    return {"items": items, "distributions": page["distributions"]}


async def test_rows_do_not_give_back_hidden_cells(app: FastAPI, make_client: Any) -> None:
    overview = await _overview(app, make_client)
    rows, shown = overview["items"], overview["distributions"]
    assert len(rows) == len(PEOPLE)

    for field, breakdown in (("cohort", "by_cohort"), ("seniority_band", "by_seniority_band")):
        hidden = {key for key, count in shown[breakdown].items() if count is None}
        assert hidden, f"the world should hide some {field} cells"
        recomputed = Counter(row[field] for row in rows if row[field] is not None)
        for key in hidden:
            assert recomputed[key] == 0, f"{breakdown}[{key}] = {recomputed[key]} from the rows"
        for key, count in shown[breakdown].items():
            if count is not None:
                assert recomputed[key] == count, f"{breakdown}[{key}] shown but not in the rows"
        # What the rows leave out is the sum of the hidden cells, which the total shows anyway;
        # complementary suppression keeps that sum from naming a single cell.
        assert len(hidden) >= 2

    teachers = Counter(claim["skill"] for row in rows for claim in row["teach"])
    learners = Counter(claim["skill"] for row in rows for claim in row["learn"])
    assert any(s["teachers"] is None for s in shown["skills"])
    for skill in shown["skills"]:
        for counts, column in ((teachers, "teachers"), (learners, "learners")):
            expected = skill[column] if skill[column] is not None else 0
            assert counts[skill["skill"]] == expected, (skill["skill"], column)


async def test_not_given_is_a_label_of_its_own(app: FastAPI, make_client: Any) -> None:
    """null now means "hidden"; someone who gave no generation, in a shown cell, reads
    "not_given" (the distributions' own key), never null."""
    facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await create_challenge(facilitator.client)
    cid = challenge["id"]
    await move(facilitator.client, cid, "enrolment")
    for _ in range(3):
        someone = await person(app, make_client)
        assert (await join(someone.client, cid)).status_code == 200
    overview = (await facilitator.client.get(f"/api/v1/challenges/{cid}/participants")).json()
    assert overview["distributions"]["by_cohort"] == {"not_given": 3}
    assert {row["cohort"] for row in overview["items"]} == {"not_given"}
    assert {row["seniority_band"] for row in overview["items"]} == {"not_given"}
