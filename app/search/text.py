"""Text handling shared by both databases: Markdown to indexable text and paragraphs, the terms
of a query, and marked snippets made safe for the page."""

from __future__ import annotations

import html
import re
import unicodedata
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


def marked_html(marked: str) -> str:
    """A database's marked text as HTML: escaped, with the matches in <mark>."""
    escaped = html.escape(marked, quote=False)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def unmarked(marked: str) -> str:
    return marked.replace(MARK_START, "").replace(MARK_END, "")


def has_mark(marked: str) -> bool:
    return MARK_START in marked
