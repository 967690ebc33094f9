"""The learning library in a real browser (issue 21, item 8): a facilitator writes a lesson
with a quiz and publishes it; an employee reading in French finds it by searching without its
accents, fails the quiz then passes it, sees the explanations and keeps a private note; the
library's pages have no serious axe violation at 1280 and 375 px."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import (
    FACILITATOR,
    PARTICIPANT,
    Console,
    expected_console_errors,
    new_context,
    sign_in,
)
from tests.e2e.test_pages import serious_violations

RIGHT, WRONG = "Elle reformule ce qu'elle a entendu", "Elle propose tout de suite sa solution"
BOTH = ("Laisser un silence", "Poser une question ouverte")
DECOY = "Couper la parole poliment"
EXPLANATION = "Reformuler montre que l'on a écouté avant de conseiller."


async def _write_and_publish(page: Page, word: str) -> str:
    """As the facilitator: write a French lesson with a two-question quiz, and publish it.
    Answers the lesson's id."""
    await page.get_by_role("link", name="Library", exact=True).click()
    await page.get_by_role("link", name="Write a lesson").click()
    await expect(page.get_by_role("heading", name="Write a lesson", level=1)).to_be_visible()
    await page.get_by_label("Title", exact=True).fill(f"Écouter {word} avant de conseiller")
    await page.get_by_label("Summary", exact=True).fill("Une écoute active en trois gestes.")
    await page.get_by_label("The lesson", exact=True).fill(
        "## Écouter\n\nLe mentor **reformule** avant de proposer quoi que ce soit."
    )
    await page.get_by_label("Reflection task", exact=True).fill(
        "Quand avez-vous conseillé trop vite ?"
    )
    # Long enough to be quoted by "ask the library" (six words or more): the third paragraph
    # the lesson page shows (body, task, case study).
    await page.get_by_label("Case study", exact=True).fill(
        f"Inès accompagne {word}, un collègue arrivé lundi."
    )
    await page.get_by_label("Language", exact=True).select_option(label="Français")

    await page.get_by_role("button", name="Add a question").click()
    first = page.locator("[data-question='0']")
    await expect(first.get_by_label("Question", exact=True)).to_be_focused()
    await first.get_by_label("Question", exact=True).fill("Que fait une bonne mentore d'abord ?")
    await first.get_by_label("Answer 1", exact=True).fill(WRONG)
    await first.get_by_label("Answer 2", exact=True).fill(RIGHT)
    await first.get_by_label("Answer 2 is right").check()
    await first.get_by_label("Explanation", exact=True).fill(EXPLANATION)

    await page.get_by_role("button", name="Add a question").click()
    second = page.locator("[data-question='1']")
    await second.get_by_label("Question", exact=True).fill("Quels gestes laissent parler ?")
    await second.get_by_label("Kind of question").select_option(label="One or more right answers")
    await second.get_by_role("button", name="Add an answer").click()
    await expect(second.get_by_label("Answer 3", exact=True)).to_be_focused()
    await second.get_by_label("Answer 1", exact=True).fill(BOTH[0])
    await second.get_by_label("Answer 2", exact=True).fill(BOTH[1])
    # Answer 3 left empty: the server refuses it, on that very input, in words.
    await second.get_by_label("Answer 2 is right").check()
    await second.get_by_label("Explanation", exact=True).fill("Les deux ouvrent la parole.")
    await page.get_by_role("button", name="Save the draft").click()
    third = second.get_by_label("Answer 3", exact=True)
    await expect(third).to_have_attribute("aria-invalid", "true")
    await expect(third).to_be_focused()
    await expect(second.get_by_text("This field is required.")).to_be_visible()
    await expect(page.locator(".error-summary")).to_contain_text("Answer 3")

    await third.fill(DECOY)
    await page.get_by_role("button", name="Save the draft").click()
    await expect(page.get_by_role("heading", name="Edit a lesson", level=1)).to_be_visible()
    await expect(page.get_by_role("heading", name="Preview of version 1")).to_be_visible()
    await expect(page.locator(".lesson-preview strong")).to_have_text("reformule")
    await expect(page.get_by_text("Not published: nobody but the editors")).to_be_visible()

    await page.get_by_role("button", name="Publish version 1").click()
    dialog = page.get_by_role("dialog", name="Publish version 1?")
    await expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    await dialog.get_by_role("button", name="Publish", exact=True).click()
    await expect(page.get_by_text("Readers see version 1.")).to_be_visible()
    match = re.search(r"/library/lessons/([0-9a-f-]+)/edit", page.url)
    assert match
    return match.group(1)


async def _sign_in(page: Page, email: str, language: str) -> None:
    """Signed in, then reading in `language` (signing in brings the account's own language)."""
    await sign_in(page, email)
    if language != "en":
        await page.locator(".language select").select_option(language)
        await page.wait_for_function(f"document.documentElement.lang === '{language}'")


async def _answer(page: Page, single: str, multiple: tuple[str, ...]) -> None:
    await page.get_by_role("radio", name=single).check()
    for choice in multiple:
        await page.get_by_role("checkbox", name=choice).check()
    await page.get_by_role("button", name="Vérifier mes réponses").click()


async def test_a_lesson_is_written_published_found_in_french_and_taken(
    browser: Browser, server: str
) -> None:
    # A word of its own, so that the search can only find this lesson; written with an accent,
    # searched without.
    word = "Zéphyrin" + "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:6])
    writer_context = await new_context(browser, server)
    writer = await writer_context.new_page()
    console = Console()
    console.watch(writer)
    await sign_in(writer, FACILITATOR)
    lesson_id = await _write_and_publish(writer, word)
    await writer_context.close()

    context = await new_context(browser, server, width=375, bypass_csp=True)
    page = await context.new_page()
    console.watch(page)
    await _sign_in(page, PARTICIPANT, "fr")
    await page.get_by_role("link", name="Bibliothèque", exact=True).click()
    await expect(page.get_by_role("heading", name="Bibliothèque d'apprentissage")).to_be_visible()
    # Readers get no way to write.
    await expect(page.get_by_role("link", name="Écrire une leçon")).to_have_count(0)

    await page.get_by_label("Mots à chercher").fill(f"zephyrin{word[8:]} ecouter")
    await page.get_by_role("button", name="Chercher", exact=True).click()
    results = page.get_by_role("heading", name=re.compile("Résultats pour"))
    await expect(results).to_be_focused()
    await expect(page.get_by_role("status").filter(has_text="1 résultat")).to_be_visible()
    hit = page.locator(".search-hits li").first
    await expect(hit.locator("h4 mark")).to_have_text(["Écouter", word])
    # The box follows the address, which the router updates in a transition: click, then
    # wait for it to show ticked.
    french = page.get_by_role("checkbox", name="Français (1)")
    await french.click()
    await expect(french).to_be_checked()
    await expect(page).to_have_url(re.compile(r"language=fr"))
    await hit.get_by_role("link").click()

    await expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Écouter {word} avant de conseiller"
    )
    await expect(page).to_have_url(re.compile(f"/library/lessons/{lesson_id}$"))
    # The quiz, failed: the score, the verdict and every explanation.
    await _answer(page, WRONG, (BOTH[0],))
    verdict = page.get_by_role("heading", name=re.compile("Pas encore réussi"))
    await expect(verdict).to_be_focused()
    await expect(verdict).to_have_text(
        "Pas encore réussi : 0 % de bonnes réponses, il en faut 80 %."
    )
    await expect(page.get_by_text(EXPLANATION)).to_be_visible()
    await expect(page.get_by_text("Les deux ouvrent la parole.")).to_be_visible()
    await expect(page.locator(".quiz-feedback.wrong")).to_have_count(2)
    # ... then passed.
    await page.get_by_role("button", name="Réessayer").click()
    await expect(page.get_by_role("radio", name=WRONG)).to_be_focused()
    await _answer(page, RIGHT, BOTH)
    passed = page.get_by_role("heading", name=re.compile("Réussi"))
    await expect(passed).to_have_text("Réussi : 100 % de bonnes réponses (il en fallait 80 %).")
    await expect(page.locator(".quiz-feedback.right")).to_have_count(2)
    await expect(page.locator(".attempts li")).to_have_count(2)
    # Graded, with every explanation shown: still no serious violation on a phone.
    assert await serious_violations(page) == []

    # A private note, said to be private, kept across a reload.
    notes = page.get_by_label("Vos notes")
    await expect(page.get_by_text(re.compile("Vous seul pouvez lire ces notes"))).to_be_visible()
    await notes.fill("J'ai conseillé trop vite lundi.")
    await page.get_by_role("button", name="Enregistrer mes notes").click()
    await expect(page.get_by_text(re.compile("Dernier enregistrement le"))).to_be_visible()
    await page.reload()
    await expect(page.get_by_label("Vos notes")).to_have_value("J'ai conseillé trop vite lundi.")

    # To read offline: the lesson as a PDF.
    async with page.expect_download() as download:
        await page.get_by_role("link", name="Télécharger en PDF, pour lire hors ligne").click()
    pdf = (await (await download.value).path()).read_bytes()
    assert pdf.startswith(b"%PDF")

    # "Ask the library": the answer quotes the case study, and its link leads to that very
    # paragraph, scrolled to and focused.
    await page.get_by_role("link", name="Bibliothèque", exact=True).click()
    await page.get_by_label("Votre question").fill(f"Qui accompagne {word} ?")
    await page.get_by_role("button", name="Demander", exact=True).click()
    quoted = page.locator(".passages li").first
    await expect(quoted.locator("blockquote")).to_contain_text(f"Inès accompagne {word}")
    await quoted.get_by_role("link").click()
    await expect(page).to_have_url(re.compile(f"/library/lessons/{lesson_id}#p-3$"))
    paragraph = page.locator("#p-3")
    await expect(paragraph).to_contain_text(f"Inès accompagne {word}")
    await expect(paragraph).to_be_focused()
    await expect(paragraph).to_be_in_viewport()
    assert await serious_violations(page) == []
    await context.close()
    assert expected_console_errors(console.errors) == []


async def test_a_facilitator_orders_saves_and_deletes_a_collection(
    browser: Browser, server: str
) -> None:
    context = await new_context(browser, server, width=375)
    page = await context.new_page()
    console = Console()
    console.watch(page)
    await sign_in(page, FACILITATOR)
    await page.goto("/library")
    await page.get_by_role("link", name="New collection").click()
    title = f"Parcours {uuid.uuid4().hex[:6]}"
    await page.get_by_label("Title", exact=True).fill(title)
    await page.get_by_label("Description").fill("Two lessons, the second one first.")
    picker = page.get_by_label("Lesson to add")
    names = []
    for _ in range(2):
        option = picker.locator("option").nth(1)
        names.append((await option.text_content() or "").strip())
        await picker.select_option(index=1)
        await page.get_by_role("button", name="Add to the collection").click()
        await expect(picker).to_be_focused()
    first, second = names
    await page.get_by_role("button", name=f"Move “{second}” up").click()
    # At the top there is no "up" any more: the focus stays with the lesson it moved.
    await expect(page.get_by_role("button", name=f"Move “{second}” down")).to_be_focused()
    await page.get_by_role("button", name="Save the collection").click()

    await expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    items = page.locator(".collection-lessons li")
    await expect(items).to_have_count(2)
    await expect(items.nth(0)).to_contain_text(second)
    await expect(items.nth(1)).to_contain_text(first)
    await expect(page.locator(".collection-progress")).to_contain_text("of 2 lessons passed")

    await page.get_by_role("link", name="Edit this collection").click()
    await page.get_by_role("button", name="Delete the collection").click()
    dialog = page.get_by_role("dialog", name=f"Delete “{title}”?")
    await dialog.get_by_role("button", name="Delete the collection").click()
    await expect(page.get_by_role("heading", name="Learning library", level=1)).to_be_visible()
    await expect(page.get_by_role("link", name=title)).to_have_count(0)
    await context.close()
    assert expected_console_errors(console.errors) == []


async def _library_ids(page: Page) -> dict[str, str]:
    lessons = (await (await page.request.get("/api/v1/library/lessons?limit=1")).json())["items"]
    collections = await (await page.request.get("/api/v1/library/collections")).json()
    return {"lesson": lessons[0]["id"], "collection": collections[0]["id"]}


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("language", ["en", "fr"])
async def test_library_pages_are_accessible_and_fit(
    browser: Browser, server: str, width: int, language: str
) -> None:
    context: BrowserContext = await new_context(browser, server, width=width, bypass_csp=True)
    page = await context.new_page()
    console = Console()
    console.watch(page)
    await _sign_in(page, FACILITATOR, language)
    ids = await _library_ids(page)
    problems = []
    for name, path in [
        ("library-search", "/library?q=mentor"),
        ("lesson", f"/library/lessons/{ids['lesson']}"),
        ("collection", f"/library/collections/{ids['collection']}"),
        ("lesson-editor", f"/library/lessons/{ids['lesson']}/edit"),
        ("lesson-writer", "/library/write"),
    ]:
        await page.goto(path)
        await page.locator("h1").first.wait_for()
        await page.wait_for_load_state("networkidle")
        for violation in await serious_violations(page):
            problems.append(f"{name} @{width}px: {violation}")
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 1:
            problems.append(f"{name} @{width}px: {overflow}px wider than the screen")
    await context.close()
    assert problems == []
    assert expected_console_errors(console.errors) == []
