"""Development without a mail server: an administrator reads what the service wrote to the
outbox folder instead of sending it, on the admin page, on a phone, with the keyboard."""

from __future__ import annotations

from playwright.async_api import Browser, expect

from tests.e2e.conftest import ADMIN, new_context, sign_in
from tests.e2e.journeys import sign_up
from tests.e2e.test_challenge_pages import fits_and_passes_axe


async def test_the_admin_reads_a_sign_up_link_in_the_outbox(browser: Browser, server: str) -> None:
    newcomer_context = await new_context(browser, server)
    _, email = await sign_up(newcomer_context, "Olive Outbox", 1990)
    await newcomer_context.close()

    context = await new_context(browser, server, width=375, bypass_csp=True)
    page = await context.new_page()
    await sign_in(page, ADMIN)
    await page.goto("/admin")
    outbox = page.get_by_role("region", name="Outbox (development)")
    await expect(outbox).to_be_visible()
    message = (
        outbox.locator("details").filter(has_text=email).filter(has_text="sign_up_confirmation")
    )
    await expect(message).to_have_count(1)
    # Opened with the keyboard: its text and link show in place.
    await message.locator("summary").focus()
    await page.keyboard.press("Enter")
    await expect(message.locator("pre")).to_contain_text("/sign-up/confirm#code=")
    await fits_and_passes_axe(page)
    await context.close()
