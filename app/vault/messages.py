"""What the platform writes to people by e-mail, in their language: short, plain text with
the same words in HTML.

Only the vault composes messages: it alone knows addresses and each account's language. A
message to an address that has an account is written in that account's language; a message
about a new account in the language chosen at sign-up. Links carry the one-time code after `#`,
so it never reaches a server log or a `Referer` header: the page reads it and posts it.

The words are Jinja2 templates, one per kind and language (`templates/mail/<language>/<kind>.txt`,
the subject set at the top); one HTML layout (`templates/mail/layout.html`, autoescaped) lays
out the same paragraphs, so the two parts never say different things and a value from outside
(a challenge's title) can never become markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, get_args

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from app.kit.mail import Message

AccountKind = Literal[
    "sign_up_confirmation",
    "sign_up_attempt",
    "email_change_confirmation",
    "email_change_attempt",
    "email_changed",
    "invitation",
]
# News of a challenge or programme a person takes part in: its title and a link, nothing more;
# the daily digest gathers a day's news: titles, counts and links.
ActivityKind = Literal["challenge_news", "daily_digest"]
Kind = AccountKind | ActivityKind

ACCOUNT_KINDS: tuple[AccountKind, ...] = get_args(AccountKind)
ACTIVITY_KINDS: tuple[ActivityKind, ...] = get_args(ActivityKind)
KINDS: tuple[Kind, ...] = ACCOUNT_KINDS + ACTIVITY_KINDS
LANGUAGES = ("en", "fr", "es")

# Where each link of a message leads, under the public URL.
SIGN_UP_CONFIRMATION_PATH = "/sign-up/confirm#code="
EMAIL_CHANGE_CONFIRMATION_PATH = "/me/email/confirm#code="
SIGN_IN_PATH = "/sign-in"
INVITATION_PATH = "/sign-up#invitation="
# An activity mail's one-click unsubscribe (RFC 8058): the address a mail reader POSTs to, and
# the page a person opens from the message to confirm.
UNSUBSCRIBE_API_PATH = "/api/v1/mail/unsubscribe/"
UNSUBSCRIBE_PAGE_PATH = "/unsubscribe/"

NAMES = {
    "en": "Peer-learning challenges",
    "fr": "Défis d'apprentissage entre pairs",
    "es": "Retos de aprendizaje entre pares",
}

TEMPLATES_DIR = Path(__file__).parent / "templates" / "mail"
# A paragraph that is only a link becomes a link in the HTML part.
_LINK = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class DigestLine:
    """One challenge's or programme's news in a daily digest: how many, and where to see it."""

    title: str
    link: str
    count: int


@dataclass(frozen=True)
class Paragraph:
    text: str
    is_link: bool


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        # The plain-text templates are never escaped (a mail reader shows them as they are);
        # the HTML layout always is.
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        keep_trailing_newline=True,
    )


def _paragraphs(text: str) -> list[Paragraph]:
    return [
        Paragraph(part, is_link=_LINK.fullmatch(part) is not None)
        for part in (chunk.strip() for chunk in text.split("\n\n"))
        if part
    ]


def compose(
    kind: Kind,
    language: str,
    *,
    to: str,
    public_url: str,
    link: str | None = None,
    hours: int = 0,
    days: int = 0,
    challenge_title: str = "",
    digest: Sequence[DigestLine] = (),
    dedupe_key: str | None = None,
    unsubscribe_token: str | None = None,
) -> Message:
    """The message of this kind in this language (English if the language is unknown); with
    an unsubscribe token, the headers of a one-click unsubscribe (RFC 8058) and a link to
    the page that does the same."""
    language = language if language in LANGUAGES else "en"
    environment = _environment()
    values = {
        "service": NAMES[language],
        "link": link or "",
        "hours": hours,
        "days": days,
        "sign_in": public_url + SIGN_IN_PATH,
        # A title is one line: a line break would end the Subject header (or break it).
        "challenge_title": " ".join(challenge_title.split()),
        "digest": [
            DigestLine(" ".join(line.title.split()), line.link, line.count) for line in digest
        ],
        "unsubscribe": (
            public_url + UNSUBSCRIBE_PAGE_PATH + unsubscribe_token if unsubscribe_token else ""
        ),
    }
    module = environment.get_template(f"{language}/{kind}.txt").make_module(values)
    text = str(module)
    # Each template sets its subject at the top (`{% set subject = ... %}`).
    subject = f"{vars(module)['subject']} · {NAMES[language]}"
    html = environment.get_template("layout.html").render(
        language=language,
        subject=subject,
        service=NAMES[language],
        paragraphs=_paragraphs(text),
    )
    return Message(
        to=to,
        subject=subject,
        text=text,
        kind=kind,
        dedupe_key=dedupe_key,
        html=html,
        headers=(
            (
                ("List-Unsubscribe", f"<{public_url}{UNSUBSCRIBE_API_PATH}{unsubscribe_token}>"),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            )
            if unsubscribe_token
            else ()
        ),
    )
