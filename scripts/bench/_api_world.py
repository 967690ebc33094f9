"""Demo-sized data for the HTTP benchmarks, built once through the app's own API and cached.

The world is built in-process on SQLite: accounts through the vault's public interface
(`BoundVault.create_account`, `BoundVault.open_session`: argon2 hashing included, no sign-in
round trip),
everything else through the HTTP API on an ASGI transport, as the web UI would do it
(facilitator creates and publishes challenges, participants enrol, self-form teams, post
messages, save drafts and final submissions, the facilitator opens review, participants fetch
their RFC 9474 token batches). The finished tokens are kept, unspent, as ready-made review
bodies (one JSON document a line) for the redemption benchmark.

The built databases are a *template*: every measured configuration runs on a fresh copy
(SQLite: the backup API; PostgreSQL: ``CREATE DATABASE … TEMPLATE``), so spent tokens and
new rows never leak from one run into the next. The PostgreSQL template is filled by copying
every row of the SQLite build into freshly migrated databases (then ``ANALYZE``).

Sessions expire after 8 idle hours: a template older than ``MAX_AGE_S`` is rebuilt.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import random
import shutil
import sqlite3
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from app import migrations
from app.config import Settings
from app.main import create_app
from app.models import app_metadata
from app.reviews import blind_rsa
from app.teams.models import Message
from app.teams.service import EDIT_WINDOW
from app.vault import NewProfile, vault_metadata

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CACHE = ROOT / "var" / "bench" / "api"
POSTGRES_SERVER = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
MAX_AGE_S = 6 * 3600
BUILD_VERSION = 2  # bump when the shape of the world changes
SESSION_COOKIE = "challenge_session"  # development cookie name (no __Host- prefix)
RUBRIC = [
    {"id": "clarity", "title": "Clarity", "scale_min": 1, "scale_max": 5},
    {"id": "usefulness", "title": "Usefulness", "scale_min": 1, "scale_max": 5},
    {"id": "originality", "title": "Originality", "scale_min": 1, "scale_max": 5},
]
SKILLS = ["short_video", "negotiation", "sql", "public_speaking", "budgeting", "mentoring"]
WORDS = [
    *("plan", "campaign", "video", "audience", "budget", "review", "feedback", "team"),
    *("generation", "learning", "mentor", "pitch", "draft", "schedule", "metric", "story"),
    *("customer", "recruiting", "onboarding", "workshop", "prototype"),
]


@dataclass(frozen=True)
class WorldSize:
    name: str
    participants: int
    challenges: int
    review_challenges: int
    teams_per_review: int  # a token batch covers teams_per_review - 1 submissions
    team_size: int
    teamwork_challenges: int
    enrolment_challenges: int
    messages_per_team: int
    batch_reserve: int  # review participants left without tokens (issuance benchmark)


SIZES = {
    # issue 6: 50 challenges, 2,000 participants; issue 7: batches of 50 submissions
    "demo": WorldSize("demo", 2000, 50, 4, 51, 5, 20, 20, 10, 200),
    "quick": WorldSize("quick", 300, 10, 2, 21, 5, 3, 4, 6, 40),
    "tiny": WorldSize("tiny", 100, 5, 2, 11, 4, 1, 2, 3, 4),  # tokens for ~2 s of redemptions
}


@dataclass
class User:
    """A signed-in participant: what a browser holds, and where they belong."""

    session: str
    csrf: str
    challenge_id: str
    team_id: str
    reviewer: bool  # in a challenge under review


@dataclass
class World:
    size: WorldSize
    built_at: float
    facilitator: User
    users: list[User]
    review_challenges: list[str]
    reserve: list[int]  # indexes into users: review participants without tokens
    tokens: int  # lines in tokens.jsonl
    counts: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, document: str) -> World:
        raw = json.loads(document)
        return cls(
            size=WorldSize(**raw["size"]),
            built_at=raw["built_at"],
            facilitator=User(**raw["facilitator"]),
            users=[User(**u) for u in raw["users"]],
            review_challenges=raw["review_challenges"],
            reserve=raw["reserve"],
            tokens=raw["tokens"],
            counts=raw["counts"],
        )


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def settings_for(app_url: str, vault_url: str, key_file: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        env="development",
        app_database_url=app_url,
        vault_database_url=vault_url,
        key_file=key_file,
        serve_ui=False,
        open_sign_up=True,
        phase_tick_seconds=0,
        log_level="WARNING",
    )


def cache_key(size: WorldSize) -> str:
    heads = f"{migrations.head_revision('app')}-{migrations.head_revision('vault')}"
    return f"{size.name}-v{BUILD_VERSION}-{heads}"


# --- the token wallet (what the browser does) -------------------------------------------------


@dataclass
class TokenRequest:
    """One participant's batch: blinded messages out, the secrets to finalise kept here."""

    body: dict[str, Any]
    pending: dict[str, tuple[bytes, bytes, rsa.RSAPublicKey]]


def blind_batch(manifest: dict[str, Any], submission_ids: Iterable[str]) -> TokenRequest:
    keys = {k["submission_id"]: k for k in manifest["keys"]}
    pending: dict[str, tuple[bytes, bytes, rsa.RSAPublicKey]] = {}
    blinded = []
    for submission_id in submission_ids:
        public_key = serialization.load_der_public_key(
            base64.b64decode(keys[submission_id]["spki"])
        )
        assert isinstance(public_key, rsa.RSAPublicKey)
        prepared = blind_rsa.prepare(uuid.uuid4().bytes + uuid.uuid4().bytes)
        message, inv = blind_rsa.blind(public_key, prepared)
        pending[submission_id] = (prepared, inv, public_key)
        blinded.append({"submission_id": submission_id, "blinded_message": b64url(message)})
    return TokenRequest({"blinded": blinded}, pending)


def review_bodies(request: TokenRequest, response: dict[str, Any], rng: random.Random) -> list[str]:
    """Finalise every blind signature (verifying it) into a ready-to-send review body."""
    bodies = []
    for item in response["signatures"]:
        prepared, inv, public_key = request.pending[item["submission_id"]]
        signature = blind_rsa.finalize(
            public_key, prepared, b64url_decode(item["blind_signature"]), inv
        )
        review = {
            "token": {
                "key_id": item["key_id"],
                "prepared_message": b64url(prepared),
                "signature": b64url(signature),
            },
            "submission_id": item["submission_id"],
            "scores": {c["id"]: rng.randint(1, 5) for c in RUBRIC},
            "comment": " ".join(rng.choice(WORDS) for _ in range(30)).capitalize() + ".",
        }
        bodies.append(json.dumps(review, separators=(",", ":")))
    return bodies


# --- building -------------------------------------------------------------------------------


class _Api:
    """An in-process HTTP client that speaks for whichever user is given."""

    def __init__(self, client: httpx.AsyncClient):
        self.client = client

    async def call(
        self, user: User, method: str, path: str, body: Any = None, expect: int = 200
    ) -> Any:
        response = await self.client.request(
            method,
            path,
            json=body,
            headers={"Cookie": f"{SESSION_COOKIE}={user.session}", "X-CSRF-Token": user.csrf},
        )
        if response.status_code != expect:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        self.client.cookies.clear()  # never let one user's cookies ride along with another's
        return response.json() if response.content else None


async def _gather_limited(jobs: Iterable[Callable[[], Awaitable[Any]]], limit: int) -> list[Any]:
    semaphore = asyncio.Semaphore(limit)

    async def run(job: Callable[[], Awaitable[Any]]) -> Any:
        async with semaphore:
            return await job()

    return list(await asyncio.gather(*(run(job) for job in jobs)))


async def _serial_per_challenge(jobs: dict[str, list[Callable[[], Awaitable[Any]]]]) -> None:
    async def in_order(sequence: list[Callable[[], Awaitable[Any]]]) -> None:
        for job in sequence:
            await job()

    await _gather_limited([lambda q=q: in_order(q) for q in jobs.values()], 8)


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _markdown(rng: random.Random, paragraphs: int) -> str:
    parts = [f"## {_text(rng, 4).capitalize()}"]
    for _ in range(paragraphs):
        parts.append(f"{_text(rng, 40).capitalize()}, **{_text(rng, 2)}** and *{_text(rng, 2)}*.")
        parts.append(f"- {_text(rng, 6)}\n- {_text(rng, 5)}\n- {_text(rng, 7)}")
    return "\n\n".join(parts)


def build_world(directory: Path, size: WorldSize, log: Callable[[str], None]) -> World:
    """Build the SQLite template in ``directory`` (emptied first)."""
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    app_url, vault_url = sqlite_url(directory / "app.db"), sqlite_url(directory / "vault.db")
    migrations.upgrade("app", app_url)
    migrations.upgrade("vault", vault_url)
    world = asyncio.run(_build(directory, app_url, vault_url, size, log))
    for name in ("app.db", "vault.db"):
        with sqlite3.connect(directory / name) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
    (directory / "world.json").write_text(world.to_json())
    return world


async def _build(
    directory: Path, app_url: str, vault_url: str, size: WorldSize, log: Callable[[str], None]
) -> World:
    settings = settings_for(app_url, vault_url, directory / "keys.json")
    application = create_app(settings)
    rng = random.Random(2026)  # reproducible benchmark data
    started = time.perf_counter()
    async with application.router.lifespan_context(application):
        vault = application.state.vault
        dbs = application.state.databases

        async def account(index: int, roles: list[Any]) -> User:
            year = rng.choice([1958, 1966, 1972, 1979, 1985, 1990, 1995, 1999, 2003])
            profile = NewProfile(
                display_name=f"Bench Person {index}",
                email=f"bench.{index}@example.org",
                birth_year=year,
                years_experience=max(0, min(40, 2026 - year - 22)),
                department=f"Department {index % 12}",
                language=rng.choice(["en", "en", "fr", "es"]),
            )
            async with dbs.vault_sessions.begin() as db:
                account_id = await vault.bind(db).create_account(
                    profile, password=f"bench password {index}", roles=roles
                )
                token = await vault.bind(db).open_session(account_id)
                info = await vault.bind(db).resolve_session(token)
            return User(token, info.csrf_token, "", "", reviewer=False)

        facilitator = await account(0, ["facilitator"])
        users = await _gather_limited(
            [lambda i=i: account(i, ["participant"]) for i in range(1, size.participants + 1)], 4
        )
        log(f"  {len(users)} accounts in {time.perf_counter() - started:.0f} s")

        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            api = _Api(client)
            world = await _populate(api, size, facilitator, users, rng, log)
            log(f"  populated in {time.perf_counter() - started:.0f} s")
            world.tokens = await _mint_tokens(api, world, directory / "tokens.jsonl", rng, log)
            log(f"  {world.tokens} tokens minted in {time.perf_counter() - started:.0f} s")
        async with dbs.app_sessions.begin() as db:
            await _age_messages(db)
    return world


async def _age_messages(db: AsyncSession) -> None:
    """Move every message's post time back past its edit window, as if the team had talked
    before the run. A message stops being editable when its window ends, and each author's
    cached messages answer is then rebuilt once: with messages only minutes old, that would
    happen in the middle of a configuration's rounds, depending on when the run started."""
    age = EDIT_WINDOW + timedelta(hours=1)
    posted = (await db.execute(select(Message.id, Message.created_at))).all()
    await db.execute(update(Message), [{"id": id_, "created_at": at - age} for id_, at in posted])


async def _populate(
    api: _Api,
    size: WorldSize,
    facilitator: User,
    users: list[User],
    rng: random.Random,
    log: Callable[[str], None],
) -> World:
    challenges = []
    for index in range(size.challenges):
        body = {
            "title": f"Challenge {index:02d}: {_text(rng, 5)}",
            "brief": _markdown(rng, 3),
            "tags": rng.sample(["video", "recruiting", "data", "sales", "onboarding"], 2),
            "track": rng.choice(["discover", "deepen", "exploit"]),
            "team_size": {"min": 3, "target": size.team_size, "max": size.team_size},
            "formation_mode": "self_formed",
            "rubric": RUBRIC,
            "review_k": 3,
        }
        challenges.append(
            (await api.call(facilitator, "POST", "/api/v1/challenges", body, 201))["id"]
        )
    review = challenges[: size.review_challenges]
    teamwork = challenges[
        size.review_challenges : size.review_challenges + size.teamwork_challenges
    ]
    enrolment = challenges[
        len(review) + len(teamwork) : len(review) + len(teamwork) + size.enrolment_challenges
    ]
    published = review + teamwork + enrolment  # the rest stay drafts
    for cid in published:
        await api.call(
            facilitator, "POST", f"/api/v1/challenges/{cid}/phase", {"phase": "enrolment"}
        )

    # Who goes where: full teams in the review challenges, the rest spread over teamwork ones.
    groups: list[tuple[str, list[int]]] = []  # (challenge, member indexes)
    cursor = 0
    for cid in review:
        for _ in range(size.teams_per_review):
            groups.append((cid, list(range(cursor, cursor + size.team_size))))
            cursor += size.team_size
    remaining = list(range(cursor, len(users)))
    for number, cid in enumerate(teamwork):
        share = remaining[number :: len(teamwork)]
        for start in range(0, len(share), size.team_size):
            groups.append((cid, share[start : start + size.team_size]))

    def enrol(user: User, cid: str) -> Callable[[], Awaitable[Any]]:
        teach, learn = rng.sample(SKILLS, 2)
        body = {
            "teach": [{"skill": teach, "level": rng.randint(2, 4)}],
            "learn": [{"skill": learn, "level": rng.randint(1, 2)}],
        }
        return lambda: api.call(user, "POST", f"/api/v1/challenges/{cid}/enrolment", body)

    # Each challenge's enrolments and teams are made one after another, challenges in parallel:
    # the order inside a challenge (who joins which team) stays that of the plan above.
    per_challenge: dict[str, list[Callable[[], Awaitable[Any]]]] = {}
    for cid, members in groups:
        per_challenge.setdefault(cid, []).extend(enrol(users[i], cid) for i in members)
    # Everyone also joined one challenge that is still open for enrolment.
    for i, user in enumerate(users):
        cid = enrolment[i % len(enrolment)]
        per_challenge.setdefault(cid, []).append(enrol(user, cid))
    await _serial_per_challenge(per_challenge)
    enrolments = sum(len(jobs) for jobs in per_challenge.values())
    log(f"  {enrolments} enrolments")

    async def form(cid: str, members: list[int]) -> None:
        first = users[members[0]]
        team = await api.call(first, "POST", f"/api/v1/challenges/{cid}/teams", None, 201)
        for i in members:
            users[i].challenge_id, users[i].team_id = cid, team["id"]
            users[i].reviewer = cid in review
        for i in members[1:]:
            await api.call(users[i], "POST", "/api/v1/teams/join", {"code": team["join_code"]})

    teams_per_challenge: dict[str, list[Callable[[], Awaitable[Any]]]] = {}
    for cid, members in groups:
        teams_per_challenge.setdefault(cid, []).append(lambda c=cid, m=members: form(c, m))
    await _serial_per_challenge(teams_per_challenge)
    for cid in review + teamwork:
        await api.call(
            facilitator, "POST", f"/api/v1/challenges/{cid}/phase", {"phase": "teamwork"}
        )
    log(f"  {len(groups)} teams")

    async def work(cid: str, members: list[int]) -> None:
        team_id = users[members[0]].team_id
        for number in range(size.messages_per_team):
            author = users[members[number % len(members)]]
            body = {"body": f"{_text(rng, 25).capitalize()}? **{_text(rng, 3)}**."}
            await api.call(author, "POST", f"/api/v1/teams/{team_id}/messages", body, 201)
        url = f"/api/v1/teams/{team_id}/submission"
        draft = {"base_version": 0, "title": _text(rng, 5).capitalize(), "body": _markdown(rng, 2)}
        await api.call(users[members[0]], "PUT", url, draft)
        if cid in review:
            await api.call(users[members[-1]], "POST", f"{url}/final")

    await _gather_limited([lambda g=g: work(*g) for g in groups], 8)
    log(f"  {size.messages_per_team * len(groups)} messages, {len(groups)} submissions")
    for cid in review:
        await api.call(facilitator, "POST", f"/api/v1/challenges/{cid}/phase", {"phase": "review"})

    in_teams = [i for _, members in groups for i in members]
    reviewers = [i for i in in_teams if users[i].reviewer]
    reserve = sorted(random.Random(7).sample(reviewers, min(size.batch_reserve, len(reviewers))))
    return World(
        size=size,
        built_at=time.time(),
        facilitator=facilitator,
        users=[users[i] for i in range(len(users))],
        review_challenges=review,
        reserve=reserve,
        tokens=0,
        counts={
            "challenges": len(challenges),
            "published": len(published),
            "participants": len(users),
            "teams": len(groups),
            "enrolments": enrolments,
            "messages": size.messages_per_team * len(groups),
            "final_submissions": size.review_challenges * size.teams_per_review,
        },
    )


async def _mint_tokens(
    api: _Api, world: World, path: Path, rng: random.Random, log: Callable[[str], None]
) -> int:
    """Every review participant outside the reserve fetches its batch, as the browser does."""
    manifests = {
        cid: await api.call(world.facilitator, "GET", f"/api/v1/challenges/{cid}/review-round")
        for cid in world.review_challenges
    }
    reserved = set(world.reserve)
    lines: list[str] = []

    async def fetch(user: User) -> None:
        url = f"/api/v1/challenges/{user.challenge_id}/review-round/tokens"
        status = await api.call(user, "GET", url)
        request = await asyncio.to_thread(
            blind_batch, manifests[user.challenge_id], status["eligible_submission_ids"]
        )
        response = await api.call(user, "POST", url, request.body)
        lines.extend(await asyncio.to_thread(review_bodies, request, response, rng))

    holders = [u for i, u in enumerate(world.users) if u.reviewer and i not in reserved]
    await _gather_limited([lambda u=u: fetch(u) for u in holders], 4)
    random.Random(11).shuffle(lines)  # interleave submissions and challenges
    await asyncio.to_thread(path.write_text, "\n".join(lines) + "\n")
    return len(lines)


# --- the cache and its copies ---------------------------------------------------------------


def load_or_build(cache: Path, size: WorldSize, rebuild: bool, log: Callable[[str], None]) -> Path:
    """The directory of a fresh-enough SQLite template for ``size``."""
    directory = cache / cache_key(size)
    manifest = directory / "world.json"
    if not rebuild and manifest.is_file():
        world = World.from_json(manifest.read_text())
        if time.time() - world.built_at < MAX_AGE_S:
            return directory
        log("cached world is too old (sessions would have expired): rebuilding")
    log(f"building the {size.name} world in {directory} (cached for later runs)")
    build_world(directory, size, log)
    return directory


def read_world(directory: Path) -> World:
    return World.from_json((directory / "world.json").read_text())


@dataclass(frozen=True)
class Copy:
    """A fresh copy of the template, for one server configuration."""

    app_url: str
    vault_url: str
    key_file: Path
    postgres_names: tuple[str, ...] = ()


def copy_sqlite(template: Path, target: Path) -> Copy:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in ("app.db", "vault.db"):
        with sqlite3.connect(template / name) as source, sqlite3.connect(target / name) as dest:
            source.backup(dest)
        source.close()
        dest.close()
    shutil.copy2(template / "keys.json", target / "keys.json")
    (target / "keys.json").chmod(0o600)
    return Copy(
        sqlite_url(target / "app.db"), sqlite_url(target / "vault.db"), target / "keys.json"
    )


async def _pg_admin(statements: list[str]) -> None:
    engine = create_async_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


def _pg_url(name: str) -> str:
    return make_url(POSTGRES_SERVER).set(database=name).render_as_string(hide_password=False)


async def _pg_exists(name: str) -> bool:
    engine = create_async_engine(POSTGRES_SERVER)
    try:
        async with engine.connect() as connection:
            found = await connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
    finally:
        await engine.dispose()
    return bool(found)


async def _copy_rows(source_url: str, target_url: str, metadata: Any) -> None:
    source = create_async_engine(source_url)
    target = create_async_engine(target_url)
    try:
        async with source.connect() as read, target.begin() as write:
            for table in metadata.sorted_tables:
                rows = [dict(row._mapping) for row in await read.execute(table.select())]
                for start in range(0, len(rows), 2000):
                    await write.execute(table.insert(), rows[start : start + 2000])
        async with target.begin() as connection:
            await connection.execute(text("ANALYZE"))
    finally:
        await source.dispose()
        await target.dispose()


def _template_names(template: Path) -> tuple[str, str]:
    stamp = int(read_world(template).built_at)
    base = f"bench_api_{template.name.split('-')[0]}_{stamp}"
    return f"{base}_app", f"{base}_vault"


def drop_postgres_templates(template: Path) -> None:
    names = _template_names(template)
    asyncio.run(_pg_admin([f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in names]))


def postgres_template(template: Path, log: Callable[[str], None]) -> tuple[str, str]:
    """PostgreSQL template databases holding the same rows as the SQLite template."""
    names = _template_names(template)
    if all(asyncio.run(_pg_exists(name)) for name in names):
        return names
    log(f"copying the world into PostgreSQL templates {names[0]}, {names[1]}")
    # Built under other names and renamed when complete: an interrupted build is never reused.
    building = tuple(f"{n}_building" for n in names)
    everything = (*names, *building)
    asyncio.run(_pg_admin([f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in everything]))
    asyncio.run(_pg_admin([f'CREATE DATABASE "{n}"' for n in building]))
    for which, name, metadata in (
        ("app", building[0], app_metadata()),
        ("vault", building[1], vault_metadata()),
    ):
        migrations.upgrade(which, _pg_url(name))  # type: ignore[arg-type]
        asyncio.run(_copy_rows(sqlite_url(template / f"{which}.db"), _pg_url(name), metadata))
    asyncio.run(
        _pg_admin(
            [f'ALTER DATABASE "{b}" RENAME TO "{n}"' for b, n in zip(building, names, strict=True)]
        )
    )
    return names


def copy_postgres(template: Path, templates: tuple[str, str], label: str) -> Copy:
    names = (f"bench_api_run_{label}_app", f"bench_api_run_{label}_vault")
    statements = []
    for name, source in zip(names, templates, strict=True):
        statements.append(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        statements.append(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    asyncio.run(_pg_admin(statements))
    return Copy(_pg_url(names[0]), _pg_url(names[1]), template / "keys.json", names)


def copy_world(
    template: Path, backend: str, workdir: Path, label: str, log: Callable[[str], None]
) -> Copy:
    """A fresh copy of the template on `backend` ("sqlite": files under `workdir`;
    "postgres": databases named after `label`); `drop_copy` removes it."""
    if backend == "sqlite":
        return copy_sqlite(template, workdir / "db")
    return copy_postgres(template, postgres_template(template, log), label)


def drop_copy(copy: Copy) -> None:
    if copy.postgres_names:
        asyncio.run(
            _pg_admin([f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in copy.postgres_names])
        )
