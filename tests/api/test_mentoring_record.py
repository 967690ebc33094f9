"""Mentoring on record and in the export (issue 20): a member's applications, pair, plan,
sessions, check-ins and journal, as they see them; never their partner's own items."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI

from tests.api.test_mentoring_pairs_names import running_programme
from tests.api.test_mentoring_pairs_sessions import make_held, part, session_body
from tests.api.test_mentoring_programmes import BASE


async def test_a_mentee_s_record_and_export_list_their_mentoring_and_not_their_partner_s(
    app: FastAPI, make_client: Any
) -> None:
    running = await running_programme(app, make_client, count=2)
    pid = running.pid
    pair, other = running.pairs
    mentor, mentee = pair.mentor.client, pair.mentee.client
    plan = {
        "revision": 0,
        "mentor": part(("Pitch to the board", "deepen")),
        "mentee": part(("Write a first prompt", "discover")),
    }
    goals = (await mentee.put(f"{BASE}/{pid}/pair/plan", json=plan)).json()
    goal = goals["mentee"]["goals"][0]["id"]
    sid = (await mentor.post(f"{BASE}/{pid}/pair/sessions", json=session_body())).json()["id"]
    await mentee.post(f"{BASE}/{pid}/pair/sessions/{sid}/answer", json={"answer": "accepted"})
    await make_held(app, sid)
    for client, words in ((mentor, "MENTOR-CHECK-IN-TEXT"), (mentee, "MENTEE-CHECK-IN-TEXT")):
        checked = await client.post(
            f"{BASE}/{pid}/pair/sessions/{sid}/check-in",
            json={"covered": words, "goal_progress": {goal: 3}, "next_step": "go", "rating": 4},
        )
        assert checked.status_code == 201, checked.text
    await mentor.post(f"{BASE}/{pid}/pair/journal", json={"text": "MENTOR-JOURNAL-TEXT"})
    await mentee.post(f"{BASE}/{pid}/pair/journal", json={"text": "MENTEE-JOURNAL-TEXT"})
    # The mentor agreed to show their name; the mentee has not: no name either way yet.
    await mentor.put(f"{BASE}/{pid}/pair/reveal", json={"reveal": True})
    await other.mentor.client.post(
        f"{BASE}/{pid}/pair/sessions", json=session_body(place="OTHER-PAIR-ROOM")
    )
    handles = {
        who: (await client.get(f"{BASE}/{pid}/application")).json()["handle"]
        for who, client in (("mentor", mentor), ("mentee", mentee))
    }

    record = (await mentee.get("/api/v1/me/record")).json()
    [programme] = record["mentoring"]
    assert programme["programme_title"] == "Reverse mentoring: AI assistants"
    assert (programme["role"], programme["selection"], programme["handle"]) == (
        "mentee",
        "pending",
        handles["mentee"],
    )
    assert programme["pair"] == {
        "my_role": "mentee",
        "partner_handle": handles["mentor"],
        "my_answer": "accepted",
        "partner_answer": "accepted",
        "you_reveal": False,
        "names_shown": False,
        "plan_goals": 2,
        "sessions": 1,
        "held_sessions": 1,
        "my_check_ins": 1,
        "journal_entries": 2,
        "journal_shredded": False,
    }
    pseudonyms = next(i for i in record["items"] if i["key"] == "pseudonyms")
    assert "mentoring programme" in pseudonyms["item"]

    exported = await mentee.get("/api/v1/me/export")
    assert exported.status_code == 200
    text = exported.text
    [mine] = json.loads(text)["mentoring"]
    assert mine["record"] == programme
    assert mine["application"]["wants"][0]["skill"] == "ai_assistants"
    assert mine["pair"]["plan"]["mentee"]["goals"][0]["text"] == "Write a first prompt"
    assert [s["id"] for s in mine["pair"]["sessions"]] == [sid]
    assert "MENTEE-CHECK-IN-TEXT" in text
    assert "MENTEE-JOURNAL-TEXT" in text
    assert mine["pair"]["partner_name"] is None
    # The partner's own items: their check-in, their journal entry, their name, their consent
    # on its own; and nothing of another pair.
    for theirs in (
        "MENTOR-CHECK-IN-TEXT",
        "MENTOR-JOURNAL-TEXT",
        pair.mentor_name,
        pair.mentor.email,
        "OTHER-PAIR-ROOM",
        other.mentee_name,
    ):
        assert theirs not in text
    assert "partner_reveals" not in text
    assert '"partner":' not in text

    # Both agreed: the export names the partner; the record still says only "names shown".
    await mentee.put(f"{BASE}/{pid}/pair/reveal", json={"reveal": True})
    named = (await mentee.get("/api/v1/me/export")).json()["mentoring"][0]
    assert named["pair"]["partner_name"] == pair.mentor_name
    assert named["record"]["pair"]["names_shown"] is True
    assert pair.mentor_name not in (await mentee.get("/api/v1/me/record")).text

    # Someone who applied to nothing has nothing of it on record.
    lead_record = (await running.lead.client.get("/api/v1/me/record")).json()
    assert lead_record["mentoring"] == []
