"""The facilitator's team formation, end to end with 60 enrolled people."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

from fastapi import FastAPI

from app.formations.models import Formation
from app.formations.service import PAIR_RULE_REFUSED
from app.kit.orm import utcnow
from tests.api.people import COHORT_YEARS, Person, create_challenge, move, person
from tests.conftest import Client

SKILLS_JUNIORS_TEACH = ["short_video", "ai_assistants", "data_viz"]
SKILLS_SENIORS_TEACH = ["negotiation", "mentoring", "budgeting"]
DEPARTMENTS = ["Finance", "Marketing", "Legal", "Operations", "Research", "Sales"]


async def _organisation(app: FastAPI, make_client: Any, n: int) -> list[Person]:
    """n people; person i reports to person i // 4 (a management tree three levels deep)."""
    people: list[Person] = []
    for i in range(n):
        people.append(
            await person(
                app,
                make_client,
                display_name=f"Formation Person {i}",
                email=f"formation{i}@example.org",
                birth_year=COHORT_YEARS[i % len(COHORT_YEARS)],
                years_experience=(i * 7) % 35,
                department=DEPARTMENTS[i % len(DEPARTMENTS)],
                manager_email=f"formation{i // 4}@example.org" if i else None,
            )
        )
    return people


async def _join(client: Client, cid: str, i: int) -> None:
    junior = COHORT_YEARS[i % len(COHORT_YEARS)] >= 1985
    teach = SKILLS_JUNIORS_TEACH if junior else SKILLS_SENIORS_TEACH
    learn = SKILLS_SENIORS_TEACH if junior else SKILLS_JUNIORS_TEACH
    response = await client.post(
        f"/api/v1/challenges/{cid}/enrolment",
        json={
            "teach": [{"skill": teach[i % 3], "level": 4}],
            "learn": [{"skill": learn[(i + 1) % 3], "level": 1}],
        },
    )
    assert response.status_code == 200, response.text


async def _finished(client: Client, url: str) -> dict[str, Any]:
    for _ in range(600):
        body = (await client.get(url)).json()
        if body["status"] != "running":
            return dict(body)
        assert 0.0 <= body["progress"] <= 1.0
        await asyncio.sleep(0.1)
    raise AssertionError("the formation did not finish within 60 s")


async def _pseudonyms(app: FastAPI, people: list[Person], cid: str) -> dict[str, int]:
    """Test-only view through the vault: pseudonym -> index of the person."""
    found = {}
    async with app.state.databases.vault_sessions() as db:
        for i, someone in enumerate(people):
            pseudonym = await app.state.vault.bind(db).find_pseudonym(
                someone.account_id, uuid.UUID(cid)
            )
            found[str(pseudonym)] = i
    return found


def _reporting_line(a: int, b: int) -> bool:
    """Direct manager or skip-level, either way round, in the tree of ``_organisation``."""
    low, high = max(a, b), min(a, b)
    return low != high and (low // 4 == high or (low // 16 == high and low // 4 != 0))


def _team_of(proposal: dict[str, Any]) -> dict[str, int]:
    return {m["pseudonym"]: t["index"] for t in proposal["teams"] for m in t["members"]}


async def test_sixty_people_formed_adjusted_and_published(app: FastAPI, make_client: Any) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"], email="fac@example.org")
    people = await _organisation(app, make_client, 60)
    challenge = await create_challenge(
        facilitator.client,
        formation_mode="optimised",
        team_size={"min": 4, "target": 5, "max": 6},
    )
    cid = challenge["id"]
    assert (await move(facilitator.client, cid, "enrolment")).status_code == 200
    for i, someone in enumerate(people):
        await _join(someone.client, cid, i)
    base = f"/api/v1/challenges/{cid}/formations"

    # Participants cannot run or read formations.
    assert (await people[0].client.post(base, json={})).status_code == 403
    assert (await people[0].client.get(base)).status_code == 403

    started = await facilitator.client.post(
        base, json={"time_limit_s": 3, "weights": {"generations": 10, "skill_coverage": 3}}
    )
    assert started.status_code == 202, started.text
    assert started.json()["status"] == "running"
    again = await facilitator.client.post(base, json={"time_limit_s": 3})
    assert again.status_code == 409
    assert again.json()["code"] == "formation_running"

    first = await _finished(facilitator.client, f"{base}/{started.json()['id']}")
    assert first["status"] == "done", first
    assert first["progress"] == 1.0
    proposal = first["proposal"]
    assert len(proposal["teams"]) == 12  # round(60 / 5)
    assert all(4 <= len(t["members"]) <= 6 for t in proposal["teams"])
    assert proposal["violations"] == 0
    assert 0 < proposal["objective"] <= proposal["upper_bound"]
    assert proposal["overall"]["teams_with_3plus_cohorts"] == 1.0

    # Nobody shares a team with their manager or their manager's manager.
    who = await _pseudonyms(app, people, cid)
    team_of = {who[p]: t for p, t in _team_of(proposal).items()}
    assert len(team_of) == 60
    for i in range(1, 60):
        assert team_of[i] != team_of[i // 4], f"person {i} is with their manager"
        if i // 4:
            assert team_of[i] != team_of[i // 16], f"person {i} is with their skip-level"

    # Facilitators see handles and coarse labels, never names or e-mails.
    text = str(first)
    assert "Formation Person" not in text
    assert "@example.org" not in text
    member = proposal["teams"][0]["members"][0]
    assert member["handle"]
    assert member["cohort"] in app.state.vault.cohort_names()

    # A move that would put someone with their manager is refused, naming no one (issue 17:
    # tests/api/test_formation_oracle.py).
    pseudonym_of = {i: p for p, i in who.items()}
    report, manager = 5, 1
    refused = await facilitator.client.patch(
        f"{base}/{first['id']}",
        json={"moves": [{"pseudonym": pseudonym_of[report], "to_team": team_of[manager]}]},
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "move_refused"
    assert refused.json()["detail"] == PAIR_RULE_REFUSED
    manager_handle = next(
        m["handle"]
        for t in proposal["teams"]
        for m in t["members"]
        if m["pseudonym"] == pseudonym_of[manager]
    )
    assert manager_handle not in refused.json()["detail"]

    # An allowed move: metrics are recomputed for the new teams.
    sizes = {t["index"]: len(t["members"]) for t in proposal["teams"]}
    mover, target = next(
        (i, t)
        for i in range(1, 60)
        for t in sizes
        if t != team_of[i]
        and sizes[team_of[i]] > 4
        and sizes[t] < 6
        and not any(team_of[j] == t for j in range(60) if _reporting_line(i, j))
    )
    moved = await facilitator.client.patch(
        f"{base}/{first['id']}",
        json={"moves": [{"pseudonym": pseudonym_of[mover], "to_team": target}]},
    )
    assert moved.status_code == 200, moved.text
    after = moved.json()["proposal"]
    assert _team_of(after)[pseudonym_of[mover]] == target
    new_sizes = {t["index"]: len(t["members"]) for t in after["teams"]}
    assert new_sizes[target] == sizes[target] + 1
    assert sum(t["metrics"]["score"] for t in after["teams"]) == after["objective"]

    # Re-run with other weights: a second proposal, the first kept.
    rerun = await facilitator.client.post(
        base, json={"time_limit_s": 2, "weights": {"same_department_pairs": 20}, "seed": 7}
    )
    assert rerun.status_code == 202, rerun.text
    second = await _finished(facilitator.client, f"{base}/{rerun.json()['id']}")
    assert second["weights"]["same_department_pairs"] == 20
    listed = (await facilitator.client.get(base)).json()
    assert [f["id"] for f in listed] == [second["id"], first["id"]]

    # Publish the adjusted first proposal: teams exist, members are told, teamwork can start.
    published = await facilitator.client.post(f"{base}/{first['id']}/publish")
    assert published.status_code == 200, published.text
    assert len(published.json()) == 12
    notices = (await people[report].client.get("/api/v1/me/notifications")).json()
    assert [n["kind"] for n in notices] == ["team_assigned"]
    team_id = notices[0]["params"]["team_id"]
    my_team = await people[report].client.get(f"/api/v1/teams/{team_id}")
    assert my_team.status_code == 200
    read = await people[report].client.post(f"/api/v1/me/notifications/{notices[0]['id']}/read")
    assert read.status_code == 204
    assert (await people[report].client.get("/api/v1/me/notifications")).json()[0]["read"]
    # Someone else's notice is not yours to mark.
    other = await people[0].client.post(f"/api/v1/me/notifications/{notices[0]['id']}/read")
    assert other.status_code == 404

    again_published = await facilitator.client.post(f"{base}/{first['id']}/publish")
    assert again_published.json()["code"] == "formation_not_ready"
    other_published = await facilitator.client.post(f"{base}/{second['id']}/publish")
    assert other_published.status_code == 409
    assert other_published.json()["code"] == "teams_exist"
    assert (await move(facilitator.client, cid, "teamwork")).status_code == 200
    late = await facilitator.client.post(base, json={})
    assert late.status_code == 409
    assert late.json()["code"] == "wrong_phase"


async def test_changed_enrolment_and_interrupted_runs(app: FastAPI, make_client: Any) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"], email="fac@example.org")
    people = await _organisation(app, make_client, 9)
    challenge = await create_challenge(facilitator.client, formation_mode="optimised")
    cid = challenge["id"]
    base = f"/api/v1/challenges/{cid}/formations"
    assert (await move(facilitator.client, cid, "enrolment")).status_code == 200
    nobody = await facilitator.client.post(base, json={})
    assert nobody.json()["code"] == "nobody_enrolled"
    for i, someone in enumerate(people):
        await _join(someone.client, cid, i)

    started = await facilitator.client.post(base, json={"time_limit_s": 1})
    done = await _finished(facilitator.client, f"{base}/{started.json()['id']}")
    assert done["status"] == "done"
    # Someone withdraws: the proposal no longer matches the people enrolled.
    assert (await people[3].client.delete(f"/api/v1/challenges/{cid}/enrolment")).status_code == 204
    stale = await facilitator.client.post(f"{base}/{done['id']}/publish")
    assert stale.status_code == 409
    assert stale.json()["code"] == "participants_changed"

    # A run whose worker died (no heartbeat for a minute) is reported failed, not running forever.
    async with app.state.databases.app_sessions.begin() as db:
        db.add(
            Formation(
                challenge_id=uuid.UUID(cid),
                status="running",
                weights={},
                time_limit_s=1,
                heartbeat_at=utcnow() - timedelta(minutes=5),
            )
        )
    listed = (await facilitator.client.get(base)).json()
    assert listed[0]["status"] == "failed"
    assert "interrupted" in listed[0]["error"]
    restarted = await facilitator.client.post(base, json={"time_limit_s": 1})
    assert restarted.status_code == 202
    await _finished(facilitator.client, f"{base}/{restarted.json()['id']}")
