"""Lessons and collections as PDFs: read back with pypdf, as a reader's viewer would see them."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from app.kit import pdf
from app.kit.pdf import (
    LessonText,
    PdfDocument,
    PdfPart,
    PdfQuestion,
    collection_document,
    lesson_document,
    render_document,
)


def _read(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def _pages(reader: PdfReader) -> list[str]:
    # Non-breaking spaces (code blocks, French punctuation) read as plain spaces here.
    return [" ".join(page.extract_text().replace("\u00a0", " ").split()) for page in reader.pages]


def _text(data: bytes) -> str:
    return " ".join(_pages(_read(data)))


def _links(reader: PdfReader) -> list[str]:
    links = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and action.get("/S") == "/URI":
                links.append(str(action["/URI"]))
    return links


def _assert_in_order(text: str, fragments: list[str]) -> None:
    position = 0
    for fragment in fragments:
        found = text.find(fragment, position)
        assert found >= 0, f"{fragment!r} missing after {text[:position][-60:]!r}"
        position = found + len(fragment)


def _internal_link_pages(reader: PdfReader, page_index: int) -> list[int]:
    """The page numbers (from 1) that the links on one page lead to."""
    pages = [page.indirect_reference for page in reader.pages]
    targets = []
    for annotation in reader.pages[page_index].get("/Annots") or []:
        destination = annotation.get_object().get("/Dest")
        if destination is not None:
            targets.append(pages.index(destination[0]) + 1)
    return targets


def _document(markdown: str, *, language: str = "en", title: str = "A lesson") -> bytes:
    return render_document(
        PdfDocument(title=title, language=language, parts=[PdfPart("Part", markdown)])
    )


LESSON = LessonText(
    title="Listening before advising",
    summary="Why a mentor asks *first*.",
    body="## The habit\n\nAsk two questions before any advice.\n\n- Notice\n- Ask\n",
    task="Which advice did you give too soon this week?",
    case_study="A new hire and a veteran trade roles for a day.",
    questions=[
        ("What comes first?", ["A question", "Advice", "A rule"]),
        ("When is advice welcome?", ["When asked", "Always"]),
    ],
)


def test_a_lesson_prints_its_title_sections_and_quiz_in_order() -> None:
    text = _text(
        render_document(lesson_document(LESSON, language="en", subtitle="Discover · English"))
    )
    expected = [
        "Listening before advising",
        "Discover · English",
        "Why a mentor asks first.",
        "The habit",
        "Ask two questions before any advice.",
        "Notice",
        "Ask",
        "Reflection task",
        "Which advice did you give too soon this week?",
        "Case study",
        "A new hire and a veteran trade roles for a day.",
        "Quiz",
        "Take this quiz in the app",
        "1. What comes first?",
        "☐ A question",
        "☐ Advice",
        "☐ A rule",
        "2. When is advice welcome?",
        "☐ When asked",
    ]
    _assert_in_order(text, expected)


def test_sections_without_text_are_left_out() -> None:
    bare = LessonText("Bare", "Only a summary.", "Body.", task="", case_study=" ", questions=())
    text = _text(render_document(lesson_document(bare, language="en")))
    assert "Body." in text
    for label in ("Reflection task", "Case study", "Quiz", "Contents"):
        assert label not in text


@pytest.mark.parametrize(
    ("language", "sample"),
    [
        ("fr", "« Œuvre » : l’été à Noël – déjà vu — où ça… ç à â é è ê ë î ï ô ù û ü ÿ æ"),
        ("es", "¿Qué pasó? ¡Año señal! — «niño» … á é í ó ú ü ñ Ñ"),
    ],
)
def test_french_and_spanish_text_is_extracted_intact(language: str, sample: str) -> None:
    data = render_document(
        PdfDocument(
            title=sample,
            language=language,
            parts=[PdfPart(sample, f"{sample}\n\n- {sample}\n\n| {sample} |\n|---|\n| x |\n")],
        )
    )
    text = _text(data)
    assert text.count(sample) >= 4  # title, heading, paragraph, list item (and the footer)
    assert _read(data).metadata.title == sample


def test_french_and_spanish_labels_and_page_numbers() -> None:
    french = _pages(_read(render_document(lesson_document(LESSON, language="fr"))))
    assert "Exercice de réflexion" in french[0]
    assert "Étude de cas" in french[0]
    assert "Répondez à ce quiz dans l’application :" in french[0]
    assert [re.findall(r"Page \d+ sur \d+", page) for page in french] == [
        [f"Page {number} sur {len(french)}"] for number in range(1, len(french) + 1)
    ]
    spanish = _pages(_read(render_document(lesson_document(LESSON, language="es"))))
    assert "Tarea de reflexión" in spanish[0]
    assert "Cuestionario" in spanish[0]
    assert f"Página 1 de {len(spanish)}" in spanish[0]


def test_every_page_says_its_number_and_the_count() -> None:
    paragraphs = "\n\n".join(f"Paragraph {n} of a long lesson, said plainly." for n in range(300))
    pages = _pages(_read(_document(paragraphs)))
    assert len(pages) > 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page


def test_markup_in_the_text_prints_literally() -> None:
    # Markdown itself decodes entities (`&amp;` is "&", as on the web page); plain-text fields
    # (title, headings, questions) print them as typed.
    tricky = "Use <b>bold</b> & <font size=40>big</font> &amp; <br/> literally"
    data = render_document(
        PdfDocument(
            title="<b>Title</b> &amp; co",
            subtitle="<i>sub</i> &",
            language="en",
            parts=[
                PdfPart(
                    "<b>Heading</b> &",
                    tricky,
                    questions=[PdfQuestion("<b>Q</b> &", ["<i>x</i> &"])],
                )
            ],
        )
    )
    text = _text(data)
    assert "<b>Title</b> &amp; co" in text
    assert "<i>sub</i> &" in text
    assert "<b>Heading</b> &" in text
    assert "Use <b>bold</b> & <font size=40>big</font> & <br/> literally" in text
    assert "1. <b>Q</b> &" in text
    assert "☐ <i>x</i> &" in text


def test_raw_html_and_code_print_as_text() -> None:
    source = (
        "<script>alert(1)</script>\n\n"
        "Inline `<b>code</b> & more` here.\n\n"
        "```\nif a < b and c > d:\n    return '&amp;'\n```\n"
    )
    text = _text(_document(source))
    assert "<script>alert(1)</script>" in text
    assert "<b>code</b> & more" in text
    assert "if a < b and c > d:" in text
    assert "return '&amp;'" in text


def test_only_web_and_mail_links_are_clickable() -> None:
    source = (
        "[site](https://example.org/a?b=1&c=2) [mail](mailto:team@example.org) "
        "[script](javascript:alert(1)) [shouty](JAVASCRIPT:alert(2)) [data](data:text/html,x) "
        "[relative](/library/lessons) [file](file:///etc/passwd)"
    )
    reader = _read(_document(source))
    assert sorted(_links(reader)) == ["https://example.org/a?b=1&c=2", "mailto:team@example.org"]
    # The refused links still print their text.
    text = " ".join(_pages(reader))
    assert "relative" in text
    assert "file" in text


def test_lists_quotes_and_rules_keep_their_text_in_order() -> None:
    source = (
        "1. first\n2. second\n   - nested bullet\n     1. deeper\n3. third\n\n"
        "Then:\n\n5. five\n6. six\n\n"
        "> quoted **words**\n>\n> - quoted item\n\n"
        "---\n\n"
        "after the rule"
    )
    text = _text(_document(source))
    expected = [
        "1. first",
        "2. second",
        "nested bullet",
        "1. deeper",
        "3. third",
        "5. five",
        "6. six",
        "quoted words",
        "quoted item",
        "after the rule",
    ]
    _assert_in_order(text, expected)


def test_tables_print_every_cell() -> None:
    source = (
        "| Level | Who | Hours |\n|:--|:-:|--:|\n"
        "| Discover | Élodie | 2 |\n| Deepen | Ñandú | 12 |\n| Exploit | *x* | 40 |\n"
    )
    text = _text(_document(source))
    for cell in ("Level", "Who", "Hours", "Discover", "Élodie", "Deepen", "Ñandú", "12", "40"):
        assert cell in text
    assert text.index("Discover") < text.index("Deepen") < text.index("Exploit")


def test_a_table_too_wide_to_read_prints_row_by_row() -> None:
    columns = 30
    source = (
        "|" + "|".join(f"h{n}" for n in range(columns)) + "|\n"
        "|" + "---|" * columns + "\n"
        "|" + "|".join(f"v{n}" for n in range(columns)) + "|\n"
    )
    text = _text(_document(source))
    assert "h0 · h1 · h2" in text
    assert "v28 · v29" in text


def test_a_table_cell_longer_than_a_page_splits_across_pages() -> None:
    source = "| Notes |\n|---|\n| " + "a very long cell " * 1500 + "|\n| last row |\n"
    reader = _read(_document(source))
    assert len(reader.pages) > 2
    assert "last row" in _pages(reader)[-1]


def test_a_collection_has_contents_and_starts_each_lesson_on_a_new_page() -> None:
    lessons = [
        LessonText(
            title=f"Lesson {name}",
            summary=f"Summary {name}.",
            body=f"Body of lesson {name}.",
            task="Think.",
            case_study="A case.",
            questions=[("Why?", ["Because", "Just so"])],
        )
        for name in ("one", "two", "three")
    ]
    data = collection_document(
        "Mentor training: the right posture",
        lessons,
        language="en",
        subtitle="Deepen · English",
        description="Three lessons on *posture*.",
    )
    reader = _read(render_document(data))
    pages = _pages(reader)
    assert len(pages) >= 4
    contents = pages[0]
    assert "Mentor training: the right posture" in contents
    assert "Three lessons on posture." in contents
    assert "Contents" in contents
    starts = [
        next(
            number
            for number, page in enumerate(pages, start=1)
            if page.startswith(f"Lesson {name} Summary {name}.")
        )
        for name in ("one", "two", "three")
    ]
    assert starts == sorted(starts)
    assert 1 not in starts
    # The contents name each lesson, print the page it starts on and link to it (twice: the
    # title and the number).
    _assert_in_order(contents, ["Lesson one", "Lesson two", "Lesson three"])
    assert re.findall(r"\. (\d+)", contents) == [str(number) for number in starts]
    assert _internal_link_pages(reader, 0) == [start for start in starts for _ in range(2)]
    outline = [item["/Title"] for item in reader.outline if not isinstance(item, list)]
    assert outline == ["Lesson one", "Lesson two", "Lesson three"]


def test_a_single_lesson_has_no_contents_and_no_blank_first_page() -> None:
    document = PdfDocument(
        title="One chapter",
        language="en",
        parts=[PdfPart("Chapter", "Text right under the header.", level=1, page_break_before=True)],
    )
    pages = _pages(_read(render_document(document)))
    assert len(pages) == 1
    assert "Contents" not in pages[0]
    assert "Text right under the header." in pages[0]


def test_metadata_names_the_title_language_and_producer() -> None:
    reader = _read(
        render_document(lesson_document(LESSON, language="es", subtitle="Explotar · Español"))
    )
    metadata = reader.metadata
    assert metadata is not None
    assert metadata.title == "Listening before advising"
    assert metadata.subject == "Explotar · Español"
    assert metadata.producer == pdf.PRODUCER == "Peer-learning challenges"
    assert reader.trailer["/Root"]["/Lang"] == "es"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="language"):
        PdfDocument(title="x", language="de")
    with pytest.raises(ValueError, match="language"):
        lesson_document(LESSON, language="de")


def test_windows_line_endings_and_stray_controls() -> None:
    text = _text(_document("first line\r\nsecond line\r\n\r\nnext\x00paragraph\x07end"))
    assert "first line second line next\ufffdparagraph\ufffdend" in text


def test_a_long_document_renders() -> None:
    paragraphs = "\n\n".join(
        f"Paragraph {n}: *peer learning* works when **both** sides ask `why`." for n in range(200)
    )
    text = _text(_document(paragraphs))
    assert "Paragraph 0:" in text
    assert "Paragraph 199: peer learning works when both sides ask why." in text


def test_without_system_fonts_the_bundled_ones_still_cover_french_and_spanish(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pdf, "_FONT_DIRECTORIES", ())
    monkeypatch.setattr(pdf, "_registered", None)
    sample = "« Œuvre » l’été – déjà — où… ¿Año? ¡Ñandú!"
    data = render_document(
        PdfDocument(
            title="Fallback",
            language="fr",
            parts=[PdfPart(sample, sample, questions=[PdfQuestion("Q", ["oui", "non"])])],
        )
    )
    # The box comes from another font, so the reader may not see a space after it.
    text = _text(data).replace("❏ ", "❏")
    assert text.count(sample) == 2
    assert "❏oui" in text
    assert "❏non" in text


# Any text a facilitator can type renders; the worst it gets is a replacement character.
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300), st.text(max_size=40))
def test_any_text_renders(markdown: str, heading: str) -> None:
    data = render_document(
        PdfDocument(
            title=heading,
            language="en",
            parts=[PdfPart(heading, markdown, questions=[PdfQuestion(heading, [markdown])])],
        )
    )
    assert len(_read(data).pages) >= 1
