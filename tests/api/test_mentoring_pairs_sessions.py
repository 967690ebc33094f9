"""A pair at work: the plan, sessions with their calendar events, check-ins (issue 20, item 7)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from icalendar import Calendar

from app.kit.orm import utcnow
from app.mentoring.models import PairSession
from tests.api.test_mentoring_pairs_names import running_programme
from tests.api.test_mentoring_programmes import BASE
from tests.conftest import Client


def part(*goals: tuple[str, str], **text: str) -> dict[str, Any]:
    return {
        "interests": text.get("interests", ""),
        "knowledge": text.get("knowledge", ""),
        "shortcomings": text.get("shortcomings", ""),
        "goals": [{"text": goal, "guidance": level} for goal, level in goals],
    }


def session_body(days: int = 3, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "starts_at": (utcnow() + timedelta(days=days)).isoformat(),
        "minutes": 60,
        "place": "Room 4B",
    }
    body.update(overrides)
    return body


def events(ics: bytes) -> list[Any]:
    return list(Calendar.from_ical(ics).walk("VEVENT"))


async def make_held(app: FastAPI, session_id: str) -> None:
    """Time passes: the accepted session took place yesterday."""
    async with app.state.databases.app_sessions.begin() as db:
        session = await db.get(PairSession, uuid.UUID(session_id))
        assert session is not None
        session.starts_at = utcnow() - timedelta(days=1)


async def test_a_pair_plans_meets_and_checks_in_and_only_the_pair_sees_it(
    app: FastAPI, make_client: Any, admin_client: Client
) -> None:
    running = await running_programme(app, make_client, count=2)
    pid, lead = running.pid, running.lead
    pair, other = running.pairs
    mentor, mentee = pair.mentor.client, pair.mentee.client

    # The plan: empty at first, written by either member, guarded by its revision.
    empty = (await mentor.get(f"{BASE}/{pid}/pair/plan")).json()
    assert empty["revision"] == 0
    assert empty["mentee"]["goals"] == []
    plan = {
        "revision": 0,
        "mentor": part(("Run a meeting with fewer slides", "deepen"), interests="Leadership"),
        "mentee": part(
            ("Write prompts that give usable drafts", "discover"),
            ("Automate the weekly report", "exploit"),
            knowledge="Spreadsheets",
            shortcomings="Never used an AI assistant",
        ),
    }
    saved = await mentee.put(f"{BASE}/{pid}/pair/plan", json=plan)
    assert saved.status_code == 200, saved.text
    written = saved.json()
    assert written["revision"] == 1
    goals = {g["text"]: g["id"] for side in ("mentor", "mentee") for g in written[side]["goals"]}
    assert len(set(goals.values())) == 3
    stale = await mentor.put(f"{BASE}/{pid}/pair/plan", json=plan)
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_plan"
    # An edit that keeps a goal's id keeps the goal.
    kept = written["mentee"]["goals"][0]
    edited = plan | {
        "revision": 1,
        "mentee": part(shortcomings="Fewer now") | {"goals": [kept]},
    }
    again = (await mentor.put(f"{BASE}/{pid}/pair/plan", json=edited)).json()
    assert again["revision"] == 2
    assert again["mentee"]["goals"] == [kept]
    assert (await mentee.get(f"{BASE}/{pid}/pair/plan")).json() == again

    # Nobody outside the pair reads or writes it.
    assert (await lead.client.get(f"{BASE}/{pid}/pair/plan")).json()["code"] == "no_application"
    assert (await admin_client.get(f"{BASE}/{pid}/pair/plan")).json()["code"] == "no_application"
    theirs = (await other.mentor.client.get(f"{BASE}/{pid}/pair/plan")).json()
    assert theirs["revision"] == 0

    # Sessions: a place or a video link (not both, not neither), in the future.
    refused = {
        "neither": session_body(place=None),
        "both": session_body(video_url="https://meet.example.org/abc"),
        "past": session_body(days=-1),
        "no_zone": session_body(starts_at="2030-01-01T09:00:00"),
    }
    codes = {}
    for name, body in refused.items():
        answer = await mentor.post(f"{BASE}/{pid}/pair/sessions", json=body)
        assert answer.status_code == 422, (name, answer.text)
        codes[name] = {e["field"]: e["code"] for e in answer.json()["errors"]}
    assert codes["neither"] == {"body.place": "place_or_video_link"}
    assert codes["both"] == {"body.place": "place_or_video_link"}
    assert codes["past"] == {"body.starts_at": "in_the_past"}
    assert codes["no_zone"] == {"body.starts_at": "needs_time_zone"}
    bad_link = await mentor.post(
        f"{BASE}/{pid}/pair/sessions", json=session_body(place=None, video_url="meet me")
    )
    assert bad_link.status_code == 422

    proposed = await mentor.post(f"{BASE}/{pid}/pair/sessions", json=session_body())
    assert proposed.status_code == 201, proposed.text
    sid = proposed.json()["id"]
    assert proposed.json()["status"] == "proposed"
    own = await mentor.post(f"{BASE}/{pid}/pair/sessions/{sid}/answer", json={"answer": "accepted"})
    assert own.json()["code"] == "session_wrong_state"
    accepted = await mentee.post(
        f"{BASE}/{pid}/pair/sessions/{sid}/answer", json={"answer": "accepted"}
    )
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["proposed_by_me"] is False

    # Its calendar event: the programme, the place, never a handle or a name.
    ics = await mentee.get(f"{BASE}/{pid}/pair/sessions/{sid}.ics")
    assert ics.status_code == 200
    assert ics.headers["content-type"].startswith("text/calendar")
    [event] = events(ics.content)
    uid = str(event["uid"])
    assert str(event["summary"]) == "Mentoring session: Reverse mentoring: AI assistants"
    assert "Room 4B" in str(event["description"])
    assert int(event["sequence"]) == 1
    assert str(event["status"]) == "CONFIRMED"
    handles = [
        (await c.get(f"{BASE}/{pid}/application")).json()["handle"] for c in (mentor, mentee)
    ]
    for secret in [*handles, pair.mentor_name, pair.mentee_name]:
        assert secret.encode() not in ics.content

    # Moved: the same UID, a higher SEQUENCE, back to the partner to accept.
    moved = await mentee.put(
        f"{BASE}/{pid}/pair/sessions/{sid}",
        json=session_body(days=4, place=None, video_url="https://meet.example.org/abc"),
    )
    assert moved.json()["status"] == "proposed"
    [event] = events((await mentor.get(f"{BASE}/{pid}/pair/sessions/{sid}.ics")).content)
    assert (str(event["uid"]), int(event["sequence"])) == (uid, 2)
    assert str(event["url"]) == "https://meet.example.org/abc"

    # Cancelled: the same UID again, STATUS:CANCELLED.
    cancelled = await mentor.post(f"{BASE}/{pid}/pair/sessions/{sid}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    [event] = events((await mentee.get(f"{BASE}/{pid}/pair/sessions/{sid}.ics")).content)
    assert (str(event["uid"]), int(event["sequence"]), str(event["status"])) == (
        uid,
        3,
        "CANCELLED",
    )
    assert (await mentee.post(f"{BASE}/{pid}/pair/sessions/{sid}/cancel")).status_code == 409

    # Another pair's session is not found from here.
    theirs_sid = (
        await other.mentor.client.post(f"{BASE}/{pid}/pair/sessions", json=session_body())
    ).json()["id"]
    stranger = await mentor.get(f"{BASE}/{pid}/pair/sessions/{theirs_sid}.ics")
    assert stranger.json()["code"] == "session_not_found"
    assert (await lead.client.get(f"{BASE}/{pid}/pair/sessions")).status_code == 404

    # An accepted session shows in each member's private calendar feed.
    second = (await mentee.post(f"{BASE}/{pid}/pair/sessions", json=session_body(5))).json()
    await mentor.post(
        f"{BASE}/{pid}/pair/sessions/{second['id']}/answer", json={"answer": "accepted"}
    )
    feed_url = (await mentor.post("/api/v1/me/calendar")).json()["url"]
    feed = await make_client().get("/" + feed_url.split("://", 1)[1].split("/", 1)[1])
    assert feed.status_code == 200, feed.text
    uids = {str(e["uid"]) for e in events(feed.content)}
    assert f"mentoring-session-{second['id']}@" in "".join(uids)
    assert f"mentoring-session-{theirs_sid}@" not in "".join(uids)

    # Check-ins: only once the session is over, on the plan's goals, once each.
    early = await mentor.post(
        f"{BASE}/{pid}/pair/sessions/{second['id']}/check-in",
        json={"covered": "x", "goal_progress": {}, "next_step": "y", "rating": 4},
    )
    assert early.json()["code"] == "session_wrong_state"
    await make_held(app, second["id"])
    listed = (await mentor.get(f"{BASE}/{pid}/pair/sessions")).json()
    assert next(s for s in listed if s["id"] == second["id"])["held"] is True
    prompts = goals["Write prompts that give usable drafts"]
    unknown = await mentor.post(
        f"{BASE}/{pid}/pair/sessions/{second['id']}/check-in",
        json={"covered": "x", "goal_progress": {"0123456789ab": 3}, "next_step": "y", "rating": 4},
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["code"] == "unknown_goal"
    out_of_range = await mentor.post(
        f"{BASE}/{pid}/pair/sessions/{second['id']}/check-in",
        json={"covered": "x", "goal_progress": {prompts: 6}, "next_step": "y", "rating": 4},
    )
    assert out_of_range.status_code == 422
    body = {
        "covered": "Prompt patterns for summaries",
        "goal_progress": {prompts: 3},
        "next_step": "Try it on the weekly report",
        "rating": 5,
    }
    done = await mentee.post(f"{BASE}/{pid}/pair/sessions/{second['id']}/check-in", json=body)
    assert done.status_code == 201, done.text
    twice = await mentee.post(f"{BASE}/{pid}/pair/sessions/{second['id']}/check-in", json=body)
    assert twice.json()["code"] == "check_in_done"
    seen = (await mentor.get(f"{BASE}/{pid}/pair/check-ins")).json()
    assert [(c["by_me"], c["covered"], c["goal_progress"]) for c in seen] == [
        (False, "Prompt patterns for summaries", {prompts: 3})
    ]
    assert (await other.mentee.client.get(f"{BASE}/{pid}/pair/check-ins")).json() == []
