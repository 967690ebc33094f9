"""Submissions and facilitator feedback (issue 19).

Findings: facilitators could neither read a team's submission nor give the team feedback; any
one member could lock the team's final for everyone, with no way back; an old version could be
read but not compared or restored.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select, text, update

from app.challenges.models import Challenge
from app.kit.orm import utcnow
from app.vault.models import AuditEvent
from tests.api.people import Person, create_challenge, join, move, person


async def _world(app: FastAPI, make_client: Any) -> dict[str, Any]:
    """A challenge in teamwork with team A (two members) and team B (one), a co-facilitator,
    and a facilitator of another challenge."""
    creator = await person(app, make_client, roles=["facilitator"], display_name="Camille Martin")
    co = await person(app, make_client, roles=["facilitator"], display_name="Sam Okafor")
    other = await person(app, make_client, roles=["facilitator"], display_name="Other Person")
    a1 = await person(app, make_client, display_name="Ada Real-Name", birth_year=1970)
    a2 = await person(app, make_client, display_name="Bo Real-Name", birth_year=1995)
    b1 = await person(app, make_client, display_name="Cy Real-Name", birth_year=1985)
    challenge = await create_challenge(creator.client)
    cid = challenge["id"]
    added = await creator.client.post(
        f"/api/v1/challenges/{cid}/facilitators", json={"email": co.email}
    )
    assert added.status_code == 201, added.text
    await create_challenge(other.client)
    assert (await move(creator.client, cid, "enrolment")).status_code == 200
    for someone in (a1, a2, b1):
        assert (await join(someone.client, cid)).status_code == 200
    team_a = (await a1.client.post(f"/api/v1/challenges/{cid}/teams")).json()
    joined = await a2.client.post("/api/v1/teams/join", json={"code": team_a["join_code"]})
    assert joined.status_code == 200, joined.text
    team_b = (await b1.client.post(f"/api/v1/challenges/{cid}/teams")).json()
    assert (await move(creator.client, cid, "teamwork")).status_code == 200
    return {
        "creator": creator,
        "co": co,
        "other": other,
        "a1": a1,
        "a2": a2,
        "b1": b1,
        "cid": cid,
        "a": team_a["id"],
        "b": team_b["id"],
    }


async def _save(someone: Person, team: str, base: int, title: str, body: str) -> Any:
    response = await someone.client.put(
        f"/api/v1/teams/{team}/submission",
        json={"base_version": base, "title": title, "body": body},
    )
    assert response.status_code == 200, response.text
    return response.json()


async def _notices(someone: Person) -> list[dict[str, Any]]:
    response = await someone.client.get("/api/v1/me/notifications")
    assert response.status_code == 200
    return list(response.json())


class TestFacilitatorsReadSubmissions:
    async def test_the_challenge_facilitators_read_a_team_draft_and_its_history(
        self, app: FastAPI, make_client: Any
    ) -> None:
        w = await _world(app, make_client)
        await _save(w["a1"], w["a"], 0, "Plan", "First **idea**")
        await _save(w["a2"], w["a"], 1, "Plan v2", "Second idea")
        for facilitator in (w["creator"], w["co"]):
            url = f"/api/v1/challenges/{w['cid']}/teams/{w['a']}/submission"
            response = await facilitator.client.get(url)
            assert response.status_code == 200, response.text
            seen = response.json()
            assert seen["status"] == "draft"
            assert seen["title"] == "Plan v2"
            assert [v["version"] for v in seen["history"]] == [2, 1]
            # Pseudonymous: handles, never a name.
            assert "Real-Name" not in response.text
            old = await facilitator.client.get(f"{url}/versions/1")
            assert old.status_code == 200
            assert "<strong>idea</strong>" in old.json()["body_html"]

    async def test_a_facilitator_of_another_challenge_gets_404(
        self, app: FastAPI, make_client: Any
    ) -> None:
        w = await _world(app, make_client)
        await _save(w["a1"], w["a"], 0, "Plan", "Body")
        base = f"/api/v1/challenges/{w['cid']}/teams/{w['a']}"
        for method, path, body in (
            ("GET", "/submission", None),
            ("GET", "/submission/versions/1", None),
            ("GET", "/feedback", None),
            ("POST", "/feedback", {"body": "Nice"}),
        ):
            response = await w["other"].client.request(method, base + path, json=body)
            assert response.status_code == 404, (method, path, response.text)

    async def test_a_team_of_another_challenge_is_not_found_through_this_one(
        self, app: FastAPI, make_client: Any
    ) -> None:
        w = await _world(app, make_client)
        mine = await create_challenge(w["creator"].client)
        url = f"/api/v1/challenges/{mine['id']}/teams/{w['a']}/submission"
        response = await w["creator"].client.get(url)
        assert response.status_code == 404
        assert response.json()["code"] == "team_not_found"


class TestFeedback:
    async def test_the_team_sees_feedback_signed_and_is_told(
        self, app: FastAPI, make_client: Any
    ) -> None:
        w = await _world(app, make_client)
        await _save(w["a1"], w["a"], 0, "Plan", "Body")
        url = f"/api/v1/challenges/{w['cid']}/teams/{w['a']}/feedback"
        given = await w["co"].client.post(url, json={"body": "Good start: add **numbers**."})
        assert given.status_code == 201, given.text
        assert given.json()["author_name"] == "Sam Okafor"
        assert given.json()["is_mine"] is True
        assert given.json()["version"] == 1
        for member in (w["a1"], w["a2"]):
            response = await member.client.get(f"/api/v1/teams/{w['a']}/feedback")
            assert response.status_code == 200
            [feedback] = response.json()
            assert feedback["author_name"] == "Sam Okafor"
            assert "<strong>numbers</strong>" in feedback["body_html"]
            assert feedback["created_at"]
            assert feedback["is_mine"] is False
            assert "email" not in response.text
            assert w["co"].email not in response.text
            kinds = [(n["kind"], n["params"].get("team_id")) for n in await _notices(member)]
            assert ("team_feedback", w["a"]) in kinds
        # The creator reads it too, and sees whose it is.
        listed = (await w["creator"].client.get(url)).json()
        assert [(f["author_name"], f["is_mine"]) for f in listed] == [("Sam Okafor", False)]

    async def test_signing_is_logged_once_and_reading_it_writes_nothing_to_the_vault(
        self, app: FastAPI, make_client: Any
    ) -> None:
        """The facilitator's log says their name signs feedback to a team, once, when they sign;
        a member reading it writes nothing to the vault, since a write there would be ordered
        next to that member's own session writes and tie their account to the team."""
        w = await _world(app, make_client)
        url = f"/api/v1/challenges/{w['cid']}/teams/{w['a']}/feedback"
        assert (await w["creator"].client.post(url, json={"body": "Hello"})).status_code == 201

        async def signatures() -> list[AuditEvent]:
            async with app.state.databases.vault_sessions() as db:
                return list(
                    await db.scalars(
                        select(AuditEvent).where(
                            AuditEvent.subject_account_id == w["creator"].account_id,
                            AuditEvent.action == "sign_team_feedback",
                        )
                    )
                )

        async def vault_counts() -> tuple[int, int]:
            """Audit rows, and the reads they count."""
            async with app.state.databases.vault_sessions() as db:
                rows, reads = (
                    await db.execute(text("SELECT count(*), sum(count) FROM audit_events"))
                ).one()
                return int(rows), int(reads or 0)

        (signed,) = await signatures()
        assert signed.count == 1
        assert signed.actor_account_id not in {w["a1"].account_id, w["a2"].account_id}
        before = await vault_counts()
        for _ in range(3):
            assert (await w["a1"].client.get(f"/api/v1/teams/{w['a']}/feedback")).status_code == 200
        await w["a2"].client.get(f"/api/v1/teams/{w['a']}/feedback")
        assert await vault_counts() == before
        (still,) = await signatures()
        assert still.count == 1
        trail = (await w["creator"].client.get("/api/v1/me/audit")).json()["entries"]
        assert any(e["action"] == "sign_team_feedback" and e["count"] == 1 for e in trail)

    async def test_a_participant_cannot_post_feedback(self, app: FastAPI, make_client: Any) -> None:
        w = await _world(app, make_client)
        url = f"/api/v1/challenges/{w['cid']}/teams/{w['a']}/feedback"
        for member in (w["a1"], w["b1"]):
            response = await member.client.post(url, json={"body": "I grade myself 10/10"})
            assert response.status_code == 403
            assert response.headers["content-type"] == "application/problem+json"
        assert (await w["a1"].client.get(f"/api/v1/teams/{w['a']}/feedback")).json() == []

    async def test_a_member_of_another_team_cannot_read_it(
        self, app: FastAPI, make_client: Any
    ) -> None:
        w = await _world(app, make_client)
        url = f"/api/v1/challenges/{w['cid']}/teams/{w['a']}/feedback"
        assert (await w["creator"].client.post(url, json={"body": "Secret"})).status_code == 201
        response = await w["b1"].client.get(f"/api/v1/teams/{w['a']}/feedback")
        assert response.status_code == 404
        assert (await w["b1"].client.get(f"/api/v1/teams/{w['b']}/feedback")).json() == []
        assert not [n for n in await _notices(w["b1"]) if n["kind"] == "team_feedback"]

    async def test_an_empty_feedback_is_refused_by_field(
        self, app: FastAPI, make_client: Any
    ) -> None:
        w = await _world(app, make_client)
        url = f"/api/v1/challenges/{w['cid']}/teams/{w['a']}/feedback"
        response = await w["creator"].client.post(url, json={"body": "   "})
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"


class TestTheFinalIsTheTeams:
    async def test_any_member_withdraws_a_final_and_teammates_are_told(
        self, app: FastAPI, make_client: Any
    ) -> None:
        w = await _world(app, make_client)
        url = f"/api/v1/teams/{w['a']}/submission"
        await _save(w["a1"], w["a"], 0, "Plan", "Body")
        final = await w["a1"].client.post(f"{url}/final")
        assert final.json()["status"] == "final"
        assert final.json()["final_withdrawable"] is True
        told = [n for n in await _notices(w["a2"]) if n["kind"] == "submission_final"]
        assert told
        assert told[0]["params"]["version"] == 1
        assert told[0]["params"]["handle"]
        assert not [n for n in await _notices(w["a1"]) if n["kind"] == "submission_final"]
        # The teammate disagrees: back to a draft, and editing again.
        withdrawn = await w["a2"].client.delete(f"{url}/final")
        assert withdrawn.status_code == 200, withdrawn.text
        assert withdrawn.json()["status"] == "draft"
        assert withdrawn.json()["editable"] is True
        assert [n for n in await _notices(w["a1"]) if n["kind"] == "submission_reopened"]
        await _save(w["a2"], w["a"], 1, "Plan", "Better body")

    async def test_withdrawing_needs_a_final_and_the_deadline_not_passed(
        self, app: FastAPI, make_client: Any
    ) -> None:
        w = await _world(app, make_client)
        url = f"/api/v1/teams/{w['a']}/submission"
        await _save(w["a1"], w["a"], 0, "Plan", "Body")
        not_final = await w["a1"].client.delete(f"{url}/final")
        assert not_final.status_code == 409
        assert not_final.json()["code"] == "not_final"
        await w["a1"].client.post(f"{url}/final")
        async with app.state.databases.app_sessions.begin() as db:
            await db.execute(
                update(Challenge)
                .where(Challenge.id == uuid.UUID(w["cid"]))
                .values(review_starts_at=utcnow() - timedelta(minutes=1))
            )
        late = await w["a2"].client.delete(f"{url}/final")
        assert late.status_code == 409
        after = (await w["a2"].client.get(url)).json()
        assert after["status"] == "final"
        assert after["final_withdrawable"] is False

    async def test_another_team_cannot_withdraw(self, app: FastAPI, make_client: Any) -> None:
        w = await _world(app, make_client)
        url = f"/api/v1/teams/{w['a']}/submission"
        await _save(w["a1"], w["a"], 0, "Plan", "Body")
        await w["a1"].client.post(f"{url}/final")
        assert (await w["b1"].client.delete(f"{url}/final")).status_code == 404
        assert (await w["creator"].client.delete(f"{url}/final")).status_code == 404


class TestRestore:
    async def test_restoring_adds_a_version_with_the_old_content(
        self, app: FastAPI, make_client: Any
    ) -> None:
        w = await _world(app, make_client)
        url = f"/api/v1/teams/{w['a']}/submission"
        await _save(w["a1"], w["a"], 0, "First", "Old text")
        await _save(w["a2"], w["a"], 1, "Second", "New text")
        restored = await w["a2"].client.post(
            f"{url}/restore", json={"version": 1, "base_version": 2}
        )
        assert restored.status_code == 200, restored.text
        body = restored.json()
        assert (body["version"], body["title"], body["body"]) == (3, "First", "Old text")
        assert [v["version"] for v in body["history"]] == [3, 2, 1]
        # Nothing rewritten: version 2 is still there as it was.
        assert (await w["a1"].client.get(f"{url}/versions/2")).json()["body"] == "New text"

    async def test_restore_over_a_newer_version_is_a_conflict(
        self, app: FastAPI, make_client: Any
    ) -> None:
        w = await _world(app, make_client)
        url = f"/api/v1/teams/{w['a']}/submission"
        await _save(w["a1"], w["a"], 0, "First", "Old text")
        await _save(w["a2"], w["a"], 1, "Second", "New text")
        stale = await w["a1"].client.post(f"{url}/restore", json={"version": 1, "base_version": 1})
        assert stale.status_code == 409
        assert stale.json()["code"] == "version_conflict"
        missing = await w["a1"].client.post(
            f"{url}/restore", json={"version": 9, "base_version": 2}
        )
        assert missing.status_code == 404
        assert missing.json()["code"] == "version_not_found"
        await w["a1"].client.post(f"{url}/final")
        locked = await w["a1"].client.post(f"{url}/restore", json={"version": 1, "base_version": 2})
        assert locked.status_code == 409
        assert locked.json()["code"] == "submission_locked"
