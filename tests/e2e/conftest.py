"""Browser tests: the real server (uvicorn, built UI, demo data) driven by Debian's Chromium.

The server runs in a subprocess on temporary SQLite files with the demo organisation seeded
(`python -m app seed-demo`), so every page has content. Each test gets a fresh browser context;
console errors (a CSP violation, a missing translation, a failed request) fail the test.
Under pytest-xdist every worker has its own server, browser and copy of the seeded files (the
demo is seeded once per run).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "frontend" / "dist"
CHROMIUM = os.environ.get("CHALLENGE_TEST_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "docs" / "screenshots"
PASSWORD = "demo-password-2026"  # the demo organisation's (fictitious accounts, local only)
ADMIN, FACILITATOR, PARTICIPANT = (
    "admin@example.org",
    "facilitator@example.org",
    "alba.ashgrove.0@example.org",
)


# The demo's challenges (app/demo/activity.py), one per phase. Tests find them by title: the
# tests of other files on the same server create challenges of their own in these phases too.
DEMO_CHALLENGES = {
    "enrolment": "Short videos that recruit",
    "teamwork": "AI assistants for everyday writing",
    "review": "Onboarding, reinvented",
    "closed": "Negotiation stories across generations",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # ./scripts/test runs these in a pass of their own (`-m browser`), after the in-process
    # tests: one worker per core, each with its server and browser, a test file to a worker.
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A failed browser test's report shows what its server did: the slow requests and the
    last lines of the server's log (a stalled server shows there, not in the browser). The
    slow requests come first, before Playwright's page snapshot (a long one): a CI excerpt that
    keeps the head of a failure keeps them."""
    report = yield
    folder = getattr(item, "funcargs", {}).get("server_files")
    if report.failed and isinstance(folder, Path):
        # A request still stalled when the assertion gave up is logged when it ends: give it
        # a moment to.
        time.sleep(2)
        log = folder / "server.log"
        report.longrepr = f"{slow_requests(log)}\n\n{report.longrepr}"
        report.sections.append(("the server's log, its last lines", server_log_tail(log)))
    return report


def slow_requests(log: Path, *, slow_ms: float = 1000, most: int = 20) -> str:
    """The access lines of the server's requests slower than `slow_ms` (the last `most`)."""
    lines = log.read_text(errors="replace").splitlines() if log.is_file() else []
    slow = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("duration_ms", 0) >= slow_ms:
            slow.append(line)
    return "\n".join(
        [f"the server's requests of {slow_ms:.0f} ms or more: {len(slow)}", *slow[-most:]]
    )


def server_log_tail(log: Path, *, last: int = 30) -> str:
    """The log's last `last` lines (its slow requests head the failure: `slow_requests`)."""
    if not log.is_file():
        return "(no log)"
    return "\n".join(log.read_text(errors="replace").splitlines()[-last:])


# One patience for the whole suite: an assertion waits as long as an action does (`new_context`).
# A shared CI machine can stall a server for seconds (a disk's flush); what a user would notice
# of the time things take, the benches measure (scripts/bench/).
PATIENCE_S = 15
expect.set_options(timeout=PATIENCE_S * 1000)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_environment(folder: Path) -> dict[str, str]:
    """The server's settings: its databases, key file and outbox in `folder`."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("CHALLENGE_")},
        "CHALLENGE_APP_DATABASE_URL": f"sqlite+aiosqlite:///{folder}/app.db",
        "CHALLENGE_VAULT_DATABASE_URL": f"sqlite+aiosqlite:///{folder}/vault.db",
        "CHALLENGE_KEY_FILE": str(folder / "keys.json"),
        "CHALLENGE_UI_DIST": str(DIST),
        # INFO: the access lines, each with its duration, in the server's log (`server`).
        "CHALLENGE_LOG_LEVEL": "INFO",
        # Quick review batches (app/redemption/mix.py): two reviews of two submissions are written
        # within about a second, so that a browser test sees its reviews recorded.
        "CHALLENGE_REVIEW_MIX_MIN_REVIEWS": "2",
        "CHALLENGE_REVIEW_MIX_MIN_NEW_REVIEWERS": "0",
        "CHALLENGE_REVIEW_MIX_TICK_SECONDS": "1",
        # Every browser test signs people up from the same address (the journeys twelve, the
        # mentoring programme six, ...): the per-address limit is the API tests' to check
        # (tests/api/test_limits.py), not something for these to run into one after another.
        "CHALLENGE_SIGN_UPS_PER_ADDRESS_PER_HOUR": "1000",
        # The development outbox (messages as .eml files) beside the databases, not in var/.
        "CHALLENGE_MAIL_OUTBOX_DIR": str(folder / "outbox"),
    }


@pytest.fixture(scope="session")
def seeded_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The databases, key file and outbox after `migrate` and `seed-demo`, made once per run:
    the pytest-xdist workers share the run's folder, and the first to get here seeds while the
    others wait on the lock, then each copies the files (nothing writes them any more)."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    seeded = shared / "e2e-seeded"
    complete = shared / "e2e-seeded.complete"
    with (shared / "e2e-seeded.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not complete.is_file():
            shutil.rmtree(seeded, ignore_errors=True)
            seeded.mkdir()
            for command in (["migrate"], ["seed-demo"]):
                subprocess.run(
                    [sys.executable, "-m", "app", *command],
                    env=_server_environment(seeded),
                    cwd=seeded,
                    check=True,
                    timeout=300,
                    capture_output=True,
                )
            complete.touch()
    return seeded


@pytest.fixture(scope="session")
def server_files(tmp_path_factory: pytest.TempPathFactory, seeded_files: Path) -> Path:
    """The server's folder: its databases (app.db, vault.db) and key file, a copy of the seeded
    ones that this server alone uses. A test that needs time to have passed (a session held
    last month) moves its own rows' dates back in app.db, as the API tests do."""
    folder = tmp_path_factory.mktemp("e2e")
    shutil.copytree(seeded_files, folder, dirs_exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def server(server_files: Path) -> Iterator[str]:
    if not (DIST / "index.html").is_file():
        pytest.fail("frontend/dist is missing: ./scripts/test builds it (npm run build)")
    env = _server_environment(server_files)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    # The server's log, kept beside its databases: what a failed test's server did.
    log = (server_files / "server.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--port", str(port)],
        # Links in messages (the development mailbox) lead here.
        env={**env, "CHALLENGE_PUBLIC_URL": base},
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/v1/ready", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("the server did not become ready")
    yield base
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def chromium() -> str:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: ./scripts/test installs Debian's chromium")
    return CHROMIUM


@pytest.fixture(scope="session")
async def browser(chromium: str) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox"]
        )
        yield launched
        await launched.close()


class Console:
    """Errors the page printed: CSP violations, missing translations, failed requests."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def watch(self, page: Page) -> None:
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))


async def new_context(
    browser: Browser, server: str, *, width: int = 1280, **options: Any
) -> BrowserContext:
    context = await browser.new_context(
        base_url=server, viewport={"width": width, "height": 900}, locale="en-GB", **options
    )
    context.set_default_timeout(PATIENCE_S * 1000)
    return context


@pytest.fixture
async def context(browser: Browser, server: str) -> AsyncIterator[BrowserContext]:
    context = await new_context(browser, server)
    yield context
    await context.close()


async def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    await page.goto("/sign-in")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_role("heading", name="Challenges", level=1).wait_for()


async def demo_challenge(page: Page, phase: str) -> dict[str, Any]:
    """The demo's challenge in `phase`, as the signed-in reader's challenge list shows it."""
    items = (await (await page.request.get("/api/v1/challenges?limit=100")).json())["items"]
    found: dict[str, Any] = next(c for c in items if c["title"] == DEMO_CHALLENGES[phase])
    assert found["phase"] == phase, f"another test moved the demo's {phase} challenge on"
    return found


def expected_console_errors(errors: list[str]) -> list[str]:
    """Browsers log every non-2xx fetch; the ones a test provokes on purpose are not faults."""
    return [e for e in errors if "Failed to load resource" not in e]
