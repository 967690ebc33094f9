"""New passwords follow NIST SP 800-63B: length, a breached-password list, no personal details.

Issue 17 finding 5: a password of ten identical letters was accepted. Each refusal is a 422
`weak_password` naming the rule in `errors[0].type` and saying why, without echoing the password.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import PASSWORD, Client


async def _sign_up(client: Client, password: str, **profile: Any) -> Any:
    await client.csrf()
    body = {
        "display_name": profile.get("display_name", "Grace Hopper"),
        "email": profile.get("email", "g.hopper@example.org"),
        "password": password,
    }
    return await client.post("/api/v1/auth/sign-up", json=body)


def _assert_refused(response: Any, password: str, reason: str) -> None:
    assert response.status_code == 422, response.text
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["code"] == "weak_password"
    params = {"min_length": 12} if reason == "too_short" else {}
    assert problem["errors"] == [
        {
            "field": "body.password",
            "code": reason,
            "params": params,
            "type": reason,
            "message": problem["detail"],
        }
    ]
    assert password not in response.text


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("aaaaaaaaaa", "too_short"),  # the ten characters accepted until now
        ("eleven char", "too_short"),
        ("aaaaaaaaaaaa", "too_common"),
        ("password1234", "too_common"),
        ("1qaz2wsx3edc", "too_common"),  # an entry of the shipped list
        ("QWERTY123456", "too_common"),  # compared whatever the case
        ("iloveyou1234", "too_common"),  # beyond the 100,000 most common, but 12+ characters
        ("grace under pressure", "contains_personal_info"),  # the display name
        ("Hopper Is My Hero!", "contains_personal_info"),  # the name, whatever the case
        ("my g.hopper account", "contains_personal_info"),  # the email's local part
    ],
)
async def test_weak_passwords_are_refused_with_the_reason(
    client: Client, password: str, reason: str
) -> None:
    _assert_refused(await _sign_up(client, password), password, reason)


async def test_the_reason_is_said_in_words(client: Client) -> None:
    short = (await _sign_up(client, "aaaaaaaaaa")).json()
    assert "12 characters" in short["detail"]
    common = (await _sign_up(client, "password1234")).json()
    assert "common" in common["detail"]
    personal = (await _sign_up(client, "grace under pressure")).json()
    assert "name" in personal["detail"]


async def test_a_good_passphrase_is_accepted(client: Client) -> None:
    response = await _sign_up(client, "tangerine lighthouse over gravel")
    assert response.status_code == 202, response.text  # the link goes to the address
    await client.confirm_sign_up("g.hopper@example.org", "tangerine lighthouse over gravel")


async def test_short_name_parts_do_not_count(client: Client) -> None:
    # Parts under four characters ("Al", "Li") are too common in words to refuse on.
    response = await _sign_up(
        client, "tangerine alligator", display_name="Al Li", email="al.li@example.org"
    )
    assert response.status_code == 202, response.text


async def test_accepting_an_invitation_follows_the_rules(
    admin_client: Client,
    make_client,  # type: ignore[no-untyped-def]
) -> None:
    invited = await admin_client.post(
        "/api/v1/admin/invitations",
        json={"display_name": "Ivy Invited", "email": "ivy@example.org"},
    )
    code = invited.json()["invitation_code"]
    person = make_client()
    await person.csrf()
    body = {"display_name": "Ivy Invited", "email": "ivy@example.org", "invitation_code": code}
    weak = await person.post("/api/v1/auth/sign-up", json={**body, "password": "password1234"})
    _assert_refused(weak, "password1234", "too_common")
    accepted = await person.post("/api/v1/auth/sign-up", json={**body, "password": PASSWORD})
    assert accepted.status_code == 201, accepted.text


async def test_existing_accounts_keep_signing_in_with_an_older_password(
    app: Any,
    make_client,  # type: ignore[no-untyped-def]
) -> None:
    from app.vault import NewProfile

    async with app.state.databases.vault_sessions.begin() as db:
        await app.state.vault.bind(db).create_account(
            NewProfile(display_name="Old Timer", email="old@example.org"),
            password="aaaaaaaaaa",
            roles=["participant"],
        )
    assert (await make_client().sign_in("old@example.org", "aaaaaaaaaa")).status_code == 200
