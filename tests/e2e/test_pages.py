"""Every page: no serious or critical axe-core violation, usable at 375 px, and a screenshot."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.async_api import Browser, Page

from tests.e2e.conftest import (
    ADMIN,
    FACILITATOR,
    PARTICIPANT,
    ROOT,
    SCREENSHOTS,
    Console,
    expected_console_errors,
    new_context,
    sign_in,
)

AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
PAGES: dict[str | None, list[tuple[str, str]]] = {
    None: [
        ("sign-in", "/sign-in"),
        ("sign-up", "/sign-up"),
        ("sign-up-confirm", "/sign-up/confirm#code=a-code-from-a-mailed-link"),
    ],
    PARTICIPANT: [
        ("challenges", "/"),
        ("challenge-enrolment", "/challenges/{enrolment}"),
        ("challenge-teamwork", "/challenges/{teamwork}"),
        ("team-workspace", "/teams/{team}"),
        ("review", "/challenges/{review}/review"),
        ("results", "/challenges/{closed}/results"),
        ("profile", "/me"),
        ("email-confirm", "/me/email/confirm#code=a-code-from-a-mailed-link"),
        ("record", "/me/record"),
        ("audit", "/me/audit"),
    ],
    FACILITATOR: [
        ("facilitate", "/facilitate"),
        ("challenge-editor", "/facilitate/new"),
        ("manage-challenge", "/facilitate/{enrolment}"),
        ("formation", "/facilitate/{enrolment}/formation"),
        ("team-submission", "/facilitate/{teamwork}/teams/{a_team}"),
        ("insights", "/insights"),
    ],
    ADMIN: [("admin", "/admin")],
}


async def demo_ids(page: Page) -> dict[str, str]:
    """The demo challenges by phase, the participant's team in the teamwork one, and one of its
    teams (a facilitator reads its submission)."""
    items = (await (await page.request.get("/api/v1/challenges")).json())["items"]
    ids = {c["phase"]: c["id"] for c in items}
    teamwork = await (await page.request.get(f"/api/v1/challenges/{ids['teamwork']}")).json()
    teams = await (await page.request.get(f"/api/v1/challenges/{ids['teamwork']}/teams")).json()
    a_team = teams[0]["id"] if isinstance(teams, list) and teams else ""
    return {**ids, "team": teamwork.get("my_team_id") or "", "a_team": a_team}


async def serious_violations(page: Page) -> list[dict[str, Any]]:
    await page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = await page.evaluate(
        """async () => (await axe.run(document)).violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                          where: v.nodes.slice(0, 3).map((n) => n.target.join(' '))}))"""
    )
    return found


LANGUAGES = {"en": "English", "fr": "Français", "es": "Español"}


@pytest.mark.parametrize("who", list(PAGES), ids=lambda w: (w or "anonymous").split("@")[0])
@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("language", list(LANGUAGES))
async def test_pages_are_accessible_and_fit(
    browser: Browser, server: str, who: str | None, width: int, language: str
) -> None:
    """Every page, in each language: longer French and Spanish words must fit at 375 px too."""
    # axe is injected as a script: this context alone lets it past the CSP.
    context = await new_context(browser, server, width=width, bypass_csp=True)
    page = await context.new_page()
    console = Console()
    console.watch(page)
    ids: dict[str, str] = {}
    if who:
        await sign_in(page, who)
        ids = await demo_ids(page)
    else:
        await page.goto("/sign-in")
    if language != "en":  # kept in this browser context only
        await page.locator(".language select").select_option(label=LANGUAGES[language])
        await page.wait_for_function(f"document.documentElement.lang === '{language}'")
    problems = []
    for name, path in PAGES[who]:
        await page.goto(path.format(**ids))
        await page.locator("h1").first.wait_for()
        await page.wait_for_load_state("networkidle")
        for violation in await serious_violations(page):
            problems.append(f"{name} @{width}px: {violation}")
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 1:
            problems.append(f"{name} @{width}px: {overflow}px wider than the screen")
        if width == 1280 and language == "en":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    await context.close()
    assert problems == []
    assert expected_console_errors(console.errors) == []


# Ended months with figures (the demo's activity all happens in the current month, which the
# insights do not show yet): the answer the page gets, hidden cells included.
INSIGHTS = {
    "k": 5,
    "scope": "organisation",
    "through": "2026-10",
    "cohorts": ["baby_boomer", "gen_x", "millennial", "gen_z", "not_given"],
    "participation": [
        {
            "month": "2026-09",
            "total": 31,
            "by_cohort": {
                "baby_boomer": None,
                "gen_x": 9,
                "millennial": 12,
                "gen_z": None,
                "not_given": 0,
            },
        },
        {
            "month": "2026-10",
            "total": 40,
            "by_cohort": {
                "baby_boomer": 6,
                "gen_x": 10,
                "millennial": 14,
                "gen_z": 10,
                "not_given": 0,
            },
        },
    ],
    "departments": ["Finance", "Legal", "Sales"],
    "participation_by_department": [
        {
            "month": "2026-09",
            "total": 31,
            "by_department": {"Finance": 12, "Legal": None, "Sales": 15},
            "not_given": None,
            "former": None,
        },
        {
            "month": "2026-10",
            "total": 40,
            "by_department": {"Finance": 14, "Legal": None, "Sales": 21},
            "not_given": None,
            "former": None,
        },
    ],
    "teams_with_three_generations": {"total": 14, "count": 6},
    "cross_generation_contact": {"total": 60, "count": 41},
    "skills": [
        {"skill": "spreadsheets", "teach": 12, "learn": 7},
        {"skill": "short_video", "teach": 5, "learn": 15},
        {"skill": "negotiation", "teach": 0, "learn": 9},
    ],
    "tracks": [
        {"track": "discover", "teams": 9, "completed": 7, "reviews": 24, "median_score": 3.5},
        {"track": "deepen", "teams": 5, "completed": None, "reviews": 0, "median_score": None},
        {"track": "exploit", "teams": 0, "completed": 0, "reviews": 0, "median_score": None},
    ],
}


async def test_insights_say_when_the_first_figures_come(browser: Browser, server: str) -> None:
    """The demo's activity is all in the current month: rather than empty tables, the page
    says from which day the first figures will show."""
    context = await new_context(browser, server)
    page = await context.new_page()
    await sign_in(page, ADMIN)
    await page.goto("/insights")
    await page.get_by_text("No figures yet", exact=False).wait_for()
    assert await page.get_by_text(re.compile(r"is counted from \w+ 1, \d{4}\.")).count() == 1
    assert await page.get_by_role("table").count() == 0
    await context.close()


@pytest.mark.parametrize("width", [1280, 375])
async def test_insights_show_charts_tables_and_hidden_cells(
    browser: Browser, server: str, width: int
) -> None:
    context = await new_context(browser, server, width=width, bypass_csp=True)
    page = await context.new_page()
    console = Console()
    console.watch(page)
    await sign_in(page, ADMIN)

    async def answer(route: Any) -> None:
        await route.fulfill(json=INSIGHTS)

    await page.route("**/api/v1/insights", answer)
    await page.goto("/insights")
    title = "Participation by generation, by month the challenges closed"
    await page.get_by_role("heading", name=title).wait_for()
    # A chart for participation (by generation and by department), skills and tracks, each
    # drawn (bars) and named as a picture of the table that follows it.
    charts = page.get_by_role("img", name="chart. The table below gives the same figures.")
    await charts.nth(3).wait_for()
    assert await charts.count() == 4
    await page.locator("[data-chart=participation] .recharts-bar-rectangle").first.wait_for()
    participation = page.get_by_role("table", name=title)
    row = participation.get_by_role("row", name="2026-09")
    assert await row.get_by_role("cell", name="fewer than 5").count() == 2
    assert await row.get_by_role("cell", name="31").count() == 1
    # Departments down, months across; a small department's cell hidden like the others.
    departments = page.get_by_role("table", name="Participation by department", exact=False)
    legal = departments.get_by_role("row", name="Legal")
    assert await legal.get_by_role("cell", name="fewer than 5").count() == 2
    assert (
        await departments.get_by_role("row", name="Sales").get_by_role("cell", name="21").count()
        == 1
    )
    assert await page.get_by_role("table").count() == 6
    assert await page.get_by_role("button", name="as CSV").count() == 6
    async with page.expect_download() as download:
        await page.get_by_role("button", name=f"Download “{title}” as CSV").click()
    csv = (await (await download.value).path()).read_text(encoding="utf-8-sig")
    assert csv.splitlines()[0].startswith('"Month closed","Baby boomers"')
    assert '"2026-09","fewer than 5","9","12","fewer than 5","0","31"' in csv

    problems = [str(v) for v in await serious_violations(page)]
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    name = "insights-figures" if width == 1280 else "insights-figures-375"
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    await context.close()
    assert problems == []
    assert expected_console_errors(console.errors) == []
