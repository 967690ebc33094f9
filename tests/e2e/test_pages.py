"""Every page: no serious or critical axe-core violation, usable at 375 px, and a screenshot."""

from __future__ import annotations

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
    ],
    ADMIN: [("admin", "/admin")],
}


async def demo_ids(page: Page) -> dict[str, str]:
    """The demo challenges by phase, and the participant's team in the teamwork one."""
    items = (await (await page.request.get("/api/v1/challenges")).json())["items"]
    ids = {c["phase"]: c["id"] for c in items}
    teamwork = await (await page.request.get(f"/api/v1/challenges/{ids['teamwork']}")).json()
    return {**ids, "team": teamwork.get("my_team_id") or ""}


async def serious_violations(page: Page) -> list[dict[str, Any]]:
    await page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = await page.evaluate(
        """async () => (await axe.run(document)).violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                          where: v.nodes.slice(0, 3).map((n) => n.target.join(' '))}))"""
    )
    return found


@pytest.mark.parametrize("who", list(PAGES), ids=lambda w: (w or "anonymous").split("@")[0])
@pytest.mark.parametrize("width", [1280, 375])
async def test_pages_are_accessible_and_fit(
    browser: Browser, server: str, who: str | None, width: int
) -> None:
    # axe is injected as a script: this context alone lets it past the CSP.
    context = await new_context(browser, server, width=width, bypass_csp=True)
    page = await context.new_page()
    console = Console()
    console.watch(page)
    ids: dict[str, str] = {}
    if who:
        await sign_in(page, who)
        ids = await demo_ids(page)
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
        if width == 1280:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    await context.close()
    assert problems == []
    assert expected_console_errors(console.errors) == []
