"""The reviewer's safety net: what in a comment could give its author away.

Runs on text only; the UI calls it through an anonymous endpoint (never with the session: a
draft comment sent with a cookie would tie the text to its author). It flags e-mail addresses,
phone numbers, URLs with a name in them, possible names, the challenge's handles and team
names, the organisation's departments and mentions of one's generation ("as a millennial",
"génération Y", "generación Z"): with a handful of reviewers per team, "as a boomer in
Finance" can single someone out as surely as a name.

Handles, team names, departments and generations are matched as whole words, ignoring case
and accents (people type "generacion" as often as "generación").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

from app.redemption.schemas import CommentWarning

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Seven or more digits, allowing spaces, dots, dashes, brackets and a leading +.
_PHONE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s().-]*\d){6,}(?![\w])")
_URL = re.compile(r"https?://[^\s<>()]+|www\.[^\s<>()]+", re.IGNORECASE)
# A path segment that looks like a person: two or more letter runs joined by - . or _.
_NAME_IN_URL = re.compile(r"/(?:in/|@|~)?[A-Za-zÀ-ÿ]{2,}[-._][A-Za-zÀ-ÿ]{2,}")
# Two capitalised words in a row, not at the start of a sentence: possibly someone's name.
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZÀ-Ý][a-zà-ÿ]+\s[A-ZÀ-Ý][a-zà-ÿ]+\b")

# Generations in English, French and Spanish, written against folded text (lower case, no
# accents): "gen z", "Gen-Xer", "génération Y", "generación alfa", "baby-boomeuses", "boomer",
# "millennials", "milléniaux", "milenial", "zoomer", "xennial", "centennials" (Spanish for
# generation Z). "generation" alone, or "my generation", is not flagged: it names none.
_GENERATION = re.compile(
    r"(?<!\w)(?:"
    r"gen(?:eration|eracion)?[\s_-]?(?:x(?:ers?)?|y|z|alpha|alfa)"
    r"|(?:baby[\s-]?)?boom(?:er|eur|euse)s?"
    r"|baby[\s-]?boom"
    r"|mill?en+i(?:al(?:s|es)?|aux)"
    r"|(?:zoomer|xennial|centenn?ial)s?"
    r")(?!\w)"
)


def _fold(text: str, *, casefold: bool = True) -> tuple[str, list[int]]:
    """The text without accents (and case-folded unless told not to), with, for each folded
    character, the index of the character of `text` it came from."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for part in unicodedata.normalize("NFKD", char.casefold() if casefold else char):
            if not unicodedata.combining(part):
                folded.append(part)
                origin.append(index)
    return "".join(folded), origin


def _is_acronym(term: str) -> bool:
    # "IT", "HR", "R&D": matched with their case, or every "it" of a comment would be flagged.
    letters = [c for c in term if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 5


def _words_pattern(terms: Iterable[str], *, casefold: bool) -> re.Pattern[str] | None:
    """One pattern for these terms as whole words of folded text, longest first (so that a
    longer term wins over one it contains); None when there is none."""
    alternatives = set()
    for term in terms:
        words = _fold(term, casefold=casefold)[0].split()
        if len("".join(words)) >= 2:
            alternatives.add(r"\s+".join(re.escape(word) for word in words))
    if not alternatives:
        return None
    ordered = sorted(alternatives, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(ordered) + r")(?!\w)")


def check_comment(
    comment: str,
    *,
    handles: Iterable[str],
    team_names: Iterable[str],
    departments: Iterable[str],
    expected: Iterable[str] = (),
) -> list[CommentWarning]:
    """`expected`: names a reviewer is meant to write (the reviewed team's), never flagged."""
    warnings: list[CommentWarning] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str | None, start: int, end: int) -> None:
        # The first kind to claim a stretch of text keeps it: a team name is not also a name.
        if start >= end or any(start < t_end and t_start < end for t_start, t_end in taken):
            return
        taken.append((start, end))
        if kind is not None:
            warnings.append(
                CommentWarning(kind=kind, text=comment[start:end], start=start, end=end)
            )

    folded, origin = _fold(comment)
    cased, cased_origin = _fold(comment, casefold=False)

    def add_folded(
        kind: str | None, pattern: re.Pattern[str] | None, text: str, positions: list[int]
    ) -> None:
        if pattern is None:
            return
        for match in pattern.finditer(text):
            start, end = positions[match.start()], positions[match.end() - 1] + 1
            # An accent typed as a separate combining mark belongs to the letter before it.
            while end < len(comment) and unicodedata.combining(comment[end]):
                end += 1
            add(kind, start, end)

    add_folded(None, _words_pattern(expected, casefold=True), folded, origin)
    add_folded("handle", _words_pattern(handles, casefold=True), folded, origin)
    add_folded("team_name", _words_pattern(team_names, casefold=True), folded, origin)
    department_names = list(departments)
    acronyms = [d for d in department_names if _is_acronym(d)]
    others = [d for d in department_names if not _is_acronym(d)]
    add_folded("department", _words_pattern(acronyms, casefold=False), cased, cased_origin)
    add_folded("department", _words_pattern(others, casefold=True), folded, origin)

    for match in _EMAIL.finditer(comment):
        add("email", *match.span())
    for match in _URL.finditer(comment):
        url = match.group()
        path = urlsplit(url if "://" in url else "http://" + url).path
        if _NAME_IN_URL.search(path):
            add("url_with_name", *match.span())
    for match in _PHONE.finditer(comment):
        add("phone", *match.span())
    add_folded("generation", _GENERATION, folded, origin)
    for match in _NAME.finditer(comment):
        add("name", *match.span())
    return sorted(warnings, key=lambda w: w.start)
