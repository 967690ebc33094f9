"""A refused form speaks the reader's language, on the field it is about (issue 19: field
errors were pydantic's English, "Value error, ..." or "String should have at most 100
characters", on French and Spanish pages, and "Some fields need your attention." marked no
field)."""

from __future__ import annotations

import re
import uuid
from datetime import date

from playwright.async_api import Browser, BrowserContext, expect

from tests.e2e.conftest import FACILITATOR, PASSWORD, new_context, sign_in
from tests.e2e.test_pages import serious_violations

SERVER_ENGLISH = re.compile(r"Value error|should have|Input should|String should|valid email")


async def test_a_refused_sign_up_in_french_marks_the_field_in_french(
    context: BrowserContext,
) -> None:
    await context.add_init_script("window.localStorage.setItem('language', 'fr')")
    page = await context.new_page()
    await page.goto("/sign-up")
    await expect(page.get_by_role("heading", name="Créez votre compte")).to_be_visible()
    earliest, latest = date.today().year - 100, date.today().year - 14
    # The form offers the server's bounds (one rule, defined server side) ...
    birth_year = page.get_by_role("spinbutton", name="Année de naissance")
    await expect(birth_year).to_have_attribute("min", str(earliest))
    await expect(birth_year).to_have_attribute("max", str(latest))
    # ... and a year outside them is refused by the server, in French, on that field.
    await page.get_by_label("Votre nom").fill("Zoé Champ")
    await page.get_by_label("E-mail", exact=True).fill(f"zoe.{uuid.uuid4().hex[:6]}@example.org")
    await birth_year.fill(str(earliest - 30))
    await page.get_by_label("Mot de passe").fill(PASSWORD)
    await page.get_by_role("button", name="Créer un compte").click()

    await expect(birth_year).to_have_attribute("aria-invalid", "true")
    await expect(birth_year).to_be_focused()
    sentence = f"Saisissez un nombre entre {earliest} et {latest}."
    described = await birth_year.get_attribute("aria-describedby")
    assert described is not None
    error_id = next(i for i in described.split() if i.endswith("-error"))
    await expect(page.locator(f"[id='{error_id}']")).to_have_text(sentence)
    # The list of errors names the field and links to it.
    summary = page.locator(".error-summary")
    await expect(summary).to_contain_text("Certains champs demandent votre attention")
    await expect(summary.get_by_role("link", name="Année de naissance")).to_be_visible()
    # A name too long: pydantic's "String should have at most 100 characters" before.
    await birth_year.fill("1980")
    name = page.get_by_label("Votre nom")
    await name.fill("Zoé " * 30)
    await page.get_by_role("button", name="Créer un compte").click()
    await expect(name).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_text("Utilisez au plus 100 caractères.").first).to_be_visible()
    await expect(birth_year).not_to_have_attribute("aria-invalid", "true")
    assert not SERVER_ENGLISH.search(await page.locator("main").inner_text())


async def test_a_refused_form_is_accessible_at_375_px(browser: Browser, server: str) -> None:
    context = await new_context(browser, server, width=375, bypass_csp=True)
    page = await context.new_page()
    await page.goto("/sign-up")
    await page.get_by_label("Your name").fill("N" * 120)
    await page.get_by_label("Email", exact=True).fill("not-an-address")
    await page.get_by_role("button", name="Create an account").click()
    name = page.get_by_label("Your name")
    await expect(name).to_have_attribute("aria-invalid", "true")
    await expect(name).to_be_focused()
    await expect(page.get_by_label("Email", exact=True)).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_text("Enter an email address, like name@example.org.")).to_have_count(
        2
    )
    assert await serious_violations(page) == []
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    await context.close()


async def test_team_sizes_out_of_order_are_said_in_spanish_on_the_sizes(
    context: BrowserContext,
) -> None:
    """Before: "Value error, team sizes must satisfy min <= target <= max" on a Spanish page."""
    page = await context.new_page()
    await sign_in(page, FACILITATOR)
    await page.locator(".language select").select_option(label="Español")
    try:
        await page.goto("/facilitate/new")
        await expect(page.get_by_role("heading", name="Nuevo reto")).to_be_visible()
        await page.get_by_label("Título", exact=True).fill("Tamaños al revés")
        await page.get_by_label("Enunciado", exact=True).fill("Un reto para probar los errores.")
        await page.get_by_label("Mínimo", exact=True).fill("6")
        await page.get_by_label("Ideal", exact=True).fill("4")
        await page.get_by_role("button", name="Guardar").click()
        smallest = page.get_by_label("Mínimo", exact=True)
        await expect(smallest).to_have_attribute("aria-invalid", "true")
        await expect(smallest).to_be_focused()
        await expect(page.locator(".field-invalid .field-error")).to_have_text(
            "Los tamaños deben ir en orden: mínimo, luego ideal, luego máximo."
        )
        assert not SERVER_ENGLISH.search(await page.locator("main").inner_text())
        assert "min <= target" not in await page.locator("main").inner_text()
    finally:
        await page.locator(".language select").select_option(label="English")
