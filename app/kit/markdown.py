"""Markdown rendered safely: no raw HTML, no scripts, no event handlers, safe links only."""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict

import nh3
from markdown_it import MarkdownIt

# html=False: raw HTML in the source is escaped, never passed through.
_RENDERER = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


# Reads render the same stored Markdown again and again (a review page renders every other
# team's submission, ~0.5 ms each; a team page, its messages): rendering is a pure function of
# the source, so recent results are kept, up to _CACHE_BUDGET bytes of memory.
_CACHE_BUDGET = 8_000_000
# What an entry holds beside its two strings: the dict's slot, the order's link and their
# tables' slack while entries are evicted (measured with tracemalloc, docs/benchmarks.md).
# Counted so that the budget bounds the memory even for short messages, whose strings are
# mostly their objects' headers.
_ENTRY_OVERHEAD_BYTES = 160
_cache: OrderedDict[str, str] = OrderedDict()
_cache_size = 0
_cache_lock = threading.Lock()


def _cost(source: str, html: str) -> int:
    """Bytes an entry keeps alive (a str's size depends on its widest character, not only its
    length)."""
    return sys.getsizeof(source) + sys.getsizeof(html) + _ENTRY_OVERHEAD_BYTES


def render_markdown(source: str) -> str:
    """HTML safe to insert into a page, whatever the source contains."""
    global _cache_size
    with _cache_lock:
        html = _cache.get(source)
        if html is not None:
            _cache.move_to_end(source)
            return html
    html = _render(source)
    cost = _cost(source, html)
    if cost > _CACHE_BUDGET // 100:
        return html  # a rare huge document is not worth evicting a hundred others
    with _cache_lock:
        if source not in _cache:
            _cache[source] = html
            _cache_size += cost
            while _cache_size > _CACHE_BUDGET:
                old_source, old_html = _cache.popitem(last=False)
                _cache_size -= _cost(old_source, old_html)
    return html


def _render(source: str) -> str:
    return nh3.clean(
        _RENDERER.render(source),
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
