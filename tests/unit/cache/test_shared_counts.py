"""Where a kept answer's shared counts stand, and the answer with new ones written in."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import select, true

from app.cache.shared import SharedCount, slots_of, spliced

DECLARED = SharedCount(
    field="participant_count", table="participants", scope="challenge_id", statement=select(true())
)


def _body(items: list[dict[str, object]]) -> bytes:
    return json.dumps({"items": items, "next_cursor": None}, separators=(",", ":")).encode()


def test_a_title_that_reads_like_the_field_is_left_as_it_is() -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    title = 'Count us: "participant_count":7'
    body = _body(
        [
            {"id": str(first), "title": title, "participant_count": 3},
            {"id": str(second), "title": "Other", "participant_count": 12},
        ]
    )
    slots = slots_of(body, DECLARED)
    assert slots is not None
    new = spliced(body, slots, {f"challenge:{first.hex}": 4, f"challenge:{second.hex}": 120})
    items = json.loads(new)["items"]
    assert [i["participant_count"] for i in items] == [4, 120]
    assert items[0]["title"] == title


def test_unchanged_numbers_give_the_kept_body_itself() -> None:
    one = uuid.uuid4()
    body = _body([{"id": str(one), "participant_count": 2}])
    slots = slots_of(body, DECLARED)
    assert slots is not None
    assert spliced(body, slots, {f"challenge:{one.hex}": 2}) is body


def test_an_answer_that_does_not_show_them_where_declared_has_none() -> None:
    one = uuid.uuid4()
    nested = _body([{"id": str(one), "participant_count": 2, "more": {"participant_count": 1}}])
    assert slots_of(nested, DECLARED) is None
    assert slots_of(_body([{"id": "not an id", "participant_count": 2}]), DECLARED) is None
    assert slots_of(b"not json", DECLARED) is None
