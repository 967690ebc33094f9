"""Reviews that survive the service and follow their author: receipts, re-sending, the recovery
code, and the identifying-text check before every send.

The server writes reviews in batches of at least two reviews of two submissions (conftest.py:
CHALLENGE_REVIEW_MIX_MIN_REVIEWS=2, ..._TICK_SECONDS=1). Two demo participants of different
teams review "Onboarding, reinvented", whose round is open: A on a small screen, then A again in
another browser with the recovery code, and B, whose reviews complete A's batches. A batch takes
a random half of what is held (at least two): the test counts on the round's mix being empty
when it starts (test_journeys.py sends its reviews of this round in a pair) and sends reviews so
that each wait for "Recorded" has exactly two reviews of two submissions held.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import time
from base64 import b64decode
from collections.abc import Callable
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page, Request, Route, expect

from tests.e2e.conftest import (
    ADMIN,
    FACILITATOR,
    PARTICIPANT,
    PASSWORD,
    ROOT,
    Console,
    expected_console_errors,
    new_context,
    sign_in,
)
from tests.e2e.journeys import (
    RECEIVED,
    RECORDED,
    SEND,
    confirm_code_saved,
    prepare_tokens,
    review_form,
    score_all,
)
from tests.e2e.test_pages import serious_violations

TITLE = "Onboarding, reinvented"
SHOTS = ROOT / "var" / "screenshots"
# One receipt check every 15 s and a batch tick of about a second.
RECORDED_WITHIN_MS = 40_000
ANONYMOUS = ("/api/v1/reviews", "/api/v1/reviews/receipts", "/api/v1/reviews/comment-check")


async def api_sign_in(context: BrowserContext, email: str) -> None:
    csrf = (await (await context.request.get("/api/v1/auth/csrf")).json())["csrf_token"]
    response = await context.request.post(
        "/api/v1/auth/sign-in",
        data={"email": email, "password": PASSWORD},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.ok, await response.text()


async def two_reviewers(browser: Browser, server: str) -> tuple[str, str, str]:
    """The challenge id and two demo participants of different teams, without tokens yet."""
    from app.demo import demo_people

    taken = {ADMIN, FACILITATOR, PARTICIPANT}
    found: list[tuple[str, str]] = []
    challenge_id = ""
    for profile, _ in demo_people():
        if profile.email in taken or profile.language != "en":  # the test reads English
            continue
        context = await new_context(browser, server)
        try:
            await api_sign_in(context, profile.email)
            items = (await (await context.request.get("/api/v1/challenges")).json())["items"]
            challenge_id = next(c["id"] for c in items if c["title"] == TITLE)
            status = await context.request.get(
                f"/api/v1/challenges/{challenge_id}/review-round/tokens"
            )
            if not status.ok or (await status.json())["issued"]:
                continue
            challenge = await (
                await context.request.get(f"/api/v1/challenges/{challenge_id}")
            ).json()
            team = challenge.get("my_team_id")
            if team and all(team != other for _, other in found):
                found.append((profile.email, team))
        finally:
            await context.close()
        if len(found) == 2:
            return challenge_id, found[0][0], found[1][0]
    raise AssertionError("the demo has no two reviewers of different teams left")


async def eventually(condition: Callable[[], bool], timeout_ms: int) -> None:
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        assert time.monotonic() < deadline, "not within the time allowed"
        await asyncio.sleep(0.2)


def receipt_of(body: dict[str, Any]) -> str:
    return hashlib.sha256(b64decode(body["token"]["prepared_message"])).hexdigest()


class Anonymity:
    """Every request of the anonymous review path, checked for credentials."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def watch(self, page: Page) -> None:
        async def check(request: Request) -> None:
            if any(request.url.endswith(path) for path in ANONYMOUS):
                headers = await request.all_headers()
                for name in ("cookie", "authorization", "x-csrf-token"):
                    if name in headers:
                        self.problems.append(f"{request.url} carried {name}")

        page.on("request", check)


async def submission_titles(page: Page) -> list[str]:
    return [t.split(" — ")[0].strip() for t in await page.locator("article h3").all_inner_texts()]


async def test_reviews_are_received_recorded_resent_and_continued_elsewhere(
    browser: Browser, server: str
) -> None:
    challenge_id, email_a, email_b = await two_reviewers(browser, server)
    review_path = f"/challenges/{challenge_id}/review"
    SHOTS.mkdir(parents=True, exist_ok=True)
    anonymity = Anonymity()

    # A, on a 375 px screen: tokens, and the recovery code shown once.
    phone = await new_context(
        browser,
        server,
        width=375,
        bypass_csp=True,
        permissions=["clipboard-read", "clipboard-write"],
    )
    a = await phone.new_page()
    console = Console()
    console.watch(a)
    anonymity.watch(a)
    await sign_in(a, email_a)
    await a.goto(review_path)
    code = await prepare_tokens(a)
    await expect(a.get_by_text("Write this code down.")).to_be_visible()
    await a.get_by_role("button", name="Copy the code").click()
    await expect(a.get_by_role("status").filter(has_text="Copied.")).to_be_visible()
    assert await a.evaluate("navigator.clipboard.readText()") == code
    assert await a.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    assert await serious_violations(a) == []
    await a.get_by_role("heading", name="Your recovery code").scroll_into_view_if_needed()
    await a.screenshot(path=str(SHOTS / "review-recovery-code-375.png"))
    await confirm_code_saved(a)
    status = await (
        await a.request.get(f"/api/v1/challenges/{challenge_id}/review-round/tokens")
    ).json()
    assert status["wallet_stored"] is True
    x, y = await submission_titles(a)

    # The first send reaches a service that answers and then forgets it (a restart): the
    # browser keeps it, the receipt check says "unknown", and the same review goes again.
    sent: list[dict[str, Any]] = []
    asked: list[list[str]] = []

    async def lose_the_first(route: Route) -> None:
        body = json.loads(route.request.post_data or "{}")
        sent.append(body)
        if len(sent) == 1:
            await route.fulfill(
                status=202,
                content_type="application/json",
                body=json.dumps({"state": "pending", "receipt": receipt_of(body)}),
            )
        else:
            await route.continue_()

    async def note_receipts(route: Route) -> None:
        asked.append(json.loads(route.request.post_data or "{}")["receipts"])
        await route.continue_()

    await a.route("**/api/v1/reviews", lose_the_first)
    await a.route("**/api/v1/reviews/receipts", note_receipts)

    # The identifying-text check runs before the send; a flagged comment needs a decision.
    form = review_form(a, x)
    await score_all(form)
    flagged = "Clear plan. Write to me at someone@example.org, I am the boomer of my team."
    await form.get_by_label("Comment").fill(flagged)
    await form.get_by_role("button", name=SEND).click()
    dialog = a.get_by_role("dialog", name="Your comment may point to someone")
    await expect(dialog).to_be_visible()
    await expect(dialog.get_by_role("button", name="Edit my comment")).to_be_focused()
    await expect(dialog.locator("mark").filter(has_text="someone@example.org")).to_have_count(1)
    await expect(dialog.locator("mark").filter(has_text="boomer")).to_have_count(1)
    await expect(dialog).to_contain_text("An email address")
    await expect(dialog).to_contain_text("It leads straight to one person.")
    await expect(dialog).to_contain_text("A generation or an age")
    assert await serious_violations(a) == []
    await a.screenshot(path=str(SHOTS / "review-flagged-comment-375.png"))
    assert sent == []  # nothing left the browser but the check
    await a.keyboard.press("Escape")  # = edit: back to the comment, the first passage selected
    await expect(dialog).to_have_count(0)
    comment = form.get_by_label("Comment")
    await expect(comment).to_be_focused()
    selected = await comment.evaluate("e => e.value.slice(e.selectionStart, e.selectionEnd)")
    assert selected == "someone@example.org"
    await comment.fill("Clear plan; I would add a buddy for the first week.")
    await form.get_by_role("button", name=SEND).click()  # nothing flagged: sent at once
    state_x = (
        a.locator("article").filter(has=a.get_by_role("heading", name=x)).locator(".review-state")
    )
    await expect(state_x).to_have_text(re.compile("^" + re.escape(RECEIVED)))
    await expect(state_x).to_be_focused()
    assert len(sent) == 1
    await eventually(lambda: len(sent) > 1, RECORDED_WITHIN_MS)
    assert sent[1] == sent[0]  # the same review, again
    assert any(receipt_of(sent[0]) in receipts for receipts in asked)
    await expect(state_x).to_have_text(re.compile("^" + re.escape(RECEIVED)))

    # B, in another team, reviews one more submission: the mix now holds a batch.
    laptop_b = await new_context(browser, server)
    b = await laptop_b.new_page()
    anonymity.watch(b)
    await sign_in(b, email_b)
    await b.goto(review_path)
    await prepare_tokens(b)
    await confirm_code_saved(b)
    titles_b = await submission_titles(b)
    first_b = y if y in titles_b else next(t for t in titles_b if t != x)
    form_b = review_form(b, first_b)
    await score_all(form_b, 2)
    await form_b.get_by_label("Comment").fill("As a millennial I found the checklist useful.")
    await form_b.get_by_role("button", name=SEND).click()
    dialog_b = b.get_by_role("dialog")
    await expect(dialog_b.get_by_role("button", name="Edit my comment")).to_be_focused()
    await b.keyboard.press("Tab")
    await expect(dialog_b.get_by_role("button", name="Send anyway")).to_be_focused()
    await b.keyboard.press("Enter")
    await expect(b.locator(".review-state")).to_have_text(re.compile("^(Received|Recorded)"))

    # A's page sees its review recorded, and still does after a reload.
    await expect(state_x).to_have_text(RECORDED, timeout=RECORDED_WITHIN_MS)
    await a.reload()
    await expect(state_x).to_have_text(RECORDED)
    await expect(review_form(a, y).get_by_role("button", name=SEND)).to_be_visible()

    # A on another device: the recovery code opens the tokens; a wrong one says so.
    laptop_a = await new_context(browser, server, bypass_csp=True)
    a2 = await laptop_a.new_page()
    console2 = Console()
    console2.watch(a2)
    anonymity.watch(a2)
    await sign_in(a2, email_a)
    await a2.goto(review_path)
    recover = a2.get_by_role("region", name="Continue with your recovery code")
    await expect(recover).to_be_visible()
    await expect(a2.get_by_role("button", name="Prepare my tokens")).to_have_count(0)
    await recover.get_by_label("Recovery code").fill("1234")
    await recover.get_by_role("button", name="Continue").click()
    await expect(recover.get_by_role("alert")).to_contain_text("A recovery code has 26 letters")
    wrong = ("0" if code[0] != "0" else "1") + code[1:]
    await recover.get_by_label("Recovery code").fill(wrong)
    await recover.get_by_role("button", name="Continue").click()
    await expect(recover.get_by_role("alert")).to_have_text(
        "This code does not open your tokens. Check each character and try again."
    )
    assert await serious_violations(a2) == []
    await recover.get_by_label("Recovery code").fill(code.lower().replace("-", " "))
    await recover.get_by_role("button", name="Continue").click()
    await expect(a2.get_by_text("Your tokens are ready in this browser.")).to_be_visible()
    await expect(recover).to_have_count(0)
    state_x2 = (
        a2.locator("article").filter(has=a2.get_by_role("heading", name=x)).locator(".review-state")
    )
    await expect(state_x2).to_have_text(RECORDED)
    await expect(a2.get_by_role("button", name=SEND)).to_have_count(1)

    # The recovered token is a real one: A sends the other review from here, B sends the
    # other one of theirs, and both are recorded.
    form_y = review_form(a2, y)
    await score_all(form_y, 1)
    await form_y.get_by_label("Comment").fill("The buddy idea is good; the tool list is long.")
    await form_y.get_by_role("button", name=SEND).click()
    state_y2 = (
        a2.locator("article").filter(has=a2.get_by_role("heading", name=y)).locator(".review-state")
    )
    await expect(state_y2).to_have_text(re.compile("^(Received|Recorded)"))
    form_b = review_form(b)
    await score_all(form_b, 3)
    await form_b.get_by_label("Comment").fill("Short and concrete.")
    await form_b.get_by_role("button", name=SEND).click()
    await expect(state_y2).to_have_text(RECORDED, timeout=RECORDED_WITHIN_MS)
    await expect(b.locator(".review-state", has_text=RECORDED)).to_have_count(
        2, timeout=RECORDED_WITHIN_MS
    )

    assert anonymity.problems == []
    assert expected_console_errors(console.errors + console2.errors) == []
    for context in (phone, laptop_a, laptop_b):
        await context.close()
