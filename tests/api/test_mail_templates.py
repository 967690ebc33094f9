"""Every message is written from a template, in plain text and in HTML saying the same thing, in
each language; a value from outside (a challenge's title) is text in the HTML part, never
markup, and one line in the subject."""

from __future__ import annotations

from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi import FastAPI

from app.kit.mail import DevOutbox, SmtpMailer, build_email
from app.vault import MailPolicy, MailSender
from app.vault.messages import ACTIVITY_KINDS, KINDS, LANGUAGES, NAMES, DigestLine, Kind, compose
from tests.api.test_mail_queue import POLICY, enqueue
from tests.smtp import SmtpServer

SENDER = "Challenges <no-reply@example.org>"
PUBLIC_URL = "https://challenges.example.org"
LINK = PUBLIC_URL + "/somewhere#code=0123abcd"
HOSTILE_TITLE = '<img src=x onerror="alert(1)"> Tom & Jerry\'s <b>big</b>\r\nBcc: evil@example.org'


def render(kind: Kind, language: str, title: str = "Kindness at work") -> EmailMessage:
    message = compose(
        kind,
        language,
        to="ada@example.org",
        public_url=PUBLIC_URL,
        link=LINK,
        hours=24,
        days=7,
        challenge_title=title,
        digest=[
            DigestLine(title, PUBLIC_URL + "/challenges/1", 2),
            DigestLine("Mentoring", PUBLIC_URL + "/programmes/2", 1),
        ],
    )
    return build_email(message, SENDER)


class _Elements(HTMLParser):
    """The start tags and the text of an HTML document, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Elements:
    elements = _Elements()
    elements.feed(html)
    return elements


def parts(email: EmailMessage) -> tuple[str, str]:
    assert email.get_content_type() == "multipart/alternative"
    plain = email.get_body(preferencelist=("plain",))
    html = email.get_body(preferencelist=("html",))
    assert isinstance(plain, EmailMessage)
    assert isinstance(html, EmailMessage)
    return plain.get_content(), html.get_content()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_both_parts_in_every_language(kind: Kind, language: str) -> None:
    email = render(kind, language)
    text, html = parts(email)
    assert NAMES[language] in email["Subject"]
    assert NAMES[language] in text
    assert f'<html lang="{language}">' in html
    # The HTML part says what the text says, paragraph by paragraph.
    shown = " ".join(" ".join(parse(html).text).split())
    for paragraph in text.split("\n\n"):
        assert " ".join(paragraph.split()) in shown
    if LINK in text:
        assert ("href", LINK) in parse(html).attributes
    # Opening the message fetches nothing: no image, style sheet or pixel tells anyone.
    assert not {"img", "link", "script", "iframe"} & set(parse(html).tags)
    assert not any(name == "src" for name, _ in parse(html).attributes)


def test_the_languages_differ() -> None:
    texts = {parts(render("invitation", language))[0] for language in LANGUAGES}
    assert len(texts) == len(LANGUAGES)


def test_an_unknown_language_is_written_in_english() -> None:
    assert parts(render("invitation", "de")) == parts(render("invitation", "en"))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ACTIVITY_KINDS)
def test_a_hostile_challenge_title_is_text_in_the_html_part(kind: Kind, language: str) -> None:
    email = render(kind, language, title=HOSTILE_TITLE)
    text, html = parts(email)
    elements = parse(html)
    assert "img" not in elements.tags
    assert "b" not in elements.tags
    assert not any(name == "onerror" for name, _ in elements.attributes)
    one_line = " ".join(HOSTILE_TITLE.split())
    assert one_line in " ".join(elements.text)
    assert one_line in text
    # One line in the subject: the title cannot add a header.
    assert email["Bcc"] is None
    if kind == "challenge_news":
        assert one_line in str(email["Subject"])


async def test_a_queued_message_arrives_with_both_parts(app: FastAPI) -> None:
    message = compose(
        "challenge_news",
        "fr",
        to="ada@example.org",
        public_url=PUBLIC_URL,
        link=LINK,
        challenge_title="Défi <1>",
    )
    with SmtpServer() as smtp:
        await enqueue(app, message)
        mailer = SmtpMailer(smtp.url, SENDER, timeout_s=5)
        policy: MailPolicy = POLICY
        sender: MailSender = app.state.vault.mail_sender(lambda: mailer, policy)
        assert await sender.send_due() == 1
        [received] = smtp.received
    text, html = parts(received.message)
    # Sent with the network's line ends (CRLF).
    assert text.replace("\r\n", "\n") == message.text
    assert "Défi &lt;1&gt;" in html


async def test_the_development_outbox_keeps_the_html_part(tmp_path: Path) -> None:
    outbox = DevOutbox(tmp_path / "outbox", SENDER)
    message = compose(
        "invitation", "es", to="ada@example.org", public_url=PUBLIC_URL, link=LINK, days=7
    )
    await outbox.send(message)
    [path] = outbox.files()
    email = message_from_bytes(path.read_bytes(), policy=SMTP_POLICY)
    assert isinstance(email, EmailMessage)
    assert email.get_content_type() == "multipart/alternative"
    [listed] = outbox.messages()
    assert listed.message.text == message.text
    assert listed.message.html is not None
    assert LINK in listed.message.html
