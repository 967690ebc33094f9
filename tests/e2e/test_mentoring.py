"""Mentoring programmes in a real browser (issue 20, item 12): a facilitator creates a programme
and opens applications; six employees apply (one through the form); the lead accepts the
mentors, runs the matching and publishes it; a mentee sees their pair and accepts it. The
programme page, the apply form, my pair and the lead's page have no serious axe violation at
1280 and 375 px, my pair in French and Spanish too."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from typing import Any

from playwright.async_api import APIRequestContext, Browser, BrowserContext, Page, expect

from tests.e2e.conftest import (
    ADMIN,
    FACILITATOR,
    PASSWORD,
    Console,
    expected_console_errors,
    new_context,
    sign_in,
)
from tests.e2e.journeys import confirm
from tests.e2e.test_pages import serious_violations

TOPIC = "Spreadsheets"
WEEK = ["mon-am", "tue-pm", "thu-am"]


async def _csrf(request: APIRequestContext) -> str:
    token: str = (await (await request.get("/api/v1/auth/csrf")).json())["csrf_token"]
    return token


async def _invite_and_sign_up(
    admin: BrowserContext, person: BrowserContext, name: str, birth_year: int
) -> str:
    """An employee invited by the administrator and signed up through the API, signed in in
    `person`. Answers their CSRF token."""
    email = f"{name.lower().replace(' ', '.')}.{uuid.uuid4().hex[:6]}@example.org"
    invited = await admin.request.post(
        "/api/v1/admin/invitations",
        data={"display_name": name, "email": email, "birth_year": birth_year},
        headers={"X-CSRF-Token": await _csrf(admin.request)},
    )
    assert invited.ok, await invited.text()
    code = (await invited.json())["invitation_code"]
    signed_up = await person.request.post(
        "/api/v1/auth/sign-up",
        data={
            "display_name": name,
            "email": email,
            "password": PASSWORD,
            "invitation_code": code,
            "birth_year": birth_year,
        },
        headers={"X-CSRF-Token": await _csrf(person.request)},
    )
    assert signed_up.status == 201, await signed_up.text()
    token: str = (await signed_up.json())["csrf_token"]
    return token


async def _admin(browser: Browser, server: str) -> BrowserContext:
    context = await new_context(browser, server)
    response = await context.request.post(
        "/api/v1/auth/sign-in",
        data={"email": ADMIN, "password": PASSWORD},
        headers={"X-CSRF-Token": await _csrf(context.request)},
    )
    assert response.ok, await response.text()
    return context


def _application(role: str) -> dict[str, Any]:
    body: dict[str, Any] = {"role": role, "languages": ["en"], "availability": WEEK}
    if role == "mentor":
        body |= {"teaches": [{"skill": TOPIC, "level": 4}], "capacity": 1}
    else:
        body |= {"wants": [{"skill": TOPIC, "level": 1, "guidance": "discover"}]}
    return body


async def _axe_at_both_widths(page: Page, where: str) -> None:
    for width in (1280, 375):
        await page.set_viewport_size({"width": width, "height": 900})
        found = await serious_violations(page)
        assert found == [], f"{where} at {width} px: {found}"
        # The innermost elements that stick out on the right, named for the failure message.
        wide = await page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter((e) => e.getBoundingClientRect().right
                    > document.documentElement.clientWidth + 1)
                .filter((e) => ![...e.children].some((c) => c.getBoundingClientRect().right
                    > document.documentElement.clientWidth + 1))
                .slice(0, 5).map((e) => `${e.tagName}.${e.className}`)"""
        )
        assert wide == [], f"{where} scrolls sideways at {width} px: {wide}"
    await page.set_viewport_size({"width": 1280, "height": 900})


async def _create_and_open(page: Page, title: str) -> str:
    """As the facilitator: create the programme from the header, open applications. Answers
    its id."""
    await page.get_by_role("link", name="Mentoring", exact=True).click()
    await expect(page.get_by_role("heading", name="Mentoring", level=1)).to_be_visible()
    await page.get_by_role("link", name="Create a programme").click()
    await page.get_by_label("Title", exact=True).fill(title)
    await page.get_by_label("Purpose", exact=True).fill("Younger colleagues show their tools.")
    await page.get_by_label("Topics", exact=True).fill(f"{TOPIC}, Video editing")
    now = datetime.now()

    def local(days: int) -> str:
        return (now + timedelta(days=days)).strftime("%Y-%m-%dT09:00")

    await page.get_by_label("Applications close", exact=True).fill(local(2))
    await page.get_by_label("The programme starts", exact=True).fill(local(3))
    await page.get_by_label("The programme ends", exact=True).fill(local(90))
    await page.get_by_role("button", name="Create the draft").click()
    await expect(page.get_by_role("heading", name=f"Running {title}", level=1)).to_be_visible()
    programme_id = page.url.split("/programmes/", 1)[1].split("/", 1)[0]
    await page.get_by_role("button", name="Open applications").click()
    await confirm(page, "Open applications")
    await expect(page.locator(".badge", has_text="Applications open")).to_be_visible()
    return programme_id


async def _apply_as_mentee(page: Page, programme_id: str, title: str) -> str:
    """Through the form, as a person would. Answers the handle drawn."""
    await page.goto(f"/programmes/{programme_id}")
    await expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    # The pair mode and each guidance level are explained in words.
    await expect(page.get_by_text("the younger one of each pair mentors")).to_be_visible()
    await expect(page.get_by_text("have never used the topic")).to_be_visible()
    await page.get_by_label("I apply as", exact=True).select_option(label="Mentee")
    await _axe_at_both_widths(page, "the apply form")
    # Sent without a language or a half day: the refusal is said on the form, in words.
    await page.get_by_label("Skill 1 to learn", exact=True).select_option(label=TOPIC)
    await page.get_by_label("Where I am now in skill 1", exact=True).select_option(
        label="1 · Never used it"
    )
    await page.get_by_label("Guidance for skill 1", exact=True).select_option(label="Discover")
    await page.get_by_label("English", exact=True).uncheck()
    await page.get_by_role("button", name="Send my application").click()
    await expect(page.locator(".error-summary")).to_contain_text("Add at least 1.")
    await page.get_by_label("English", exact=True).check()
    for day in ("Monday Morning", "Tuesday Afternoon"):
        await page.get_by_label(day, exact=True).check()
    await page.get_by_role("button", name="Send my application").click()
    heading = page.get_by_role("heading", name=re.compile("You applied as"))
    # The form is gone: the focus moves to what replaced it.
    await expect(heading).to_be_focused()
    await expect(page.get_by_text("Your application is in.")).to_be_visible()
    await expect(page.get_by_text("Monday morning, Tuesday afternoon")).to_be_visible()
    await expect(page.get_by_role("button", name="Withdraw my application")).to_be_visible()
    return (await heading.inner_text()).removeprefix("You applied as ").strip()


async def test_a_programme_from_creation_to_an_accepted_pair(browser: Browser, server: str) -> None:
    title = f"Tools across generations {uuid.uuid4().hex[:4]}"
    console = Console()
    lead_context = await new_context(browser, server, bypass_csp=True)
    mentee_context = await new_context(browser, server, bypass_csp=True)
    admin = await _admin(browser, server)
    others: list[BrowserContext] = []
    try:
        lead = await lead_context.new_page()
        console.watch(lead)
        await sign_in(lead, FACILITATOR)
        programme_id = await _create_and_open(lead, title)

        # Five employees apply through the API: three young mentors, two older mentees.
        people = [("mentor", 1999), ("mentor", 2000), ("mentor", 1998)]
        people += [("mentee", 1966), ("mentee", 1968)]
        for n, (role, year) in enumerate(people):
            context = await new_context(browser, server)
            others.append(context)
            token = await _invite_and_sign_up(admin, context, f"Applicant {n} {role}", year)
            applied = await context.request.put(
                f"/api/v1/programmes/{programme_id}/application",
                data=_application(role),
                headers={"X-CSRF-Token": token},
            )
            assert applied.ok, await applied.text()

        # The sixth, a mentee, through the form.
        await _invite_and_sign_up(admin, mentee_context, "Applicant five mentee", 1964)
        mentee = await mentee_context.new_page()
        console.watch(mentee)
        handle = await _apply_as_mentee(mentee, programme_id, title)
        await _axe_at_both_widths(mentee, "the programme page")

        # The lead accepts the three mentors, under handles only.
        await lead.reload()
        await lead.get_by_role("tab", name="Mentor applications").click()
        accept = lead.get_by_role("button", name=re.compile(r"^Accept .+ as a mentor$"))
        await expect(accept).to_have_count(3)
        for left in (2, 1, 0):
            await accept.first.click()
            await expect(accept).to_have_count(left)
        await expect(lead.get_by_role("tabpanel")).not_to_contain_text("Applicant")
        await _axe_at_both_widths(lead, "the lead's page (mentors)")

        await lead.get_by_role("button", name="Close applications and start matching").click()
        await confirm(lead, "Close applications and start matching")
        await expect(lead.locator(".badge", has_text="Matching")).to_be_visible()
        await lead.get_by_role("tab", name="Matching").click()
        await lead.get_by_role("button", name="Match mentors and mentees").click()
        await expect(lead.get_by_role("heading", name="Proposed pairs")).to_be_visible(
            timeout=60_000
        )
        pairs = lead.locator(".proposal > li")
        await expect(pairs).to_have_count(3)
        # Each pair judged in words, never in the matcher's figures.
        await expect(pairs.first).to_contain_text(f"The mentor teaches {TOPIC} (Discover)")
        await expect(pairs.first).to_contain_text("1 skill to teach")
        await expect(pairs.first).to_contain_text(re.compile(r"generations? apart"))
        await expect(lead.locator(".proposal")).not_to_contain_text(re.compile(r"\d\.\d"))
        mentoring_them = re.compile(f"mentors {re.escape(handle)}$")
        await expect(lead.get_by_role("heading", name=mentoring_them)).to_be_visible()
        await _axe_at_both_widths(lead, "the lead's page (matching)")
        # Every mentor takes one mentee: moving one to another mentor is refused, and the
        # refusal says why in words.
        move = lead.get_by_label(re.compile(r"^Move .+ to")).first
        await move.select_option(index=1)
        await expect(lead.locator(".error-summary")).to_contain_text(
            "This mentor has no room left."
        )
        await expect(pairs).to_have_count(3)
        await lead.get_by_role("button", name="Publish these pairs").click()
        await confirm(lead, "Publish these pairs")
        await expect(lead.get_by_text("Pairs published")).to_be_visible()

        # The mentee sees their partner under a handle, and accepts.
        await mentee.goto(f"/programmes/{programme_id}")
        await mentee.get_by_role("link", name="See my pair").click()
        partner = mentee.get_by_role("heading", name=re.compile("^Your partner: "))
        await expect(partner).to_be_visible()
        await expect(mentee.get_by_text(f"You learn {TOPIC} (Discover")).to_be_visible()
        await expect(mentee.get_by_text("The programme's leads never see")).to_be_visible()
        await _axe_at_both_widths(mentee, "my pair")
        await mentee.get_by_role("button", name="Accept this match").click()
        await confirm(mentee, "Accept this match")
        await expect(mentee.get_by_text("You accepted this match.")).to_be_visible()
        await mentee.get_by_label("I agree to show my name to my partner").check()
        await expect(mentee.get_by_text("You agreed; your names stay hidden")).to_be_visible()
        # The same page in French and in Spanish, at both widths.
        for language, heading in (("Français", "Mon binôme dans"), ("Español", "Mi pareja en")):
            await mentee.locator(".language select").select_option(label=language)
            await expect(mentee.get_by_role("heading", name=re.compile(heading))).to_be_visible()
            await _axe_at_both_widths(mentee, f"my pair in {language}")

        # The lead's counts follow the answer.
        await lead.reload()
        await lead.get_by_role("tab", name="Answers").click()
        waiting = lead.locator(".stat", has_text="Pairs waiting for answers")
        await expect(waiting.locator(".stat-value")).to_have_text("3")
        assert expected_console_errors(console.errors) == []
    finally:
        for context in (lead_context, mentee_context, admin, *others):
            await context.close()
