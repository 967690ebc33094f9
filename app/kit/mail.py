"""Outgoing e-mail: one seam (`Mailer`), an SMTP mailer and a development mailbox.

What to write and to whom is decided by the vault (it alone knows addresses and languages);
this module only carries messages. A request hands its messages to `send_after_commit`, which
queues them in the request's vault transaction (app/vault/mail_queue.py) and sends what is due
once the response has gone out: a message never announces something that was rolled back, is
not lost by a crash, and a slow or failing mail server never delays or fails a request. A
failed send is logged with the message's kind and the error's type only: no address and no
body is ever logged (either may identify someone).

- `SmtpMailer` (aiosmtplib) when `CHALLENGE_SMTP_URL` is set:
  `smtps://user:password@host:465` (TLS from the start), `smtp://user:password@host:587`
  (STARTTLS, required), or `smtp+insecure://host:25` (no TLS: a relay on the same host only).
- `DevOutbox` in development without SMTP: each message is an `.eml` file in
  `CHALLENGE_MAIL_OUTBOX_DIR` (var/outbox), listed on the admin's outbox page and at
  `GET /api/v1/dev/mailbox`, so a developer (and the browser tests) can follow the links;
  `DevMailbox`, in process memory, when that setting is empty (the tests).
- `UnsentMailer` in production without SMTP: each message is dropped with a warning.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib
from starlette.background import BackgroundTasks

from app.kit.files import private_directory

logger = logging.getLogger("app.mail")

# How many messages the development mailbox keeps (the oldest go first).
DEV_MAILBOX_SIZE = 500
SMTP_TIMEOUT_S = 30.0


class MailConfigurationError(ValueError):
    """A CHALLENGE_SMTP_URL that cannot be used."""


@dataclass(frozen=True)
class Message:
    """One message to one recipient: plain text, and the same in HTML when composed from a
    template (sent as multipart/alternative; a reader that shows no HTML shows the text)."""

    to: str
    subject: str
    text: str
    # A stable name of what it is ("sign_up_confirmation"): what logs and metrics may say.
    kind: str
    # Queueing the same notice twice (the same key) queues it once (app/vault/mail_queue.py);
    # None: every message is new.
    dedupe_key: str | None = None
    # Set by the queue, the same at every attempt: a receiver can tell a message sent again
    # after a crash between the server's answer and the queue's record of it.
    message_id: str | None = None
    html: str | None = None
    # More headers, in order: an activity mail's one-click unsubscribe (RFC 8058).
    headers: tuple[tuple[str, str], ...] = ()


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
    email["Message-ID"] = (
        f"<{message.message_id}@{domain}>" if message.message_id else make_msgid(domain=domain)
    )
    email["Auto-Submitted"] = "auto-generated"
    for name, value in message.headers:
        email[name] = value
    email.set_content(message.text)
    if message.html is not None:
        email.add_alternative(message.html, subtype="html")
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

    def messages(self, to: str | None = None, limit: int | None = None) -> list[Delivered]:
        """Newest first; only those to `to` (compared case-insensitively) when given; the
        newest `limit` of them when given."""
        wanted = to.strip().casefold() if to else None
        return [
            delivered
            for delivered in reversed(self._messages)
            if wanted is None or delivered.message.to.casefold() == wanted
        ][:limit]

    def clear(self) -> None:
        self._messages.clear()


class DevOutbox(DevMailbox):
    """Development only: each message is written to `directory` as an RFC 5322 file
    (`<time>-<kind>-<random>.eml`, mode 0600, in a 0700 directory) that a mail client opens,
    and read back from there, so that every worker of the development server lists the same
    messages (the admin's outbox page). Never sent anywhere."""

    def __init__(self, directory: Path, sender: str, keep: int = DEV_MAILBOX_SIZE) -> None:
        super().__init__(keep)
        self.directory = directory
        self._sender = sender
        self._keep = keep
        # Each file parsed once, by name (written once, under a name never reused): the browser
        # tests poll the outbox for links, and parsing hundreds of files on every poll kept
        # the development server too busy to answer anything else.
        self._parsed: dict[str, Delivered | None] = {}

    async def send(self, message: Message) -> None:
        await asyncio.to_thread(self._write, message, datetime.now(UTC))

    def _write(self, message: Message, at: datetime) -> None:
        private_directory(self.directory)
        name = f"{at:%Y%m%dT%H%M%S%fZ}-{message.kind}-{secrets.token_hex(4)}.eml"
        data = build_email(message, self._sender).as_bytes(policy=SMTP_POLICY)
        # Written under a name the listing skips, then renamed: a listing never reads half a
        # file, and since each file is parsed once, half a file is all it would ever have seen
        # (a browser test polling for its link waited for a message that never came).
        partial = self.directory / f"{name}.partial"
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(partial, self.directory / name)

    def messages(self, to: str | None = None, limit: int | None = None) -> list[Delivered]:
        wanted = to.strip().casefold() if to else None
        found: list[Delivered] = []
        listed = self.files()[: self._keep]
        for path in listed:
            if limit is not None and len(found) >= limit:
                break  # a page parses only what it shows
            # Listed from several threads at once (each request's own): a name another
            # listing forgot meanwhile is parsed again, never looked up and missed.
            delivered = self._parsed.get(path.name)
            if path.name not in self._parsed:
                delivered = self._parsed[path.name] = self.read(path)
            if delivered and (wanted is None or delivered.message.to.casefold() == wanted):
                found.append(delivered)
        if len(self._parsed) > 2 * self._keep:  # forget files gone or past the newest `keep`
            kept = {path.name for path in listed}
            self._parsed = {name: d for name, d in self._parsed.items() if name in kept}
        return found

    def files(self) -> list[Path]:
        """The outbox's files, newest first (their names start with the time)."""
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob("*.eml"), key=lambda path: path.name, reverse=True)

    def read(self, path: Path) -> Delivered | None:
        """The message a file holds, or None if it is not one of this outbox's."""
        stamp, _, rest = path.stem.partition("-")
        kind = rest.rpartition("-")[0]
        try:
            at = datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
            email = message_from_bytes(path.read_bytes(), policy=SMTP_POLICY)
        except (OSError, ValueError):
            return None
        if not isinstance(email, EmailMessage):
            return None
        body = email.get_body(preferencelist=("plain",))
        # Written with the network's line ends (CRLF), read back with Python's.
        text = body.get_content().replace("\r\n", "\n") if isinstance(body, EmailMessage) else ""
        html_body = email.get_body(preferencelist=("html",))
        html = (
            html_body.get_content().replace("\r\n", "\n")
            if isinstance(html_body, EmailMessage)
            else None
        )
        message = Message(
            to=str(email["To"] or ""),
            subject=str(email["Subject"] or ""),
            text=text,
            kind=kind,
            html=html,
        )
        return Delivered(message, at)

    def clear(self) -> None:
        super().clear()
        self._parsed.clear()
        # With the half-written ones a crash mid-write left behind: they hold messages too.
        partial = list(self.directory.glob("*.partial")) if self.directory.is_dir() else []
        for path in [*self.files(), *partial]:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


class UnsentMailer:
    """Production without SMTP: nothing can be sent; each message is dropped with a warning."""

    async def send(self, message: Message) -> None:
        logger.warning(
            "mail not sent: no SMTP server is configured (CHALLENGE_SMTP_URL)",
            extra={"mail_kind": message.kind},
        )


def mailer_for(
    *,
    smtp_url: str | None,
    mail_from: str,
    development: bool,
    outbox_dir: Path | None = None,
) -> Mailer:
    if smtp_url:
        return SmtpMailer(smtp_url, mail_from)
    if development:
        return DevOutbox(outbox_dir, mail_from) if outbox_dir else DevMailbox()
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


class MailQueue(Protocol):
    """Where a request's messages go: the vault's durable queue (app/vault/mail_queue.py),
    in the request's own vault transaction, and the worker's sender that empties it."""

    async def enqueue(self, messages: Sequence[Message]) -> None: ...

    async def send_due(self) -> int: ...


async def send_after_commit(
    background: BackgroundTasks, queue: MailQueue, messages: Sequence[Message]
) -> None:
    """Queue the messages in the request's vault transaction and send what is due once the
    response is out. Queued in the transaction, a message exists exactly when what it
    announces was committed (a rollback takes it away too) and survives a crash after the
    commit; sent after the response, the mail server's speed or failure is never part of a
    request. What this worker does not send (it died, the server was down) another worker's
    sender loop sends later."""
    if messages:
        await queue.enqueue(list(messages))
        send_soon(background, queue)


def send_soon(background: BackgroundTasks, queue: MailQueue) -> None:
    """Send what is due once the response is out: for messages the vault queued itself in the
    request's transaction (an invitation's link)."""
    background.add_task(_send_due, queue)


async def _send_due(queue: MailQueue) -> None:
    # After the response: a database that is away is logged and left to the next tick.
    try:
        await queue.send_due()
    except Exception as exc:
        logger.warning("mail queue not reached", extra={"error_type": type(exc).__name__})
