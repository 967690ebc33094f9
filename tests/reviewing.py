"""Test helpers for review rounds: a client-side token wallet and a fast world builder."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI

from app.challenges.models import Challenge, Participant
from app.challenges.service import move_phase
from app.reviews import blind_rsa
from app.reviews.schemas import IssuanceRequest
from app.submissions.models import Submission
from app.teams.models import Team
from tests.api.people import Person, create_challenge, join, move, person

RUBRIC = [
    {"id": "clarity", "title": "Clarity", "scale_min": 1, "scale_max": 5, "descriptors": {}},
    {"id": "usefulness", "title": "Usefulness", "scale_min": 1, "scale_max": 5, "descriptors": {}},
]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key(spki: str) -> rsa.RSAPublicKey:
    key = serialization.load_der_public_key(base64.b64decode(spki))
    assert isinstance(key, rsa.RSAPublicKey)
    return key


@dataclass
class Wallet:
    """What the browser does: blind a nonce per submission, finalise, keep tokens."""

    manifest: dict[str, Any]
    pending: dict[str, tuple[bytes, bytes, rsa.RSAPublicKey]] = field(default_factory=dict)
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)

    def request(self, submission_ids: list[str]) -> dict[str, Any]:
        keys = {k["submission_id"]: k for k in self.manifest["keys"]}
        blinded = []
        for submission_id in submission_ids:
            key = public_key(keys[submission_id]["spki"])
            prepared = blind_rsa.prepare(uuid.uuid4().bytes + uuid.uuid4().bytes)
            message, inv = blind_rsa.blind(key, prepared)
            self.pending[submission_id] = (prepared, inv, key)
            blinded.append({"submission_id": submission_id, "blinded_message": b64(message)})
        return {"blinded": blinded}

    def finalize(self, response: dict[str, Any]) -> None:
        for item in response["signatures"]:
            prepared, inv, key = self.pending.pop(item["submission_id"])
            signature = blind_rsa.finalize(key, prepared, unb64(item["blind_signature"]), inv)
            self.tokens[item["submission_id"]] = {
                "key_id": item["key_id"],
                "prepared_message": b64(prepared),
                "signature": b64(signature),
            }

    def review(self, submission_id: str, score: int = 4, comment: str = "Useful") -> dict[str, Any]:
        return {
            "token": self.tokens[submission_id],
            "submission_id": submission_id,
            "scores": {"clarity": score, "usefulness": score},
            "comment": comment,
        }


@dataclass
class ReviewWorld:
    challenge_id: uuid.UUID
    teams: list[uuid.UUID]
    submissions: dict[uuid.UUID, uuid.UUID]  # team -> submission
    members: dict[uuid.UUID, list[uuid.UUID]]  # team -> pseudonyms


async def build_review_world(app: FastAPI, *, teams: int, members: int, k: int = 3) -> ReviewWorld:
    """A challenge entering review with final submissions, built directly (no accounts needed:
    the anonymous path never sees one)."""
    sessions = app.state.databases.app_sessions
    async with sessions.begin() as db:
        challenge = Challenge(
            title="Linkage suite",
            brief="b",
            tags=[],
            track="deepen",
            team_size_min=2,
            team_size_target=members,
            team_size_max=max(members, 2),
            formation_mode="optimised",
            rubric=RUBRIC,
            review_k=k,
            phase="teamwork",
            published=True,
            created_by=uuid.uuid4(),
            revision=1,
        )
        db.add(challenge)
        await db.flush()
        world = ReviewWorld(challenge.id, [], {}, {})
        for t in range(teams):
            team = Team(challenge_id=challenge.id, name=f"Team {t:03d}")
            db.add(team)
            await db.flush()
            world.teams.append(team.id)
            world.members[team.id] = []
            for m in range(members):
                pseudonym = uuid.uuid4()
                db.add(
                    Participant(
                        pseudonym=pseudonym,
                        challenge_id=challenge.id,
                        handle=f"Handle {t}-{m}",
                        cohort="gen_x",
                        seniority_band="lt3",
                        department_tag=None,
                        language="en",
                        team_id=team.id,
                    )
                )
                world.members[team.id].append(pseudonym)
            submission = Submission(
                team_id=team.id,
                challenge_id=challenge.id,
                status="final",
                title=f"S{t}",
                body="b",
                links=[],
                version=1,
            )
            db.add(submission)
            await db.flush()
            world.submissions[team.id] = submission.id
        await move_phase(db, challenge, "review", app.state.review_rounds)
    return world


async def issue_directly(
    app: FastAPI, world: ReviewWorld, pseudonym: uuid.UUID, wallet: Wallet
) -> None:
    """Issuance as the signed-in route does it, without the HTTP and vault layers."""
    sessions = app.state.databases.app_sessions
    async with sessions.begin() as db:
        challenge = await db.get(Challenge, world.challenge_id)
        participant = await db.get(Participant, pseudonym)
        eligible = [str(s) for t, s in world.submissions.items() if t != participant.team_id]
        request = IssuanceRequest.model_validate(wallet.request(eligible))
        response = await app.state.review_rounds.issue(db, challenge, participant, request)
    wallet.finalize(response.model_dump(mode="json"))


async def close_round(app: FastAPI, world: ReviewWorld) -> None:
    async with app.state.databases.app_sessions.begin() as db:
        challenge = await db.get(Challenge, world.challenge_id)
        await move_phase(db, challenge, "closed", app.state.review_rounds)


async def review_phase_over_http(
    app: FastAPI, make_client: Any, teams: int = 3, size: int = 3
) -> dict[str, Any]:
    facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await create_challenge(facilitator.client)
    cid = challenge["id"]
    await move(facilitator.client, cid, "enrolment")
    groups: list[list[Person]] = []
    team_ids = []
    for _ in range(teams):
        members = [await person(app, make_client) for _ in range(size)]
        for member in members:
            await join(member.client, cid)
        team = (await members[0].client.post(f"/api/v1/challenges/{cid}/teams")).json()
        for member in members[1:]:
            await member.client.post("/api/v1/teams/join", json={"code": team["join_code"]})
        groups.append(members)
        team_ids.append(team["id"])
    await move(facilitator.client, cid, "teamwork")
    for members, team_id in zip(groups, team_ids, strict=True):
        url = f"/api/v1/teams/{team_id}/submission"
        await members[0].client.put(url, json={"base_version": 0, "title": "Plan", "body": "Text"})
        await members[0].client.post(f"{url}/final")
    assert (await move(facilitator.client, cid, "review")).status_code == 200
    return {"facilitator": facilitator, "cid": cid, "groups": groups, "team_ids": team_ids}


async def get_tokens(member: Person, cid: str) -> Wallet:
    manifest = (await member.client.get(f"/api/v1/challenges/{cid}/review-round")).json()
    status = (await member.client.get(f"/api/v1/challenges/{cid}/review-round/tokens")).json()
    wallet = Wallet(manifest)
    response = await member.client.post(
        f"/api/v1/challenges/{cid}/review-round/tokens",
        json=wallet.request(status["eligible_submission_ids"]),
    )
    assert response.status_code == 200, response.text
    wallet.finalize(response.json())
    return wallet
