"""The page an activity mail's unsubscribe link opens, signed out: it names the topic, asks
before it posts, and says plainly when a link does not work; no serious axe violation and
nothing wider than the screen at 1280 and 375 px. (A working link's effect is the API tests'.)"""

from __future__ import annotations

from playwright.async_api import Browser, expect

from tests.e2e.conftest import new_context
from tests.e2e.test_mentoring import _axe_at_both_widths

FORGED = "ideas.AAAAAAAAAAAAAAAAAAAAAA." + "0" * 64


async def test_a_forged_link_is_refused_after_asking(browser: Browser, server: str) -> None:
    context = await new_context(browser, server, bypass_csp=True)
    page = await context.new_page()
    await page.goto(f"/unsubscribe/{FORGED}")
    await expect(page.get_by_role("heading", name="Stop these e-mails", level=1)).to_be_visible()
    await expect(page.get_by_text("Stop e-mails about this topic: Ideas.")).to_be_visible()
    await _axe_at_both_widths(page, "the unsubscribe page")

    # Nothing is posted until the person confirms, with the keyboard.
    confirm = page.get_by_role("button", name="Stop these e-mails")
    await confirm.focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_text("This unsubscribe link does not work")).to_be_visible()
    await _axe_at_both_widths(page, "the unsubscribe page's error")

    await page.goto("/unsubscribe/nonsense")
    await expect(page.get_by_role("alert")).to_have_text("This link is incomplete.")
    await context.close()
