"""The rendered-Markdown cache stays within its memory budget, whatever the messages' length:
a worker that keeps rendering new short messages (every team's chat) must level off at the
budget, not at several times it."""

from __future__ import annotations

import gc
import tracemalloc
from collections import OrderedDict

import pytest

from app.kit import markdown

BUDGET = 200_000


@pytest.fixture
def small_empty_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markdown, "_cache", OrderedDict())
    monkeypatch.setattr(markdown, "_cache_size", 0)
    monkeypatch.setattr(markdown, "_CACHE_BUDGET", BUDGET)


@pytest.mark.usefixtures("small_empty_cache")
@pytest.mark.parametrize(
    "message",
    ["Message {}.", "Réponse n° {} : d’accord, on s’en occupe demain matin."],
    ids=["short ascii", "short with a curly apostrophe"],
)
def test_many_short_messages_keep_the_cache_within_its_budget(message: str) -> None:
    markdown.render_markdown("warm-up")  # the renderer's own first-use allocations
    markdown._cache.clear()
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for number in range(8_000):
            markdown.render_markdown(message.format(number))
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(markdown._cache) < 8_000  # the budget was reached: older entries evicted
    assert held <= BUDGET * 1.1, f"{held:,} bytes held for a budget of {BUDGET:,}"
    # And what is kept is still what a reader gets.
    assert markdown.render_markdown(message.format(7_999)).startswith("<p>")
