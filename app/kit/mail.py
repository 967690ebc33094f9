"""Outgoing e-mail: one seam (`Mailer`), an SMTP mailer and a development mailbox.

What to write and to whom is decided by the vault (it alone knows addresses and languages);
this module only carries messages. A request hands its messages to `send_after_commit`, which
sends them once the response has gone out, that is after the request's transaction committed:
a message never announces something that was rolled back, and a slow or failing mail server
never delays or fails a request. A failed send is logged with the message's kind and the error's
type only: no address and no body is ever logged (either may identify someone).

- `SmtpMailer` (aiosmtplib) when `CHALLENGE_SMTP_URL` is set:
  `smtps://user:password@host:465` (TLS from the start), `smtp://user:password@host:587`
  (STARTTLS, required), or `smtp+insecure://host:25` (no TLS: a relay on the same host only).
- `DevMailbox`, in process memory, in development without SMTP: `GET /api/v1/dev/mailbox`
  lists what it holds, so a developer (and the browser tests) can follow the links.
- `UnsentMailer` in production without SMTP: each message is dropped with a warning.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib
from starlette.background import BackgroundTasks

logger = logging.getLogger("app.mail")

# How many messages the development mailbox keeps (the oldest go first).
DEV_MAILBOX_SIZE = 500
SMTP_TIMEOUT_S = 30.0


class MailConfigurationError(ValueError):
    """A CHALLENGE_SMTP_URL that cannot be used."""


@dataclass(frozen=True)
class Message:
    """One plain-text message to one recipient."""

    to: str
    subject: str
    text: str
    # A stable name of what it is ("sign_up_confirmation"): what logs and metrics may say.
    kind: str


class Mailer(Protocol):
    async def send(self, message: Message) -> None:
        """Hand the message over for delivery; raises when it could not be."""


@dataclass(frozen=True)
class SmtpTarget:
    hostname: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool
    start_tls: bool


_SCHEMES = {
    # scheme: (default port, TLS from the start, STARTTLS)
    "smtps": (465, True, False),
    "smtp": (587, False, True),
    "smtp+insecure": (25, False, False),
}


def parse_smtp_url(url: str) -> SmtpTarget:
    parts = urlsplit(url)
    if parts.scheme not in _SCHEMES or not parts.hostname:
        raise MailConfigurationError(
            "CHALLENGE_SMTP_URL must look like smtps://user:password@host:465, "
            "smtp://user:password@host:587 (STARTTLS) or smtp+insecure://host:25"
        )
    default_port, use_tls, start_tls = _SCHEMES[parts.scheme]
    return SmtpTarget(
        hostname=parts.hostname,
        port=parts.port or default_port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=use_tls,
        start_tls=start_tls,
    )


def build_email(message: Message, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Date"] = format_datetime(datetime.now(UTC))
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    email["Message-ID"] = make_msgid(domain=domain)
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.text)
    return email


class SmtpMailer:
    """Sends through an SMTP server, one connection per message (messages are rare: a
    sign-up, an address change)."""

    def __init__(self, url: str, sender: str, *, timeout_s: float = SMTP_TIMEOUT_S) -> None:
        self._target = parse_smtp_url(url)
        self._sender = sender
        self._envelope_sender = parseaddr(sender)[1] or sender
        self._timeout_s = timeout_s

    async def send(self, message: Message) -> None:
        target = self._target
        await aiosmtplib.send(
            build_email(message, self._sender),
            sender=self._envelope_sender,
            recipients=[message.to],
            hostname=target.hostname,
            port=target.port,
            username=target.username,
            password=target.password,
            use_tls=target.use_tls,
            start_tls=target.start_tls,
            timeout=self._timeout_s,
        )


@dataclass(frozen=True)
class Delivered:
    message: Message
    sent_at: datetime


class DevMailbox:
    """Development only: messages are kept in this process's memory, never sent anywhere."""

    def __init__(self, keep: int = DEV_MAILBOX_SIZE) -> None:
        self._messages: deque[Delivered] = deque(maxlen=keep)

    async def send(self, message: Message) -> None:
        self._messages.append(Delivered(message, datetime.now(UTC)))

    def messages(self, to: str | None = None) -> list[Delivered]:
        """Newest first; only those to `to` (compared case-insensitively) when given."""
        wanted = to.strip().casefold() if to else None
        return [
            delivered
            for delivered in reversed(self._messages)
            if wanted is None or delivered.message.to.casefold() == wanted
        ]

    def clear(self) -> None:
        self._messages.clear()


class UnsentMailer:
    """Production without SMTP: nothing can be sent; each message is dropped with a warning."""

    async def send(self, message: Message) -> None:
        logger.warning(
            "mail not sent: no SMTP server is configured (CHALLENGE_SMTP_URL)",
            extra={"mail_kind": message.kind},
        )


def mailer_for(*, smtp_url: str | None, mail_from: str, development: bool) -> Mailer:
    if smtp_url:
        return SmtpMailer(smtp_url, mail_from)
    if development:
        return DevMailbox()
    logger.warning("no SMTP server is configured (CHALLENGE_SMTP_URL): no mail will be sent")
    return UnsentMailer()


async def deliver(mailer: Mailer, messages: Sequence[Message]) -> None:
    """Send each message; a failure is logged (kind and error type only) and never raised."""
    for message in messages:
        try:
            await mailer.send(message)
        except Exception as exc:
            logger.warning(
                "mail not sent", extra={"mail_kind": message.kind, "error_type": type(exc).__name__}
            )


def send_after_commit(
    background: BackgroundTasks, mailer: Mailer, messages: Sequence[Message]
) -> None:
    """Send once the response is out: after the request's transaction has committed (the
    session dependencies commit before the response, `app/db.py`), and only if it did (a
    failed commit answers an error, and these tasks belong to the response that never goes)."""
    if messages:
        background.add_task(deliver, mailer, list(messages))
