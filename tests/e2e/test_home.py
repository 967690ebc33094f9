"""The home page says what's next (issue 19, item 4): a participant who joins a challenge finds
its next action there, with a button to do it, on a phone as on a desktop."""

from __future__ import annotations

from playwright.async_api import Browser, expect

from tests.e2e.conftest import FACILITATOR, new_context, sign_in
from tests.e2e.journeys import create_challenge, move_phase, sign_up
from tests.e2e.test_challenge_pages import fits_and_passes_axe


async def test_after_joining_the_home_page_says_what_comes_next(
    browser: Browser, server: str
) -> None:
    facilitator_context = await new_context(browser, server)
    facilitator = await facilitator_context.new_page()
    await sign_in(facilitator, FACILITATOR)
    title = "Spreadsheets for everyone"
    challenge_id = await create_challenge(facilitator, title, mode="Teams formed by participants")
    # The facilitator's own home: the draft waits for them.
    await facilitator.goto("/")
    needs_me = facilitator.get_by_role("region", name="What's next").get_by_role("listitem")
    draft = needs_me.filter(has=facilitator.get_by_role("heading", name=title))
    await expect(draft).to_contain_text("This draft is not published yet.")
    await move_phase(facilitator, challenge_id, "Publish and open enrolment", "Enrolment")

    # On a phone, checked by axe-core (injected: this context lets it past the CSP).
    context = await new_context(browser, server, width=375, bypass_csp=True)
    page, _ = await sign_up(context, "Sheet Newcomer", 1998)
    next_up = page.get_by_role("region", name="What's next")
    card = next_up.get_by_role("listitem").filter(has=page.get_by_role("heading", name=title))
    await expect(card).to_contain_text("Enrolment is open: join this challenge.")
    await fits_and_passes_axe(page)
    await card.get_by_role("link", name="Join").click()
    await expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    await page.locator("#teach-skill-0").fill("Spreadsheets")
    await page.locator("#teach-level-0").select_option(label="4 · Mentor")
    await page.locator("#learn-skill-0").fill("negotiation")
    await page.locator("#learn-level-0").select_option(label="1 · Discover")
    await page.get_by_role("button", name="Join", exact=True).click()
    await expect(page.get_by_role("status").filter(has_text="You have joined")).to_be_visible()

    await page.goto("/")
    await expect(card).to_contain_text(
        "Create a team, or join one with its code, before enrolment closes."
    )
    await expect(card.get_by_role("link", name="Find a team")).to_have_attribute(
        "href", f"/challenges/{challenge_id}"
    )
    await fits_and_passes_axe(page)
    await context.close()
    await facilitator_context.close()
