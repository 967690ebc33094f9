"""Calendars in the browser: a challenge's dates to download, and a private link to
subscribe to, made, used by a calendar client and stopped from My account."""

from __future__ import annotations

from playwright.async_api import Browser

from tests.e2e.conftest import PARTICIPANT, demo_challenge, new_context, sign_in


async def test_a_private_calendar_link_is_made_used_and_stopped(
    browser: Browser, server: str
) -> None:
    context = await new_context(browser, server)
    page = await context.new_page()
    await sign_in(page, PARTICIPANT)
    await page.goto("/me")
    await page.get_by_role("button", name="Make my calendar link").click()
    address = page.get_by_label("Your calendar address")
    await address.wait_for()
    url = await address.input_value()
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    assert path.startswith("/api/v1/calendars/")

    # A calendar app fetches it with the link alone: no cookie.
    calendar_app = await new_context(browser, server)
    feed = await calendar_app.request.get(path)
    assert feed.ok
    assert "BEGIN:VCALENDAR" in await feed.text()

    await page.get_by_role("button", name="Stop this link").click()
    await page.get_by_role("dialog").get_by_role("button", name="Stop this link").click()
    await page.get_by_role("button", name="Make my calendar link").wait_for()
    assert (await calendar_app.request.get(path)).status == 404
    await calendar_app.close()
    await context.close()


async def test_a_challenges_dates_download_as_a_calendar_file(
    browser: Browser, server: str
) -> None:
    context = await new_context(browser, server)
    page = await context.new_page()
    await sign_in(page, PARTICIPANT)
    dated = await demo_challenge(page, "enrolment")
    await page.goto(f"/challenges/{dated['id']}")
    async with page.expect_download() as download:
        await page.get_by_role("link", name="Add these dates to my calendar (.ics)").click()
    body = (await (await download.value).path()).read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in body
    assert dated["title"][:20] in body.replace("\r\n ", "")
    await context.close()
