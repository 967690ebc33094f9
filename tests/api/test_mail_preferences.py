"""How each person wants to hear of activity by e-mail: per topic, at once, in a daily digest or
not at all; kept in the vault under the owner tag, forgotten with the account."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select

from app.vault.models import MailPreference
from tests.api.people import person
from tests.conftest import PASSWORD

URL = "/api/v1/me/mail-preferences"
EVERY_TOPIC_AT_ONCE = {
    "team": "immediately",
    "submissions": "immediately",
    "ideas": "immediately",
    "phases": "immediately",
    "mentoring": "immediately",
}


async def rows(app: FastAPI) -> int:
    async with app.state.databases.vault_sessions() as db:
        return int(await db.scalar(select(func.count()).select_from(MailPreference)) or 0)


async def test_every_topic_is_mailed_at_once_until_changed(app: FastAPI, make_client: Any) -> None:
    someone = await person(app, make_client)
    response = await someone.client.get(URL)
    assert response.status_code == 200, response.text
    assert response.json() == EVERY_TOPIC_AT_ONCE
    assert await rows(app) == 0


async def test_a_change_keeps_the_other_topics_and_is_ones_own(
    app: FastAPI, make_client: Any
) -> None:
    someone = await person(app, make_client)
    other = await person(app, make_client)
    changed = await someone.client.put(URL, json={"ideas": "off", "team": "daily_digest"})
    assert changed.status_code == 200, changed.text
    expected = {**EVERY_TOPIC_AT_ONCE, "ideas": "off", "team": "daily_digest"}
    assert changed.json() == expected
    assert (await someone.client.get(URL)).json() == expected
    again = await someone.client.put(URL, json={"team": "immediately"})
    assert again.json() == {**EVERY_TOPIC_AT_ONCE, "ideas": "off"}
    # Nobody else's choices moved.
    assert (await other.client.get(URL)).json() == EVERY_TOPIC_AT_ONCE
    # On record, and in the export.
    record = (await someone.client.get("/api/v1/me/record")).json()
    (item,) = [i for i in record["items"] if i["key"] == "mail_preferences"]
    assert item["value"] == "ideas: off"
    export = (await someone.client.get("/api/v1/me/export")).json()
    assert export["mail_preferences"]["ideas"] == "off"


async def test_an_unknown_choice_or_topic_is_a_field_error(app: FastAPI, make_client: Any) -> None:
    someone = await person(app, make_client)
    unknown_choice = await someone.client.put(URL, json={"team": "weekly"})
    assert unknown_choice.status_code == 422
    assert unknown_choice.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in unknown_choice.json()["errors"]] == ["body.team"]
    # Account mail (a confirmation link, an invitation) cannot be turned off.
    account_mail = await someone.client.put(URL, json={"invitation": "off"})
    assert account_mail.status_code == 422
    assert [e["field"] for e in account_mail.json()["errors"]] == ["body.invitation"]
    assert (await someone.client.get(URL)).json() == EVERY_TOPIC_AT_ONCE


async def test_signed_out_is_401(client: Any) -> None:
    assert (await client.get(URL)).status_code == 401


async def test_an_erased_account_leaves_no_preferences(app: FastAPI, make_client: Any) -> None:
    someone = await person(app, make_client)
    await someone.client.put(URL, json={"mentoring": "off"})
    assert await rows(app) == 1
    erased = await someone.client.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert erased.status_code == 200, erased.text
    assert await rows(app) == 0
