"""E-mail preferences in My account: one radio group per topic, chosen with the keyboard, kept
after a reload; no serious axe violation and nothing wider than the screen at 1280 and 375 px."""

from __future__ import annotations

from playwright.async_api import Browser, expect

from tests.e2e.conftest import PARTICIPANT, new_context, sign_in
from tests.e2e.test_mentoring import _axe_at_both_widths


async def test_a_topic_is_turned_off_with_the_keyboard_and_stays_off(
    browser: Browser, server: str
) -> None:
    # axe is injected as an inline script: only these tests lift the page's CSP.
    context = await new_context(browser, server, bypass_csp=True)
    page = await context.new_page()
    await sign_in(page, PARTICIPANT)
    await page.goto("/me")
    section = page.get_by_role("region", name="E-mail about activity")
    ideas = section.get_by_role("group", name="Ideas")
    await expect(ideas.get_by_role("radio", name="At once")).to_be_checked()
    await _axe_at_both_widths(page, "the e-mail preferences")

    # Arrow keys move through a radio group and choose.
    await ideas.get_by_role("radio", name="At once").focus()
    await page.keyboard.press("ArrowRight")
    await page.keyboard.press("ArrowRight")
    await expect(ideas.get_by_role("radio", name="Never")).to_be_checked()
    await expect(page.get_by_text("E-mail preferences saved").first).to_be_visible()

    await page.reload()
    ideas = page.get_by_role("region", name="E-mail about activity").get_by_role(
        "group", name="Ideas"
    )
    await expect(ideas.get_by_role("radio", name="Never")).to_be_checked()
    team = page.get_by_role("group", name="Your team")
    await expect(team.get_by_role("radio", name="At once")).to_be_checked()

    # Back as it was, for the other browser tests.
    await ideas.get_by_role("radio", name="At once").check()
    await expect(page.get_by_text("E-mail preferences saved").first).to_be_visible()
    await context.close()
