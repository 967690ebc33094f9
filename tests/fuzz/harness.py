"""The fuzzing world: a running app in its own event loop, realistic state, one session per role.

Schemathesis generates requests synchronously (Hypothesis drives it); the application and its
database engines live in an event loop of their own (an anyio blocking portal in a thread), so
the world is built with the same async helpers the API tests use, and every generated request
is sent to the app through httpx's ASGI transport inside that loop.

The budget is `CHALLENGE_FUZZ_EXAMPLES` (examples per operation and role; default 6),
`CHALLENGE_FUZZ_STATEFUL` (stateful scenarios per role; default 8) and
`CHALLENGE_FUZZ_STEPS` (calls per scenario; default 6). Generation is derandomised, so a run
repeats exactly; `CHALLENGE_FUZZ_RANDOM=1` draws new inputs on every run (for campaigns).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import schemathesis
from anyio.from_thread import BlockingPortal, start_blocking_portal
from fastapi import FastAPI
from hypothesis import strategies as st

import app as app_package
from app.auth.deps import session_cookie_name
from app.main import create_app
from app.vault.keys import new_key_document
from tests.api.people import Person, create_challenge, join, move, person
from tests.conftest import (
    Client,
    DatabaseUrls,
    client_for,
    create_test_databases,
    drop_test_databases,
    make_settings,
)
from tests.reviewing import Wallet, get_tokens, review_phase_over_http

EXAMPLES = int(os.environ.get("CHALLENGE_FUZZ_EXAMPLES", "6"))
STATEFUL_SCENARIOS = int(os.environ.get("CHALLENGE_FUZZ_STATEFUL", "8"))
STATEFUL_STEPS = int(os.environ.get("CHALLENGE_FUZZ_STEPS", "6"))
RANDOM = os.environ.get("CHALLENGE_FUZZ_RANDOM", "0") == "1"
ROLES = ("admin", "facilitator", "participant", "anonymous")
BASE_URL = "http://testserver"
REDEEM = "POST /api/v1/reviews"

# Operations that change a challenge for everyone (its phase, dates, teams): they get the
# sacrificial challenge, so the rest of the run keeps its review round open.
RESHAPING = frozenset(
    {
        "PATCH /api/v1/challenges/{challenge_id}",
        "POST /api/v1/challenges/{challenge_id}/phase",
        "POST /api/v1/challenges/{challenge_id}/formations",
        "PATCH /api/v1/challenges/{challenge_id}/formations/{formation_id}",
        "POST /api/v1/challenges/{challenge_id}/formations/{formation_id}/publish",
        "PUT /api/v1/challenges/{challenge_id}/participants/{pseudonym}/team",
    }
)
SIGN_OUTS = frozenset({"POST /api/v1/auth/sign-out", "POST /api/v1/auth/sign-out-everywhere"})

_TRACE_PATTERNS = [
    re.compile(r"Traceback \(most recent call last\)"),
    re.compile(r'File "[^"]+", line \d+'),
    re.compile(r"site-packages"),
    re.compile(re.escape(str(Path(app_package.__file__).resolve().parent))),
    re.compile(r"\b(sqlalchemy|asyncpg|aiosqlite|sqlite3|pydantic_core)\.\w+"),
]


def stack_trace_in(body: str) -> str | None:
    """The first trace-like fragment of a response body, if any."""
    for pattern in _TRACE_PATTERNS:
        found = pattern.search(body)
        if found:
            return found.group(0)
    return None


def openapi_document() -> dict[str, Any]:
    """The schema as the running app serves it (no database needed to build it)."""
    settings = make_settings(
        DatabaseUrls("sqlite+aiosqlite:///unused-app.db", "sqlite+aiosqlite:///unused.db", ()),
        {},
    )
    return create_app(settings).openapi()


@dataclass
class Role:
    name: str
    account_id: uuid.UUID | None
    cookies: dict[str, str]
    csrf: str

    def headers(self, label: str) -> dict[str, str]:
        # The anonymous review route is called as the UI calls it: no cookie, no token.
        if label == REDEEM:
            return {}
        headers = {"X-CSRF-Token": self.csrf}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers


@dataclass
class World:
    """Realistic state: a challenge in review, one in enrolment, one to break."""

    in_review: str
    in_enrolment: str
    sacrificial: str
    participant_team: str
    other_team: str
    enrolment_team: str
    message_id: str
    spare_account: str
    pseudonyms: list[str]
    wallets: list[Wallet]
    reserved_wallets: list[Wallet]
    roles: dict[str, Role] = field(default_factory=dict)

    def pools(self, label: str) -> dict[str, list[Any]]:
        challenges = (
            [self.sacrificial] if label in RESHAPING else [self.in_review, self.in_enrolment]
        )
        return {
            "challenge_id": challenges,
            "team_id": [self.participant_team, self.other_team, self.enrolment_team],
            "message_id": [self.message_id],
            "account_id": [self.spare_account],
            "pseudonym": self.pseudonyms,
            "version": [1, 2],
        }


async def _role_of(name: str, someone: Person) -> Role:
    cookies = {k: v for k, v in someone.client.cookies.items() if v}
    return Role(name, someone.account_id, cookies, someone.client.headers["X-CSRF-Token"])


async def _anonymous(app: FastAPI) -> Role:
    async with client_for(app) as browser:
        token = await browser.csrf()
        cookies = {k: v for k, v in browser.cookies.items() if v}
    return Role("anonymous", None, cookies, token)


async def build_world(app: FastAPI) -> World:
    browsers: list[Client] = []

    def make_client() -> Client:
        browser = client_for(app)
        browsers.append(browser)
        return browser

    admin = await person(app, make_client, roles=["participant", "facilitator", "admin"])
    review = await review_phase_over_http(app, make_client, teams=3, size=3)
    facilitator: Person = review["facilitator"]
    participant: Person = review["groups"][0][0]
    cid = review["cid"]
    # Other reviewers hold real tokens; the fuzzer redeems them (and reuses them: 409).
    wallets = [await get_tokens(group[1], cid) for group in review["groups"]]
    reserved = [await get_tokens(group[2], cid) for group in review["groups"]]
    team_url = f"/api/v1/teams/{review['team_ids'][0]}/messages"
    posted = await participant.client.post(team_url, json={"body": "Draft is up, please read"})
    assert posted.status_code == 201, posted.text

    enrolment = await create_challenge(facilitator.client, title="Enrolment open")
    await move(facilitator.client, enrolment["id"], "enrolment")
    assert (await join(participant.client, enrolment["id"])).status_code == 200
    team = await participant.client.post(f"/api/v1/challenges/{enrolment['id']}/teams")
    assert team.status_code == 201, team.text
    mate = await person(app, make_client)
    assert (await join(mate.client, enrolment["id"])).status_code == 200
    sacrificial = await create_challenge(facilitator.client, title="Broken on purpose")
    spare = await person(app, make_client)
    listing = await facilitator.client.get(f"/api/v1/challenges/{enrolment['id']}/participants")
    assert listing.status_code == 200, listing.text
    pseudonyms = [str(item["pseudonym"]) for item in listing.json()["items"]]

    world = World(
        in_review=cid,
        in_enrolment=enrolment["id"],
        sacrificial=sacrificial["id"],
        participant_team=review["team_ids"][0],
        other_team=review["team_ids"][1],
        enrolment_team=team.json()["id"],
        message_id=posted.json()["id"],
        spare_account=str(spare.account_id),
        pseudonyms=pseudonyms,
        wallets=wallets,
        reserved_wallets=reserved,
    )
    world.roles = {
        "admin": await _role_of("admin", admin),
        "facilitator": await _role_of("facilitator", facilitator),
        "participant": await _role_of("participant", participant),
        "anonymous": await _anonymous(app),
    }
    for browser in browsers:
        await browser.aclose()
    return world


async def _new_session(app: FastAPI, role: Role) -> None:
    """What signing in again gives, without the password check and its throttle."""
    assert role.account_id is not None
    vault = app.state.vault
    async with app.state.databases.vault_sessions.begin() as db:
        token = await vault.bind(db).open_session(role.account_id)
        session = await vault.bind(db).resolve_session(token)
    role.cookies = {session_cookie_name(app.state.settings): token}
    role.csrf = session.csrf_token


async def _send(app: FastAPI, kwargs: dict[str, Any]) -> httpx.Response:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=BASE_URL
    ) as browser:
        request = browser.build_request(**kwargs)
        # Multipart bodies stream; read them so the checks can see what was sent.
        await request.aread()
        return await browser.send(request)


def httpx_arguments(case: schemathesis.Case, extra_headers: dict[str, str]) -> dict[str, Any]:
    """Schemathesis serialises for `requests`; httpx spells a few arguments differently."""
    kwargs = case.as_transport_kwargs(base_url=BASE_URL, headers=extra_headers)
    arguments: dict[str, Any] = {
        "method": kwargs["method"],
        "url": kwargs["url"],
        "headers": kwargs.get("headers") or {},
        "params": kwargs.get("params") or None,
    }
    if kwargs.get("cookies"):
        # Generated cookies join the role's own in one header.
        generated = "; ".join(f"{k}={v}" for k, v in kwargs["cookies"].items())
        own = arguments["headers"].get("Cookie")
        arguments["headers"]["Cookie"] = f"{own}; {generated}" if own else generated
    if "json" in kwargs:
        arguments["content"] = json.dumps(kwargs["json"]).encode()
        arguments["headers"].setdefault("Content-Type", "application/json")
    elif kwargs.get("files"):
        # requests accepts any value in a part; httpx wants text or bytes.
        arguments["files"] = [
            (name, (part[0], part[1] if isinstance(part[1], str | bytes) else str(part[1])))
            for name, part in kwargs["files"]
        ]
        if isinstance(kwargs.get("data"), dict):
            arguments["data"] = kwargs["data"]
    elif "data" in kwargs and kwargs["data"] is not None:
        data = kwargs["data"]
        if isinstance(data, dict):
            arguments["data"] = data
        else:
            arguments["content"] = data.encode() if isinstance(data, str) else data
    return arguments


class FuzzSession:
    """The app, its loop and its world, for the length of a fuzzing module."""

    def __init__(self, portal: BlockingPortal, app: FastAPI, world: World):
        self.portal = portal
        self.app = app
        self.world = world
        self.outcomes: Counter[tuple[str, str, int, str]] = Counter()

    def send(self, role_name: str, case: schemathesis.Case) -> httpx.Response:
        role = self.world.roles[role_name]
        label = case.operation.label
        response = self.portal.call(_send, self.app, httpx_arguments(case, role.headers(label)))
        code = ""
        if response.headers.get("content-type", "").startswith("application/problem+json"):
            with contextlib.suppress(ValueError):
                code = str(response.json().get("code", ""))
        self.outcomes[(role_name, label, response.status_code, code)] += 1
        if label in SIGN_OUTS and response.is_success and role.account_id is not None:
            self.portal.call(_new_session, self.app, role)
        return response

    def path_parameters(self, label: str, names: list[str]) -> st.SearchStrategy[dict[str, Any]]:
        pools = self.world.pools(label)
        return st.fixed_dictionaries(
            {name: st.sampled_from(pools[name]) for name in names if pools.get(name)}
        )

    def redemption_bodies(self, *, valid: bool = False) -> st.SearchStrategy[dict[str, Any]]:
        """Review bodies around real tokens: valid, out-of-scale, wrong submission, reused.
        `valid=True`: well-formed reviews with tokens kept apart for it (first use succeeds)."""
        wallets = self.world.reserved_wallets if valid else self.world.wallets
        tokens = [
            (submission_id, token)
            for wallet in wallets
            for submission_id, token in wallet.tokens.items()
        ]
        submission_ids = [submission_id for submission_id, _ in tokens]

        def body(
            pair: tuple[str, dict[str, str]], other: str, same: bool, scores: Any, comment: str
        ) -> dict[str, Any]:
            submission_id, token = pair
            return {
                "token": token,
                "submission_id": submission_id if same or valid else other,
                "scores": scores,
                "comment": comment,
            }

        scale = st.integers(min_value=1, max_value=5) if valid else st.integers(-1, 7)
        scores = st.fixed_dictionaries({"clarity": scale, "usefulness": scale})
        return st.builds(
            body,
            st.sampled_from(tokens),
            st.sampled_from(submission_ids),
            st.booleans(),
            scores if valid else st.one_of(scores, st.dictionaries(st.text(max_size=12), scale)),
            st.text(max_size=300),
        )


@contextlib.contextmanager
def fuzz_session(tmp: Path) -> Iterator[FuzzSession]:
    dbs = create_test_databases(tmp)
    settings = make_settings(dbs, new_key_document())
    application = create_app(settings)
    try:
        with start_blocking_portal() as portal:
            lifespan = application.router.lifespan_context(application)
            with portal.wrap_async_context_manager(lifespan):
                world = portal.call(build_world, application)
                yield FuzzSession(portal, application, world)
    finally:
        drop_test_databases(dbs)
