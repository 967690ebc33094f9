"""An invitation is mailed with its link, in the invited person's language (one at a time and
from a CSV import), so that nobody has to carry the code to them by hand."""

from __future__ import annotations

from fastapi import FastAPI

from app.vault.messages import INVITATION_PATH
from tests.conftest import PASSWORD, Client, client_for


async def test_an_invitation_is_mailed_with_its_link_and_the_link_lets_them_in(
    app: FastAPI, admin_client: Client
) -> None:
    response = await admin_client.post(
        "/api/v1/admin/invitations",
        json={
            "display_name": "Rosa Invitee",
            "email": "rosa@example.org",
            "role": "participant",
            "language": "es",
        },
    )
    assert response.status_code == 201, response.text
    code = response.json()["invitation_code"]
    [mail] = await admin_client.mailbox("rosa@example.org")
    assert mail["kind"] == "invitation"
    assert mail["subject"].startswith("Está invitado")
    assert f"{INVITATION_PATH}{code}\n" in mail["text"]
    assert "Rosa" not in mail["text"]  # what the admin typed is not repeated to a provider

    async with client_for(app) as rosa:
        session = await rosa.sign_up(
            email="rosa@example.org",
            display_name="Rosa Invitee",
            invitation_code=code,
            password=PASSWORD,
        )
    assert session["csrf_token"]


async def test_a_csv_import_mails_each_person_their_own_link(admin_client: Client) -> None:
    csv = (
        "name,email,birth_year,department,role\n"
        "Nadia Newhire,nadia@example.org,1994,Design,participant\n"
        "Omar Oldhand,omar@example.org,1961,Finance,facilitator\n"
    )
    response = await admin_client.post(
        "/api/v1/admin/invitations/import?language=fr",
        files={"file": ("people.csv", csv.encode(), "text/csv")},
    )
    assert response.status_code == 200, response.text
    codes = {i["email"]: i["invitation_code"] for i in response.json()["invitations"]}
    for email, code in codes.items():
        [mail] = await admin_client.mailbox(email)
        assert mail["kind"] == "invitation"
        assert mail["subject"].startswith("Vous êtes invité")
        assert f"{INVITATION_PATH}{code}\n" in mail["text"]


async def test_a_dry_run_mails_nobody(admin_client: Client) -> None:
    csv = (
        "name,email,birth_year,department,role\n"
        "Nadia Newhire,nadia@example.org,1994,Design,participant\n"
    )
    response = await admin_client.post(
        "/api/v1/admin/invitations/import?dry_run=true",
        files={"file": ("people.csv", csv.encode(), "text/csv")},
    )
    assert response.status_code == 200, response.text
    assert await admin_client.mailbox("nadia@example.org") == []
