"""The reviewer's safety net: what in a comment could give its author away.

Runs on text only; the UI calls it through an anonymous endpoint (never with the session: a
draft comment sent with a cookie would tie the text to its author).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from app.reviews.schemas import CommentWarning

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Seven or more digits, allowing spaces, dots, dashes, brackets and a leading +.
_PHONE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s().-]*\d){6,}(?![\w])")
_URL = re.compile(r"https?://[^\s<>()]+|www\.[^\s<>()]+", re.IGNORECASE)
# A path segment that looks like a person: two or more letter runs joined by - . or _.
_NAME_IN_URL = re.compile(r"/(?:in/|@|~)?[A-Za-zÀ-ÿ]{2,}[-._][A-Za-zÀ-ÿ]{2,}")
# Two capitalised words in a row, not at the start of a sentence: possibly someone's name.
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZÀ-Ý][a-zà-ÿ]+\s[A-ZÀ-Ý][a-zà-ÿ]+\b")


def check_comment(comment: str, handles: Iterable[str]) -> list[CommentWarning]:
    warnings: list[CommentWarning] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, match: re.Match[str]) -> None:
        start, end = match.span()
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            return
        taken.append((start, end))
        warnings.append(CommentWarning(kind=kind, text=match.group(), start=start, end=end))

    for handle in sorted(set(handles), key=len, reverse=True):
        for match in re.finditer(re.escape(handle), comment, re.IGNORECASE):
            add("handle", match)
    for match in _EMAIL.finditer(comment):
        add("email", match)
    for match in _URL.finditer(comment):
        url = match.group()
        path = urlsplit(url if "://" in url else "http://" + url).path
        if _NAME_IN_URL.search(path):
            add("url_with_name", match)
    for match in _PHONE.finditer(comment):
        add("phone", match)
    for match in _NAME.finditer(comment):
        add("name", match)
    return sorted(warnings, key=lambda w: w.start)
