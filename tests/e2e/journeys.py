"""Steps of the browser journeys, written as a person would act: by labels and button names."""

from __future__ import annotations

import re
import time
import uuid

from playwright.async_api import BrowserContext, Locator, Page, expect

from tests.e2e.conftest import PASSWORD, PATIENCE_S


async def sign_up(context: BrowserContext, name: str, birth_year: int) -> tuple[Page, str]:
    page = await context.new_page()
    email = f"{name.lower().replace(' ', '.')}.{uuid.uuid4().hex[:6]}@example.org"
    await page.goto("/sign-up")
    await page.get_by_label("Your name").fill(name)
    await page.get_by_label("Email", exact=True).fill(email)
    await page.get_by_role("spinbutton", name="Birth year").fill(str(birth_year))
    await page.get_by_label("Years of work experience").fill(str(max(0, 2026 - birth_year - 22)))
    await page.get_by_label("Department").fill("Operations")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Create an account").click()
    await expect(page.get_by_text(f"We sent a message to {email}")).to_be_visible()
    # The link in the message (the development mailbox holds it), opened in the same browser.
    await page.goto(await mailed_link(page, email, "sign_up_confirmation"))
    await expect(page.get_by_role("heading", name="Finish creating your account")).to_be_visible()
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Finish and sign in").click()
    await expect(page.get_by_role("heading", name="Challenges", level=1)).to_be_visible()
    return page, email


async def mailed_link(page: Page, to: str, kind: str) -> str:
    """The link in the latest message of this kind to this address, from the development
    mailbox (`GET /api/v1/dev/mailbox`); the server sends after answering, so wait for it, as
    long as the suite waits for anything else (`PATIENCE_S`: a shared CI machine stalls)."""
    deadline = time.monotonic() + PATIENCE_S
    while time.monotonic() < deadline:
        messages = (await (await page.request.get("/api/v1/dev/mailbox")).json())["messages"]
        for message in messages:
            if message["to"] == to and message["kind"] == kind:
                found = re.search(r"https?://\S+#code=[\w-]+", message["text"])
                assert found is not None, "no link in the message"
                return found.group(0)
        await page.wait_for_timeout(100)
    raise AssertionError(f"no {kind} message arrived")


async def open_challenge(page: Page, title: str) -> None:
    await page.goto("/")
    await page.get_by_role("link", name=title, exact=True).click()
    await expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()


async def join(page: Page, title: str, teach: str, learn: str) -> str:
    await open_challenge(page, title)
    await page.locator("#teach-skill-0").fill(teach)
    # No level is chosen for anyone: each is picked (the join form says what they mean).
    await page.locator("#teach-level-0").select_option(label="4 · Mentor")
    await page.locator("#learn-skill-0").fill(learn)
    await page.locator("#learn-level-0").select_option(label="1 · Discover")
    await page.get_by_role("button", name="Join", exact=True).click()
    heading = page.get_by_role("heading", name=re.compile("You take part as"))
    await expect(heading).to_be_visible()
    return (await heading.inner_text()).removeprefix("You take part as ").strip()


async def create_challenge(
    page: Page, title: str, *, mode: str = "Teams formed by the facilitator"
) -> str:
    await page.goto("/facilitate/new")
    await page.get_by_label("Title", exact=True).fill(title)
    await page.get_by_label("Brief").fill("Show a colleague **one tool** you love.")
    await page.get_by_label("Topic tags").fill("tools, mentoring")
    await page.get_by_label("How teams are formed").select_option(label=mode)
    await page.get_by_label("Minimum").fill("3")
    await page.get_by_label("Ideal").fill("4")
    await page.get_by_label("Maximum").fill("5")
    await page.get_by_label("Criterion 1").fill("Clarity")
    await page.get_by_role("button", name="Add a criterion").click()
    await page.get_by_label("Criterion 2").fill("Usefulness")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    return page.url.rsplit("/", 1)[-1]


async def confirm(page: Page, button: str) -> None:
    """Say yes in the confirmation dialog that an irreversible step opens."""
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_be_visible()
    await dialog.get_by_role("button", name=button).click()
    await expect(dialog).to_be_hidden()


async def move_phase(page: Page, challenge_id: str, button: str, badge: str) -> None:
    await page.goto(f"/facilitate/{challenge_id}")
    await page.get_by_role("button", name=button).click()
    await confirm(page, button)
    await expect(page.locator(".badge", has_text=badge).first).to_be_visible()


async def form_and_publish(page: Page, challenge_id: str) -> None:
    await page.goto(f"/facilitate/{challenge_id}/formation")
    await page.get_by_role("button", name="Form teams").click()
    await expect(page.get_by_role("heading", name="Proposed teams")).to_be_visible(timeout=60_000)
    # Nobody placed with their manager, said in words (the optimiser's figures are not shown).
    quality = page.locator(".formation-quality")
    await expect(quality).to_contain_text("Nobody is in a team with their manager.")
    await expect(quality).not_to_contain_text(re.compile(r"\d\.\d"))
    await page.get_by_role("button", name="Publish these teams").click()
    await confirm(page, "Publish these teams")
    await expect(page.get_by_text("Teams published; members have been told.")).to_be_visible()


async def my_team(page: Page) -> None:
    """Follow the notice of the team one was placed in."""
    await page.goto("/")
    await page.get_by_role("link", name=re.compile("You are in team")).click()
    await expect(page.get_by_role("heading", name="Members")).to_be_visible()


async def post_message(page: Page, text: str) -> None:
    await page.get_by_label("New message").fill(text)
    await page.get_by_role("button", name="Send", exact=True).click()
    await expect(page.locator(".messages")).to_contain_text(text)


async def write_draft(page: Page, title: str, body: str) -> None:
    await page.get_by_label("Title", exact=True).fill(title)
    await page.get_by_label("Text", exact=True).fill(body)
    await page.get_by_role("button", name="Save the draft").click()
    # A toast; an earlier one may still be on screen: the newest is last.
    await expect(page.get_by_text(re.compile(r"^Saved as version \d+\.$")).last).to_be_visible()


async def submit_final(page: Page) -> None:
    await page.get_by_role("button", name="Submit as final").click()
    await confirm(page, "Yes, make it final")
    await expect(page.get_by_text("Final — submitted.")).to_be_visible()


RECEIVED = "Received — it will be recorded together with others' reviews"
RECORDED = "Recorded. Your review carries no author."
SEND = "Send my review anonymously"


async def prepare_tokens(page: Page) -> str:
    """Prepare the tokens; returns the recovery code shown once, then confirms it was saved."""
    await page.get_by_role("button", name="Prepare my tokens").click()
    heading = page.get_by_role("heading", name="Your recovery code")
    await expect(heading).to_be_focused(timeout=30_000)
    code = re.sub(r"\s", "", await page.locator(".recovery-code code").inner_text())
    assert re.fullmatch(r"([0-9A-Z]{4}-){6}[0-9A-Z]{2}", code), code
    return code


async def confirm_code_saved(page: Page) -> None:
    await page.get_by_role("button", name="I've saved it").click()
    await expect(page.get_by_role("heading", name="Your recovery code")).to_have_count(0)
    await expect(page.get_by_role("heading", name="Submissions to review")).to_be_focused()


def review_form(page: Page, title: str | None = None) -> Locator:
    """The review form of a submission (by its title), or the first one still open."""
    forms = page.locator("form").filter(has=page.get_by_role("button", name=SEND))
    if title is None:
        return forms.first
    return (
        page.locator("article").filter(has=page.get_by_role("heading", name=title)).locator("form")
    )


async def score_all(form: Locator, nth: int = 3) -> None:
    for group in await form.locator("fieldset").all():
        await group.get_by_role("radio").nth(nth).check()


async def review_everything(page: Page, challenge_id: str, comment: str) -> int:
    """Prepare the tokens, then score and send a review for each submission offered."""
    await page.goto(f"/challenges/{challenge_id}/review")
    await prepare_tokens(page)
    await confirm_code_saved(page)
    sends = page.get_by_role("button", name=SEND)
    await expect(sends.first).to_be_visible()
    count = await sends.count()
    states = page.locator(".review-state").filter(
        has_text=re.compile(f"^({re.escape(RECEIVED)}|{re.escape(RECORDED)})")
    )
    for sent in range(1, count + 1):
        form = review_form(page)
        await score_all(form)
        await form.get_by_label("Comment").fill(comment)
        await form.get_by_role("button", name=SEND).click()
        await expect(states).to_have_count(sent)
    return count
