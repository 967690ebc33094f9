"""Matching, swaps, publishing, answers and consent, end to end through the API.

The matcher runs in a child process (app/kit/child_jobs.py) on the engine of app/pairing.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select

from app.mentoring.models import Application, MatchRun, Pair, Programme, ProgrammeLead
from tests.api.people import Person, person
from tests.api.test_mentoring_programmes import BASE, apply, move, open_programme
from tests.conftest import Client

AI = [{"skill": "ai_assistants", "level": 4}]
WANTS_AI = [{"skill": "ai_assistants", "level": 1, "guidance": "discover"}]


async def finished(client: Client, pid: str, run_id: str) -> dict[str, Any]:
    for _ in range(600):
        body = (await client.get(f"{BASE}/{pid}/runs/{run_id}")).json()
        if body["status"] != "running":
            return dict(body)
        assert 0.0 <= body["progress"] <= 1.0
        await asyncio.sleep(0.1)
    raise AssertionError("the matching run did not finish within 60 s")


async def run_matching(lead: Client, pid: str, **body: Any) -> dict[str, Any]:
    started = await lead.post(f"{BASE}/{pid}/runs", json={"time_limit_s": 5, **body})
    assert started.status_code == 202, started.text
    run = await finished(lead, pid, started.json()["id"])
    assert run["status"] == "done", run
    return run


async def accept_mentors(lead: Client, pid: str) -> None:
    for row in (await lead.get(f"{BASE}/{pid}/mentors")).json():
        answer = await lead.put(
            f"{BASE}/{pid}/mentors/{row['pseudonym']}/selection", json={"selection": "accepted"}
        )
        assert answer.status_code == 200, answer.text


def pairs_by_handle(run: dict[str, Any]) -> set[tuple[str, str]]:
    return {(p["mentor"]["handle"], p["mentee"]["handle"]) for p in run["proposal"]["pairs"]}


async def swap(lead: Client, pid: str, run_id: str, mentee: str, mentor: str | None) -> Any:
    return await lead.post(
        f"{BASE}/{pid}/runs/{run_id}/swaps", json={"mentee": mentee, "mentor": mentor}
    )


def refusal(response: Any) -> str:
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "swap_refused"
    [error] = response.json()["errors"]
    assert error["field"] == "body.mentor"
    return str(error["code"])


async def test_a_programme_is_matched_adjusted_published_and_answered(
    app: FastAPI, make_client: Any
) -> None:
    boss, pid = await open_programme(app, make_client, topics=["ai_assistants"])

    async def applicant(name: str, year: int, role: str, **fields: Any) -> tuple[Person, str]:
        email = f"{name.lower().replace(' ', '.')}@example.org"
        profile = {k: fields.pop(k) for k in ("department", "manager_email") if k in fields}
        someone = await person(
            app, make_client, display_name=name, email=email, birth_year=year, **profile
        )
        if role == "mentor":
            fields = {"teaches": AI, "capacity": 1} | fields
        response = await apply(someone.client, pid, role, **fields)
        assert response.status_code == 200, response.text
        return someone, response.json()["handle"]

    e1, e1_handle = await applicant("Edith Oldfield", 1960, "mentee", department="Finance")
    m1, m1_handle = await applicant(
        "Milo Young",
        2000,
        "mentor",
        department="Legal",
        manager_email="edith.oldfield@example.org",  # Edith manages Milo
    )
    m2, m2_handle = await applicant("Maya Newton", 2000, "mentor", department="Finance")
    m3, m3_handle = await applicant("Mathis Roux", 1985, "mentor", languages=["fr"])
    e2, e2_handle = await applicant("Ewan Grey", 1972, "mentee", department="Sales")
    e3, e3_handle = await applicant(
        "Elena Mid", 1990, "mentee", department="Sales", languages=["en", "fr"]
    )
    names = ["Edith", "Milo", "Maya", "Mathis", "Ewan", "Elena"]

    # Only accepted mentors are matched.
    assert (await move(boss.client, pid, "matching")).status_code == 200
    early = await boss.client.post(f"{BASE}/{pid}/runs", json={})
    assert early.json()["code"] == "nothing_to_match"
    await accept_mentors(boss.client, pid)
    run = await run_matching(boss.client, pid)
    proposal = run["proposal"]
    # Milo with Edith would be the best pair (a different department), but she manages him.
    # Mathis speaks French only, and Elena, who does too, is of his generation: nobody for him.
    assert pairs_by_handle(run) == {(m2_handle, e1_handle), (m1_handle, e2_handle)}
    assert proposal["objective"] == run["best_objective"] <= proposal["upper_bound"]
    unmatched = {u["handle"]: (u["side"], u["reason"]) for u in proposal["unmatched"]}
    assert unmatched == {
        m3_handle: ("mentor", "no_allowed_partner"),
        e3_handle: ("mentee", unmatched[e3_handle][1]),
    }
    first = next(p for p in proposal["pairs"] if p["mentee"]["handle"] == e1_handle)
    assert first["mentee"]["cohort"] == "baby_boomer"
    assert first["skills"] == [
        {
            "skill": "ai_assistants",
            "taught_by": "mentor",
            "teacher_level": 4,
            "learner_level": 1,
            "guidance": "discover",
        }
    ]
    assert first["parts"] == {
        "skills": 1,
        "gap": 3,
        "departments_differ": False,
        "shared_slots": 2,
        "score": 10 + 9 + 0 + 2,
    }
    assert not any(name in str(run) for name in names)

    # Swaps: each public rule refused by name; a reporting line refused without one.
    ids = {u["handle"]: u["pseudonym"] for u in proposal["unmatched"]}
    for p in proposal["pairs"]:
        ids[p["mentor"]["handle"]] = p["mentor"]["pseudonym"]
        ids[p["mentee"]["handle"]] = p["mentee"]["pseudonym"]
    rid = run["id"]
    assert refusal(await swap(boss.client, pid, rid, ids[e3_handle], ids[m3_handle])) == (
        "mentor_not_younger"
    )
    assert refusal(await swap(boss.client, pid, rid, ids[e2_handle], ids[m3_handle])) == (
        "no_common_language"
    )
    assert refusal(await swap(boss.client, pid, rid, ids[e3_handle], ids[m1_handle])) == (
        "mentor_full"
    )
    freed = await swap(boss.client, pid, rid, ids[e2_handle], None)
    assert freed.status_code == 200, freed.text
    kept_apart = await swap(boss.client, pid, rid, ids[e1_handle], ids[m1_handle])
    assert refusal(kept_apart) == "kept_apart"
    assert "manag" not in kept_apart.text
    moved = await swap(boss.client, pid, rid, ids[e3_handle], ids[m1_handle])
    assert moved.status_code == 200, moved.text
    assert pairs_by_handle(moved.json()) == {(m2_handle, e1_handle), (m1_handle, e3_handle)}
    assert moved.json()["proposal"]["objective"] == 2 * 1000 + (10 + 9 + 0 + 2) + (10 + 3 + 2 + 2)

    published = await boss.client.post(f"{BASE}/{pid}/runs/{rid}/publish")
    assert published.status_code == 200, published.text
    assert (await boss.client.get(f"{BASE}/{pid}")).json()["phase"] == "running"

    # Each member sees their partner's handle and generation, never a name.
    maya = (await m2.client.get(f"{BASE}/{pid}/pair")).json()
    assert (maya["my_role"], maya["partner_handle"], maya["partner_generation"]) == (
        "mentor",
        e1_handle,
        "baby_boomer",
    )
    assert maya["skills"][0]["guidance"] == "discover"
    edith = (await e1.client.get(f"{BASE}/{pid}/pair")).json()
    assert (edith["my_role"], edith["partner_handle"]) == ("mentee", m2_handle)
    assert not any(name in str([maya, edith]) for name in names)
    assert (await m3.client.get(f"{BASE}/{pid}/pair")).json()["code"] == "no_pair"
    assert (await boss.client.get(f"{BASE}/{pid}/pair")).json()["code"] == "no_application"

    # Answers: once each; a decline sends both back to the pool.
    for client in (m2.client, e1.client):
        answered = await client.post(f"{BASE}/{pid}/pair/answer", json={"answer": "accepted"})
        assert answered.json()["my_answer"] == "accepted"
    again = await e1.client.post(f"{BASE}/{pid}/pair/answer", json={"answer": "declined"})
    assert again.json()["code"] == "answer_final"
    declined = await e3.client.post(f"{BASE}/{pid}/pair/answer", json={"answer": "declined"})
    assert declined.json()["my_answer"] == "declined"
    pool = (await boss.client.get(f"{BASE}/{pid}/pool")).json()
    assert pool == {
        "pairs_waiting_for_answers": 0,
        "pairs_accepted": 1,
        "pairs_declined": 1,
        "waiting_mentors": sorted([m1_handle, m3_handle]),
        "waiting_mentees": sorted([e2_handle, e3_handle]),
    }

    # Consent to reveal: shown as agreed only when both have; nothing of it reaches the lead.
    asked = await m2.client.put(f"{BASE}/{pid}/pair/reveal", json={"reveal": True})
    assert asked.json()["reveal"] == {"you": True, "partner": False, "both": False}
    assert (await e1.client.get(f"{BASE}/{pid}/pair")).json()["reveal"] == {
        "you": False,
        "partner": True,
        "both": False,
    }
    agreed = await e1.client.put(f"{BASE}/{pid}/pair/reveal", json={"reveal": True})
    assert agreed.json()["reveal"]["both"] is True
    lead_views = [
        (await boss.client.get(f"{BASE}/{pid}/{path}")).text for path in ("pool", "runs", "mentors")
    ]
    assert not any(name in text for text in lead_views for name in names)
    assert "reveal" not in "".join(lead_views)
    refused = await e3.client.put(f"{BASE}/{pid}/pair/reveal", json={"reveal": True})
    assert refused.json()["code"] == "answer_final"

    # Re-matching the pool: the two who declined each other are not proposed again.
    rematch = await run_matching(boss.client, pid)
    assert pairs_by_handle(rematch) == {(m1_handle, e2_handle)}
    assert (await boss.client.post(f"{BASE}/{pid}/runs/{rematch['id']}/publish")).status_code == 200
    ewan = (await e2.client.get(f"{BASE}/{pid}/pair")).json()
    assert (ewan["partner_handle"], ewan["my_answer"]) == (m1_handle, "pending")

    # The app database holds pseudonyms and coarse labels: no account id, name or e-mail.
    people = [e1, m1, m2, m3, e2, e3, boss]
    async with app.state.databases.app_sessions() as db:
        stored = ""
        for model in (Programme, ProgrammeLead, Application, MatchRun, Pair):
            for row in await db.scalars(select(model)):
                stored += repr({c.key: getattr(row, c.key) for c in model.__mapper__.column_attrs})
    assert e1_handle in stored
    for someone in people:
        assert str(someone.account_id) not in stored
        assert someone.account_id.hex not in stored
        assert someone.email not in stored
    assert not any(name in stored for name in names)


def reporting_line(manager_of: dict[int, int | None], a: int, b: int) -> bool:
    """Direct manager or skip-level, either way round."""
    for low, high in ((a, b), (b, a)):
        above = manager_of.get(low)
        if above == high or (above is not None and manager_of.get(above) == high):
            return True
    return False


async def test_no_published_pair_has_a_reporting_line_in_generated_org_charts(
    app: FastAPI, make_client: Any
) -> None:
    """Property: over random org charts where every young person could mentor every older one
    but for reporting lines, no published pair is a manager or skip-level pair."""
    for seed in (11, 12, 13):
        rng = random.Random(seed)
        size = 12
        years = [rng.choice([1958, 1966, 1975, 1988, 1999, 2003]) for _ in range(size)]
        # Person 1 is young and reports to person 0, who is old: a reporting line the matcher
        # would otherwise want (the two are allowed and score like any other pair).
        years[0], years[1] = 1958, 2003
        manager_of: dict[int, int | None] = {0: None, 1: 0}
        for i in range(2, size):
            manager_of[i] = rng.randrange(i) if rng.random() < 0.85 else None
        boss, pid = await open_programme(app, make_client, topics=["ai_assistants"])
        handle_of: dict[str, int] = {}
        for i in range(size):
            manager = manager_of[i]
            someone = await person(
                app,
                make_client,
                email=f"org{seed}-{i}@example.org",
                birth_year=years[i],
                manager_email=f"org{seed}-{manager}@example.org" if manager is not None else None,
            )
            role = "mentor" if years[i] >= 1988 else "mentee"
            fields = {"teaches": AI, "capacity": rng.choice([1, 2])} if role == "mentor" else {}
            response = await apply(someone.client, pid, role, **fields)
            assert response.status_code == 200, response.text
            handle_of[response.json()["handle"]] = i
        await move(boss.client, pid, "matching")
        await accept_mentors(boss.client, pid)
        run = await run_matching(boss.client, pid, seed=seed)
        published = await boss.client.post(f"{BASE}/{pid}/runs/{run['id']}/publish")
        assert published.status_code == 200, published.text
        pairs = pairs_by_handle(published.json())
        assert pairs, "every chart has pairs to make"
        for mentor, mentee in pairs:
            a, b = handle_of[mentor], handle_of[mentee]
            assert years[a] > years[b]
            assert not reporting_line(manager_of, a, b), (seed, a, b, manager_of)


async def test_mutual_pairs_teach_both_ways_and_swaps_name_each_public_rule(
    app: FastAPI, make_client: Any
) -> None:
    boss, pid = await open_programme(
        app, make_client, pair_mode="mutual", topics=["ai_assistants", "short_video"]
    )
    wants_video = [{"skill": "short_video", "level": 1, "guidance": "deepen"}]

    async def applicant(year: int, role: str, **fields: Any) -> str:
        someone = await person(app, make_client, birth_year=year)
        response = await apply(someone.client, pid, role, **fields)
        assert response.status_code == 200, response.text
        return str(response.json()["handle"])

    both = await applicant(2000, "both", capacity=1, wants=wants_video)
    teacher = await applicant(1960, "mentee", teaches=[{"skill": "short_video", "level": 4}])
    elsewhere = await applicant(1970, "mentee", availability=["fri-pm"])
    nothing_to_give = await applicant(1980, "mentee", wants=wants_video)
    await move(boss.client, pid, "matching")
    await accept_mentors(boss.client, pid)
    run = await run_matching(boss.client, pid)
    assert pairs_by_handle(run) == {(both, teacher)}
    [pair] = run["proposal"]["pairs"]
    assert [(s["skill"], s["taught_by"], s["guidance"]) for s in pair["skills"]] == [
        ("ai_assistants", "mentor", "discover"),
        ("short_video", "mentee", "deepen"),
    ]
    assert pair["parts"]["skills"] == 2
    ids = {u["handle"]: u["pseudonym"] for u in run["proposal"]["unmatched"]}
    mentor_id = pair["mentor"]["pseudonym"]
    slotless = await swap(boss.client, pid, run["id"], ids[elsewhere], mentor_id)
    assert refusal(slotless) == "no_common_slot"
    skill_less = await swap(boss.client, pid, run["id"], ids[nothing_to_give], mentor_id)
    assert refusal(skill_less) == "no_skill_to_teach"
    # A refused swap changes nothing.
    after = (await boss.client.get(f"{BASE}/{pid}/runs/{run['id']}")).json()
    assert pairs_by_handle(after) == {(both, teacher)}


async def test_a_deactivated_mentee_is_left_out_of_the_matching_pool(
    app: FastAPI, make_client: Any, admin_client: Client
) -> None:
    boss, pid = await open_programme(app, make_client, topics=["ai_assistants"])
    mentor = await person(app, make_client, display_name="Mina Mentor", birth_year=2000)
    applied = await apply(mentor.client, pid, "mentor", teaches=AI, capacity=2)
    assert applied.status_code == 200, applied.text
    mentor_handle = applied.json()["handle"]
    handles = {}
    accounts = {}
    for name in ("Stays", "Leaves"):
        mentee = await person(app, make_client, display_name=f"{name} Mentee", birth_year=1960)
        response = await apply(mentee.client, pid, "mentee")
        assert response.status_code == 200, response.text
        handles[name], accounts[name] = response.json()["handle"], mentee.account_id
    assert (await move(boss.client, pid, "matching")).status_code == 200
    await accept_mentors(boss.client, pid)

    # An administrator (or the identity provider) deactivates one of them before the run.
    disabled = await admin_client.patch(
        f"/api/v1/admin/accounts/{accounts['Leaves']}", json={"disabled": True}
    )
    assert disabled.json()["status"] == "disabled"

    waiting = (await boss.client.get(f"{BASE}/{pid}/pool")).json()
    assert waiting["waiting_mentees"] == [handles["Stays"]]
    run = await run_matching(boss.client, pid)
    assert pairs_by_handle(run) == {(mentor_handle, handles["Stays"])}
    assert handles["Leaves"] not in {u["handle"] for u in run["proposal"]["unmatched"]}
    published = await boss.client.post(f"{BASE}/{pid}/runs/{run['id']}/publish")
    assert published.status_code == 200, published.text
