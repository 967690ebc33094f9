"""The demo's mentoring programme: running, with the 40 demo employees, played through the API.

The demo facilitator creates a reverse-mentoring programme that requires the "mentor-training"
collection; the twenty younger employees take its quizzes and apply as mentors, the twenty
older ones as mentees; the lead accepts the mentors, runs the matcher and publishes. Then
the pairs answer, plan, meet, check in, some agree to reveal their names and a few write in
their journal. Everything goes through the real API (in-process, as `activity.py`), so every
guard and every vault step holds; the one thing an API cannot do is let time pass, so held
sessions are moved into the past by the same one-column step the tests use.

Development only; every name and text is invented.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI

from app.config import Settings
from app.demo.activity import DemoBrowser, _running_app
from app.demo.lessons import COLLECTIONS, LESSONS, SeedLesson
from app.mentoring.models import PairSession

BASE = "/api/v1/programmes"
LIBRARY = "/api/v1/library"
TITLE = "Reverse mentoring: the digital toolbox"
TOPICS = ["ai_assistants", "short_video", "data_viz"]
SLOTS = ["mon-am", "tue-pm", "wed-am", "thu-pm", "fri-am"]
# Indexes into the 40 demo employees (oldest generations first): the pair shown in the demo
# sign-ins. The mentee is of Generation X, the mentor of Generation Z.
DEMO_MENTEE = 5
DEMO_MENTOR = 31
NOTES = [
    "I finally see why short videos work for onboarding. Next time: my own script.",
    "We agreed to try the assistant on a real report before our next session.",
    "Good session. I learnt as much about negotiating budgets as I taught about dashboards.",
]


@dataclass(frozen=True)
class MentoringSignIns:
    mentor: str
    mentee: str


def demo_pair(participants: list[str]) -> MentoringSignIns:
    """The mentor and mentee the demo sign-ins show: each other's partner."""
    return MentoringSignIns(mentor=participants[DEMO_MENTOR], mentee=participants[DEMO_MENTEE])


def _training_answers() -> dict[tuple[str, str], list[list[int]]]:
    """The right answers to the training's quizzes, by (language, title) of each lesson."""
    training = next(c for c in COLLECTIONS if c.key == "mentor-training")
    lessons: list[SeedLesson] = [s for s in LESSONS if s.group in training.lessons]
    return {
        (s.language, s.title): [
            [i for i, choice in enumerate(q.choices) if choice.correct] for q in s.questions
        ]
        for s in lessons
    }


async def _pass_training(mentor: DemoBrowser, collection_id: str) -> None:
    answers = _training_answers()
    collection = await mentor.call("GET", f"{LIBRARY}/collections/{collection_id}")
    for item in collection["items"]:
        lesson = item["lesson"]
        if lesson is None:
            continue
        await mentor.call(
            "POST",
            f"{LIBRARY}/lessons/{lesson['id']}/attempts",
            {
                "version": lesson["version"],
                "answers": answers[(lesson["language"], lesson["title"])],
            },
        )


def _application(index: int, role: str, language: str) -> dict[str, Any]:
    # Everyone shares English and two of the week's slots with the others; each mentee wants
    # one topic, each mentor teaches all three, above what a mentee asks for.
    body: dict[str, Any] = {
        "role": role,
        "languages": sorted({"en", language}),
        "availability": [SLOTS[index % 5], SLOTS[(index + 2) % 5], "tue-pm"],
        "note": "Happy to learn as much as I teach.",
    }
    if role == "mentor":
        body |= {
            "teaches": [
                {"skill": topic, "level": 3 + (index + n) % 2} for n, topic in enumerate(TOPICS)
            ],
            "capacity": 1,
        }
    else:
        body["wants"] = [
            {
                "skill": TOPICS[index % 3],
                "level": 1 + index % 2,
                "guidance": ["discover", "deepen"][index % 2],
            }
        ]
    return body


def _pairs_of(run: dict[str, Any], handles: dict[str, int]) -> dict[int, int]:
    """The proposal as {mentee index: mentor index}."""
    return {
        handles[pair["mentee"]["handle"]]: handles[pair["mentor"]["handle"]]
        for pair in run["proposal"]["pairs"]
    }


async def _finished_run(lead: DemoBrowser, pid: str, run_id: str) -> dict[str, Any]:
    for _ in range(1200):
        run: dict[str, Any] = await lead.call("GET", f"{BASE}/{pid}/runs/{run_id}")
        if run["status"] != "running":
            if run["status"] != "done":
                raise RuntimeError(f"demo matching run ended as {run['status']}: {run['error']}")
            return run
        await asyncio.sleep(0.1)
    raise RuntimeError("demo matching run did not finish within two minutes")


async def _time_passes(app: FastAPI, session_id: str, days: int) -> None:
    """The accepted session took place `days` ago (the API only takes future times)."""
    async with app.state.databases.app_sessions.begin() as db:
        session = await db.get(PairSession, uuid.UUID(session_id))
        assert session is not None
        session.starts_at = datetime.now(UTC) - timedelta(days=days)


def _plan(n: int) -> dict[str, Any]:
    topic = TOPICS[n % 3].replace("_", " ")
    return {
        "revision": 0,
        "mentor": {
            "interests": "How decisions get made in a large organisation",
            "knowledge": f"Daily use of {topic}",
            "shortcomings": "Presenting to senior management",
            "goals": [
                {
                    "text": "Prepare a five-minute pitch for the next team meeting",
                    "guidance": "deepen",
                }
            ],
        },
        "mentee": {
            "interests": f"Using {topic} in my own work",
            "knowledge": "Twenty years of customer projects",
            "shortcomings": f"Never tried {topic}",
            "goals": [
                {"text": f"Try {topic} on a real task", "guidance": "discover"},
                {"text": "Show the result to my team", "guidance": "deepen"},
            ],
        },
    }


async def _work_as_a_pair(
    app: FastAPI, pid: str, n: int, mentor: DemoBrowser, mentee: DemoBrowser
) -> None:
    for member in (mentor, mentee):
        await member.call("POST", f"{BASE}/{pid}/pair/answer", {"answer": "accepted"})
    plan = await mentee.call("PUT", f"{BASE}/{pid}/pair/plan", _plan(n))
    goals = [g["id"] for side in ("mentor", "mentee") for g in plan[side]["goals"]]
    # One session held a fortnight ago, with both check-ins; one to come.
    soon = datetime.now(UTC) + timedelta(days=2 + n % 5, hours=1)
    where: dict[str, Any] = (
        {"place": "Meeting room Juniper, 2nd floor"}
        if n % 2
        else {"video_url": "https://meet.example.org/mentoring"}
    )
    held = await mentor.call(
        "POST",
        f"{BASE}/{pid}/pair/sessions",
        {"starts_at": soon.isoformat(), "minutes": 60, **where},
    )
    await mentee.call(
        "POST", f"{BASE}/{pid}/pair/sessions/{held['id']}/answer", {"answer": "accepted"}
    )
    await _time_passes(app, held["id"], days=14)
    for author, rating in ((mentor, 4), (mentee, 5 - n % 2)):
        await author.call(
            "POST",
            f"{BASE}/{pid}/pair/sessions/{held['id']}/check-in",
            {
                "covered": "We drafted the plan and tried a first example together.",
                "goal_progress": {goal: 1 + (n + i) % 3 for i, goal in enumerate(goals)},
                "next_step": "Each of us brings one real task next time.",
                "rating": rating,
            },
        )
    upcoming = await mentee.call(
        "POST",
        f"{BASE}/{pid}/pair/sessions",
        {"starts_at": (soon + timedelta(days=28)).isoformat(), "minutes": 45, **where},
    )
    if n % 3 == 0:
        await mentor.call(
            "POST",
            f"{BASE}/{pid}/pair/sessions/{upcoming['id']}/answer",
            {"answer": "accepted"},
        )
    # Some pairs agreed to show each other their names; the others stay handles.
    if n % 3 != 1:
        for member in (mentor, mentee):
            await member.call("PUT", f"{BASE}/{pid}/pair/reveal", {"reveal": True})
    if n < len(NOTES):
        await mentee.call("POST", f"{BASE}/{pid}/pair/journal", {"text": NOTES[n]})


async def run_programme(
    app: FastAPI, lead: DemoBrowser, participants: list[str], password: str
) -> bool:
    """Create the demo programme and play it into its running phase, unless it exists."""
    if any(p["title"] == TITLE for p in await lead.call("GET", BASE)):
        return False
    training = next(c for c in COLLECTIONS if c.key == "mentor-training").title["en"]
    collections = await lead.call("GET", f"{LIBRARY}/collections")
    collection_id = next(c["id"] for c in collections if c["title"] == training)
    now = datetime.now(UTC)
    created = await lead.call(
        "POST",
        BASE,
        {
            "title": TITLE,
            "purpose": (
                "Younger colleagues share the digital tools they use every day; experienced "
                "colleagues share how the organisation really works. Six sessions, monthly."
            ),
            "topics": TOPICS,
            "guidance_levels": ["discover", "deepen"],
            "training_required": True,
            "training_collection_id": collection_id,
            "schedule": {
                "applications_close_at": (now + timedelta(days=10)).isoformat(),
                "starts_at": (now + timedelta(days=11)).isoformat(),
                "ends_at": (now + timedelta(days=200)).isoformat(),
            },
        },
    )
    pid = created["id"]
    await lead.call("POST", f"{BASE}/{pid}/phase", {"phase": "applications"})

    browsers: dict[int, DemoBrowser] = {}
    handles: dict[str, int] = {}
    half = len(participants) // 2
    for index, email in enumerate(participants):
        browser = DemoBrowser(app)
        await browser.sign_in(email, password)
        role = "mentee" if index < half else "mentor"
        language = (await browser.call("GET", "/api/v1/me"))["language"]
        if role == "mentor":
            await _pass_training(browser, collection_id)
        mine = await browser.call(
            "PUT", f"{BASE}/{pid}/application", _application(index, role, language)
        )
        browsers[index] = browser
        handles[mine["handle"]] = index

    await lead.call("POST", f"{BASE}/{pid}/phase", {"phase": "matching"})
    for row in await lead.call("GET", f"{BASE}/{pid}/mentors"):
        await lead.call(
            "PUT", f"{BASE}/{pid}/mentors/{row['pseudonym']}/selection", {"selection": "accepted"}
        )
    started = await lead.call("POST", f"{BASE}/{pid}/runs", {"time_limit_s": 10})
    run = await _finished_run(lead, pid, started["id"])
    # The pair the demo sign-ins show: move the demo mentee to the demo mentor if the
    # matcher chose otherwise (the lead's swap, with its rules).
    proposal = run["proposal"]
    pseudonyms = {
        handles[member["handle"]]: member["pseudonym"]
        for pair in proposal["pairs"]
        for member in (pair["mentor"], pair["mentee"])
    } | {handles[u["handle"]]: u["pseudonym"] for u in proposal["unmatched"]}
    proposed = _pairs_of(run, handles)
    if proposed.get(DEMO_MENTEE) != DEMO_MENTOR:
        swaps = f"{BASE}/{pid}/runs/{run['id']}/swaps"
        theirs = next((e for e, m in proposed.items() if m == DEMO_MENTOR), None)
        if theirs is not None:  # the mentor's place first, then an exchange where allowed
            await lead.call("POST", swaps, {"mentee": pseudonyms[theirs], "mentor": None})
        run = await lead.call(
            "POST", swaps, {"mentee": pseudonyms[DEMO_MENTEE], "mentor": pseudonyms[DEMO_MENTOR]}
        )
        left = proposed.get(DEMO_MENTEE)
        if theirs is not None and left is not None:
            with contextlib.suppress(RuntimeError):  # refused: that mentee waits in the pool
                run = await lead.call(
                    "POST", swaps, {"mentee": pseudonyms[theirs], "mentor": pseudonyms[left]}
                )
    await lead.call("POST", f"{BASE}/{pid}/runs/{run['id']}/publish")

    pairs = _pairs_of(run, handles)
    # The demo pair first, so that it is one of the pairs with a journal.
    ordered = sorted(pairs.items(), key=lambda pair: pair[0] != DEMO_MENTEE)
    for n, (mentee_index, mentor_index) in enumerate(ordered):
        await _work_as_a_pair(app, pid, n, browsers[mentor_index], browsers[mentee_index])
    return True


async def seed_mentoring(
    settings: Settings, facilitator: str, participants: list[str], password: str
) -> bool:
    """Fill the demo's mentoring programme as `facilitator` leads it; True if it was created.
    Needs the library seeded first (the training collection)."""
    async with _running_app(settings) as app:
        lead = DemoBrowser(app)
        await lead.sign_in(facilitator, password)
        return await run_programme(app, lead, participants, password)
