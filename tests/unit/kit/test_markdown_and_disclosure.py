"""Safe Markdown, and small-cell suppression with its complement."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from app.kit.disclosure import suppress_small_cells, suppress_total
from app.kit.markdown import render_markdown


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        '<a href="https://example.org" onclick="steal()">x</a>',
        "![x](data:text/html;base64,PHNjcmlwdD4=)",
        "<iframe src=https://example.org></iframe>",
    ],
)
def test_nothing_executable_survives(source: str) -> None:
    parser = _Elements()
    parser.feed(render_markdown(source))
    assert parser.tags <= {"p", "a", "strong", "em", "code"}
    for name, value in parser.attributes:
        assert not name.startswith("on")
        assert not (value or "").strip().lower().startswith(("javascript:", "data:"))


class _Elements(HTMLParser):
    """Collects the real elements and attributes (escaped text does not count)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += attrs


def test_ordinary_markdown_renders_with_safe_links() -> None:
    html = render_markdown("# Plan\n\n**bold** and [a link](https://example.org)")
    assert "<h1>Plan</h1>" in html
    assert "<strong>bold</strong>" in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_cells_under_k_are_hidden_with_a_complement() -> None:
    shown = suppress_small_cells({"a": 10, "b": 2, "c": 5, "d": 0}, k=3)
    # b alone hidden could be recovered from the total: the next smallest (c) goes too.
    assert shown == {"a": 10, "b": None, "c": None, "d": 0}


def test_two_small_cells_protect_each_other() -> None:
    assert suppress_small_cells({"a": 10, "b": 1, "c": 2}, k=3) == {"a": 10, "b": None, "c": None}


def test_k_is_never_below_three() -> None:
    assert suppress_small_cells({"a": 2, "b": 9, "c": 9}, k=1)["a"] is None
    assert suppress_total(2, k=1) is None
    assert suppress_total(3, k=3) == 3
