"""create_app(): settings, databases, vault, middleware, error handlers, routers, static UI."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hmac
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from fastapi.routing import APIRoute
from starlette.staticfiles import StaticFiles

from app.admin.epochs import ErasureEpochs
from app.api import include_api
from app.auth.deps import session_cookie_name
from app.cache import ResponseCache, ResponseCacheMiddleware, is_cached_read
from app.challenges.service import advance_all_due
from app.config import Settings, get_settings
from app.db import Database, Databases, LockGaveWay, reads_only_in
from app.errors import NotFound, install_error_handlers
from app.kit import ratelimit, singleton
from app.kit.body_limit import BodySizeLimitMiddleware
from app.kit.mail import DevMailbox, mailer_for
from app.kit.ratelimit import PerWorkerWindow
from app.logs import RequestContextMiddleware, configure_logging
from app.mentoring.service import advance_all_due as advance_programmes_due
from app.notifications.service import announce_reviews_closing
from app.ops.metrics import CONTENT_TYPE, Metrics
from app.ratings.service import Ratings
from app.redemption.mix import MixPolicy, ReviewMix
from app.redemption.rating_mix import RatingMix
from app.reviews.service import ReviewRounds
from app.scim.router import router as scim_router
from app.security import SecurityHeadersMiddleware
from app.vault import MailPolicy, Vault, load_key_provider

logger = logging.getLogger("app")


def _operation_id(route: APIRoute) -> str:
    """Readable operation ids (`auth-sign_in`) so the generated UI client reads well."""
    tag = str(route.tags[0]) if route.tags else "default"
    return f"{tag}-{route.name}"


def _only_reads(request: Request, database: Database) -> bool:
    """A cached read writes nothing that its request must (`app.cache.cached_read`): its
    database sessions only read (app/db.py); and some writes only read the vault."""
    endpoint = getattr(request.scope.get("route"), "endpoint", None)
    return is_cached_read(endpoint) or database in reads_only_in(endpoint)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Fail at start-up, not at the first request, when keys are missing or unsafe.
        keys = load_key_provider(settings, create_if_missing=True)
        dbs = Databases.connect(
            settings.app_database_url, settings.vault_database_url, reads_only=_only_reads
        )
        vault = Vault(settings, keys, dbs.vault_sessions, dbs.vault_beside_sessions)
        app.state.databases = dbs
        app.state.vault = vault
        mix = ReviewMix(
            dbs.app_sessions,
            dbs.app_engine,
            MixPolicy(
                min_reviews=settings.review_mix_min_reviews,
                min_new_reviewers=settings.review_mix_min_new_reviewers,
                tick_seconds=settings.review_mix_tick_seconds,
            ),
        )
        app.state.review_mix = mix
        # Ratings wait and are written in batches under the same policy as reviews.
        rating_mix = RatingMix(dbs.app_sessions, dbs.app_engine, mix.policy)
        app.state.rating_mix = rating_mix
        app.state.ratings = Ratings(vault)
        # In the background: a database that is down at start-up must not stop the service.
        rating_keys = asyncio.create_task(_make_missing_rating_keys(app.state.ratings, dbs))
        # At most 30 comment checks per token a minute, in this worker's memory only.
        app.state.comment_checks = PerWorkerWindow(limit=30, window_s=60.0)
        # The comment check flags the organisation's department names; it may not import the
        # vault, so the vault's reader is handed to it here.
        app.state.department_names = vault.department_names
        app.state.review_rounds = ReviewRounds(vault, mix)
        mixing = asyncio.create_task(mix.run()) if settings.review_mix_tick_seconds else None
        rating_mixing = (
            asyncio.create_task(rating_mix.run()) if settings.review_mix_tick_seconds else None
        )
        epochs = ErasureEpochs(
            vault,
            dbs,
            grace_seconds=settings.key_epoch_grace_seconds,
            tick_seconds=settings.key_epoch_tick_seconds,
        )
        app.state.erasure_epochs = epochs
        epoching = asyncio.create_task(epochs.run()) if settings.key_epoch_tick_seconds else None
        # Every worker sends from the vault's mail queue (app/vault/mail_queue.py), so that
        # what a worker that died had queued is still sent.
        mail_sender = vault.mail_sender(
            lambda: app.state.mailer,
            MailPolicy(
                lease=timedelta(seconds=settings.mail_lease_seconds),
                first_retry=timedelta(seconds=settings.mail_retry_seconds),
                max_attempts=settings.mail_max_attempts,
                tick_seconds=settings.mail_tick_seconds,
            ),
        )
        app.state.mail_sender = mail_sender
        mailing = asyncio.create_task(mail_sender.run()) if settings.mail_tick_seconds else None
        await response_cache.attach(
            {"app": dbs.app_engine, "vault": dbs.vault_engine},
            touch_sessions=vault.touch_sessions,
            touch_every=vault.last_seen_resolution,
            session_digests=vault.session_digests(
                dbs.vault_engine.url, session_cookie_name(settings)
            ),
            own_rows=vault.own_session_rows,
        )
        # Team-formation jobs outlive the request that started them (app.formations.jobs).
        app.state.formation_tasks = set()
        ticker = (
            asyncio.create_task(
                _phase_ticker(dbs, app.state.review_rounds, settings.phase_tick_seconds)
            )
            if settings.phase_tick_seconds
            else None
        )
        # The daily digest, on the ticker's clock: one worker at a time queues it.
        digesting = (
            asyncio.create_task(_digest_ticker(dbs, vault, settings.phase_tick_seconds))
            if settings.phase_tick_seconds
            else None
        )
        # What is loaded by now lives as long as the worker: out of the collector's reach, it
        # no longer makes every full collection a pause of the event loop (~60 ms for ~190,000
        # objects, every few hundred requests; docs/benchmarks.md). Given back at shutdown, so
        # that a process that starts many apps (the tests) can still collect them.
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
            for task in (
                ticker,
                digesting,
                mixing,
                rating_mixing,
                epoching,
                mailing,
                rating_keys,
            ):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            await mix.close()
            await rating_mix.close()
            for task in list(app.state.formation_tasks):
                task.cancel()
            await asyncio.gather(*app.state.formation_tasks, return_exceptions=True)
            await response_cache.detach()
            await dbs.dispose()

    app = FastAPI(
        title="Peer-learning challenges",
        summary="Anonymous peer-learning challenges in mixed-generation teams",
        version="0.1.0",
        lifespan=lifespan,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        generate_unique_id_function=_operation_id,
    )
    app.state.settings = settings
    install_error_handlers(app)
    include_api(app)
    app.include_router(scim_router)  # /scim/v2: identity providers, SCIM's own error shape
    response_cache = ResponseCache(max_bytes=settings.response_cache_mb * 1024 * 1024)
    app.state.response_cache = response_cache
    # Innermost: cached answers get the same headers, request id, log line and metrics.
    app.add_middleware(ResponseCacheMiddleware, cache=response_cache)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware, hsts=not settings.is_development)
    metrics = Metrics()
    metrics.count_cache(response_cache)
    metrics.count_mix(lambda: app.state.review_mix.counters)
    app.add_middleware(RequestContextMiddleware, on_request=metrics.record)
    _add_metrics_route(app, metrics, settings)
    mailer = mailer_for(
        smtp_url=settings.smtp_url.get_secret_value() if settings.smtp_url else None,
        mail_from=settings.mail_from,
        development=settings.is_development,
        outbox_dir=settings.mail_outbox_dir,
    )
    app.state.mailer = mailer
    if isinstance(mailer, DevMailbox):  # development without SMTP only
        _add_dev_mailbox_route(app, mailer)
    if settings.serve_ui:
        _mount_ui(app, settings.ui_dist)
    return app


def _add_metrics_route(app: FastAPI, metrics: Metrics, settings: Settings) -> None:
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else None

    @app.get("/metrics", include_in_schema=False)
    async def prometheus(request: Request) -> Response:
        given = request.headers.get("authorization", "")
        # Without a configured token the endpoint does not exist (404, like any unknown path).
        if token is None or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            raise NotFound()
        return Response(metrics.render(), media_type=CONTENT_TYPE)


def _add_dev_mailbox_route(app: FastAPI, mailbox: DevMailbox) -> None:
    """Development only: what the in-memory mailbox holds, newest first, so that a developer
    and the browser tests can follow links. Not in the schema; elsewhere it does not exist."""

    @app.get("/api/v1/dev/mailbox", include_in_schema=False)
    async def dev_mailbox() -> dict[str, list[dict[str, str]]]:
        # Off the event loop: an outbox folder's new files are parsed here (app/kit/mail.py).
        newest_first = await asyncio.to_thread(mailbox.messages)
        return {
            "messages": [
                {
                    "to": delivered.message.to,
                    "subject": delivered.message.subject,
                    "text": delivered.message.text,
                    "kind": delivered.message.kind,
                    "sent_at": delivered.sent_at.isoformat(),
                }
                for delivered in newest_first
            ]
        }


async def _phase_ticker(dbs: Databases, effects: ReviewRounds, every_s: int) -> None:
    """Phases follow their dates even when nobody looks: keys are destroyed on time at close.

    Every worker of every instance ticks, so that the ticker survives any of them; one at a
    time does the work (app/kit/singleton.py), the others skip that tick. The app's rate
    counters that ended long ago are deleted in the same turn."""
    while True:
        await asyncio.sleep(every_s)
        try:
            async with singleton.held(dbs.app_engine, "phase-ticker") as mine:
                if mine:
                    await advance_all_due(dbs.app_sessions, effects)
                    await announce_reviews_closing(dbs.app_sessions, effects.vault)
                    await advance_programmes_due(dbs.app_sessions, effects.vault)
                    await _forget_ended_rate_buckets(dbs)
        except LockGaveWay:  # SQLite: a request held the vault; this tick's work waits
            logger.warning("phase ticker gave way to a write of the other database; next tick")
        except Exception:  # a failed tick must not stop the next one
            logger.exception("phase ticker failed")


async def _forget_ended_rate_buckets(dbs: Databases) -> None:
    async with dbs.app_sessions.begin() as db:
        await ratelimit.forget_ended(db, ratelimit.RateBucket)


async def _digest_ticker(dbs: Databases, vault: Vault, every_s: float) -> None:
    """Each person's daily digest, queued once after its hour (app/vault/mail_digest.py): every
    worker ticks, one at a time does the work; taking the news and queueing the digest commit
    together, so the next tick finds nothing to send twice. The vault's rate counters that
    ended long ago are deleted in the same turn."""
    while True:
        await asyncio.sleep(every_s)
        try:
            async with singleton.held(dbs.vault_engine, "mail-digest") as mine:
                if mine:
                    await vault.send_digests()
                    await vault.forget_ended_throttles()
        except Exception:  # a failed tick must not stop the next one
            logger.exception("mail digest failed")


async def _make_missing_rating_keys(ratings: Ratings, dbs: Databases) -> None:
    """Lessons and ideas published before ratings existed get their rating key (tried at
    each start)."""
    try:
        await ratings.ensure_missing_keys(dbs.app_sessions)
    except Exception:
        logger.exception("rating keys for published lessons could not be made")


def _mount_ui(app: FastAPI, dist: Path) -> None:
    """Serve the built UI; unknown non-API paths get index.html so deep links survive reload."""
    index = dist / "index.html"
    if not index.is_file():
        return
    assets = dist / "assets"
    if assets.is_dir():
        app.mount("/assets", StaticFiles(directory=assets), name="assets")

    @app.get("/{path:path}", include_in_schema=False)
    def spa(path: str, request: Request) -> Response:  # sync: file checks run in a thread
        if path.startswith("api/"):
            raise NotFound("No such API route.")
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(dist.resolve()):
            return FileResponse(candidate)
        return FileResponse(index)
