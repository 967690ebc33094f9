"""Anonymous lesson ratings in a real browser (issue 21): five employees take two lessons and
rate each from the lesson page, where the browser asked for their one blind token itself; the
ratings wait in the service's mix and are written in batches (the browser test server writes
a batch as soon as two lessons' ratings are held); once five are written the lesson page shows
the mean, the distribution with its small cells hidden and the comments, with no serious axe
violation at 1280 and 375 px."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import Console, expected_console_errors, new_context
from tests.e2e.test_mentoring import _admin, _axe_at_both_widths, _invite_and_sign_up
from tests.e2e.test_mentoring_pair import Person, _lesson_answers

RATERS = 5
STARS = [5, 4, 4, 4, 3]


async def rateable_lessons(person: Person) -> list[dict[str, Any]]:
    """One published lesson with a quiz and an open rating per rating subject (translations
    share one), each with its rating, in the order of their subjects' ids: the browser tests
    that rate lessons on one server take theirs from opposite ends of this list, so that
    neither counts the other's ratings (test_rating_wallet.py takes the last)."""
    by_subject: dict[str, dict[str, Any]] = {}
    for lesson in (await person.call("GET", "/api/v1/library/lessons?limit=50"))["items"]:
        rating = await person.call("GET", f"/api/v1/library/lessons/{lesson['id']}/rating")
        if not rating["key"] or rating["subject_id"] in by_subject:
            continue
        if (await person.call("GET", f"/api/v1/library/lessons/{lesson['id']}"))["quiz"]:
            by_subject[rating["subject_id"]] = {**lesson, "rating": rating}
    return [by_subject[subject] for subject in sorted(by_subject)]


async def _unrated_lessons(person: Person) -> list[dict[str, Any]]:
    """The first two rateable lessons whose ratings are not released (nobody rated them)."""
    found = [
        lesson
        for lesson in await rateable_lessons(person)
        if lesson["rating"]["release"]["state"] == "fewer_than_minimum"
    ]
    assert len(found) > 2, "the demo library has too few unrated lessons with a quiz"
    return found[:2]


async def _rate(page: Page, lesson_id: str, stars: int, comment: str) -> None:
    await page.goto(f"/library/lessons/{lesson_id}")
    panel = page.locator("section", has=page.get_by_role("heading", name="Rate this lesson"))
    # The form shows once this browser holds the reader's token (asked for on its own).
    await panel.get_by_role("radio", name=f"{stars} star").check()
    if comment:
        await panel.get_by_label("A comment (optional)").fill(comment)
    await panel.get_by_role("button", name="Send my rating").click()
    # Sent and held in the mix, or already written with others'.
    await expect(panel.get_by_role("status")).to_contain_text(
        re.compile(r"Sent\. Your rating|Your rating is recorded")
    )


async def test_five_ratings_are_released_on_the_lesson_page(browser: Browser, server: str) -> None:
    admin = await _admin(browser, server)
    console = Console()
    people: list[tuple[BrowserContext, Person]] = []
    for n in range(RATERS):
        context = await new_context(browser, server, bypass_csp=True)
        name = f"Rater {n}"
        token = await _invite_and_sign_up(admin, context, name, 1980 + n)
        people.append((context, Person(context, token, name, "reader")))
    first, second = await _unrated_lessons(people[0][1])

    for n, (context, person) in enumerate(people):
        for lesson in (first, second):
            await _lesson_answers(person, lesson["id"])  # one quiz attempt: the lesson is taken
        page = await context.new_page()
        console.watch(page)
        await _rate(page, first["id"], STARS[n], "Clear and practical." if n == 0 else "")
        await _rate(page, second["id"], 3, "")
        await page.close()

    context, _ = people[0]
    page = await context.new_page()
    console.watch(page)
    panel = page.locator("section", has=page.get_by_role("heading", name="Rate this lesson"))
    # Written by the mix's next batches: read again until the fifth rating shows.
    for _ in range(30):
        await page.goto(f"/library/lessons/{first['id']}")
        await panel.get_by_role("status").wait_for(state="attached")
        if await panel.get_by_text("out of 5, from 5 ratings").count():
            break
        await page.wait_for_timeout(1000)
    await expect(panel.get_by_text("4 out of 5, from 5 ratings")).to_be_visible()
    # Three ratings of 4 stars, one of 5, one of 3: each small cell (and its complement) hidden.
    await expect(panel.locator(".rating-distribution li")).to_have_count(5)
    await expect(panel.get_by_text("1 star: 0")).to_be_visible()
    await expect(panel.get_by_text("5 stars: fewer than 5")).to_be_visible()
    await expect(panel.get_by_text("Clear and practical.")).to_be_visible()
    await expect(panel.get_by_text("Your rating is recorded. Thank you.")).to_be_visible()
    await _axe_at_both_widths(page, "a lesson with its ratings released")
    for someone, _ in people:
        await someone.close()
    await admin.close()
    assert expected_console_errors(console.errors) == []
