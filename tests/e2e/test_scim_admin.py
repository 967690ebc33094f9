"""Issue 23, SCIM provisioning: an administrator makes an identity provider's token on the
administration page (shown once), the provider deactivates someone, the page shows it, and
revoking the token (after a confirmation) shuts the provider out. On a phone, checked by axe."""

from __future__ import annotations

import re

import httpx
from playwright.async_api import Browser, expect

from tests.e2e.conftest import ADMIN, Console, expected_console_errors, new_context, sign_in
from tests.e2e.test_challenge_pages import fits_and_passes_axe

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


async def test_token_made_used_by_the_provider_and_revoked(browser: Browser, server: str) -> None:
    context = await new_context(browser, server, width=375, bypass_csp=True)
    page = await context.new_page()
    console = Console()
    console.watch(page)
    await sign_in(page, ADMIN)
    await page.goto("/admin")
    section = page.locator("section").filter(
        has=page.get_by_role("heading", name="Provisioning from your identity provider (SCIM)")
    )
    await expect(section.locator("code").first).to_have_text(f"{server}/scim/v2")
    await section.get_by_label("Identity provider").fill("Entra ID")
    await section.get_by_role("button", name="Make a token").click()
    await expect(section.get_by_text("it is shown only this once")).to_be_visible()
    token = (await section.locator("code.scim-token").inner_text()).strip()
    assert token.startswith("scim_")
    row = section.get_by_role("row", name=re.compile("Entra ID"))
    await expect(row).to_contain_text("In use")
    await fits_and_passes_axe(page)

    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"}
    async with httpx.AsyncClient(base_url=f"{server}/scim/v2", headers=headers) as entra:
        created = await entra.post(
            "/Users",
            json={
                "schemas": [USER],
                "userName": "sami.scim@example.org",
                "displayName": "Sami Scim",
                "active": True,
            },
        )
        assert created.status_code == 201, created.text
        off = await entra.patch(
            f"/Users/{created.json()['id']}",
            json={
                "schemas": [PATCH_OP],
                "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
            },
        )
        assert off.status_code == 200, off.text

        await page.get_by_role("searchbox", name="Find a person").fill("Sami")
        await page.get_by_role("button", name="Search", exact=True).click()
        person = page.get_by_role("row", name=re.compile("Sami Scim"))
        await expect(person.locator(".badge")).to_have_text("Deactivated")
        await expect(person.get_by_role("button", name="Reactivate Sami Scim")).to_be_visible()

        await row.get_by_role("button", name="Revoke the token of Entra ID").click()
        dialog = page.get_by_role("dialog", name="Revoke the token of Entra ID?")
        await expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
        await dialog.get_by_role("button", name="Revoke", exact=True).click()
        await expect(
            page.get_by_text("The token of Entra ID is revoked.", exact=True)
        ).to_be_visible()
        await expect(row).to_contain_text("Revoked on")
        await expect(row.get_by_role("button")).to_have_count(0)
        await fits_and_passes_axe(page)
        refused = await entra.get("/Users")
        assert refused.status_code == 401
        assert refused.headers["content-type"].startswith("application/scim+json")
    assert expected_console_errors(console.errors) == []
    await context.close()
