"""A mentoring programme played end to end in a real browser (issue 20's acceptance): twenty
applicants (through the API, for speed), the mentors' training (one mentor finishes it in the
browser), the lead's selection, matching and publication in the browser; then one pair at work
in the browser: both accept and consent, so each sees the other's name; a plan with a goal; two
sessions proposed and accepted, each with a calendar file; check-ins once they are held; a
journal entry the partner reads and exports. The lead's monthly progress shows the ended month
with its small counts hidden. The pair page and the progress page have no serious axe violation
at 1280 and 375 px, in English and in French.

Sessions are planned in the future only, and the lead's figures cover ended months only: the
test moves its own programme's session, pair and check-in dates back into last month in the
server's database, as the API tests do (tests/api/test_mentoring_pairs_sessions.py)."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import APIRequestContext, Browser, BrowserContext, Page, expect

from tests.e2e.conftest import FACILITATOR, Console, expected_console_errors, new_context, sign_in
from tests.e2e.journeys import confirm
from tests.e2e.test_mentoring import (
    TOPIC,
    _admin,
    _application,
    _axe_at_both_widths,
    _csrf,
    _invite_and_sign_up,
)
from tests.rating import RatingToken

TRAINING = "Mentor training: the right posture"
GOAL = "Build a household budget in a spreadsheet"
# A cell hidden only so that a small one cannot be worked out, as a screen reader reads it.
HIDDEN_AS_COMPLEMENT = "hidden, so that a count under 5 can't be worked out from the others"
NOTE = "We set up the budget sheet together; next time, charts."
SURVEY_COMMENT = "More time for questions."


class Person:
    """An applicant: their browser context, CSRF token, handle and pair."""

    def __init__(self, context: BrowserContext, token: str, name: str, role: str) -> None:
        self.context, self.token, self.name, self.role = context, token, name, role
        self.handle = ""

    @property
    def request(self) -> APIRequestContext:
        return self.context.request

    async def call(self, method: str, path: str, body: Any = None) -> Any:
        response = await self.request.fetch(
            path, method=method, data=body, headers={"X-CSRF-Token": self.token}
        )
        assert response.ok, f"{method} {path}: {response.status} {await response.text()}"
        return await response.json() if response.status != 204 else None


async def _lesson_answers(person: Person, lesson_id: str) -> tuple[int, list[list[int]]]:
    """The lesson's published version and its right answers: a first (wrong) attempt through
    the API shows them, as the quiz does to a reader once they have answered."""
    lesson = await person.call("GET", f"/api/v1/library/lessons/{lesson_id}")
    wrong = [[0] for _ in lesson["quiz"]]
    graded = await person.call(
        "POST",
        f"/api/v1/library/lessons/{lesson_id}/attempts",
        {"version": lesson["version"], "answers": wrong},
    )
    return lesson["version"], [q["correct_choices"] for q in graded["questions"]]


async def _pass_lesson(person: Person, lesson_id: str) -> None:
    version, right = await _lesson_answers(person, lesson_id)
    graded = await person.call(
        "POST",
        f"/api/v1/library/lessons/{lesson_id}/attempts",
        {"version": version, "answers": right},
    )
    assert graded["passed"], graded


async def _training_lessons(person: Person, collection_id: str) -> list[str]:
    found = await person.call("GET", f"/api/v1/library/collections/{collection_id}")
    return [item["lesson"]["id"] for item in found["items"] if item["lesson"]]


def _last_month(day: int, hour: int = 9) -> str:
    """A moment of last month as the app database stores it (UTC, no zone)."""
    first = datetime.now(UTC).replace(day=1)
    moment = (first - timedelta(days=1)).replace(day=day, hour=hour, minute=0, second=0)
    return moment.strftime("%Y-%m-%d %H:%M:%S.000000")


def _backdate(database: Path, title: str, statements: list[tuple[str, tuple[Any, ...]]]) -> None:
    """Run `statements` on the programme's rows ({programme} is its id's subquery)."""
    programme = "(SELECT id FROM mentoring_programmes WHERE title = ?)"
    with sqlite3.connect(database, timeout=30) as db:
        for sql, values in statements:
            db.execute(sql.format(programme=programme), (*values, title))


async def _apply_everyone(
    browser: Browser, server: str, admin: BrowserContext, programme_id: str, collection_id: str
) -> list[Person]:
    """Ten young mentors and ten older mentees, all through the API. The first mentor leaves
    the training's last lesson to do in the browser; the other nine pass it first."""
    people: list[Person] = []
    for n in range(20):
        role = "mentor" if n < 10 else "mentee"
        year = 1994 + n if role == "mentor" else 1950 + n
        context = await new_context(browser, server, bypass_csp=True)
        name = f"Pair tester {n} {role}"
        token = await _invite_and_sign_up(admin, context, name, year)
        people.append(Person(context, token, name, role))

    async def apply(person: Person, index: int) -> None:
        if person.role == "mentor":
            lessons = await _training_lessons(person, collection_id)
            for lesson_id in lessons if index > 0 else lessons[:-1]:
                await _pass_lesson(person, lesson_id)
        applied = await person.call(
            "PUT", f"/api/v1/programmes/{programme_id}/application", _application(person.role)
        )
        person.handle = applied["handle"]
        if person.role == "mentor":
            assert applied["training_passed"] is (index > 0)

    for n, person in enumerate(people):
        await apply(person, n)
    return people


async def _finish_training_in_the_browser(
    page: Page, mentor: Person, programme_id: str, collection_id: str
) -> None:
    lesson_id = (await _training_lessons(mentor, collection_id))[-1]
    lesson = await mentor.call("GET", f"/api/v1/library/lessons/{lesson_id}")
    _, right = await _lesson_answers(mentor, lesson_id)
    await page.goto(f"/programmes/{programme_id}")
    await expect(
        page.get_by_text("You have not completed the mentor training yet.")
    ).to_be_visible()
    await page.get_by_role("link", name="Open the training in the library").click()
    await page.get_by_role("link", name=lesson["title"]).first.click()
    await expect(page.get_by_role("heading", name=lesson["title"], level=1)).to_be_visible()
    for question, choices in zip(lesson["quiz"], right, strict=True):
        for choice in choices:
            name = question["choices"][choice]
            box = (
                page.get_by_role("radio", name=name, exact=True)
                if question["kind"] == "single"
                else page.get_by_role("checkbox", name=name, exact=True)
            )
            await box.check()
    await page.get_by_role("button", name="Check my answers").click()
    await expect(page.get_by_role("heading", name=re.compile("^Passed"))).to_be_visible()
    await page.goto(f"/programmes/{programme_id}")
    await page.get_by_role("button", name="Check my training again").click()
    await expect(page.get_by_text("You have completed the mentor training.")).to_be_visible()


async def _select_match_and_publish(lead: Page, programme_id: str) -> None:
    await lead.goto(f"/programmes/{programme_id}/manage")
    await lead.get_by_role("tab", name="Mentor applications").click()
    accept = lead.get_by_role("button", name=re.compile(r"^Accept .+ as a mentor$"))
    await expect(accept).to_have_count(10)
    for left in range(9, -1, -1):
        await accept.first.click()
        await expect(accept).to_have_count(left)
    await lead.get_by_role("button", name="Close applications and start matching").click()
    await confirm(lead, "Close applications and start matching")
    await lead.get_by_role("tab", name="Matching").click()
    await lead.get_by_role("button", name="Match mentors and mentees").click()
    await expect(lead.get_by_role("heading", name="Proposed pairs")).to_be_visible(timeout=60_000)
    await expect(lead.locator(".proposal > li")).to_have_count(10)
    await lead.get_by_role("button", name="Publish these pairs").click()
    await confirm(lead, "Publish these pairs")
    await expect(lead.get_by_text("Pairs published")).to_be_visible()


async def _accept_and_consent(page: Page) -> None:
    await page.get_by_role("button", name="Accept this match").click()
    await confirm(page, "Accept this match")
    await expect(page.get_by_text("You accepted this match.")).to_be_visible()
    await page.get_by_label("I agree to show my name to my partner").check()


async def _write_the_plan(page: Page) -> None:
    await page.get_by_role("button", name="Write the plan").click()
    await page.get_by_label("Interests (Mentee)", exact=True).fill("Family budgets, travel")
    await page.get_by_role("button", name="Add a goal (Mentee)").click()
    await page.get_by_label("Goal 1 (Mentee)", exact=True).fill(GOAL)
    await page.get_by_label("Guidance for goal 1 (Mentee)", exact=True).select_option("discover")
    await page.get_by_role("button", name="Save the plan").click()
    await expect(page.get_by_text(f"{GOAL} (Discover)")).to_be_visible()


async def _propose(page: Page, days: int, *, place: str | None = None, video: str = "") -> None:
    await page.get_by_role("button", name="Propose a session").click()
    when = (datetime.now() + timedelta(days=days)).strftime("%Y-%m-%dT10:00")
    await page.get_by_label("Date and time", exact=True).fill(when)
    await page.get_by_label("Length in minutes", exact=True).fill("60")
    if place is not None:
        await page.get_by_label("Place", exact=True).fill(place)
    else:
        await page.get_by_label("By video", exact=True).check()
        await page.get_by_label("Video link", exact=True).fill(video)
    await page.get_by_role("button", name="Send the proposal").click()
    await expect(
        page.get_by_text("You proposed it; your partner has not answered yet.")
    ).to_be_visible()


async def _check_in(page: Page, card: int, rating: str) -> None:
    session = page.locator(".pair-sessions > li").nth(card)
    await session.get_by_role("button", name=re.compile("^Check in on the session")).click()
    await session.get_by_label("What you covered", exact=True).fill("Formulas and a first budget")
    await session.get_by_label(f"Progress on “{GOAL}”", exact=True).select_option(rating)
    await session.get_by_label("The next step", exact=True).fill("Charts from the budget")
    await session.get_by_label("How it went", exact=True).select_option("5")
    await session.get_by_role("button", name="Send my check-in").click()
    await expect(session.get_by_text("Your check-in", exact=True)).to_be_visible()


async def _answer_the_survey_in_the_browser(page: Page) -> None:
    # The form shows once this browser holds the member's token (asked for on its own).
    for question, stars in (
        ("How useful were the sessions?", "4 out of 5"),
        ("How well did your pairing fit?", "5 out of 5"),
        ("Would you recommend the programme?", "4 out of 5"),
    ):
        await page.get_by_role("group", name=question).get_by_label(stars, exact=True).check()
    await page.get_by_role("button", name="Send my answers").click()
    await expect(page.get_by_text(re.compile("^(Sent|Your answers are recorded)"))).to_be_visible()


async def _answer_the_survey_through_the_api(
    member: Person, programme_id: str, server: str
) -> None:
    """What the pair page does: the one token, blinded under the survey's key, asked for with
    the member's session; the answers sent from a request with no cookie."""
    url = f"/api/v1/programmes/{programme_id}/feedback"
    (manifest,) = [s for s in await member.call("GET", url) if s["point"] == "midpoint"]
    token = RatingToken.blinded_for(manifest)
    token.finalize(await member.call("POST", f"{url}/midpoint/token", token.request()))
    async with httpx.AsyncClient(base_url=server) as anonymous:
        answer = {"sessions_useful": 3, "pairing_fit": 4, "recommend": 5}
        sent = await anonymous.post("/api/v1/ratings", json=token.answers(answer, SURVEY_COMMENT))
    assert sent.status_code == 202, sent.text


async def test_a_programme_end_to_end_with_a_pair_at_work(
    browser: Browser, server: str, server_files: Path
) -> None:
    title = f"Budgets across generations {uuid.uuid4().hex[:4]}"
    console = Console()
    lead_context = await new_context(browser, server, bypass_csp=True)
    admin = await _admin(browser, server)
    people: list[Person] = []
    try:
        lead = await lead_context.new_page()
        console.watch(lead)
        await sign_in(lead, FACILITATOR)
        token = await _csrf(lead_context.request)
        collections = await (await lead_context.request.get("/api/v1/library/collections")).json()
        collection_id = next(c["id"] for c in collections if c["title"] == TRAINING)
        now = datetime.now(UTC)
        created = await lead_context.request.post(
            "/api/v1/programmes",
            data={
                "title": title,
                "purpose": "Younger colleagues show their tools.",
                "topics": [TOPIC],
                "training_required": True,
                "training_collection_id": collection_id,
                "schedule": {
                    "applications_close_at": (now + timedelta(days=2)).isoformat(),
                    "starts_at": (now + timedelta(days=3)).isoformat(),
                    "ends_at": (now + timedelta(days=90)).isoformat(),
                },
            },
            headers={"X-CSRF-Token": token},
        )
        assert created.status == 201, await created.text()
        programme_id = (await created.json())["id"]
        await lead.goto(f"/programmes/{programme_id}/manage")
        await lead.get_by_role("button", name="Open applications").click()
        await confirm(lead, "Open applications")
        await expect(lead.locator(".badge", has_text="Applications open")).to_be_visible()

        people = await _apply_everyone(browser, server, admin, programme_id, collection_id)
        mentor = people[0]
        mentor_page = await mentor.context.new_page()
        console.watch(mentor_page)
        await _finish_training_in_the_browser(mentor_page, mentor, programme_id, collection_id)

        await _select_match_and_publish(lead, programme_id)

        # Who is paired with whom: each member's own view, under handles.
        by_handle = {p.handle: p for p in people}
        partner_of: dict[str, Person] = {}
        for person in people:
            pair = await person.call("GET", f"/api/v1/programmes/{programme_id}/pair")
            partner_of[person.handle] = by_handle[pair["partner_handle"]]
        mentee = partner_of[mentor.handle]
        # The nine other pairs accept through the API; six of them meet once.
        others = [p for p in people if p.role == "mentor" and p is not mentor]
        for n, other in enumerate(others):
            partner = partner_of[other.handle]
            for member in (other, partner):
                await member.call(
                    "POST",
                    f"/api/v1/programmes/{programme_id}/pair/answer",
                    {"answer": "accepted"},
                )
            if n < 6:
                session = await other.call(
                    "POST",
                    f"/api/v1/programmes/{programme_id}/pair/sessions",
                    {
                        "starts_at": (now + timedelta(days=1)).isoformat(),
                        "minutes": 60,
                        "place": "Room 4",
                    },
                )
                await partner.call(
                    "POST",
                    f"/api/v1/programmes/{programme_id}/pair/sessions/{session['id']}/answer",
                    {"answer": "accepted"},
                )

        # The browser pair: both accept, both consent, and each sees the other's name.
        mentee_page = await mentee.context.new_page()
        console.watch(mentee_page)
        pair_url = f"/programmes/{programme_id}/pair"
        await mentor_page.goto(f"/programmes/{programme_id}")
        await mentor_page.get_by_role("link", name="See my pair").click()
        await _accept_and_consent(mentor_page)
        await expect(mentor_page.get_by_text("You agreed; your names stay hidden")).to_be_visible()
        await mentee_page.goto(pair_url)
        await _accept_and_consent(mentee_page)
        await expect(mentee_page.get_by_text(f"your partner is {mentor.name}")).to_be_visible()
        await mentor_page.reload()
        await expect(mentor_page.get_by_text(f"your partner is {mentee.name}")).to_be_visible()

        # The mentor writes the plan with a goal for the mentee; the mentee reads it.
        await _write_the_plan(mentor_page)
        await mentee_page.reload()
        await expect(mentee_page.get_by_text(f"{GOAL} (Discover)")).to_be_visible()

        # Two sessions, one proposed by each, each accepted by the other.
        await _propose(mentor_page, 1, place="The training room")
        await mentee_page.reload()
        await mentee_page.get_by_role("button", name=re.compile("^Accept the session of")).click()
        await expect(mentee_page.get_by_text("Accepted: see you then.")).to_be_visible()
        await _propose(mentee_page, 2, video="https://meet.example.org/budget")
        await mentor_page.reload()
        await mentor_page.get_by_role("button", name=re.compile("^Accept the session of")).click()
        await expect(mentor_page.get_by_text("Accepted: see you then.")).to_have_count(2)

        # Each session is a calendar file, which names the programme and neither member.
        link = mentor_page.get_by_role("link", name=re.compile("to my calendar")).first
        calendar = await mentor.request.get(str(await link.get_attribute("href")))
        assert calendar.ok
        assert calendar.headers["content-type"].startswith("text/calendar")
        text = await calendar.text()
        assert "BEGIN:VEVENT" in text
        assert title in text
        for someone in (mentor.handle, mentee.handle, mentor.name, mentee.name):
            assert someone not in text

        # A month later: the sessions were held last month, the pairs formed before.
        database = server_files / "app.db"
        _backdate(
            database,
            title,
            [
                (
                    "UPDATE mentoring_pairs SET created_at = ? WHERE programme_id = {programme}",
                    (_last_month(1),),
                ),
                (
                    "UPDATE mentoring_sessions SET starts_at = ? WHERE pair_id IN (SELECT id"
                    " FROM mentoring_pairs WHERE programme_id = {programme})"
                    " AND place = 'Room 4'",
                    (_last_month(5),),
                ),
                (
                    "UPDATE mentoring_sessions SET starts_at = ? WHERE pair_id IN (SELECT id"
                    " FROM mentoring_pairs WHERE programme_id = {programme})"
                    " AND place = 'The training room'",
                    (_last_month(10),),
                ),
                (
                    "UPDATE mentoring_sessions SET starts_at = ? WHERE pair_id IN (SELECT id"
                    " FROM mentoring_pairs WHERE programme_id = {programme})"
                    " AND video_url IS NOT NULL",
                    (_last_month(20),),
                ),
            ],
        )

        # Check-ins: the mentor on the first session, the mentee on the second, in the browser.
        await mentor_page.reload()
        await expect(mentor_page.get_by_text("Held: each of you checks in once.")).to_have_count(2)
        await _check_in(mentor_page, 0, "2")
        await mentee_page.reload()
        await _check_in(mentee_page, 1, "4")
        await expect(mentee_page.get_by_text("Your partner's check-in")).to_be_visible()
        await expect(mentee_page.get_by_text(f"{GOAL}: 2 out of 5")).to_be_visible()

        # The journal: the mentor writes, the mentee reads it and keeps a copy.
        await expect(
            mentor_page.get_by_text("Only the two of you can read this journal.")
        ).to_be_visible()
        await mentor_page.get_by_label("A new entry", exact=True).fill(NOTE)
        await mentor_page.get_by_role("button", name="Add to the journal").click()
        # In the journal's list, not the text box: React keeps a text box's value as its text
        # too, so the page shows NOTE before the entry is stored.
        await expect(mentor_page.get_by_role("listitem").filter(has_text=NOTE)).to_be_visible()
        await mentee_page.reload()
        await expect(mentee_page.get_by_text(NOTE)).to_be_visible()
        await expect(mentee_page.get_by_text(re.compile("^Your partner wrote, on"))).to_be_visible()
        async with mentee_page.expect_download() as download_info:
            await mentee_page.get_by_role("button", name="Export the journal (JSON)").click()
        saved = Path(await (await download_info.value).path())
        exported = json.loads(await asyncio.to_thread(saved.read_text, encoding="utf-8"))
        assert [e["text"] for e in exported["entries"]] == [NOTE]

        # The check-ins happened last month too, for the lead's figures.
        _backdate(
            database,
            title,
            [
                (
                    "UPDATE mentoring_check_ins SET created_at = ? WHERE session_id IN (SELECT"
                    " s.id FROM mentoring_sessions s JOIN mentoring_pairs p ON p.id = s.pair_id"
                    " WHERE p.programme_id = {programme})",
                    (_last_month(21),),
                )
            ],
        )

        await _axe_at_both_widths(mentee_page, "my pair at work")
        await mentee_page.locator(".language select").select_option(label="Français")
        await expect(mentee_page.get_by_role("heading", name="Votre plan")).to_be_visible()
        await _axe_at_both_widths(mentee_page, "my pair at work in French")

        # The lead's progress: last month, ten pairs running; seven met and three did not. Three
        # is under five, and seven is hidden with it (ten minus it would give three away): read
        # as "hidden" with its reason, since "fewer than 5" would be false of it.
        await lead.reload()
        await lead.get_by_role("tab", name="Progress").click()
        await expect(lead.get_by_role("heading", name="Monthly progress")).to_be_visible()
        table = lead.get_by_role("table", name="Pairs and sessions, by month")
        month = table.get_by_role("row").nth(1)
        await expect(month.get_by_role("cell")).to_have_text(
            # Each cell ends with its figure (a phone's card layout puts its column's name first).
            [
                re.compile(f"{re.escape(figure)}$")
                for figure in ("10", HIDDEN_AS_COMPLEMENT, "fewer than 5", "8", "8")
            ]
        )
        await expect(
            lead.get_by_role("img", name=re.compile("^Pairs and sessions, by month"))
        ).to_be_visible()
        await expect(lead.get_by_role("tabpanel")).not_to_contain_text(mentee.handle)
        await _axe_at_both_widths(lead, "the lead's progress")
        await lead.locator(".language select").select_option(label="Français")
        await expect(lead.get_by_role("heading", name="Progression mensuelle")).to_be_visible()
        await _axe_at_both_widths(lead, "the lead's progress in French")
        # The demo facilitator reads in English in the other browser tests.
        await lead.locator(".language select").select_option(label="English")
        await expect(lead.get_by_role("heading", name="Monthly progress")).to_be_visible()

        # Feedback released as aggregates: the lead opens the mid-point survey, five members
        # answer (one in the browser, four through the API as their browsers would), the lead
        # closes it and reads the totals, never an answer.
        await lead.get_by_role("button", name="Open the mid-point survey").click()
        await expect(lead.get_by_text("Results show once 5 members have answered.")).to_be_visible()
        await mentee_page.locator(".language select").select_option(label="English")
        await mentee_page.goto(pair_url)
        await _answer_the_survey_in_the_browser(mentee_page)
        for other in others[:2]:
            for member in (other, partner_of[other.handle]):
                await _answer_the_survey_through_the_api(member, programme_id, server)
        await lead.reload()
        await expect(lead.get_by_text("Results show once 5 members have answered.")).to_be_visible()
        await lead.get_by_role("button", name="Close survey").click()
        await confirm(lead, "Close the survey")
        await expect(lead.get_by_text("Closed.", exact=True)).to_be_visible()
        await expect(lead.get_by_text("5 answers", exact=True)).to_be_visible()
        await expect(lead.get_by_text(SURVEY_COMMENT).first).to_be_visible()
        await _axe_at_both_widths(lead, "the lead's survey results")
        await mentee_page.reload()
        await expect(
            mentee_page.get_by_text("Your answers are recorded. Thank you.")
        ).to_be_visible()
        await mentor_page.goto(pair_url)
        await expect(
            mentor_page.get_by_text("This survey is closed: it takes no more answers.")
        ).to_be_visible()

        # The journal's end (its export is above): once the programme has closed, either
        # member deletes it for good; both then see that it is gone, not a word of it is left,
        # and the lead, who never read it, still sees none of it.
        await lead.goto(f"/programmes/{programme_id}/manage")
        await lead.get_by_role("button", name="Close the programme").click()
        await confirm(lead, "Close the programme")
        await expect(lead.locator(".badge", has_text="Closed").first).to_be_visible()
        await mentee_page.goto(pair_url)
        await expect(mentee_page.get_by_text(NOTE)).to_be_visible()
        await mentee_page.get_by_role("button", name="Delete the journal for good").click()
        await confirm(mentee_page, "Delete the journal for good")
        shredded = "This journal was deleted for good at the end of the programme."
        # The page says so once the server has answered; leaving sooner would cancel the request.
        await expect(mentee_page.get_by_text(shredded)).to_be_visible()
        for page in (mentee_page, mentor_page):
            await page.goto(pair_url)
            await expect(page.get_by_text(shredded)).to_be_visible()
            await expect(page.get_by_text(NOTE)).to_have_count(0)
            await expect(
                page.get_by_role("button", name="Export the journal (JSON)")
            ).to_have_count(0)
        gone = await mentor_page.context.request.get(
            f"/api/v1/programmes/{programme_id}/pair/journal"
        )
        assert gone.ok, await gone.text()
        body = await gone.json()
        assert body["shredded"]
        assert body["entries"] == []
        await lead.get_by_role("tab", name="Progress").click()
        await expect(lead.get_by_role("heading", name="Monthly progress")).to_be_visible()
        await expect(lead.get_by_role("tabpanel")).not_to_contain_text(NOTE)
        await expect(lead.get_by_role("tabpanel")).not_to_contain_text(mentee.handle)
        assert expected_console_errors(console.errors) == []
    finally:
        for context in (lead_context, admin, *(p.context for p in people)):
            await context.close()
