"""Issue 19, "A product people enjoy": the administration's pages and the tables.

Before: a CSV import said "2 people invited." and showed no code, so an imported person could
never get in; a participant opening /admin saw the forms; the invite form said "Your name";
the account list asked for 200 accounts with no search, no pages and no way to deactivate
anyone; and tables broke words mid-word ("Encr/ypte/d") on a phone.
"""

from __future__ import annotations

import re
from pathlib import Path

import anyio
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.e2e import journeys
from tests.e2e.conftest import (
    ADMIN,
    FACILITATOR,
    PARTICIPANT,
    PASSWORD,
    Console,
    demo_challenge,
    expected_console_errors,
    new_context,
    sign_in,
)

# Every word of every cell of the page's tables: the words drawn on more than one line (a word
# broken mid-word). Hyphens and slashes may end a line; a word is what lies between them.
BROKEN_WORDS = """
() => {
  const broken = [];
  for (const cell of document.querySelectorAll('table th, table td')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/[^\\s\\-\\/]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set(
          [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)),
        );
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}
"""

# Rows shown as cards: each body row a box (not a table row), its cells' column names visible
# (a table's "nothing yet" row has no columns to name).
CARDS = """
() => [...document.querySelectorAll('table.data-table tbody tr:not(.empty-row)')].map((row) => ({
  display: getComputedStyle(row).display,
  labels: [...row.querySelectorAll('.cell-label')].filter((l) => l.offsetParent !== null).length,
}))
"""


async def _participants_overview(page: Page) -> str:
    enrolment = (await demo_challenge(page, "enrolment"))["id"]
    return f"/facilitate/{enrolment}"


async def test_import_shows_each_code_and_the_invited_person_gets_in(
    browser: Browser, server: str, context: BrowserContext, tmp_path: Path
) -> None:
    page = await context.new_page()
    await sign_in(page, ADMIN)
    await page.goto("/admin")
    people = tmp_path / "people.csv"
    people.write_text(
        "name,email,birth_year,department,role\n"
        "Nadia Newhire,nadia.newhire@example.org,1994,Design,participant\n"
        "Omar Oldhand,omar.oldhand@example.org,1961,Finance,facilitator\n"
        "Omar Twice,omar.oldhand@example.org,1970,Finance,participant\n",
        encoding="utf-8",
    )
    await page.get_by_label("CSV file", exact=True).set_input_files(str(people))
    await page.get_by_role("button", name="Check the file").click()
    # The check shows the people, each with what is wrong, not a count.
    preview = page.get_by_role("table", name="The 3 people in the file")
    await expect(preview.get_by_role("row", name=re.compile("Nadia Newhire"))).to_contain_text(
        "Ready"
    )
    await expect(preview.get_by_role("row", name=re.compile("Omar Oldhand"))).to_contain_text(
        "Facilitator"
    )
    await expect(preview.get_by_role("row", name=re.compile("Omar Twice"))).to_contain_text(
        "Same email address as row 3."
    )
    await expect(page.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)

    # The administrator fixes the file and chooses it again.
    people.write_text(
        "name,email,birth_year,department,role\n"
        "Nadia Newhire,nadia.newhire@example.org,1994,Design,participant\n"
        "Omar Oldhand,omar.oldhand@example.org,1961,Finance,facilitator\n",
        encoding="utf-8",
    )
    await page.get_by_label("CSV file", exact=True).set_input_files(str(people))
    await page.get_by_role("button", name="Check the file").click()
    await page.get_by_role("button", name="Import 2 people").click()
    await expect(page.get_by_text("2 people invited.", exact=True)).to_be_visible()
    # Each person's code, shown this once, and the same in a file to hand out.
    codes = page.get_by_role("table", name="Invitations for 2 people")
    nadia = codes.get_by_role("row", name=re.compile("Nadia Newhire"))
    code = (await nadia.locator("code").inner_text()).strip()
    assert len(code) >= 16
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="Download the codes (CSV)").click()
    saved = await (await download_info.value).path()
    downloaded = await anyio.Path(saved).read_text(encoding="utf-8")
    link = f"{server}/sign-up#invitation={code}"
    assert f"Nadia Newhire,nadia.newhire@example.org,{code},{link}," in downloaded

    # Nadia opens her link in her own browser: the code is filled in, and she is in.
    nadia_context = await new_context(browser, server)
    invited = await nadia_context.new_page()
    console = Console()
    console.watch(invited)
    await invited.goto(f"/sign-up#invitation={code}")
    await expect(invited.get_by_text(re.compile("You were invited"))).to_be_visible()
    await expect(invited.get_by_label("Invitation code")).to_have_value(code)
    await invited.get_by_label("Your name").fill("Nadia Newhire")
    await invited.get_by_label("Email", exact=True).fill("nadia.newhire@example.org")
    await invited.get_by_label("Password").fill(PASSWORD)
    await invited.get_by_role("button", name="Create an account").click()
    await expect(invited.get_by_role("heading", name="Challenges", level=1)).to_be_visible()
    me = await (await invited.request.get("/api/v1/me")).json()
    assert (me["email"], me["department"], me["status"]) == (
        "nadia.newhire@example.org",
        "Design",
        "active",
    )
    assert expected_console_errors(console.errors) == []
    await nadia_context.close()


async def test_an_invited_person_who_signs_up_without_the_code_still_gets_in(
    browser: Browser, server: str, context: BrowserContext
) -> None:
    admin = await context.new_page()
    await sign_in(admin, ADMIN)
    await admin.goto("/admin")
    await admin.get_by_label("Their name").fill("Pia Pending")
    await admin.get_by_label("Their email address").fill("pia.pending@example.org")
    await admin.get_by_role("button", name="Create the invitation").click()
    await expect(admin.get_by_role("table", name="Invitation for 1 person")).to_be_visible()

    pia_context = await new_context(browser, server)
    pia = await pia_context.new_page()
    await pia.goto("/sign-up")
    await pia.get_by_label("Your name").fill("Pia Pending")
    await pia.get_by_label("Email", exact=True).fill("pia.pending@example.org")
    await pia.get_by_label("Password").fill(PASSWORD)
    await pia.get_by_role("button", name="Create an account").click()
    await expect(pia.get_by_text("We sent a message to pia.pending@example.org")).to_be_visible()
    # The invitation's own message came first: the way in is the sign-up's link.
    await pia.goto(
        await journeys.mailed_link(pia, "pia.pending@example.org", "sign_up_confirmation")
    )
    await pia.get_by_label("Password").fill(PASSWORD)
    await pia.get_by_role("button", name="Finish and sign in").click()
    await expect(pia.get_by_role("heading", name="Challenges", level=1)).to_be_visible()
    await pia_context.close()


async def test_a_participant_opening_admin_is_told_it_is_not_for_them(
    context: BrowserContext,
) -> None:
    page = await context.new_page()
    await sign_in(page, PARTICIPANT)
    await page.goto("/admin")
    await expect(page.get_by_role("heading", name="Administrators only", level=1)).to_be_visible()
    await expect(
        page.get_by_text(re.compile("Your account does not have that role"))
    ).to_be_visible()
    await expect(page.locator("main form, main input, main select")).to_have_count(0)
    await expect(page.get_by_role("button", name="Create the invitation")).to_have_count(0)


async def test_admin_searches_pages_and_deactivates_with_a_confirmation(
    browser: Browser, server: str, context: BrowserContext
) -> None:
    leaver_context = await new_context(browser, server)
    leaver, _ = await journeys.sign_up(leaver_context, "Dora Leaver", 1980)
    page = await context.new_page()
    await sign_in(page, ADMIN)
    await page.goto("/admin")
    first = page.get_by_role("table", name="Accounts, page 1")
    await expect(first.locator("tbody tr")).to_have_count(25)
    await page.get_by_role("button", name="Next page").click()
    await expect(page.get_by_role("table", name="Accounts, page 2")).to_be_visible()
    await page.get_by_role("button", name="Previous page").click()
    await expect(page.get_by_role("table", name="Accounts, page 1")).to_be_visible()

    await page.get_by_role("searchbox", name="Find a person").fill("dora LEAVER")
    await page.get_by_role("button", name="Search", exact=True).click()
    found = page.get_by_role("table", name=re.compile("Accounts matching “dora LEAVER”"))
    await expect(found.locator("tbody tr")).to_have_count(1)
    row = found.get_by_role("row", name=re.compile("Dora Leaver"))
    await expect(row).to_contain_text("Active")

    await row.get_by_role("button", name="Deactivate Dora Leaver").click()
    dialog = page.get_by_role("dialog", name="Deactivate Dora Leaver?")
    await expect(dialog).to_contain_text("signed out everywhere")
    await expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    await dialog.get_by_role("button", name="Cancel").click()
    await expect(row).to_contain_text("Active")
    await row.get_by_role("button", name="Deactivate Dora Leaver").click()
    await dialog.get_by_role("button", name="Deactivate", exact=True).click()
    await expect(row.locator(".badge")).to_have_text("Deactivated")
    await expect(page.get_by_text("Dora Leaver is deactivated.", exact=True)).to_be_visible()
    # Signed out at once: her next page asks her to sign in.
    await leaver.goto("/me")
    await expect(leaver.get_by_role("heading", name="Sign in", level=1)).to_be_visible()

    await row.get_by_role("button", name="Reactivate Dora Leaver").click()
    await (
        page.get_by_role("dialog", name="Reactivate Dora Leaver?")
        .get_by_role("button", name="Reactivate", exact=True)
        .click()
    )
    await expect(row).to_contain_text("Active")
    await page.get_by_role("button", name="Show everyone").click()
    await expect(page.get_by_role("table", name="Accounts, page 1")).to_be_visible()
    await leaver_context.close()


async def test_tables_keep_words_whole_and_are_cards_on_a_phone(
    browser: Browser, server: str
) -> None:
    for who, path in (
        (PARTICIPANT, "/me/record"),
        (ADMIN, "/admin"),
        (FACILITATOR, None),
    ):
        for width in (375, 1280):
            context = await new_context(browser, server, width=width)
            page = await context.new_page()
            await sign_in(page, who)
            await page.goto(path or await _participants_overview(page))
            await page.locator("table.data-table tbody tr").first.wait_for()
            await page.wait_for_load_state("networkidle")
            where = f"{path or 'participants overview'} @{width}px"
            assert await page.evaluate(BROKEN_WORDS) == [], where
            cards = await page.evaluate(CARDS)
            assert cards, where
            if width == 375:
                assert all(c["display"] in ("block", "flex") and c["labels"] >= 1 for c in cards), (
                    where
                )
            else:
                assert all(c["display"] == "table-row" and c["labels"] == 0 for c in cards), where
            await context.close()


async def test_an_invitation_opens_filled_in_in_its_language_and_another_address_waits(
    browser: Browser, server: str, context: BrowserContext
) -> None:
    """Issue 19's rough edges: the invited person retyped what the administrator entered, in
    English whatever the administrator knew, and could replace the invited address with any
    other without confirming it."""
    admin = await context.new_page()
    await sign_in(admin, ADMIN)
    await admin.goto("/admin")
    await admin.get_by_label("Their name").fill("Flore Invitée")
    await admin.get_by_label("Their email address").fill("flore.invitee@example.org")
    language = admin.get_by_label("Their language", exact=True)
    await expect(language).to_have_value("en")  # the administrator's own, to start with
    await language.select_option("fr")
    await admin.get_by_role("button", name="Create the invitation").click()
    invited = admin.get_by_text("Flore Invitée is invited: give them the link below.", exact=True)
    await expect(invited).to_be_visible()
    codes = admin.get_by_role("table", name="Invitation for 1 person")
    code = (await codes.locator("code").inner_text()).strip()

    flore_context = await new_context(browser, server)
    flore = await flore_context.new_page()
    console = Console()
    console.watch(flore)
    await flore.goto(f"/sign-up#invitation={code}")
    # In French, with the name and address the administrator entered.
    await expect(flore.get_by_role("heading", name="Créez votre compte", level=1)).to_be_visible()
    await expect(flore.get_by_label("Votre nom")).to_have_value("Flore Invitée")
    email = flore.get_by_label("E-mail", exact=True)
    await expect(email).to_have_value("flore.invitee@example.org")
    # Another address: said before sending, and the account waits for that address's link.
    await email.fill("flore.perso@example.org")
    await expect(flore.get_by_text(re.compile("Ce n'est pas l'adresse"))).to_be_visible()
    await flore.get_by_label("Mot de passe").fill(PASSWORD)
    await flore.get_by_role("button", name="Créer un compte").click()
    await expect(
        flore.get_by_text(re.compile("Nous avons envoyé un message à flore.perso@example.org"))
    ).to_be_visible()
    assert (await flore.request.get("/api/v1/me")).status == 401
    await flore.goto(
        await journeys.mailed_link(flore, "flore.perso@example.org", "sign_up_confirmation")
    )
    await flore.get_by_label("Mot de passe").fill(PASSWORD)
    await flore.get_by_role("button", name=re.compile("Terminer")).click()
    await expect(flore.get_by_role("heading", name="Défis", level=1)).to_be_visible()
    me = await (await flore.request.get("/api/v1/me")).json()
    assert (me["email"], me["language"], me["status"]) == (
        "flore.perso@example.org",
        "fr",
        "active",
    )
    assert expected_console_errors(console.errors) == []
    await flore_context.close()


async def test_granting_and_removing_the_admin_role_asks_first(
    browser: Browser, server: str, context: BrowserContext
) -> None:
    other_context = await new_context(browser, server)
    await journeys.sign_up(other_context, "Gus Granted", 1975)
    await other_context.close()
    page = await context.new_page()
    await sign_in(page, ADMIN)
    await page.goto("/admin")
    await page.get_by_role("searchbox", name="Find a person").fill("Gus Granted")
    await page.get_by_role("button", name="Search", exact=True).click()
    found = page.get_by_role("table", name=re.compile("Accounts matching"))
    box = found.get_by_role("checkbox", name="Administrator: Gus Granted")
    await expect(box).not_to_be_checked()

    await box.click()
    dialog = page.get_by_role("dialog", name="Make Gus Granted an administrator?")
    await expect(dialog).to_contain_text("access log")
    await expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    await dialog.get_by_role("button", name="Cancel").click()
    await expect(box).not_to_be_checked()

    await box.click()
    await dialog.get_by_role("button", name="Make administrator").click()
    await expect(box).to_be_checked()
    granted = page.get_by_text("Gus Granted is now an administrator.", exact=True)
    await expect(granted).to_be_visible()

    await box.click()
    await (
        page.get_by_role("dialog", name="Remove Gus Granted's administrator role?")
        .get_by_role("button", name="Remove the role")
        .click()
    )
    await expect(box).not_to_be_checked()
    removed = page.get_by_text("Gus Granted is no longer an administrator.", exact=True)
    await expect(removed).to_be_visible()
