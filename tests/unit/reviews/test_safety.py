"""The reviewer's safety net flags what could identify the author of a comment."""

from __future__ import annotations

from app.reviews.safety import check_comment


def kinds(comment: str, handles: list[str] | None = None) -> list[tuple[str, str]]:
    return [(w.kind, w.text) for w in check_comment(comment, handles or [])]


def test_email_phone_and_handles_are_flagged() -> None:
    found = kinds(
        "Ask amber heron or write to me at jo.doe@example.org, +33 6 12 34 56 78.",
        ["Amber Heron", "Quiet Otter"],
    )
    assert ("handle", "amber heron") in found
    assert ("email", "jo.doe@example.org") in found
    assert ("phone", "+33 6 12 34 56 78") in found


def test_urls_with_names_but_not_plain_urls() -> None:
    found = kinds("See https://example.org/in/jane-smith and https://example.org/docs")
    assert found == [("url_with_name", "https://example.org/in/jane-smith")]


def test_possible_names_mid_sentence() -> None:
    assert ("name", "Maria Lopez") in kinds("I think Maria Lopez would like this.")


def test_plain_feedback_is_not_flagged() -> None:
    assert kinds("Clear plan. The budget section needs numbers; 3 ideas are strong.") == []


def test_positions_point_at_the_text() -> None:
    comment = "mail me: a@b.example"
    (warning,) = check_comment(comment, [])
    assert comment[warning.start : warning.end] == "a@b.example"
