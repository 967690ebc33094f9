"""The mail seam: the SMTP mailer speaks to a real (tiny, local) SMTP server; settings."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from email import message_from_bytes
from email.message import Message as EmailMessage

import pytest
from pydantic import ValidationError

from app.config import Settings
from app.kit.mail import (
    DevMailbox,
    MailConfigurationError,
    Message,
    SmtpMailer,
    UnsentMailer,
    deliver,
    mailer_for,
    parse_smtp_url,
)

MESSAGE = Message(
    to="dana@example.org", subject="Confirmez", text="Bonjour,\n\nun lien.\n", kind="test"
)


class SmtpServer:
    """Just enough SMTP (RFC 5321) for one client at a time, no TLS: what it received."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], EmailMessage]] = []
        self.commands: list[str] = []
        self.port = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._session, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        def reply(line: str) -> None:
            writer.write(line.encode() + b"\r\n")

        reply("220 test ESMTP")
        sender, recipients = "", []
        while line := (await reader.readline()).decode().rstrip("\r\n"):
            verb = line.split(" ", 1)[0].upper()
            self.commands.append(verb)
            if verb == "EHLO":
                reply("250-test")
                reply("250 8BITMIME")
            elif verb == "MAIL":
                sender, recipients = line.split(":", 1)[1].strip(" <>").split(">")[0], []
                reply("250 ok")
            elif verb == "RCPT":
                recipients.append(line.split(":", 1)[1].strip(" <>"))
                reply("250 ok")
            elif verb == "DATA":
                reply("354 go ahead")
                data = b""
                while (chunk := await reader.readline()) != b".\r\n":
                    data += chunk
                self.received.append((sender, recipients, message_from_bytes(data)))
                reply("250 queued")
            elif verb == "QUIT":
                reply("221 bye")
                await writer.drain()
                break
            else:
                reply("502 not implemented")
            await writer.drain()
        writer.close()


@pytest.fixture
async def smtp_server() -> AsyncIterator[SmtpServer]:
    server = SmtpServer()
    await server.start()
    yield server
    await server.stop()


async def test_the_smtp_mailer_delivers_a_plain_message(smtp_server: SmtpServer) -> None:
    mailer = SmtpMailer(
        f"smtp+insecure://127.0.0.1:{smtp_server.port}", "Challenges <no-reply@example.org>"
    )
    await mailer.send(MESSAGE)
    [(sender, recipients, email)] = smtp_server.received
    assert (sender, recipients) == ("no-reply@example.org", ["dana@example.org"])
    assert email["To"] == "dana@example.org"
    assert email["From"] == "Challenges <no-reply@example.org>"
    assert email["Subject"] == "Confirmez"
    assert email["Auto-Submitted"] == "auto-generated"
    assert email["Message-ID"].endswith("@example.org>")
    assert email.get_content_type() == "text/plain"
    assert "un lien." in email.get_payload(decode=True).decode()
    assert "STARTTLS" not in smtp_server.commands


async def test_a_failed_send_is_logged_without_address_or_body(
    caplog: pytest.LogCaptureFixture,
) -> None:
    closed = SmtpMailer("smtp+insecure://127.0.0.1:9", "a@example.org", timeout_s=2)
    caplog.set_level(logging.DEBUG)
    await deliver(closed, [MESSAGE])  # never raises
    [record] = [r for r in caplog.records if r.name == "app.mail"]
    assert record.getMessage() == "mail not sent"
    logged = record.getMessage() + repr(record.__dict__)
    assert "dana" not in logged
    assert "lien" not in logged
    assert record.__dict__["mail_kind"] == "test"


def test_smtp_urls() -> None:
    secure = parse_smtp_url("smtps://user%40corp:p%3Ass@mail.example.org")
    assert (secure.hostname, secure.port, secure.use_tls, secure.start_tls) == (
        "mail.example.org",
        465,
        True,
        False,
    )
    assert (secure.username, secure.password) == ("user@corp", "p:ss")
    starttls = parse_smtp_url("smtp://mail.example.org")
    assert (starttls.port, starttls.use_tls, starttls.start_tls) == (587, False, True)
    plain = parse_smtp_url("smtp+insecure://localhost:2525")
    assert (plain.port, plain.use_tls, plain.start_tls) == (2525, False, False)
    for wrong in ("http://mail.example.org", "smtp://", "mail.example.org"):
        with pytest.raises(MailConfigurationError):
            parse_smtp_url(wrong)


async def test_which_mailer() -> None:
    assert isinstance(mailer_for(smtp_url=None, mail_from="a@b.org", development=True), DevMailbox)
    assert isinstance(
        mailer_for(smtp_url=None, mail_from="a@b.org", development=False), UnsentMailer
    )
    assert isinstance(
        mailer_for(smtp_url="smtp://mail.example.org", mail_from="a@b.org", development=True),
        SmtpMailer,
    )
    mailbox = DevMailbox(keep=2)
    for to in ("one@example.org", "Two@example.org", "three@example.org"):
        await mailbox.send(Message(to=to, subject="s", text="t", kind="k"))
    assert [d.message.to for d in mailbox.messages()] == ["three@example.org", "Two@example.org"]
    assert [d.message.to for d in mailbox.messages("two@EXAMPLE.org")] == ["Two@example.org"]


def test_mail_settings() -> None:
    def settings(**values: object) -> Settings:
        return Settings(_env_file=None, **values)  # type: ignore[arg-type]

    assert settings(public_url="https://challenges.example.org/").public_url == (
        "https://challenges.example.org"
    )
    with pytest.raises(ValidationError, match="public_url"):
        settings(public_url="challenges.example.org")
    with pytest.raises(ValidationError, match="mail_from"):
        settings(mail_from="nobody")
    with pytest.raises(ValidationError, match="CHALLENGE_PUBLIC_URL"):
        settings(
            env="production",
            app_database_url="postgresql+asyncpg://a@db/app",
            vault_database_url="postgresql+asyncpg://v@db/vault",
            smtp_url="smtps://mail.example.org",
        )
