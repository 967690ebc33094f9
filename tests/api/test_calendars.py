"""Calendars: a challenge's phase dates to download, and each person's private feed.

What matters to people: the file opens in any calendar, a changed date replaces its event
instead of adding one, the feed follows what they join, and the link says nothing about who
owns it, stops working when revoked, replaced or erased, and is on record.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from icalendar import Calendar
from sqlalchemy import text

from tests.api.people import create_challenge, join, move, person
from tests.conftest import PASSWORD

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
SCHEDULE = {
    "enrolment_opens_at": START.isoformat(),
    "teamwork_starts_at": (START + timedelta(days=14)).isoformat(),
    "review_starts_at": (START + timedelta(days=42)).isoformat(),
    "closes_at": (START + timedelta(days=56)).isoformat(),
}


def _events(body: bytes) -> list[Any]:
    return list(Calendar.from_ical(body).walk("VEVENT"))


async def _published(facilitator: Any, **overrides: Any) -> dict[str, Any]:
    challenge = await create_challenge(facilitator, schedule=SCHEDULE, **overrides)
    response = await move(facilitator, challenge["id"], "enrolment")
    assert response.status_code == 200, response.text
    return dict((await facilitator.get(f"/api/v1/challenges/{challenge['id']}")).json())


async def test_a_challenges_dates_download_in_the_readers_language(
    app: FastAPI, make_client: Any
) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await _published(facilitator.client, title="Tableaux croisés")
    reader = await person(app, make_client, language="fr")

    response = await reader.client.get(f"/api/v1/challenges/{challenge['id']}/calendar.ics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    assert "attachment" in response.headers["content-disposition"]
    events = _events(response.content)
    assert [str(e["summary"]) for e in events] == [
        "Ouverture des inscriptions: Tableaux croisés",
        "Fin des inscriptions, début du travail en équipe: Tableaux croisés",
        "Début des évaluations: Tableaux croisés",
        "Fin des évaluations, clôture du défi: Tableaux croisés",
    ]
    assert events[1].decoded("dtstart") == START + timedelta(days=14)
    assert str(events[0]["url"]).endswith(f"/challenges/{challenge['id']}")


async def test_a_changed_date_replaces_its_event(app: FastAPI, make_client: Any) -> None:
    """Same UID, higher SEQUENCE: a calendar that imported the file updates the event."""
    facilitator = await person(app, make_client, roles=["facilitator"])
    challenge = await create_challenge(facilitator.client, schedule=SCHEDULE)
    url = f"/api/v1/challenges/{challenge['id']}/calendar.ics"
    before = {str(e["uid"]): e for e in _events((await facilitator.client.get(url)).content)}

    later = {**SCHEDULE, "closes_at": (START + timedelta(days=60)).isoformat()}
    response = await facilitator.client.patch(
        f"/api/v1/challenges/{challenge['id']}", json={"schedule": later}
    )
    assert response.status_code == 200, response.text
    after = {str(e["uid"]): e for e in _events((await facilitator.client.get(url)).content)}

    assert after.keys() == before.keys()
    (closing,) = [uid for uid in after if ".closes@" in uid]
    assert after[closing].decoded("dtstart") == START + timedelta(days=60)
    assert int(after[closing]["sequence"]) > int(before[closing]["sequence"])


async def test_a_draft_is_no_one_elses_to_download(app: FastAPI, make_client: Any) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    draft = await create_challenge(facilitator.client, schedule=SCHEDULE)
    someone = await person(app, make_client)
    response = await someone.client.get(f"/api/v1/challenges/{draft['id']}/calendar.ics")
    assert response.status_code == 404
    signed_out = make_client()
    response = await signed_out.get(f"/api/v1/challenges/{draft['id']}/calendar.ics")
    assert response.status_code == 401


async def test_the_private_feed_follows_what_its_owner_joins(
    app: FastAPI, make_client: Any
) -> None:
    facilitator = await person(app, make_client, roles=["facilitator"])
    joined = await _published(facilitator.client, title="Short videos")
    await _published(facilitator.client, title="Not joined")
    someone = await person(app, make_client, display_name="Ada Example", language="es")
    assert (await someone.client.get("/api/v1/me/calendar")).json() == {"url": None}

    await someone.client.csrf()
    response = await someone.client.post("/api/v1/me/calendar")
    assert response.status_code == 201, response.text
    url = response.json()["url"]
    assert (await someone.client.get("/api/v1/me/calendar")).json() == {"url": url}
    path = url.split("://", 1)[1].split("/", 1)[1]
    # Nothing in the link names its owner: a random token and the language.
    assert "ada" not in url.casefold()
    assert str(someone.account_id) not in url

    calendar_client = make_client()  # a calendar app: no cookie, only the link
    feed = await calendar_client.get(f"/{path}")
    assert feed.status_code == 200, feed.text
    assert _events(feed.content) == []

    assert (await join(someone.client, joined["id"])).status_code in (200, 201)
    events = _events((await calendar_client.get(f"/{path}")).content)
    assert len(events) == 4
    assert {str(e["summary"]).split(": ", 1)[1] for e in events} == {"Short videos"}
    assert str(events[0]["summary"]).startswith("Se abren las inscripciones")
    # No handle, no name: only the challenge's title and dates.
    body = (await calendar_client.get(f"/{path}")).text
    handle = (await someone.client.get(f"/api/v1/challenges/{joined['id']}")).json()["my_handle"]
    assert handle not in body
    assert "Ada" not in body


async def test_a_revoked_replaced_or_erased_link_leads_nowhere(
    app: FastAPI, make_client: Any
) -> None:
    someone = await person(app, make_client)
    await someone.client.csrf()
    first = (await someone.client.post("/api/v1/me/calendar")).json()["url"].split("/api/v1/")[1]
    calendar_client = make_client()
    assert (await calendar_client.get(f"/api/v1/{first}")).status_code == 200

    second = (await someone.client.post("/api/v1/me/calendar")).json()["url"].split("/api/v1/")[1]
    missing = await calendar_client.get(f"/api/v1/{first}")
    assert missing.status_code == 404
    assert missing.json()["code"] == "calendar_feed_not_found"
    assert (await calendar_client.get(f"/api/v1/{second}")).status_code == 200

    assert (await someone.client.delete("/api/v1/me/calendar")).status_code == 204
    assert (await calendar_client.get(f"/api/v1/{second}")).status_code == 404
    assert (await someone.client.get("/api/v1/me/calendar")).json() == {"url": None}

    third = (await someone.client.post("/api/v1/me/calendar")).json()["url"].split("/api/v1/")[1]
    response = await someone.client.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert response.status_code in (200, 202, 204), response.text
    assert (await calendar_client.get(f"/api/v1/{third}")).status_code == 404


async def test_a_malformed_link_is_a_field_error(app: FastAPI, make_client: Any) -> None:
    response = await make_client().get("/api/v1/calendars/short.ics")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.token"


async def test_the_link_is_on_record_and_sealed_in_the_vault(
    app: FastAPI, make_client: Any
) -> None:
    someone = await person(app, make_client)
    await someone.client.csrf()
    url = (await someone.client.post("/api/v1/me/calendar")).json()["url"]
    token = url.rsplit("/", 1)[1].split(".ics")[0]

    record = (await someone.client.get("/api/v1/me/record")).json()
    (item,) = [i for i in record["items"] if i["key"] == "calendar_feed"]
    assert item["value"] == "yes"
    exported = (await someone.client.get("/api/v1/me/export")).json()
    assert exported["calendar_feed_token"] == token

    async with app.state.databases.vault_sessions() as db:
        rows = (await db.execute(text("SELECT * FROM calendar_feeds"))).all()
    assert len(rows) == 1
    stored = " ".join(str(value) for value in rows[0])
    assert token not in stored
    assert str(someone.account_id) not in stored
    assert str(someone.account_id).replace("-", "") not in stored
