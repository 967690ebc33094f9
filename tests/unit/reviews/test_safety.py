"""The reviewer's safety net flags what could identify the author of a comment."""

from __future__ import annotations

import pytest

from app.redemption.safety import check_comment


def kinds(
    comment: str,
    handles: list[str] | None = None,
    *,
    team_names: list[str] | None = None,
    departments: list[str] | None = None,
) -> list[tuple[str, str]]:
    return [
        (w.kind, w.text)
        for w in check_comment(
            comment,
            handles=handles or [],
            team_names=team_names or [],
            departments=departments or [],
        )
    ]


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
    (warning,) = check_comment(comment, handles=[], team_names=[], departments=[])
    assert comment[warning.start : warning.end] == "a@b.example"


def test_handles_ignore_accents_and_need_whole_words() -> None:
    found = kinds(
        "Merci zorro rapido ! Amber Heronsbury is not a handle.", ["Zorro Rápido", "Amber Heron"]
    )
    assert found == [("handle", "zorro rapido")]


def test_team_names_are_flagged() -> None:
    found = kinds(
        "As one of team aurora, I liked it. Team Beacon's plan is clear.",
        team_names=["Team Aurora", "Team Beacon"],
    )
    assert found == [("team_name", "team aurora"), ("team_name", "Team Beacon")]


def test_departments_ignore_case_and_accents_but_acronyms_keep_their_case() -> None:
    departments = ["Ressources Humaines", "Comptabilité", "IT", "R&D"]
    found = kinds(
        "Chez nous aux ressources humaines et en COMPTABILITE, l'IT et la R&D, "
        "it works and comptabilités are plural.",
        departments=departments,
    )
    assert found == [
        ("department", "ressources humaines"),
        ("department", "COMPTABILITE"),
        ("department", "IT"),
        ("department", "R&D"),
    ]


def test_a_department_that_looks_like_a_name_is_a_department() -> None:
    found = kinds("Ask someone in Human Resources about it.", departments=["Human Resources"])
    assert found == [("department", "Human Resources")]


@pytest.mark.parametrize(
    ("comment", "mention"),
    [
        ("As a millennial, I found this clear.", "millennial"),
        ("Speaking as a Boomer: too many acronyms.", "Boomer"),
        ("My fellow baby boomers will love it.", "baby boomers"),
        ("Typical gen z slides.", "gen z"),
        ("Even a Gen-Xer like me got it.", "Gen-Xer"),
        ("GenX approved.", "GenX"),
        ("Generation Alpha will use this.", "Generation Alpha"),
        ("Moi qui suis de la génération Y, j'ai aimé.", "génération Y"),
        ("En tant que baby-boomeuse, j'approuve.", "baby-boomeuse"),
        ("Nous, les boomeurs, on aime.", "boomeurs"),
        ("Les milléniaux comme moi", "milléniaux"),
        ("Como milenial, me gustó.", "milenial"),
        ("Soy de la generación Z.", "generación Z"),
        ("Los millennials del equipo", "millennials"),
        ("Nosotros los centennials", "centennials"),
        ("Je suis de la GENERATION x", "GENERATION x"),
        ("Soy de la generacio\u0301n Z", "generacio\u0301n Z"),
    ],
)
def test_generations_in_three_languages(comment: str, mention: str) -> None:
    assert ("generation", mention) in kinds(comment)


@pytest.mark.parametrize(
    "comment",
    [
        "The next generation of this tool should export to PDF.",
        "My generation would not mind.",
        "The boom in short video is real; the genre fits.",
        "Gene expression and genz0 files are out of scope.",
        "Boomerang effect: the plan comes back to its start.",
        "The tenth generation of the x-axis chart.",
    ],
)
def test_words_that_merely_resemble_generations_are_not_flagged(comment: str) -> None:
    assert "generation" not in {kind for kind, _ in kinds(comment)}, kinds(comment)


def test_positions_survive_folding() -> None:
    comment = "Ça, c'est la génération Z : bravo à l'équipe Zorro Rápido."
    warnings = check_comment(comment, handles=["Zorro Rapido"], team_names=[], departments=[])
    assert [(w.kind, comment[w.start : w.end]) for w in warnings] == [
        ("generation", "génération Z"),
        ("handle", "Zorro Rápido"),
    ]
    assert all(w.text == comment[w.start : w.end] for w in warnings)


def test_plain_feedback_with_every_list_is_not_flagged() -> None:
    assert (
        kinds(
            "Clear plan, it is useful. The budget section needs numbers.",
            ["Amber Heron"],
            team_names=["Team Aurora"],
            departments=["IT", "Finance"],
        )
        == []
    )


def test_expected_names_are_never_flagged() -> None:
    """The reviewed team's name is what a reviewer is meant to write: it is neither a team name
    nor two capitalised words that look like a person."""
    comment = "Team Aurora explains it well; in Team Beacon we do it the other way."
    warnings = check_comment(
        comment,
        handles=[],
        team_names=["Team Beacon"],
        departments=[],
        expected=["Team Aurora"],
    )
    assert [(w.kind, w.text) for w in warnings] == [("team_name", "Team Beacon")]
