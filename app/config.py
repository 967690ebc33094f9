"""Typed settings, read from `CHALLENGE_*` environment variables (and `.env`).

Every setting is listed, with its default and meaning, in the README's settings table.
"""

from __future__ import annotations

import json
from email.utils import parseaddr
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_APP_DATABASE_URL = "sqlite+aiosqlite:///./var/app.db"
DEFAULT_VAULT_DATABASE_URL = "sqlite+aiosqlite:///./var/vault.db"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


class Environment(StrEnum):
    development = "development"
    production = "production"


class PasswordHashCost(StrEnum):
    """argon2id parameters (app/vault/passwords.py). `test` is cheap, for the test suite only."""

    production = "production"
    test = "test"


class SettingsError(ValueError):
    """Settings that would make the service unsafe or unable to run."""


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CHALLENGE_", env_file=".env", extra="ignore", frozen=True
    )

    env: Environment = Environment.development
    app_database_url: str = DEFAULT_APP_DATABASE_URL
    vault_database_url: str = DEFAULT_VAULT_DATABASE_URL
    # Key material: either a JSON document in CHALLENGE_KEYS (a secret manager's job) or a key
    # file. In development a missing key file is created (mode 0600); in production never.
    keys: SecretStr | None = None
    key_file: Path = Path("var/keys.json")

    open_sign_up: bool | None = None  # None: on in development, off in production
    session_idle_minutes: int = Field(default=8 * 60, ge=5)
    session_absolute_hours: int = Field(default=7 * 24, ge=1)
    # Failed sign-ins for one email from one client address before each further attempt must
    # wait: the delay starts at `sign_in_delay_seconds` and doubles per further failure, capped.
    sign_in_failures_before_delay: int = Field(default=5, ge=1)
    sign_in_delay_seconds: int = Field(default=30, ge=1)
    sign_in_max_delay_seconds: int = Field(default=15 * 60, ge=1)
    sign_in_attempts_per_address: int = Field(default=30, ge=1)
    sign_in_window_minutes: int = Field(default=15, ge=1)
    sign_ups_per_address_per_hour: int = Field(default=20, ge=1)
    # argon2id at OWASP's minimum; `test` (cheap, so that the tests' thousands of sign-ins do
    # not each cost a real hash) is refused in production.
    password_hash_cost: PasswordHashCost = PasswordHashCost.production
    # Requests to change one's email (each sends a message) per account per hour.
    email_changes_per_hour: int = Field(default=5, ge=1)
    # SCIM requests per provider token per minute, counted in each worker (app/scim/deps.py).
    scim_requests_per_minute: int = Field(default=600, ge=1)

    # Outgoing mail (app/kit/mail.py): smtps://user:password@host:465, smtp://...:587 (STARTTLS)
    # or smtp+insecure://host:25. Unset: the outbox folder in development (below; GET
    # /api/v1/dev/mailbox), nothing sent in production (a warning per message).
    smtp_url: SecretStr | None = None
    mail_from: str = "Peer-learning challenges <no-reply@localhost>"
    # The mail queue (app/vault/mail_queue.py): how often each worker sends what is due (0:
    # only right after the request that queued it, tests), how long a claimed message stays
    # a worker's before another may send it, the first retry's delay (doubled at each failure)
    # and the attempts after which a message is given up.
    mail_tick_seconds: float = Field(default=5.0, ge=0)
    # Development without SMTP: where each message is written as an .eml file (listed on the
    # admin's outbox page). None: kept in the worker's memory only.
    mail_outbox_dir: Path | None = Path("var/outbox")
    mail_lease_seconds: float = Field(default=120.0, gt=0)
    mail_retry_seconds: float = Field(default=30.0, gt=0)
    mail_max_attempts: int = Field(default=8, ge=1)
    # The daily digest (app/vault/mail_digest.py): the hour (UTC) after which each person who
    # chose "once a day" for a topic gets one message with the day's news.
    mail_digest_hour: int = Field(default=7, ge=0, le=23)
    # Where people open the service: the links in messages start with it. Never taken from a
    # request's Host header, which a client chooses (a link to its own host would leak the code).
    public_url: str = DEFAULT_PUBLIC_URL

    # Generation cohorts: "name:first birth year", in increasing year order (product.md).
    cohorts: Annotated[list[str], NoDecode] = [
        "baby_boomer:1946",
        "gen_x:1965",
        "millennial:1981",
        "gen_z:1997",
        "gen_alpha:2013",
    ]
    # Seniority bands: lower bounds, in years of experience, of every band but the first.
    seniority_band_bounds: Annotated[list[int], NoDecode] = [3, 10, 20]

    # How often the background ticker enters the phases whose date has passed (reads show such
    # a phase at once but write nothing; a review round opens when the ticker enters review).
    # 0: never in the background (tests enter phases themselves).
    phase_tick_seconds: int = Field(default=10, ge=0)
    # Erasure epochs (app/admin/epochs.py): how often each worker looks for one that is due
    # (an erasure in this worker starts it at once; 0: never in the background, tests) ...
    key_epoch_tick_seconds: float = Field(default=10.0, ge=0)
    # ... and how long an epoch waits, between re-sealing under the new KEK and destroying
    # the old one, for requests that wrapped a key under the old KEK to commit (longer than
    # any request).
    key_epoch_grace_seconds: float = Field(default=30.0, ge=0)
    # GET /metrics answers only requests carrying "Authorization: Bearer <this>"; unset: 404.
    metrics_token: SecretStr | None = None
    # Abuse limits (app/kit/body_limit.py): bodies larger than this are refused with 413.
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    # Team messages one member may post per minute.
    messages_per_minute: int = Field(default=20, ge=1)
    # Failed redemptions per review key per minute before they are answered 429 (valid tokens
    # are always accepted: the limit cannot be used to lock honest reviewers out).
    failed_redemptions_per_minute: int = Field(default=60, ge=1)
    # Refused team-formation moves per facilitator (per challenge) per 10 minutes; beyond it
    # every move of theirs is answered 429 until the window ends (refusals are probes of who
    # is kept apart from whom: app/formations/service.py).
    refused_moves_per_10_minutes: int = Field(default=30, ge=1)
    # The review mix (app/redemption/mix.py, docs/privacy.md): accepted reviews wait in memory and
    # are written in shuffled batches, so that no commit can be ordered against the issuance of
    # tokens. A batch needs at least this many reviews of at least two submissions ...
    review_mix_min_reviews: int = Field(default=8, ge=1)
    # ... and at least this many people given tokens in the round since the previous batch: the
    # smallest set among whom a batch's reviews hide. The round's close writes what is left.
    review_mix_min_new_reviewers: int = Field(default=25, ge=0)
    # How often each worker considers writing a batch (jittered by up to half of it);
    # 0: right after each accepted review (tests).
    review_mix_tick_seconds: float = Field(default=5.0, ge=0)
    # Single sign-on with OpenID Connect (app/auth/oidc.py, docs/integrations.md): off unless
    # the issuer is set. The client secret is never logged (a SecretStr).
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_scopes: str = "openid email profile"
    # Roles from one claim of the ID token (or userinfo): the claim's values that the map
    # names grant its role at each sign-in, and its absence takes that role away again.
    oidc_role_claim: str | None = None
    oidc_role_map: dict[str, Literal["facilitator", "admin"]] = {}
    # The provider's name on the "Sign in with ..." button.
    oidc_name: str = "single sign-on"
    # A verified e-mail with no account: create one (just-in-time provisioning) or refuse.
    oidc_create_accounts: bool = True
    # False: sign-in and sign-up with a password answer 403 `password_sign_in_off` (SSO only).
    password_sign_in: bool = True
    # Memory per worker for cached answers to hot reads (app/cache); 0: off.
    response_cache_mb: int = Field(default=64, ge=0)
    log_level: str = "INFO"
    serve_ui: bool = True
    ui_dist: Path = Path("frontend/dist")

    @field_validator("cohorts", "seniority_band_bounds", mode="before")
    @classmethod
    def _csv(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("cohorts")
    @classmethod
    def _cohorts_well_formed(cls, value: list[str]) -> list[str]:
        years = []
        for entry in value:
            name, _, year = entry.partition(":")
            if not name or not year.isdigit():
                raise ValueError(f"cohort {entry!r} must look like 'name:first_birth_year'")
            years.append(int(year))
        if years != sorted(years) or len(set(years)) != len(years):
            raise ValueError("cohorts must be listed in increasing birth-year order")
        return value

    @field_validator("seniority_band_bounds")
    @classmethod
    def _bounds_increasing(cls, value: list[int]) -> list[int]:
        if value != sorted(set(value)) or any(bound <= 0 for bound in value):
            raise ValueError("seniority band bounds must be positive and strictly increasing")
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url_is_a_base(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
            raise ValueError("public_url must look like https://challenges.example.org")
        return value.rstrip("/")

    @field_validator("mail_outbox_dir", mode="before")
    @classmethod
    def _empty_outbox_is_none(cls, value: object) -> object:
        # CHALLENGE_MAIL_OUTBOX_DIR= (empty) keeps messages in memory, not in the current folder.
        return None if value == "" else value

    @field_validator("mail_from")
    @classmethod
    def _one_sender(cls, value: str) -> str:
        address = parseaddr(value)[1]
        if "@" not in address or any(c in value for c in "\r\n"):
            raise ValueError("mail_from must hold one e-mail address, e.g. 'Name <a@b.org>'")
        return value

    @field_validator("oidc_issuer")
    @classmethod
    def _issuer_is_a_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
            raise ValueError("oidc_issuer must look like https://login.example.com/tenant/v2.0")
        return value.rstrip("/")

    @field_validator("oidc_role_map", mode="before")
    @classmethod
    def _role_map_json(cls, value: object) -> object:
        # From the environment pydantic-settings decodes the JSON; given as an argument, here.
        return json.loads(value) if isinstance(value, str) else value

    @field_validator("oidc_scopes")
    @classmethod
    def _scopes_ask_for_openid(cls, value: str) -> str:
        if "openid" not in value.split():
            raise ValueError("oidc_scopes must include openid")
        return " ".join(value.split())

    @model_validator(mode="after")
    def _sign_in_stays_possible(self) -> Settings:
        if self.oidc_issuer is not None and (
            not self.oidc_client_id or self.oidc_client_secret is None
        ):
            raise SettingsError(
                "single sign-on needs CHALLENGE_OIDC_CLIENT_ID and CHALLENGE_OIDC_CLIENT_SECRET "
                "with CHALLENGE_OIDC_ISSUER"
            )
        if not self.password_sign_in and self.oidc_issuer is None:
            raise SettingsError(
                "with CHALLENGE_PASSWORD_SIGN_IN=false nobody could sign in: set "
                "CHALLENGE_OIDC_ISSUER (single sign-on) too"
            )
        if self.oidc_role_map and not self.oidc_role_claim:
            raise SettingsError("CHALLENGE_OIDC_ROLE_MAP needs CHALLENGE_OIDC_ROLE_CLAIM")
        return self

    @model_validator(mode="after")
    def _production_needs_explicit_configuration(self) -> Settings:
        if self.env is Environment.production:
            missing = [
                name
                for name, value, default in (
                    ("CHALLENGE_APP_DATABASE_URL", self.app_database_url, DEFAULT_APP_DATABASE_URL),
                    (
                        "CHALLENGE_VAULT_DATABASE_URL",
                        self.vault_database_url,
                        DEFAULT_VAULT_DATABASE_URL,
                    ),
                )
                if value == default
            ]
            if missing:
                raise SettingsError(
                    "production refuses the development defaults; set " + ", ".join(missing)
                )
            if self.password_hash_cost is not PasswordHashCost.production:
                raise SettingsError(
                    "production hashes passwords at the production cost: unset "
                    "CHALLENGE_PASSWORD_HASH_COST (the `test` cost is for the test suite only)"
                )
            if self.app_database_url == self.vault_database_url:
                raise SettingsError("the app and the vault must use two different databases")
            if self.smtp_url is not None and self.public_url == DEFAULT_PUBLIC_URL:
                raise SettingsError(
                    "production sends mail with links: set CHALLENGE_PUBLIC_URL to where people "
                    "open the service"
                )
            if self.oidc_issuer is not None and not self.oidc_issuer.startswith("https://"):
                raise SettingsError("production talks to the OIDC issuer over https only")
            if self.review_mix_min_reviews < 4 or self.review_mix_min_new_reviewers < 10:
                # Small batches hide a review among few people (docs/privacy.md, "The review
                # mix"); one at a time is the naive writer the forensic tests attack.
                raise SettingsError(
                    "production needs CHALLENGE_REVIEW_MIX_MIN_REVIEWS of at least 4 and "
                    "CHALLENGE_REVIEW_MIX_MIN_NEW_REVIEWERS of at least 10"
                )
        return self

    @property
    def is_development(self) -> bool:
        return self.env is Environment.development

    @property
    def sign_up_is_open(self) -> bool:
        return self.is_development if self.open_sign_up is None else self.open_sign_up

    @property
    def sso_enabled(self) -> bool:
        return self.oidc_issuer is not None

    @property
    def cohort_boundaries(self) -> list[tuple[str, int]]:
        pairs = [entry.partition(":") for entry in self.cohorts]
        return [(name, int(year)) for name, _, year in pairs]


@lru_cache
def get_settings() -> Settings:
    return Settings()
