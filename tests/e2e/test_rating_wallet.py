"""A lesson's rating ticket follows its reader to another browser (issue 21): the browser where
they took the lesson is given the ticket, seals it under a recovery code shown once and stores
the sealed copy; in a fresh browser the rating panel asks for the code, says so when it is wrong,
opens the copy with the right one, and the reader rates from there; a third browser is told the
ticket was used."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import Browser, Page, expect

from tests.e2e.conftest import Console, expected_console_errors, new_context, sign_in
from tests.e2e.test_challenge_pages import fits_and_passes_axe
from tests.e2e.test_mentoring import _admin, _invite_and_sign_up
from tests.e2e.test_mentoring_pair import Person, _lesson_answers
from tests.e2e.test_ratings import rateable_lessons

PANEL = "Rate this lesson"
CODE_TITLE = "Your recovery code"
RESTORE_TITLE = "Rate from this browser"


async def _open_lesson_with_quiz(person: Person) -> dict[str, Any]:
    """A published lesson with a quiz whose rating is open (its key made): the last rateable
    one, far from those test_ratings.py counts the ratings of."""
    lessons = await rateable_lessons(person)
    assert len(lessons) > 2, "the demo library has too few rateable lessons with a quiz"
    return lessons[-1]


def _panel(page: Page) -> Any:
    return page.locator("section", has=page.get_by_role("heading", name=PANEL))


async def test_a_rating_ticket_is_restored_with_its_code_in_another_browser(
    browser: Browser, server: str
) -> None:
    admin = await _admin(browser, server)
    console = Console()

    # The first browser, on a phone: taking the lesson gives the ticket and its code, once.
    phone = await new_context(browser, server, width=375, bypass_csp=True)
    reader = Person(phone, await _invite_and_sign_up(admin, phone, "Wallet Reader", 1990), "", "")
    email = (await reader.call("GET", "/api/v1/me"))["email"]
    lesson = await _open_lesson_with_quiz(reader)
    await _lesson_answers(reader, lesson["id"])
    first = await phone.new_page()
    console.watch(first)
    stored: list[str] = []
    first.on(
        "request",
        lambda r: stored.append(r.method) if r.url.endswith("/rating/wallet") else None,
    )
    await first.goto(f"/library/lessons/{lesson['id']}")
    shown = first.get_by_role("region", name=CODE_TITLE)
    await expect(shown).to_be_visible(timeout=30_000)
    await expect(_panel(first).get_by_role("radio", name="5 stars")).to_be_visible()
    code = re.sub(r"\s", "", await shown.locator(".recovery-code code").inner_text())
    assert re.fullmatch(r"([0-9A-Z]{4}-){6}[0-9A-Z]{2}", code), code
    assert stored == ["PUT"]
    await fits_and_passes_axe(first)
    # Still shown after a reload, until the reader says it is saved (by keyboard).
    await first.reload()
    await expect(shown.locator(".recovery-code code")).to_have_text(code)
    await shown.get_by_role("button", name="I've saved it").focus()
    await first.keyboard.press("Enter")
    await expect(shown).to_have_count(0)
    await expect(first.get_by_role("heading", name=PANEL)).to_be_focused()
    await first.reload()
    await expect(_panel(first).get_by_role("radio", name="5 stars")).to_be_visible()
    await expect(shown).to_have_count(0)
    assert stored == ["PUT"]  # stored once, right after the ticket was issued

    # A fresh browser of the same reader: no ticket here, so the panel asks for the code.
    laptop = await new_context(browser, server, bypass_csp=True)
    second = await laptop.new_page()
    console.watch(second)
    await sign_in(second, email)
    await second.goto(f"/library/lessons/{lesson['id']}")
    panel = _panel(second)
    restore = panel.get_by_role("region", name=RESTORE_TITLE)
    await expect(restore).to_be_visible()
    await expect(panel.get_by_role("radio")).to_have_count(0)
    field = restore.get_by_label("Recovery code")
    wrong = ("0" if code[0] != "0" else "1") + code[1:]
    await field.fill(wrong)
    await field.press("Enter")
    await expect(restore.get_by_role("alert")).to_have_text(
        "This code does not open your rating ticket. Check each character and try again."
    )
    await expect(field).to_have_attribute("aria-invalid", "true")
    await second.set_viewport_size({"width": 375, "height": 900})
    await fits_and_passes_axe(second)
    await second.set_viewport_size({"width": 1280, "height": 900})

    # The right code, typed loosely: the ticket opens here and the reader rates.
    await field.fill(code.lower().replace("-", " "))
    await restore.get_by_role("button", name="Continue").click()
    await expect(restore).to_have_count(0)
    await expect(panel.get_by_role("status")).to_have_text(
        "Your rating ticket is ready in this browser: you can rate."
    )
    await panel.get_by_role("radio", name="4 stars").check()
    await panel.get_by_role("button", name="Send my rating").click()
    await expect(panel.get_by_role("status")).to_contain_text(
        re.compile(r"Sent\. Your rating|Your rating is recorded")
    )
    await fits_and_passes_axe(second)

    # A third browser, once that rating is sent: the code still opens the ticket, which says
    # it was used, and no form offers a second rating.
    tablet = await new_context(browser, server, bypass_csp=True)
    third = await tablet.new_page()
    console.watch(third)
    await sign_in(third, email)
    await third.goto(f"/library/lessons/{lesson['id']}")
    restore = _panel(third).get_by_role("region", name=RESTORE_TITLE)
    await restore.get_by_label("Recovery code").fill(code)
    await restore.get_by_role("button", name="Continue").click()
    await expect(_panel(third).get_by_role("alert")).to_have_text(
        "Your rating ticket was already used: the rating you sent from your other browser "
        "counts, and a ticket rates only once."
    )
    await expect(_panel(third).get_by_role("status")).to_contain_text(
        re.compile(r"Sent\. Your rating|Your rating is recorded")
    )
    await expect(_panel(third).get_by_role("radio")).to_have_count(0)

    for context in (phone, laptop, tablet, admin):
        await context.close()
    assert expected_console_errors(console.errors) == []
