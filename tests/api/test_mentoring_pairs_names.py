"""Mentoring pairs: names by consent (issue 20, item 6), and the pairs the other
test_mentoring_pairs_* files start from."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI

from app.vault import NotPairMember, PairMembers
from tests.api.people import Person, person
from tests.api.test_mentoring_matching import accept_mentors, run_matching
from tests.api.test_mentoring_programmes import BASE, apply, move, open_programme
from tests.conftest import Client


@dataclass
class PairOf:
    mentor: Person
    mentee: Person
    mentor_name: str
    mentee_name: str
    pair_id: str


@dataclass
class Running:
    lead: Person
    pid: str
    pairs: list[PairOf]


async def running_programme(app: FastAPI, make_client: Any, count: int = 1) -> Running:
    """A running programme with `count` pairs, each accepted by both members."""
    lead, pid = await open_programme(app, make_client, topics=["ai_assistants"])
    mentors, mentees = [], []
    for n in range(count):
        mentor_name, mentee_name = f"Mentor Number{n}", f"Mentee Number{n}"
        mentor = await person(
            app, make_client, display_name=mentor_name, birth_year=2000, department=f"D{n}"
        )
        mentee = await person(
            app, make_client, display_name=mentee_name, birth_year=1962, department=f"E{n}"
        )
        assert (await apply(mentor.client, pid, "mentor", capacity=1)).status_code == 200
        assert (await apply(mentee.client, pid, "mentee")).status_code == 200
        mentors.append((mentor, mentor_name))
        mentees.append((mentee, mentee_name))
    assert (await move(lead.client, pid, "matching")).status_code == 200
    await accept_mentors(lead.client, pid)
    run = await run_matching(lead.client, pid)
    published = await lead.client.post(f"{BASE}/{pid}/runs/{run['id']}/publish")
    assert published.status_code == 200, published.text
    by_handle: dict[str, tuple[Person, str]] = {}
    for someone, name in mentors + mentees:
        handle = (await someone.client.get(f"{BASE}/{pid}/application")).json()["handle"]
        by_handle[handle] = (someone, name)
    pairs = []
    for mentor, mentor_name in mentors:
        mine = (await mentor.client.get(f"{BASE}/{pid}/pair")).json()
        mentee, mentee_name = by_handle[mine["partner_handle"]]
        for member in (mentor, mentee):
            answered = await member.client.post(
                f"{BASE}/{pid}/pair/answer", json={"answer": "accepted"}
            )
            assert answered.status_code == 200, answered.text
        pairs.append(PairOf(mentor, mentee, mentor_name, mentee_name, mine["pair_id"]))
    assert len(pairs) == count
    return Running(lead=lead, pid=pid, pairs=pairs)


async def partner(client: Client, pid: str) -> Any:
    return await client.get(f"{BASE}/{pid}/pair/partner")


async def test_names_show_only_once_both_agreed_and_never_to_a_lead(
    app: FastAPI, make_client: Any, admin_client: Client
) -> None:
    running = await running_programme(app, make_client, count=2)
    pid, lead = running.pid, running.lead
    first, other = running.pairs

    # Before any consent, and after one side's: no name, either way.
    for client in (first.mentor.client, first.mentee.client):
        assert (await partner(client, pid)).json()["code"] == "names_not_revealed"
    agreed = await first.mentor.client.put(f"{BASE}/{pid}/pair/reveal", json={"reveal": True})
    assert agreed.json()["reveal"]["both"] is False
    for client in (first.mentor.client, first.mentee.client):
        refused = await partner(client, pid)
        assert refused.status_code == 409
        assert first.mentor_name not in refused.text
        assert first.mentee_name not in refused.text

    # Both agreed: each sees the other's name and e-mail, nobody else's.
    await first.mentee.client.put(f"{BASE}/{pid}/pair/reveal", json={"reveal": True})
    seen_by_mentor = (await partner(first.mentor.client, pid)).json()
    assert seen_by_mentor == {"display_name": first.mentee_name, "email": first.mentee.email}
    seen_by_mentee = (await partner(first.mentee.client, pid)).json()
    assert seen_by_mentee == {"display_name": first.mentor_name, "email": first.mentor.email}
    # The other pair did not agree: their names stay theirs.
    assert (await partner(other.mentor.client, pid)).json()["code"] == "names_not_revealed"

    # The read is in the named person's access log, as a read by their partner.
    trail = (await first.mentee.client.get("/api/v1/me/audit")).json()["entries"]
    assert any(e["action"] == "name_pair_partner" and not e["actor_is_you"] for e in trail)

    # The lead and an admin have no pair: nothing names anyone to them.
    assert (await partner(lead.client, pid)).json()["code"] == "no_application"
    assert (await partner(admin_client, pid)).json()["code"] == "no_application"
    lead_pages = [
        (await lead.client.get(f"{BASE}/{pid}/{path}")).text
        for path in ("pool", "progress", "mentors", "runs")
    ]
    for name in (first.mentor_name, first.mentee_name, first.mentor.email):
        assert not any(name in page for page in lead_pages)

    # Withdrawing consent hides the names again.
    await first.mentee.client.put(f"{BASE}/{pid}/pair/reveal", json={"reveal": False})
    assert (await partner(first.mentor.client, pid)).json()["code"] == "names_not_revealed"


async def test_the_vault_names_a_partner_only_to_the_other_member(
    app: FastAPI, make_client: Any
) -> None:
    """Even if the app asked for the wrong person, the vault checks the reader's own
    pseudonym in the programme against the pair's two."""
    running = await running_programme(app, make_client, count=2)
    first, other = running.pairs
    async with app.state.databases.app_sessions() as db:
        from app.mentoring.models import Pair

        pair = await db.get(Pair, uuid.UUID(first.pair_id))
        assert pair is not None
        members = PairMembers(
            pair_id=pair.id, scope_id=pair.programme_id, first=pair.mentor, second=pair.mentee
        )
    async with app.state.databases.vault_sessions.begin() as db:
        vault = app.state.vault.bind(db)
        for outsider in (running.lead, other.mentor, other.mentee):
            with pytest.raises(NotPairMember):
                await vault.name_pair_partner(members, outsider.account_id)
        named = await vault.name_pair_partner(members, first.mentor.account_id)
        assert named is not None
        assert named.display_name == first.mentee_name
