"""Demo activity: four challenges in different phases, played through the real API in-process.

Driving the HTTP API (rather than writing rows) keeps the demo honest: pseudonyms come from the
vault, phases pass their guards, reviews are made with real blind tokens and redeemed
anonymously. Development only; every name and text is invented.
"""

from __future__ import annotations

import base64
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI

from app.config import Settings
from app.reviews import blind_rsa

RUBRIC = [
    {
        "id": "clarity",
        "title": "Clarity",
        "scale_min": 1,
        "scale_max": 5,
        "descriptors": {"1": "Hard to follow", "5": "Anyone could act on it"},
    },
    {
        "id": "usefulness",
        "title": "Usefulness",
        "scale_min": 1,
        "scale_max": 5,
        "descriptors": {"1": "Nice idea, little use", "5": "We should do this now"},
    },
]
DIGITAL = ["short_video", "ai_assistants", "data_viz", "no_code"]
EXPERIENCE = ["negotiation", "mentoring", "stakeholder_mgmt", "public_speaking"]
MESSAGES = [
    "Hello all! Shall we start with what each of us already knows?",
    "I can show the tool in a 20-minute call on Thursday.",
    "Good idea. I will bring two real examples from last year.",
    "Draft outline is in the submission, please edit freely.",
]


class DemoBrowser:
    """One person's browser: a cookie jar, the CSRF token, sign-in."""

    def __init__(self, app: FastAPI) -> None:
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://demo.local"
        )
        self.csrf = ""

    async def sign_in(self, email: str, password: str) -> None:
        self.csrf = (await self.http.get("/api/v1/auth/csrf")).json()["csrf_token"]
        response = await self.call(
            "POST", "/api/v1/auth/sign-in", {"email": email, "password": password}
        )
        self.csrf = response["csrf_token"]

    async def call(self, method: str, path: str, body: Any = None) -> Any:
        response = await self.http.request(
            method, path, json=body, headers={"X-CSRF-Token": self.csrf}
        )
        if response.status_code >= 400:
            raise RuntimeError(f"demo step {method} {path} failed: {response.text[:300]}")
        return response.json() if response.content else None


@asynccontextmanager
async def _running_app(settings: Settings) -> AsyncIterator[FastAPI]:
    from app.main import create_app

    app = create_app(settings.model_copy(update={"serve_ui": False, "phase_tick_seconds": 0}))
    # Hundreds of in-process requests: their access log lines would bury the sign-ins printed.
    for name in ("app.access", "httpx"):
        logging.getLogger(name).setLevel(logging.WARNING)
    async with app.router.lifespan_context(app):
        yield app


def _skills(index: int, junior: bool) -> dict[str, Any]:
    teach, learn = (DIGITAL, EXPERIENCE) if junior else (EXPERIENCE, DIGITAL)
    return {
        "teach": [{"skill": teach[index % 4], "level": 4}],
        "learn": [{"skill": learn[(index + 1) % 4], "level": 1 + index % 2}],
    }


def _challenge(title: str, brief: str, track: str, mode: str) -> dict[str, Any]:
    """Dates ahead: the demo moves each phase by hand (the phase's date becomes now), and the
    next deadline stays in the future for the countdowns."""
    now = datetime.now(UTC)
    days = 1
    return {
        "title": title,
        "brief": brief,
        "tags": ["reverse mentoring"],
        "track": track,
        "team_size": {"min": 3, "target": 4, "max": 5},
        "formation_mode": mode,
        "rubric": RUBRIC,
        "review_k": 3,
        "schedule": {
            "enrolment_opens_at": (now + timedelta(days=days)).isoformat(),
            "teamwork_starts_at": (now + timedelta(days=days + 7)).isoformat(),
            "review_starts_at": (now + timedelta(days=days + 21)).isoformat(),
            "closes_at": (now + timedelta(days=days + 28)).isoformat(),
        },
    }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


async def _review_everything(app: FastAPI, person: DemoBrowser, cid: str, score: int) -> None:
    """What the browser does: blind one nonce per submission, finalise, redeem anonymously."""
    manifest = await person.call("GET", f"/api/v1/challenges/{cid}/review-round")
    status = await person.call("GET", f"/api/v1/challenges/{cid}/review-round/tokens")
    keys = {k["submission_id"]: k for k in manifest["keys"]}
    pending: dict[str, tuple[bytes, bytes, rsa.RSAPublicKey]] = {}
    blinded = []
    for submission_id in status["eligible_submission_ids"]:
        key = serialization.load_der_public_key(base64.b64decode(keys[submission_id]["spki"]))
        assert isinstance(key, rsa.RSAPublicKey)
        prepared = blind_rsa.prepare(uuid.uuid4().bytes + uuid.uuid4().bytes)
        message, inverse = blind_rsa.blind(key, prepared)
        pending[submission_id] = (prepared, inverse, key)
        blinded.append({"submission_id": submission_id, "blinded_message": _b64(message)})
    issued = await person.call(
        "POST", f"/api/v1/challenges/{cid}/review-round/tokens", {"blinded": blinded}
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://demo.local"
    ) as anonymous:
        for item in issued["signatures"]:
            prepared, inverse, key = pending[item["submission_id"]]
            signature = blind_rsa.finalize(key, prepared, _unb64(item["blind_signature"]), inverse)
            body = {
                "token": {
                    "key_id": item["key_id"],
                    "prepared_message": _b64(prepared),
                    "signature": _b64(signature),
                },
                "submission_id": item["submission_id"],
                "scores": {"clarity": score, "usefulness": 1 + (score + 1) % 5},
                "comment": "Clear plan; the examples from both generations made it convincing.",
            }
            # Accepted into the mix: the round's close writes them (app/redemption/mix.py).
            response = await anonymous.post("/api/v1/reviews", json=body)
            if response.status_code != 202:
                raise RuntimeError(f"demo review refused: {response.text[:300]}")


async def _form_teams(
    people: list[DemoBrowser], cid: str, size: int
) -> list[tuple[str, list[DemoBrowser]]]:
    """Self-formed teams of `size` (while enrolment is open), with a few messages each."""
    groups = [people[i : i + size] for i in range(0, len(people) - size + 1, size)]
    teams = []
    for group in groups:
        team = await group[0].call("POST", f"/api/v1/challenges/{cid}/teams")
        for member in group[1:]:
            await member.call("POST", "/api/v1/teams/join", {"code": team["join_code"]})
        for i, member in enumerate(group):
            await member.call(
                "POST", f"/api/v1/teams/{team['id']}/messages", {"body": MESSAGES[i % 4]}
            )
        teams.append((str(team["id"]), group))
    return teams


async def _work(teams: list[tuple[str, list[DemoBrowser]]], *, final: bool) -> None:
    """During teamwork: a draft in two versions by two members, maybe the final submission."""
    for n, (team_id, group) in enumerate(teams):
        url = f"/api/v1/teams/{team_id}/submission"
        outline = "## Outline\n\n- Why it matters"
        await group[0].call(
            "PUT", url, {"base_version": 0, "title": f"Plan {n + 1}", "body": outline}
        )
        await group[-1].call(
            "PUT",
            url,
            {
                "base_version": 1,
                "title": f"Plan {n + 1}",
                "body": outline + "\n- Who teaches whom\n- First steps",
            },
        )
        if final:
            await group[0].call("POST", f"{url}/final")


async def seed_challenges(
    settings: Settings, facilitator: str, people: list[str], password: str
) -> bool:
    """Create the demo challenges unless some challenge exists already; True if created.

    ``people[0]`` is the demo participant the README names: they take part in the teamwork,
    review and closed challenges and can still join the one in enrolment.
    """
    async with _running_app(settings) as app:
        host = DemoBrowser(app)
        await host.sign_in(facilitator, password)
        if (await host.call("GET", "/api/v1/challenges"))["items"]:
            return False
        browsers = []
        for email in people:
            browser = DemoBrowser(app)
            await browser.sign_in(email, password)
            browsers.append(browser)
        await _play(app, host, browsers)
        return True


async def _play(app: FastAPI, host: DemoBrowser, browsers: list[DemoBrowser]) -> None:
    """The four challenges, from the oldest (closed) to the newest (enrolment)."""
    # The demo people come grouped by generation; dealt with a stride, any run of consecutive
    # people (a demo team) mixes generations. The first person, the README's, stays first.
    stride = max(1, -(-len(browsers) // 4))
    browsers = [browsers[i] for i in sorted(range(len(browsers)), key=lambda i: (i % stride, i))]
    junior = [i % 2 == 0 for i in range(len(browsers))]

    async def create(body: dict[str, Any], phase: str) -> str:
        created = await host.call("POST", "/api/v1/challenges", body)
        await host.call("POST", f"/api/v1/challenges/{created['id']}/phase", {"phase": phase})
        return str(created["id"])

    async def enrol(cid: str, who: list[int]) -> None:
        for i in who:
            await browsers[i].call(
                "POST", f"/api/v1/challenges/{cid}/enrolment", _skills(i, junior[i])
            )

    async def advance(cid: str, phase: str) -> None:
        await host.call("POST", f"/api/v1/challenges/{cid}/phase", {"phase": phase})

    # 1. Closed, with results: four teams reviewed each other.
    closed = await create(
        _challenge(
            "Negotiation stories across generations",
            "Collect **three negotiation stories** from colleagues of another generation "
            "and turn them into a one-page guide.",
            "deepen",
            "self_formed",
        ),
        "enrolment",
    )
    await enrol(closed, list(range(12)))
    teams = await _form_teams(browsers[:12], closed, 3)
    await advance(closed, "teamwork")
    await _work(teams, final=True)
    await advance(closed, "review")
    for n, member in enumerate(m for _, group in teams for m in group):
        await _review_everything(app, member, closed, 3 + n % 3)
    await advance(closed, "closed")

    # 2. Review open: the demo participant has reviews to write.
    review = await create(
        _challenge(
            "Onboarding, reinvented",
            "Redesign the **first week** of a new colleague using one digital tool and one "
            "piece of hard-won experience.",
            "exploit",
            "self_formed",
        ),
        "enrolment",
    )
    await enrol(review, list(range(12)))
    teams = await _form_teams(browsers[:12], review, 4)
    await advance(review, "teamwork")
    await _work(teams, final=True)
    await advance(review, "review")

    # 3. Teamwork: messages and a draft with versions, a deadline ahead.
    teamwork = await create(
        _challenge(
            "AI assistants for everyday writing",
            "Show a colleague of another generation how an **AI assistant** can draft, "
            "shorten and translate everyday e-mails — and where not to trust it.",
            "discover",
            "self_formed",
        ),
        "enrolment",
    )
    await enrol(teamwork, list(range(16)))
    teams = await _form_teams(browsers[:16], teamwork, 4)
    await advance(teamwork, "teamwork")
    await _work(teams, final=False)

    # 4. Enrolment: people have joined; the facilitator can form teams.
    enrolment = await create(
        _challenge(
            "Short videos that recruit",
            "Plan a **30-second video** that makes a graduate want to work here. Juniors "
            "know the formats; seniors know what the job is really like.",
            "discover",
            "optimised",
        ),
        "enrolment",
    )
    await enrol(enrolment, list(range(1, min(len(browsers), 25))))
