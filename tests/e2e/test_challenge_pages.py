"""The challenge, enrolment, formation and results pages read as people expect (issue 19):
words rather than codes, a welcome and a next step, a confirmation before what cannot be
undone, and a results chart that shows its figures.

Each test makes its own challenge or reads a demo challenge without changing it, so that the
journeys of test_journeys.py find the demo as they expect.
"""

from __future__ import annotations

import re

from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import (
    FACILITATOR,
    PARTICIPANT,
    demo_challenge,
    new_context,
    sign_in,
)
from tests.e2e.journeys import (
    confirm,
    create_challenge,
    join,
    move_phase,
    open_challenge,
    sign_up,
)
from tests.e2e.test_pages import serious_violations

CODES = re.compile(r"\b\w+_\w+\b|\blt\d+\b|\b\d+to\d+\b|\b\d+plus\b")


async def fits_and_passes_axe(page: Page) -> None:
    assert await serious_violations(page) == []
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{overflow}px wider than the screen"


async def test_a_closed_challenge_says_when_it_closed_and_shows_its_topics(
    context: BrowserContext,
) -> None:
    page = await context.new_page()
    await sign_in(page, PARTICIPANT)
    card = page.locator(".card").filter(
        has=page.get_by_role("link", name="Negotiation stories across generations", exact=True)
    )
    await expect(card).to_contain_text("Closed on")
    await expect(card).not_to_contain_text("Teamwork starts")
    # Its track, said with whom it is for, and its topic tags.
    await expect(card).to_contain_text("Deepen track")
    await expect(card).to_contain_text("For people who use it a little")
    await expect(card.get_by_role("list", name="Topics")).to_contain_text("Reverse mentoring")

    await open_challenge(page, "Negotiation stories across generations")
    await expect(page.get_by_text(re.compile("^Closed on "))).to_be_visible()
    await expect(page.get_by_role("list", name="Topics")).to_contain_text("Reverse mentoring")
    # Plain words for participants; the precise terms wait in the details one opens.
    explainer = page.locator(".explainer")
    await expect(explainer.locator("> ul")).not_to_contain_text("blind")
    await expect(explainer.locator("> ul")).to_contain_text("at least 3 reviews")
    await explainer.get_by_text("The technical details").click()
    await expect(explainer).to_contain_text("RFC 9474")


async def test_released_results_show_counts_and_proportional_bars(
    context: BrowserContext,
) -> None:
    page = await context.new_page()
    await sign_in(page, PARTICIPANT)
    closed = (await demo_challenge(page, "closed"))["id"]
    await page.goto(f"/challenges/{closed}/results")
    mine = page.locator("section").filter(
        has=page.get_by_role("heading", name="Reviews of your team")
    )
    # One table per criterion, named by the rubric's title (not its id) and its median.
    chart = mine.get_by_role("table", name=re.compile(r"^Clarity \(median [\d.]+\)$"))
    await expect(chart).to_be_visible()
    rows = chart.locator("tbody tr")
    await expect(rows).to_have_count(5)  # scores 1 to 5
    counts = [int(n) for n in await chart.locator(".bar-count").all_inner_texts()]
    assert sum(counts) >= 3, counts  # released: at least k reviews
    widths = await chart.locator(".bar-fill").evaluate_all(
        "bars => bars.map((b) => b.getBoundingClientRect().width / "
        "b.parentElement.getBoundingClientRect().width)"
    )
    top = max(counts)
    for count, width in zip(counts, widths, strict=True):
        assert abs(width - count / top) < 0.02, (counts, widths)
    # Scores of each review, by criterion title.
    await expect(mine.locator(".reviews li").first).to_contain_text("Clarity:")
    await expect(mine.locator(".reviews")).not_to_contain_text("clarity:")


async def test_the_facilitator_reads_words_not_codes(context: BrowserContext) -> None:
    page = await context.new_page()
    await sign_in(page, FACILITATOR)
    enrolment = (await demo_challenge(page, "enrolment"))["id"]
    await page.goto(f"/facilitate/{enrolment}")
    supply = page.locator(".charts table").filter(has_text="Can teach")
    await expect(supply.get_by_role("rowheader", name="Short video")).to_be_visible()
    participants = page.get_by_role("table", name="Participants, by handle")
    await expect(participants).to_be_visible()
    for text in [
        await supply.inner_text(),
        await participants.inner_text(),
        await page.locator(".charts").inner_text(),
    ]:
        assert not CODES.search(text), CODES.search(text)
    await expect(page.locator(".charts")).not_to_contain_text("fewer than k")

    # Where the track is chosen, what it means.
    await page.goto("/facilitate/new")
    track = page.get_by_label("Track")
    await expect(track).to_have_accessible_description(re.compile("never used the topic"))
    await track.select_option(label="Exploit")
    await expect(track).to_have_accessible_description(re.compile("use it already"))


async def test_new_people_are_welcomed_guided_and_asked_before_what_cannot_be_undone(
    browser: Browser, server: str
) -> None:
    facilitator_context = await new_context(browser, server)
    facilitator = await facilitator_context.new_page()
    await sign_in(facilitator, FACILITATOR)
    title = "Pivot tables without fear"
    challenge_id = await create_challenge(facilitator, title)
    # Publishing asks first; cancelling changes nothing and gives the focus back.
    await facilitator.goto(f"/facilitate/{challenge_id}")
    publish = facilitator.get_by_role("button", name="Publish and open enrolment")
    await publish.click()
    dialog = facilitator.get_by_role("dialog", name="Publish this challenge?")
    await expect(dialog).to_be_visible()
    await expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    await facilitator.keyboard.press("Escape")
    await expect(dialog).to_be_hidden()
    await expect(publish).to_be_focused()
    await expect(facilitator.locator(".badge", has_text="Draft").first).to_be_visible()
    await move_phase(facilitator, challenge_id, "Publish and open enrolment", "Enrolment")
    # A phase that cannot start yet says why in the page's words (not the server's English).
    await facilitator.get_by_role("button", name="Move to Teamwork").click()
    await confirm(facilitator, "Move to Teamwork")
    await expect(facilitator.get_by_role("alert")).to_have_text(
        "The challenge is not ready for that phase: Teamwork starts once teams exist: "
        "the facilitator forms them, or participants create them."
    )

    # A newcomer is welcomed with what comes next.
    # On a phone, checked by axe-core (injected: this context lets it past the CSP).
    first_context = await new_context(browser, server, width=375, bypass_csp=True)
    first, _ = await sign_up(first_context, "Pivot Newcomer", 1999)
    welcome = first.get_by_role("region", name="Welcome! Here is what happens next")
    await expect(welcome).to_be_visible()
    await expect(welcome).to_contain_text("say what you can teach")
    await fits_and_passes_axe(first)
    await welcome.get_by_role("button", name="Got it").click()
    await expect(welcome).to_be_hidden()

    # The join form assumes no level and says what each means.
    await open_challenge(first, title)
    await fits_and_passes_axe(first)
    teach_level = first.locator("#teach-level-0")
    await expect(teach_level).to_have_value("")
    await expect(first.get_by_text("Masters it and can teach it.")).to_be_visible()
    await first.locator("#teach-skill-0").fill("Excel pivot tables")
    await first.locator("#learn-skill-0").fill("negotiation")
    await first.get_by_role("button", name="Join", exact=True).click()
    # Not sent without a level: the browser points at the missing choice.
    await expect(teach_level).to_be_focused()
    await teach_level.select_option(label="3 · Exploit")
    await expect(teach_level).to_have_accessible_description(
        "Uses it, but not to its full potential."
    )
    await first.locator("#learn-level-0").select_option(label="1 · Discover")
    await first.get_by_role("button", name="Join", exact=True).click()
    # The form is gone: the focus is on what happened and what comes next.
    joined = first.get_by_role("status").filter(has_text="You have joined this challenge.")
    await expect(joined).to_be_focused()
    await expect(joined).to_contain_text("teams are formed when enrolment closes")

    # One's skills, in words, and changed while enrolment is open.
    skills = first.locator(".my-skills")
    await expect(skills).to_contain_text("Excel pivot tables (3 · Exploit)")
    await expect(skills).to_contain_text("Negotiation (1 · Discover)")
    await first.get_by_role("button", name="Change my skills").click()
    await expect(first.locator("#teach-skill-0")).to_have_value("Excel pivot tables")
    await first.locator("#teach-level-0").select_option(label="4 · Mentor")
    await first.get_by_role("button", name="Save my skills").click()
    saved = first.get_by_text("Your skills are saved.", exact=True)
    await expect(saved).to_be_visible()
    await expect(skills).to_contain_text("Excel pivot tables (4 · Mentor)")
    await first.reload()
    await fits_and_passes_axe(first)
    await expect(first.locator(".my-skills")).to_contain_text("Excel pivot tables (4 · Mentor)")

    # Withdrawing asks first too.
    await first.get_by_role("button", name="Withdraw from this challenge").click()
    await expect(first.get_by_role("dialog")).to_be_visible()
    await fits_and_passes_axe(first)
    await first.get_by_role("dialog").get_by_role("button", name="Cancel").click()
    await expect(first.get_by_role("heading", name=re.compile("You take part as"))).to_be_visible()

    others = []
    for i, year in enumerate((1968, 1985)):
        context = await new_context(browser, server)
        page, _ = await sign_up(context, f"Pivot Colleague {i}", year)
        await join(page, title, "Excel pivot tables", "negotiation")
        others.append(context)

    # Publishing the teams asks first; once they are out, nothing offers to form them again.
    await facilitator.goto(f"/facilitate/{challenge_id}/formation")
    await facilitator.get_by_role("button", name="Form teams").click()
    await expect(facilitator.get_by_role("heading", name="Proposed teams")).to_be_visible(
        timeout=60_000
    )
    # Skills in words: everyone teaches pivot tables and wants negotiation, which nobody
    # teaches.
    await expect(facilitator.locator(".proposal > li").first).to_contain_text(
        "not covered: Negotiation"
    )
    # Counts agree with their noun (everyone here works in Operations).
    await expect(facilitator.locator(".proposal > li").first).to_contain_text(
        re.compile(r"\b1 department(?!s)")
    )
    await facilitator.get_by_role("button", name="Publish these teams").click()
    await expect(facilitator.get_by_role("dialog", name="Publish these teams?")).to_be_visible()
    await confirm(facilitator, "Publish these teams")
    published = facilitator.get_by_role("status").filter(has_text="Teams published")
    await expect(published).to_be_focused()
    await expect(facilitator.get_by_role("button", name=re.compile("Run again"))).to_have_count(0)
    await facilitator.reload()
    done = facilitator.get_by_text("Teams published; members have been told.")
    await expect(done).to_be_visible()
    again = facilitator.get_by_role("button", name=re.compile("Run again|Form teams"))
    await expect(again).to_have_count(0)

    # Starting a team of one's own: the form goes, the focus goes to what happened.
    own = "Pivot teams of our own"
    own_id = await create_challenge(facilitator, own, mode="Teams formed by participants")
    await move_phase(facilitator, own_id, "Publish and open enrolment", "Enrolment")
    await join(first, own, "Excel pivot tables", "negotiation")
    await first.get_by_role("button", name="Start a new team").click()
    in_team = first.get_by_role("status").filter(has_text="You are in a team.")
    await expect(in_team).to_be_focused()
    await expect(first.get_by_role("link", name="Open my team's workspace")).to_be_visible()

    for context in [first_context, facilitator_context, *others]:
        await context.close()
