"""Reporting lines must not leak through the refusals of formation moves (issue 17, finding 3).

The attack: `PATCH .../formations/{id}` with moves that are refused anyway (a last move to a team
that does not exist, so nothing is saved), once with a candidate in the target team and once
with the candidate moved out first; where the two refusals differ, the candidate is the moved
person's manager (or report). It recovered 15 of 15 direct manager pairs with none wrong.
Now a refusal by a rule about people pairs is one generic answer checked after the rules anyone
can check on the proposal, and refused moves are limited per facilitator.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from itertools import combinations, product
from typing import Any

import pytest
from fastapi import FastAPI

from app.main import create_app
from tests.api.people import COHORT_YEARS, Person, create_challenge, join, move, person
from tests.conftest import Client, DatabaseUrls, client_for, make_settings

PEOPLE = 16  # person i reports to person i // 4: 15 direct manager pairs


@pytest.fixture
async def unlimited(
    app: FastAPI, test_databases: DatabaseUrls, key_document: dict[str, object]
) -> AsyncIterator[tuple[FastAPI, Any]]:
    """The same databases with the refused-move limit out of the way, so that the wording of
    the refusals is tested alone (`app` is requested so that the tables are emptied after);
    and a factory of browsers for it."""
    application = create_app(
        make_settings(test_databases, key_document, refused_moves_per_10_minutes=100_000)
    )
    clients: list[Client] = []

    def factory() -> Client:
        clients.append(client_for(application))
        return clients[-1]

    async with application.router.lifespan_context(application):
        yield application, factory
    for c in clients:
        await c.aclose()


async def _proposal(app: FastAPI, make_client: Any) -> tuple[Person, str, dict[str, Any], dict]:
    """A challenge of 16 people with reporting lines, its finished formation run, and (for the
    test only, through the vault) each pseudonym's person."""
    facilitator = await person(app, make_client, roles=["facilitator"])
    people = []
    for i in range(PEOPLE):
        people.append(
            await person(
                app,
                make_client,
                email=f"oracle{i}@example.org",
                birth_year=COHORT_YEARS[i % len(COHORT_YEARS)],
                manager_email=f"oracle{i // 4}@example.org" if i else None,
            )
        )
    challenge = await create_challenge(
        facilitator.client,
        formation_mode="optimised",
        team_size={"min": 2, "target": 4, "max": 8},
    )
    cid = challenge["id"]
    assert (await move(facilitator.client, cid, "enrolment")).status_code == 200
    for i, someone in enumerate(people):
        assert (
            await join(someone.client, cid, teach=["data_viz", "negotiation"][i % 2])
        ).status_code == 200
    base = f"/api/v1/challenges/{cid}/formations"
    started = await facilitator.client.post(base, json={"time_limit_s": 1, "reporting_levels": 1})
    assert started.status_code == 202, started.text
    url = f"{base}/{started.json()['id']}"
    for _ in range(600):
        formation = (await facilitator.client.get(url)).json()
        if formation["status"] != "running":
            break
        await asyncio.sleep(0.1)
    assert formation["status"] == "done", formation
    assert formation["proposal"]["violations"] == 0
    index_of = {}
    async with app.state.databases.vault_sessions() as db:
        for i, someone in enumerate(people):
            found = await app.state.vault.bind(db).find_pseudonym(
                someone.account_id, uuid.UUID(cid)
            )
            index_of[str(found)] = i
    return facilitator, url, formation, index_of


def _reporting(a: int, b: int) -> bool:
    return a != b and (a // 4 == b or b // 4 == a)


def _teams(formation: dict[str, Any]) -> list[list[str]]:
    return [[m["pseudonym"] for m in team["members"]] for team in formation["proposal"]["teams"]]


def _answer(response: Any) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body.get("code", ""), body.get("detail", "")


def _sizes_hold(teams: list[list[str]], moves: list[tuple[str, int]]) -> bool:
    """Whether every move keeps the team sizes (2 to 8): the attacker, like anyone, can tell
    from the proposal, and only sends probes that break no rule it can check itself."""
    sizes = [len(t) for t in teams]
    team_of = {p: t for t, members in enumerate(teams) for p in members}
    for pseudonym, to in moves:
        if team_of[pseudonym] == to or sizes[team_of[pseudonym]] - 1 < 2 or sizes[to] + 1 > 8:
            return False
        sizes[team_of[pseudonym]] -= 1
        sizes[to] += 1
        team_of[pseudonym] = to
    return True


async def _probe(
    client: Client, url: str, moves: list[tuple[str, int]], last: str | None = None
) -> tuple[int, str, str]:
    """The moves, then one more to a team that does not exist: refused whatever comes before,
    so nothing is ever saved."""
    body = {"moves": [{"pseudonym": p, "to_team": t} for p, t in moves]}
    body["moves"].append({"pseudonym": last or moves[-1][0], "to_team": 99})
    return _answer(await client.patch(url, json=body))


async def test_the_refusal_oracle_recovers_no_reporting_line(
    unlimited: tuple[FastAPI, Any],
) -> None:
    facilitator, url, formation, index_of = await _proposal(*unlimited)
    teams = _teams(formation)
    team_of = {p: t for t, members in enumerate(teams) for p in members}
    truth = {frozenset((i, i // 4)) for i in range(1, PEOPLE)}
    # What a request refused by its last move alone answers (every earlier move allowed).
    only_the_last = await _probe(facilitator.client, url, [], last=next(iter(team_of)))
    recovered: set[frozenset[int]] = set()
    answers = {only_the_last}
    for a in sorted(team_of):
        for target, members in enumerate(teams):
            if not _sizes_hold(teams, [(a, target)]):
                continue
            with_everyone = await _probe(facilitator.client, url, [(a, target)])
            answers.add(with_everyone)
            if with_everyone == only_the_last:
                continue  # a's move into this team is allowed: nobody there to find
            # Take one, then two, of the team's members out first (to the other teams); the
            # smallest set whose absence lets a's move pass holds the people a is kept from.
            others = [t for t in range(len(teams)) if t != target]
            found = False
            for size in (1, 2):
                for taken in combinations(members, size):
                    for places in product(others, repeat=size):
                        moves = [*zip(taken, places, strict=True), (a, target)]
                        if not _sizes_hold(teams, moves):
                            continue
                        without = await _probe(facilitator.client, url, moves)
                        answers.add(without)
                        if without == only_the_last:
                            recovered |= {frozenset((index_of[a], index_of[b])) for b in taken}
                            found = True
                            break
                    if found:
                        break
                if found:
                    break
    right = recovered & truth
    assert not recovered, (
        f"recovered {len(right)} of {len(truth)} pairs, {len(recovered - right)} wrong"
    )
    # Every probe was answered alike: the refusal of the last move, whoever was where.
    assert answers == {only_the_last}
    assert only_the_last[:2] == (409, "move_refused")
    # Nothing was saved along the way.
    assert _teams((await facilitator.client.get(url)).json()) == teams


async def test_a_pair_refusal_names_no_one_and_reads_like_every_other(
    unlimited: tuple[FastAPI, Any],
) -> None:
    """Without a request refused anyway, a move into the team of one's manager is refused with
    the one generic reason: no handle, no team, the same words whoever the pair."""
    facilitator, url, formation, index_of = await _proposal(*unlimited)
    teams = _teams(formation)
    team_of = {p: t for t, members in enumerate(teams) for p in members}
    pseudonym_of = {i: p for p, i in index_of.items()}
    handles = {m["handle"] for t in formation["proposal"]["teams"] for m in t["members"]}
    answers = set()
    for report in range(1, PEOPLE):
        mover, manager = pseudonym_of[report], pseudonym_of[report // 4]
        refused = await facilitator.client.patch(
            url, json={"moves": [{"pseudonym": mover, "to_team": team_of[manager]}]}
        )
        answers.add(_answer(refused))
        assert not any(handle in refused.json()["detail"] for handle in handles)
    assert len(answers) == 1
    status, code, detail = answers.pop()
    assert (status, code) == (409, "move_refused")
    assert "rule the optimiser keeps" in detail
    # A size refusal still says what is wrong (anyone can count a team on the proposal).
    biggest = max(range(len(teams)), key=lambda t: len(teams[t]))
    others = [members for t, members in enumerate(teams) if t != biggest]
    movers = [members[k] for k in range(2) for members in others]  # no team below 2
    full = [{"pseudonym": p, "to_team": biggest} for p in movers[: 9 - len(teams[biggest])]]
    too_many = await facilitator.client.patch(url, json={"moves": full})
    assert too_many.status_code == 409
    assert "above the maximum of 8" in too_many.json()["detail"]


async def test_refused_moves_are_limited_per_facilitator(app: FastAPI, make_client: Any) -> None:
    facilitator, url, formation, index_of = await _proposal(app, make_client)
    teams = _teams(formation)
    team_of = {p: t for t, members in enumerate(teams) for p in members}
    someone, free = next(
        (p, t)
        for p in team_of
        for t in range(len(teams))
        if t != team_of[p] and not any(_reporting(index_of[p], index_of[q]) for q in teams[t])
    )
    refused = {"moves": [{"pseudonym": someone, "to_team": 99}]}
    for _ in range(app.state.settings.refused_moves_per_10_minutes):
        assert (await facilitator.client.patch(url, json=refused)).status_code == 409
    limited = await facilitator.client.patch(url, json=refused)
    assert limited.status_code == 429, limited.text
    assert limited.json()["code"] == "too_many_requests"
    assert 0 < int(limited.headers["Retry-After"]) <= 600
    # Beyond the limit, every move is answered 429, allowed or not: nothing tells them apart.
    allowed = {"moves": [{"pseudonym": someone, "to_team": free}]}
    assert (await facilitator.client.patch(url, json=allowed)).status_code == 429
    # Per facilitator: a co-facilitator of the challenge still moves people.
    cid = url.split("/challenges/")[1].split("/")[0]
    co = await person(app, make_client, roles=["facilitator"])
    added = await facilitator.client.post(
        f"/api/v1/challenges/{cid}/facilitators", json={"email": co.email}
    )
    assert added.status_code == 201
    moved = await co.client.patch(url, json=allowed)
    assert moved.status_code == 200, moved.text
