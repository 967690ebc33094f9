"""The design system (issue 19): the style guide stays out of production builds; a saved form
says so in a toast."""

from __future__ import annotations

import re

from playwright.async_api import BrowserContext, expect

from tests.e2e.conftest import DIST, PARTICIPANT, Console, expected_console_errors, sign_in


def test_the_production_build_holds_no_style_guide() -> None:
    """Neither the route nor the page's chunk (its code, its stylesheet) is built."""
    assert (DIST / "index.html").is_file()
    leaks = []
    for asset in (DIST / "assets").iterdir():
        text = asset.read_text(encoding="utf-8", errors="replace")
        for marker in ("/styleguide", "Style guide", "styleguide-tokens", "StyleGuidePage"):
            if marker in text:
                leaks.append(f"{asset.name}: {marker}")
    assert leaks == []


async def test_the_style_guide_is_not_served(context: BrowserContext) -> None:
    page = await context.new_page()
    console = Console()
    console.watch(page)
    await page.goto("/styleguide")
    await expect(page.get_by_role("heading", level=1)).to_have_text("This page does not exist")
    assert expected_console_errors(console.errors) == []


async def test_a_saved_profile_is_confirmed_in_a_toast(context: BrowserContext) -> None:
    page = await context.new_page()
    console = Console()
    console.watch(page)
    await sign_in(page, PARTICIPANT)
    await page.goto("/me")
    notifications = page.get_by_role("region", name=re.compile("Notifications"))
    await expect(notifications).to_have_text("")
    await page.get_by_role("button", name="Save", exact=True).click()
    await expect(notifications).to_contain_text("Saved.")
    # It can be closed by hand (it also goes by itself after a few seconds).
    await notifications.get_by_role("button", name="Close this message").click()
    await expect(notifications).to_have_text("")
    assert expected_console_errors(console.errors) == []
