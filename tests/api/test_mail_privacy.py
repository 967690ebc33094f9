"""What a mail provider reads: every kind of message, written through the real flows with
marker values in every personal field, carries the address and a link, never a name, a
department or anything else a person typed."""

from __future__ import annotations

from fastapi import FastAPI

from app.vault.messages import ACCOUNT_KINDS
from tests.conftest import PASSWORD, Client

MARKERS = ("Zanzibarquux", "Qwertydept")


async def test_no_message_repeats_what_a_person_or_an_administrator_typed(
    app: FastAPI, admin_client: Client, make_client: object
) -> None:
    invited = await admin_client.post(
        "/api/v1/admin/invitations",
        json={
            "display_name": f"{MARKERS[0]} Invitee",
            "email": "invitee@example.org",
            "department": MARKERS[1],
        },
    )
    assert invited.status_code == 201, invited.text
    person = make_client()  # type: ignore[operator]
    await person.sign_up(
        email="member@example.org", display_name=f"{MARKERS[0]} Member", department=MARKERS[1]
    )
    # A taken address at sign-up and at a change of address: notices to their owners.
    stranger = make_client()  # type: ignore[operator]
    await stranger.csrf()
    attempt = await stranger.post(
        "/api/v1/auth/sign-up",
        json={"display_name": MARKERS[0], "email": "member@example.org", "password": PASSWORD},
    )
    assert attempt.status_code == 202, attempt.text
    taken = await person.patch(
        "/api/v1/me", json={"email": "admin@example.org", "current_password": PASSWORD}
    )
    assert taken.status_code == 200, taken.text
    changed = await person.patch(
        "/api/v1/me", json={"email": "member.new@example.org", "current_password": PASSWORD}
    )
    assert changed.status_code == 200, changed.text
    code = await person.mailed_code("member.new@example.org", "email_change_confirmation")
    confirmed = await person.post("/api/v1/me/email-confirmations", json={"code": code})
    assert confirmed.status_code == 200, confirmed.text

    messages = (await admin_client.get("/api/v1/dev/mailbox")).json()["messages"]
    kinds = {m["kind"] for m in messages}
    assert kinds == set(ACCOUNT_KINDS), f"not every kind was written: {set(ACCOUNT_KINDS) - kinds}"
    for message in messages:
        for marker in MARKERS:
            assert marker not in message["subject"] + message["text"], message["kind"]
