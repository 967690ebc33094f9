"""Submissions in a real browser (issue 19): the rubric before the review, versions compared and
restored, a final the team can withdraw behind a confirmation dialog, and a facilitator's signed
feedback reaching the team.

Runs on the demo challenge in teamwork, with the demo participant's own team.
"""

from __future__ import annotations

import re

from playwright.async_api import Browser, Page, expect

from tests.e2e.conftest import (
    FACILITATOR,
    PARTICIPANT,
    Console,
    expected_console_errors,
    new_context,
    sign_in,
)
from tests.e2e.journeys import confirm
from tests.e2e.test_pages import demo_ids, serious_violations


async def _save(page: Page, title: str, body: str) -> int:
    team = page.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    submission = await (await page.request.get(f"/api/v1/teams/{team}/submission")).json()
    await page.get_by_label("Title", exact=True).fill(title)
    await page.get_by_label("Text", exact=True).fill(body)
    await page.get_by_role("button", name="Save the draft").click()
    # Said in a toast (an earlier one may still be on screen: this one names the new version).
    version = int(submission["version"]) + 1
    await expect(page.get_by_text(f"Saved as version {version}.", exact=True)).to_be_visible()
    return version


async def test_compare_restore_and_a_final_the_team_can_withdraw(
    browser: Browser, server: str
) -> None:
    context = await new_context(browser, server, width=375, bypass_csp=True)
    page = await context.new_page()
    console = Console()
    console.watch(page)
    await sign_in(page, PARTICIPANT)
    ids = await demo_ids(page)
    await page.goto(f"/teams/{ids['team']}")
    # The rule is said where the button is.
    await expect(page.get_by_text(re.compile("any member can withdraw it"))).to_be_visible()
    # The rubric, before the review: its criteria, their scales and what the scores mean.
    await page.get_by_text("How reviewers will score your submission").click()
    rubric = page.locator(".rubric-preview")
    await expect(rubric.get_by_text("Clarity")).to_be_visible()
    await expect(rubric).to_contain_text("(from 1 to 5)")
    await expect(rubric.get_by_text("5: Anyone could act on it")).to_be_visible()

    old = await _save(page, "E2E plan", "Alpha beta gamma")
    new = await _save(page, "E2E plan", "Alpha delta gamma")
    assert new == old + 1

    # Compare the older version with the current one, word by word.
    await page.get_by_role("button", name=f"Version {old}", exact=True).click()
    article = page.locator("article.version")
    await expect(article).to_contain_text("Alpha beta gamma")
    compare = page.get_by_role("button", name=f"Compare with the current version ({new})")
    await compare.click()
    await expect(compare).to_have_attribute("aria-pressed", "true")
    await expect(article.locator("del")).to_contain_text("beta")
    await expect(article.locator("ins")).to_contain_text("delta")
    await expect(article).to_contain_text("words added: 1, words removed: 1")
    assert await serious_violations(page) == []

    # Restore it: a dialog first (Escape keeps everything as it was), then a new version.
    await page.get_by_role("button", name="Restore this version").click()
    dialog = page.get_by_role("dialog", name=f"Restore version {old}?")
    await expect(dialog).to_be_visible()
    await expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    assert await serious_violations(page) == []
    await page.keyboard.press("Escape")
    await expect(dialog).to_be_hidden()
    await page.get_by_role("button", name="Restore this version").click()
    await confirm(page, "Yes, restore it")
    await expect(
        page.get_by_text(f"Version {old} was restored as version {new + 1}.")
    ).to_be_visible()
    await expect(page.get_by_label("Text", exact=True)).to_have_value("Alpha beta gamma")
    await expect(page.get_by_role("button", name=f"Version {new}", exact=True)).to_be_visible()

    # Final, after a confirmation; then a member withdraws it and the draft is editable again.
    await page.get_by_role("button", name="Submit as final").click()
    await expect(
        page.get_by_role("dialog", name=f"Submit version {new + 1} as final?")
    ).to_be_visible()
    await confirm(page, "Yes, make it final")
    # The button pressed is gone: the focus is on the sentence that says what happened.
    await expect(page.get_by_text(f"Version {new + 1} is now final.")).to_be_focused()
    await expect(page.get_by_label("Text", exact=True)).to_have_count(0)
    await page.get_by_role("button", name="Withdraw the final").click()
    await confirm(page, "Yes, withdraw it")
    await expect(page.get_by_text("The final was withdrawn")).to_be_visible()
    await expect(page.get_by_label("Text", exact=True)).to_be_editable()
    await expect(page.get_by_text("Draft — every member can edit it.")).to_be_visible()

    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    await context.close()
    assert expected_console_errors(console.errors) == []


async def test_a_facilitator_reads_the_submission_and_the_team_sees_signed_feedback(
    browser: Browser, server: str
) -> None:
    facilitator_context = await new_context(browser, server)
    facilitator = await facilitator_context.new_page()
    console = Console()
    console.watch(facilitator)
    member_context = await new_context(browser, server)
    member = await member_context.new_page()
    console.watch(member)
    await sign_in(member, PARTICIPANT)
    ids = await demo_ids(member)
    team = await (await member.request.get(f"/api/v1/teams/{ids['team']}")).json()

    await sign_in(facilitator, FACILITATOR)
    await facilitator.goto(f"/facilitate/{ids['teamwork']}")
    # In teamwork the page opens on its Teams tab, with the headline figures above the tabs.
    await expect(facilitator.get_by_role("tab", name="Teams")).to_have_attribute(
        "aria-selected", "true"
    )
    await expect(facilitator.locator(".stats")).to_contain_text("Final submissions")
    await facilitator.get_by_role(
        "link", name=f"Read the submission of {team['name']} and give feedback"
    ).click()
    await expect(
        facilitator.get_by_role("heading", name=f"{team['name']}: submission and feedback")
    ).to_be_visible()
    await expect(facilitator.get_by_role("heading", name="Versions")).to_be_visible()
    # Nothing written: the field says so, for screen readers too.
    await facilitator.get_by_role("button", name="Send the feedback").click()
    field = facilitator.get_by_label("Your feedback")
    await expect(field).to_have_attribute("aria-invalid", "true")
    await expect(facilitator.get_by_text("Write your feedback first.")).to_be_visible()
    await field.fill("Add **numbers** to the plan.")
    await facilitator.get_by_role("button", name="Send the feedback").click()
    await expect(facilitator.get_by_text("Sent. The team was told.", exact=True)).to_be_visible()
    mine = facilitator.locator(".feedback-list li").first
    await expect(mine).to_contain_text("Facilitator Demo Facilitator")
    await expect(mine).to_contain_text("yours")

    # The team: told on its list of challenges, and the feedback signed on its page.
    await member.goto("/")
    notice = member.get_by_role(
        "link", name=f"{team['name']}: a facilitator left your team feedback."
    )
    await expect(notice.first).to_be_visible()
    await notice.first.click()
    feedback = member.locator(".feedback-list li").first
    await expect(feedback).to_contain_text("Facilitator Demo Facilitator")
    await expect(feedback.locator("strong", has_text="numbers")).to_be_visible()
    await expect(feedback.locator("time")).to_be_visible()
    # Following the notice read it: it is no longer waiting on the list.
    await member.goto("/")
    await expect(member.get_by_role("heading", name="Challenges", level=1)).to_be_visible()
    await expect(notice).to_have_count(0)

    # The facilitator's audit trail says their name was shown to a team, and to no one by name.
    await facilitator.goto("/me/audit")
    await expect(
        facilitator.get_by_text(
            "Your name was shown to the members of a team you gave feedback to"
        ).first
    ).to_be_visible()

    await facilitator_context.close()
    await member_context.close()
    assert expected_console_errors(console.errors) == []


async def test_a_final_includes_the_text_typed_just_before(browser: Browser, server: str) -> None:
    """Issue 19: "Submit as final" finalised the last saved version, without the words typed
    since; now they are saved first, and the dialog says so."""
    context = await new_context(browser, server)
    page = await context.new_page()
    console = Console()
    console.watch(page)
    await sign_in(page, PARTICIPANT)
    ids = await demo_ids(page)
    await page.goto(f"/teams/{ids['team']}")
    saved = await _save(page, "Plan typed to the end", "The saved part.")
    typed = "The saved part. And the last sentence, typed just before the final."
    await page.get_by_label("Text", exact=True).fill(typed)
    await page.get_by_role("button", name="Submit as final").click()
    dialog = page.get_by_role("dialog", name=f"Submit version {saved + 1} as final?")
    await expect(dialog).to_contain_text(
        f"Your latest changes are saved first, as version {saved + 1}."
    )
    await confirm(page, "Yes, make it final")
    await expect(page.get_by_text(f"Version {saved + 1} is now final.")).to_be_visible()
    await expect(page.locator("article").first).to_contain_text("typed just before the final")
    submission = await (await page.request.get(f"/api/v1/teams/{ids['team']}/submission")).json()
    assert (submission["status"], submission["version"], submission["body"]) == (
        "final",
        saved + 1,
        typed,
    )
    # The draft is editable again for the other tests.
    await page.get_by_role("button", name="Withdraw the final").click()
    await confirm(page, "Yes, withdraw it")
    await context.close()
    assert expected_console_errors(console.errors) == []
