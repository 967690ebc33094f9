"""Issue 19's remaining edges: an invitation link fills in what the administrator entered, and
the invited address cannot be swapped for one nobody has confirmed.

Before: the sign-up page showed empty fields to an invited person, and accepting the code with
any other address activated the account at once under that address (the code proves only the
invited mailbox).
"""

from __future__ import annotations

from typing import Any

import httpx

from app.config import Settings
from tests.api.people import person
from tests.api.test_admin import GOOD_CSV, csv_file
from tests.conftest import PASSWORD, Client

INVITE = "/api/v1/admin/invitations"
PREFILL = "/api/v1/auth/sign-up/invitation"
SIGN_UP = "/api/v1/auth/sign-up"


async def _invite(admin_client: Client, **body: Any) -> str:
    response = await admin_client.post(
        INVITE,
        json={"display_name": "Ivy Invited", "email": "ivy@example.org", **body},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["invitation_code"])


async def _accept(client: Client, code: str, email: str, **profile: Any) -> httpx.Response:
    await client.csrf()
    return await client.post(
        SIGN_UP,
        json={
            "display_name": "Ivy Invited",
            "email": email,
            "password": PASSWORD,
            "invitation_code": code,
            **profile,
        },
    )


class TestThePrefill:
    async def test_the_code_holder_sees_the_invited_name_email_and_language(
        self, admin_client: Client, make_client: Any
    ) -> None:
        code = await _invite(admin_client, language="fr")
        holder = make_client()
        await holder.csrf()
        answer = await holder.post(PREFILL, json={"invitation_code": code})
        assert answer.status_code == 200, answer.text
        assert answer.json() == {
            "display_name": "Ivy Invited",
            "email": "ivy@example.org",
            "language": "fr",
        }

    async def test_a_used_or_unknown_code_tells_nothing(
        self, admin_client: Client, make_client: Any
    ) -> None:
        code = await _invite(admin_client)
        assert (await _accept(make_client(), code, "ivy@example.org")).status_code == 201
        stranger = make_client()
        await stranger.csrf()
        for tried in (code, "not-a-real-code-at-all"):
            answer = await stranger.post(PREFILL, json={"invitation_code": tried})
            assert answer.status_code == 400
            assert answer.json()["code"] == "invalid_invitation"
            assert "ivy" not in answer.text.lower()

    async def test_guessing_codes_is_limited_per_address(
        self, settings: Settings, make_client: Any
    ) -> None:
        guesser = make_client()
        await guesser.csrf()
        statuses = [
            (
                await guesser.post(PREFILL, json={"invitation_code": f"guess-{i:04d}-xxxx"})
            ).status_code
            for i in range(settings.sign_in_attempts_per_address + 1)
        ]
        assert statuses[:-1] == [400] * settings.sign_in_attempts_per_address
        assert statuses[-1] == 429


class TestTheInvitedAddressCannotBeSwapped:
    async def test_another_address_waits_for_its_own_link(
        self, admin_client: Client, make_client: Any
    ) -> None:
        code = await _invite(admin_client, department="R&D", role="facilitator")
        ivy = make_client()
        answer = await _accept(ivy, code, "ivy.private@example.org")
        # Not signed in, and the account is not active: the new address must prove itself.
        assert answer.status_code == 202, answer.text
        assert answer.json() == {"state": "check_your_email"}
        assert "challenge_session" not in ivy.cookies
        assert (await ivy.get("/api/v1/me")).status_code == 401
        for email in ("ivy.private@example.org", "ivy@example.org"):
            assert (await make_client().sign_in(email)).status_code == 401
        # The link mailed to the new address moves the account there and activates it,
        # keeping what the administrator set.
        session = await ivy.confirm_sign_up("ivy.private@example.org")
        assert "facilitator" in session["roles"]
        me = (await ivy.get("/api/v1/me")).json()
        assert (me["email"], me["department"], me["status"]) == (
            "ivy.private@example.org",
            "R&D",
            "active",
        )
        # The invitation is used up with it.
        again = await _accept(make_client(), code, "ivy@example.org")
        assert again.json()["code"] == "invalid_invitation"

    async def test_an_unconfirmed_swap_never_lets_anyone_in_with_the_new_address(
        self, admin_client: Client, make_client: Any
    ) -> None:
        """Privacy: whoever holds a code cannot attach the invited account (its role and what
        the administrator recorded) to an address nobody has confirmed."""
        code = await _invite(admin_client, role="admin")
        holder = make_client()
        assert (await _accept(holder, code, "unconfirmed@example.org")).status_code == 202
        # Asking again with the same code and the new address changes nothing either.
        assert (await _accept(holder, code, "unconfirmed@example.org")).status_code == 202
        assert (await holder.sign_in("unconfirmed@example.org")).status_code == 401
        accounts = (await admin_client.get("/api/v1/admin/accounts?q=unconfirmed")).json()
        assert accounts["items"] == []
        invited = (await admin_client.get("/api/v1/admin/accounts?q=ivy@example.org")).json()
        [row] = invited["items"]
        assert (row["email"], row["status"]) == ("ivy@example.org", "invited")

    async def test_the_invited_address_still_works_after_a_swap_was_asked(
        self, admin_client: Client, make_client: Any
    ) -> None:
        code = await _invite(admin_client)
        assert (await _accept(make_client(), code, "typo@example.org")).status_code == 202
        ivy = make_client()
        accepted = await _accept(ivy, code, "ivy@example.org")
        assert accepted.status_code == 201, accepted.text
        # The link for the mistyped address no longer does anything.
        link_code = await ivy.mailed_code("typo@example.org", "sign_up_confirmation")
        late = await make_client().post(
            "/api/v1/auth/sign-up/confirmations", json={"code": link_code, "password": PASSWORD}
        )
        assert late.status_code in (400, 403)
        assert (await ivy.get("/api/v1/me")).json()["email"] == "ivy@example.org"

    async def test_a_taken_address_gets_a_notice_and_nothing_moves(
        self, app: Any, admin_client: Client, make_client: Any
    ) -> None:
        await person(app, make_client, email="tom@example.org")
        code = await _invite(admin_client)
        answer = await _accept(make_client(), code, "tom@example.org")
        assert answer.status_code == 202
        assert answer.json() == {"state": "check_your_email"}
        [notice] = await admin_client.mailbox("tom@example.org")
        assert notice["kind"] == "sign_up_attempt"
        # The invitation is untouched.
        assert (await _accept(make_client(), code, "ivy@example.org")).status_code == 201


class TestTheInvitationsLanguage:
    async def test_an_import_starts_every_person_in_the_language_chosen(
        self, admin_client: Client, make_client: Any
    ) -> None:
        """A CSV import sends no mail, but each imported account's sign-up page opens in its
        language: the administrator chooses it for the file (it was always English)."""
        result = await admin_client.post(
            "/api/v1/admin/invitations/import?language=es", files=csv_file(GOOD_CSV)
        )
        assert result.status_code == 200, result.text
        holder = make_client()
        await holder.csrf()
        for invitation in result.json()["invitations"]:
            prefill = await holder.post(
                PREFILL, json={"invitation_code": invitation["invitation_code"]}
            )
            assert prefill.json()["language"] == "es"
