"""The demo's mentoring pair in a browser (issue 20): the demo mentee signs in and finds their
mentoring on record; once the pair has not met for five weeks, the server's own ticker writes
the reminder, the challenge list shows it with the other notices, and following it opens the
pair's page. No serious axe violation at 1280 and 375 px.

The pair met a fortnight ago in the demo data; the test moves that pair's dates back six weeks
in the server's database, as the other browser tests move their own rows' dates."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.async_api import Browser, Page, expect

from app.demo.mentoring import DEMO_MENTEE, TITLE
from app.demo.people import demo_people
from tests.e2e.conftest import new_context, sign_in
from tests.e2e.test_mentoring import _axe_at_both_widths


def _weeks_ago(weeks: int) -> str:
    """A moment as the app database stores it (UTC, no zone)."""
    moment = datetime.now(UTC) - timedelta(weeks=weeks)
    return moment.strftime("%Y-%m-%d %H:%M:%S.000000")


def _quiet_for_six_weeks(database: Path, pair_id: str) -> None:
    key = pair_id.replace("-", "")
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.000000")
    with sqlite3.connect(database, timeout=30) as db:
        db.execute("UPDATE mentoring_pairs SET created_at = ? WHERE id = ?", (_weeks_ago(7), key))
        db.execute(
            "UPDATE mentoring_sessions SET starts_at = ? WHERE pair_id = ? AND starts_at < ?",
            (_weeks_ago(6), key, now),
        )


async def _reminder_appears(page: Page, name: str) -> None:
    """The ticker runs every few seconds: reload the list until its notice is there."""
    link = page.get_by_role("link", name=name)
    for _ in range(30):
        await page.goto("/")
        await page.get_by_role("heading", name="Challenges", level=1).wait_for()
        if await link.count():
            return
        await page.wait_for_timeout(2_000)
    raise AssertionError("the reminder did not appear within a minute")


async def test_the_demo_mentee_is_reminded_and_the_notice_opens_the_pair_page(
    browser: Browser, server: str, server_files: Path
) -> None:
    participants = [p.email for p, roles in demo_people() if roles == ["participant"]]
    context = await new_context(browser, server, bypass_csp=True)
    page = await context.new_page()
    await sign_in(page, participants[DEMO_MENTEE])

    # What's on record: the programme, the partner's handle, the journal in plain words.
    await page.goto("/me/record")
    mentoring = page.get_by_role("region", name="Your mentoring")
    await expect(mentoring.get_by_role("heading", name=f"{TITLE} (Running)")).to_be_visible()
    await expect(mentoring.get_by_text("Your partner:")).to_be_visible()
    await expect(mentoring.get_by_text("Only the two of you can read it")).to_be_visible()
    await _axe_at_both_widths(page, "the record with a mentoring programme")

    programmes = await (await context.request.get("/api/v1/programmes")).json()
    programme_id = next(p["id"] for p in programmes if p["title"] == TITLE)
    pair = await (await context.request.get(f"/api/v1/programmes/{programme_id}/pair")).json()
    _quiet_for_six_weeks(server_files / "app.db", pair["pair_id"])

    name = f"{TITLE}: you and your mentoring partner have not met for 5 weeks. Propose a session."
    await _reminder_appears(page, name)
    await _axe_at_both_widths(page, "the challenge list with a mentoring reminder")
    await page.get_by_role("link", name=name).click()
    await expect(page).to_have_url(f"{server}/programmes/{programme_id}/pair")
    await expect(page.get_by_role("heading", name=f"My pair in {TITLE}", level=1)).to_be_visible()
    # Followed, it is read: the list no longer shows it.
    await page.goto("/")
    await page.get_by_role("heading", name="Challenges", level=1).wait_for()
    await expect(page.get_by_role("link", name=name)).to_have_count(0)
    await context.close()
