"""Text handling shared by both databases: Markdown to indexable text and paragraphs, the terms
of a query, and marked snippets made safe for the page."""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt

# The databases mark matches with these two private-use characters rather than with HTML: the
# text around them is escaped first, and only then do they become <mark> tags, so a document
# containing "<script>" or a literal "<mark>" comes out as text.
MARK_START = "\ue000"
MARK_END = "\ue001"

MAX_QUERY_TERMS = 12
# A paragraph shorter than this says too little to answer a question on its own.
MIN_PASSAGE_WORDS = 6

_PARSER = MarkdownIt("commonmark", {"html": False}).enable("table")
_WORD = re.compile(r"\w+", re.UNICODE)

# Small function-word lists (written for this project): a question in "ask" is matched word by
# word with OR, and these words would match nearly every paragraph without telling them apart.
_STOPWORD_LIST = """
    a an and are as at be been but by can could do does for from had has have how i if in into
    is it its me my not of on or our should so than that the their them then there these they
    this to was we what when where which who why will with would you your
    au aux avec ce ces comment dans de des du elle en est et il ils je la le les leur mais me
    mes mon ne nous on ou où par pas pour qu que quel quelle qui sa se ses son sont sur ta te
    tes ton tu un une vos votre vous y à été être
    al como con cómo cual cuál de del el ella ellos en es esta este están hay la las lo los me
    mi mis no nos o para pero por porque qué que se sin su sus te tu un una uno y ya
"""


@dataclass(frozen=True)
class IndexableText:
    """A Markdown source reduced to what the index reads: the whole text, and the paragraphs
    long enough to quote by their number among the paragraphs a renderer shows as <p> (1 for
    the first), so that a page can give them the ids the answers link to."""

    text: str
    paragraphs: list[tuple[int, str]]


def _clean(text: str) -> str:
    without_marks = text.replace(MARK_START, "").replace(MARK_END, "")
    return " ".join(without_marks.split())


def markdown_to_text(source: str) -> IndexableText:
    """Markdown as plain text: formatting, link targets and images' addresses dropped, one
    entry per block (paragraph, heading, list item, table cell row, code block)."""
    blocks: list[str] = []
    paragraphs: list[tuple[int, str]] = []
    shown_paragraphs = 0
    tokens = _PARSER.parse(source)
    for index, token in enumerate(tokens):
        if token.type in ("fence", "code_block"):
            blocks.append(_clean(token.content))
            continue
        if token.type != "inline":
            continue
        parts = []
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
            elif child.type == "image":
                parts.append(child.content)  # its alternative text
        block = _clean("".join(parts))
        opener = tokens[index - 1] if index else None
        # A tight list's items are paragraphs the renderer does not wrap in <p>.
        if opener is not None and opener.type == "paragraph_open" and not opener.hidden:
            shown_paragraphs += 1
            if len(block.split()) >= MIN_PASSAGE_WORDS:
                paragraphs.append((shown_paragraphs, block))
        blocks.append(block)
    return IndexableText("\n\n".join(b for b in blocks if b), paragraphs)


# Cached: the marks and excerpts of a page fold every word of its hits, and a text repeats
# its words.
@functools.lru_cache(maxsize=65_536)
def fold(word: str) -> str:
    """Lower case without accents ("Équipe" -> "equipe"), as both indexes compare words."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def query_terms(query: str) -> list[str]:
    """The words of a query, folded, in order, without repeats, at most MAX_QUERY_TERMS.
    Everything that is not a letter or a digit is a separator, so no query syntax of either
    database can be injected through them."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(query):
        seen.setdefault(fold(word).replace("_", ""), None)
    return [t for t in seen if t][:MAX_QUERY_TERMS]


_STOPWORDS = frozenset(fold(word) for word in _STOPWORD_LIST.split())


def question_terms(question: str) -> list[str]:
    """The content words of a question (function words of en/fr/es dropped)."""
    return [t for t in query_terms(question) if t not in _STOPWORDS and len(t) > 1]


_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_ELLIPSIS = "…"


def _matcher(terms: list[str], prefix_last: bool) -> Callable[[str], bool]:
    """Whether a word of a text is one of `terms` as the index compares them (folded; the
    last term also as a prefix of two letters or more, as `SqliteIndex` queries it)."""
    whole = frozenset(terms)
    prefix = terms[-1] if prefix_last and terms and len(terms[-1]) >= 2 else None

    def matches(word: str) -> bool:
        folded = fold(word)
        return folded in whole or (prefix is not None and folded.startswith(prefix))

    return matches


def title_share(title: str, terms: list[str]) -> float:
    """The share of a title's words that begin with a word of the query: orders title
    matches when there are too many to score (app/search/repository.py, TITLE_POOL). A
    prefix of each word, as the stems a database matched are."""
    words = _TOKEN.findall(title)
    if not words:
        return 0.0
    # One call per word (a tuple of prefixes), not one per word and term: this runs for each
    # of up to 250 titles of a query above the cap.
    starts = tuple(terms)
    return sum(1 for word in words if fold(word).startswith(starts)) / len(words)


def mark_words(text: str, terms: list[str], *, prefix_last: bool = True) -> str:
    """The whole text with every word matching `terms` between MARK_START and MARK_END."""
    matches = _matcher(terms, prefix_last)
    return _TOKEN.sub(
        lambda m: f"{MARK_START}{m.group()}{MARK_END}" if matches(m.group()) else m.group(), text
    )


def excerpt(text: str, terms: list[str], *, words: int = 24, prefix_last: bool = True) -> str:
    """At most `words` words of the text, where most of them match `terms` (the first such
    place; the start when none does), marked, with "…" where the text was cut. Done here for the
    page's few hits rather than by FTS5, whose highlight() would look each hit up again in
    the index (milliseconds per hit for a common word)."""
    matches = _matcher(terms, prefix_last)
    tokens = list(_TOKEN.finditer(text))
    hits = [n for n, token in enumerate(tokens) if matches(token.group())]
    if not tokens:
        return text
    # The window of `words` words starting at a hit with the most hits in it.
    best_start, best_count, end = (hits[0] if hits else 0), 0, 0
    for first, start in enumerate(hits):
        while end < len(hits) and hits[end] < start + words:
            end += 1
        if end - first > best_count:
            best_start, best_count = start, end - first
    # From the text's start when the hits are near it (a reader sees where it begins), else
    # from a few words before the first hit.
    start = 0 if best_start < words * 3 // 4 else max(0, min(best_start - 3, len(tokens) - words))
    stop = min(len(tokens), start + words)
    begin = 0 if start == 0 else tokens[start].start()
    finish = len(text) if stop == len(tokens) else tokens[stop - 1].end()
    shown = mark_words(text[begin:finish], terms, prefix_last=prefix_last)
    return (_ELLIPSIS if begin else "") + shown + (_ELLIPSIS if finish < len(text) else "")


def marked_html(marked: str) -> str:
    """A database's marked text as HTML: escaped, with the matches in <mark>."""
    escaped = html.escape(marked, quote=False)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def unmarked(marked: str) -> str:
    return marked.replace(MARK_START, "").replace(MARK_END, "")


def has_mark(marked: str) -> bool:
    return MARK_START in marked
