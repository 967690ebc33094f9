"""Documents as tidy PDFs for reading offline: a title header, Markdown parts, quizzes to read.

What it renders: A4 pages with margins, a header on the first page (title, subtitle), the
parts in order, each a heading and a Markdown text in the dialect of `app/kit/markdown.py`
(CommonMark and tables): headings, paragraphs, emphasis, strong and inline code, links,
bullet and numbered lists (nested), block quotes, code blocks, tables and rules. A part may
carry quiz questions, printed numbered with a ☐ before each choice and never the answers (the
quiz is taken in the app). A document with several chapters (a collection's lessons) starts
with a table of contents; every document has PDF bookmarks, "Page 3 of 7" in the footer in its
language, and its title, subject, language (/Lang) and producer in the metadata.

What it refuses: raw HTML is text, never markup (markdown-it runs with html=False, and every
text run is escaped before ReportLab's Paragraph reads it, since that parses a mini-markup of
its own: `<b>` or `&amp;` in a lesson print as written). A link is clickable only for http,
https and mailto, the rule of the HTML sanitiser; any other target prints as its text. Images
are never fetched: their alternative text prints instead.

Why ReportLab: it is a well-kept library of pure-Python wheels that draws PDFs itself, where
WeasyPrint needs Pango and cairo from the system, which the slim runtime image has not. Its
built-in fonts are Latin-1 only, so the text is set in DejaVu Sans when the system has it
(☐ included), else in the Bitstream Vera fonts that ship inside ReportLab (French and Spanish,
œ, « », ’, – — … included; choices then take a box from the standard ZapfDingbats font).

Rendering is CPU work (tens of milliseconds a lesson): call `render_document` off the event
loop.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import reportlab
from markdown_it import MarkdownIt
from markdown_it.token import Token
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    Indenter,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

PRODUCER: Final = "Peer-learning challenges"

# ReportLab keeps each font's subsetting state in the font object, shared by every document
# being written; one render at a time keeps two requests from interleaving in it.
_render_lock = threading.Lock()

_MARGIN: Final = 22 * mm
# Platypus frames pad their content by 6 points on each side.
_TEXT_LEFT: Final = _MARGIN + 6
_TEXT_WIDTH: Final = A4[0] - 2 * _TEXT_LEFT
_LIST_INDENT: Final = 16.0
_QUOTE_INDENT: Final = 14.0
_NARROWEST_COLUMN: Final = 40.0

_INK = colors.HexColor("#1f2328")
_MUTED = colors.HexColor("#57606a")
_RULE = colors.HexColor("#d0d7de")
# Inline markup names colours as text.
_LINK_HEX: Final = "#0b5cad"
_SHADE_HEX: Final = "#f2f4f7"
_SHADE = colors.HexColor(_SHADE_HEX)

# The same dialect as app/kit/markdown.py: CommonMark and tables, raw HTML kept as text.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_LINK_SCHEMES: Final = frozenset({"http", "https", "mailto"})
# C0 controls other than tab and newline have no business in a page and trip ReportLab's
# markup parser.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class PdfQuestion:
    prompt: str
    choices: Sequence[str]


@dataclass(frozen=True, slots=True)
class PdfPart:
    """A heading and its Markdown. `level` 1 is a chapter (a lesson of a collection: listed in
    the table of contents), 2 a section within one."""

    heading: str
    markdown: str = ""
    level: int = 2
    page_break_before: bool = False
    questions: Sequence[PdfQuestion] = ()


@dataclass(frozen=True, slots=True)
class PdfDocument:
    title: str
    language: str
    subtitle: str = ""
    # Markdown printed under the title, before any contents: a lesson's summary, a
    # collection's description.
    summary: str = ""
    parts: Sequence[PdfPart] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        _labels(self.language)


@dataclass(frozen=True, slots=True)
class LessonText:
    """A lesson as plain values, for `lesson_document` and `collection_document`."""

    title: str
    summary: str
    body: str
    task: str
    case_study: str
    # (prompt, choices) per question; which choices are correct is never printed.
    questions: Sequence[tuple[str, Sequence[str]]] = ()


@dataclass(frozen=True, slots=True)
class _Labels:
    page: str
    contents: str
    task: str
    case_study: str
    quiz: str
    quiz_in_app: str


_LABELS: Final = {
    "en": _Labels(
        page="Page {page} of {pages}",
        contents="Contents",
        task="Reflection task",
        case_study="Case study",
        quiz="Quiz",
        quiz_in_app="Take this quiz in the app: that is where your answers are checked and "
        "explained.",
    ),
    "fr": _Labels(
        page="Page {page} sur {pages}",
        contents="Sommaire",
        task="Exercice de réflexion",
        case_study="Étude de cas",
        quiz="Quiz",
        quiz_in_app="Répondez à ce quiz dans l’application\u00a0: c’est là que vos réponses "
        "sont vérifiées et expliquées.",
    ),
    "es": _Labels(
        page="Página {page} de {pages}",
        contents="Índice",
        task="Tarea de reflexión",
        case_study="Caso práctico",
        quiz="Cuestionario",
        quiz_in_app="Responde a este cuestionario en la aplicación: allí se comprueban y se "
        "explican tus respuestas.",
    ),
}


def _labels(language: str) -> _Labels:
    try:
        return _LABELS[language]
    except KeyError:
        raise ValueError(f"unsupported language {language!r}") from None


def lesson_parts(lesson: LessonText, language: str, *, as_chapter: bool) -> list[PdfPart]:
    """A lesson's sections; as a chapter of a collection, led by its title and summary."""
    labels = _labels(language)
    parts = []
    if as_chapter:
        parts.append(PdfPart(lesson.title, lesson.summary, level=1, page_break_before=True))
    parts.append(PdfPart("", lesson.body))
    if lesson.task.strip():
        parts.append(PdfPart(labels.task, lesson.task))
    if lesson.case_study.strip():
        parts.append(PdfPart(labels.case_study, lesson.case_study))
    if lesson.questions:
        questions = [PdfQuestion(prompt, choices) for prompt, choices in lesson.questions]
        parts.append(PdfPart(labels.quiz, labels.quiz_in_app, questions=questions))
    return parts


def lesson_document(lesson: LessonText, *, language: str, subtitle: str = "") -> PdfDocument:
    return PdfDocument(
        title=lesson.title,
        subtitle=subtitle,
        language=language,
        summary=lesson.summary,
        parts=lesson_parts(lesson, language, as_chapter=False),
    )


def collection_document(
    title: str,
    lessons: Sequence[LessonText],
    *,
    language: str,
    subtitle: str = "",
    description: str = "",
) -> PdfDocument:
    """Each lesson on new pages, after a table of contents when there are several."""
    return PdfDocument(
        title=title,
        subtitle=subtitle,
        language=language,
        summary=description,
        parts=[
            part for lesson in lessons for part in lesson_parts(lesson, language, as_chapter=True)
        ],
    )


def render_document(document: PdfDocument) -> bytes:
    """The document as PDF bytes."""
    fonts = _fonts()
    styles = _Styles(fonts)
    labels = _labels(document.language)
    story, chapters = _story(document, styles, labels)
    buffer = io.BytesIO()
    template = _Template(
        buffer,
        pagesize=A4,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title=_clean(document.title),
        subject=_clean(document.subtitle),
        author=PRODUCER,
        creator=PRODUCER,
        producer=PRODUCER,
        lang=document.language,
        displayDocTitle=True,
    )
    footer = _Footer(fonts, _clean(document.title), labels.page)
    canvasmaker = partial(_FooterCanvas, footer=footer)
    with _render_lock:
        if chapters > 1:
            # The contents learn their page numbers from a first pass.
            template.multiBuild(story, canvasmaker=canvasmaker)
        else:
            template.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()


def _clean(text: str) -> str:
    """Text safe for ReportLab: lone surrogates (possible in JSON) and controls replaced."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARACTERS.sub("\ufffd", text)


def _markup(text: str) -> str:
    """Plain text as a ReportLab Paragraph prints it literally."""
    return escape(_clean(text))


# Fonts ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Fonts:
    sans: str
    sans_bold: str
    mono: str
    box: str  # the font that draws the choice box
    box_glyph: str


_FONT_DIRECTORIES: Final = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu
    Path("/usr/share/fonts/dejavu"),  # Alpine
    Path("/usr/share/fonts/dejavu-sans-fonts"),  # Fedora
    Path("/usr/share/fonts/dejavu-sans-mono-fonts"),
    Path("/usr/share/fonts/TTF"),  # Arch
)
_font_lock = threading.Lock()
_registered: _Fonts | None = None


def _fonts() -> _Fonts:
    global _registered
    with _font_lock:
        if _registered is None:
            _registered = _register_fonts()
        return _registered


def _find_font(name: str) -> Path | None:
    return next(
        (directory / name for directory in _FONT_DIRECTORIES if (directory / name).is_file()),
        None,
    )


def _register_family(family: str, files: Sequence[Path]) -> None:
    regular, bold, italic, bold_italic = (f"{family}{suffix}" for suffix in ("", "-B", "-I", "-BI"))
    for name, path in zip((regular, bold, italic, bold_italic), files, strict=True):
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        family, normal=regular, bold=bold, italic=italic, boldItalic=bold_italic
    )


def _register_fonts() -> _Fonts:
    dejavu = [
        _find_font(name)
        for name in (
            "DejaVuSans.ttf",
            "DejaVuSans-Bold.ttf",
            "DejaVuSans-Oblique.ttf",
            "DejaVuSans-BoldOblique.ttf",
        )
    ]
    dejavu_mono = _find_font("DejaVuSansMono.ttf")
    if all(dejavu):
        _register_family("DocSans", [path for path in dejavu if path is not None])
        mono = "Courier"
        if dejavu_mono is not None:
            _register_family("DocMono", [dejavu_mono] * 4)
            mono = "DocMono"
        return _Fonts("DocSans", "DocSans-B", mono, box="DocSans", box_glyph="☐")
    bundled = Path(reportlab.__file__).parent / "fonts"
    _register_family(
        "DocVera",
        [bundled / name for name in ("Vera.ttf", "VeraBd.ttf", "VeraIt.ttf", "VeraBI.ttf")],
    )
    # Courier is a standard font: its WinAnsi encoding covers French and Spanish text.
    return _Fonts("DocVera", "DocVera-B", "Courier", box="ZapfDingbats", box_glyph="❏")


# Styles ----------------------------------------------------------------------------------


class _Styles:
    def __init__(self, fonts: _Fonts) -> None:
        self.fonts = fonts
        base = ParagraphStyle(
            "body",
            fontName=fonts.sans,
            fontSize=10.5,
            leading=15,
            textColor=_INK,
            spaceAfter=6,
            alignment=TA_LEFT,
        )
        self.body = base
        self.title = ParagraphStyle(
            "title", parent=base, fontName=fonts.sans_bold, fontSize=22, leading=27, spaceAfter=4
        )
        self.subtitle = ParagraphStyle(
            "subtitle", parent=base, fontSize=11, leading=15, textColor=_MUTED, spaceAfter=0
        )
        self.lead = ParagraphStyle("lead", parent=base, fontSize=11.5, leading=16.5)
        sizes = {1: (17, 22, 14), 2: (14, 18, 12), 3: (12, 16, 9), 4: (11, 15, 8)}
        self.headings = {
            level: ParagraphStyle(
                f"h{level}",
                parent=base,
                fontName=fonts.sans_bold,
                fontSize=size,
                leading=leading,
                spaceBefore=before,
                spaceAfter=5,
            )
            for level, (size, leading, before) in sizes.items()
        }
        self.tight = ParagraphStyle("tight", parent=base, spaceAfter=2)
        self.quote = ParagraphStyle("quote", parent=base, textColor=_MUTED)
        self.code = ParagraphStyle(
            "code",
            parent=base,
            fontName=fonts.mono,
            fontSize=9,
            leading=12.5,
            backColor=_SHADE,
            borderPadding=5,
            leftIndent=5,
            rightIndent=5,
            spaceBefore=5,
            spaceAfter=11,
        )
        cell = ParagraphStyle("cell", parent=base, fontSize=9.5, leading=12.5, spaceAfter=0)
        self.cell = {
            (header, alignment): ParagraphStyle(
                "cell",
                parent=cell,
                fontName=fonts.sans_bold if header else fonts.sans,
                alignment=alignment,
            )
            for header in (False, True)
            for alignment in (TA_LEFT, TA_CENTER, TA_RIGHT)
        }
        self.question = ParagraphStyle(
            "question",
            parent=base,
            fontName=fonts.sans_bold,
            leftIndent=18,
            bulletIndent=0,
            bulletFontName=fonts.sans_bold,
            spaceBefore=6,
            spaceAfter=3,
        )
        self.choice = ParagraphStyle(
            "choice",
            parent=base,
            leftIndent=36,
            bulletIndent=20,
            bulletFontName=fonts.box,
            bulletFontSize=11 if fonts.box == "ZapfDingbats" else 12,
            spaceAfter=2,
        )
        self.contents = ParagraphStyle("contents", parent=base, spaceAfter=2, leading=16)


# The story ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Anchor:
    key: str
    text: str  # plain, for the bookmark
    markup: str  # escaped, for the contents
    outline_level: int
    in_contents: bool


class _Heading(Paragraph):
    """A heading that becomes a bookmark (and a contents entry) where it lands."""

    anchor: _Anchor | None = None

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        pieces = super().split(availWidth, availHeight)
        if pieces and isinstance(pieces[0], _Heading):
            pieces[0].anchor = self.anchor
        return pieces


def _story(document: PdfDocument, styles: _Styles, labels: _Labels) -> tuple[list[Flowable], int]:
    story: list[Flowable] = [Paragraph(_markup(document.title), styles.title)]
    if document.subtitle.strip():
        story.append(Paragraph(_markup(document.subtitle), styles.subtitle))
    story.append(HRFlowable(width="100%", thickness=0.8, color=_RULE, spaceBefore=8, spaceAfter=12))
    if document.summary.strip():
        story.extend(
            _Markdown(styles, heading_offset=1, paragraph=styles.lead).render(document.summary)
        )

    chapters = sum(1 for part in document.parts if part.level == 1)
    if chapters > 1:
        contents = TableOfContents(dotsMinLevel=0)
        contents.levelStyles = [styles.contents]
        story.extend(
            [Paragraph(_markup(labels.contents), styles.headings[2]), Spacer(1, 4), contents]
        )

    inside_chapter = False
    for index, part in enumerate(document.parts):
        # Only contents stand before a first page break; the header would otherwise be alone.
        if part.page_break_before and (index > 0 or chapters > 1):
            story.append(PageBreak())
        heading = part.heading.strip()
        if heading:
            paragraph = _Heading(_markup(heading), styles.headings[1 if part.level == 1 else 2])
            paragraph.anchor = _Anchor(
                key=f"part-{index}",
                text=_clean(heading),
                markup=_markup(heading),
                outline_level=1 if inside_chapter and part.level > 1 else 0,
                in_contents=part.level == 1,
            )
            story.extend([_keep_room(), paragraph])
        inside_chapter = inside_chapter or part.level == 1
        # Under no heading of its own (a lesson's body), the text's headings rank as sections.
        offset = part.level if heading else part.level - 1
        story.extend(_Markdown(styles, heading_offset=offset).render(part.markdown))
        story.extend(_questions(part.questions, styles))
    return story, chapters


def _keep_room() -> Flowable:
    """Goes before a heading: a new page unless a few lines fit under it. (keepWithNext would
    push a heading and a page-long paragraph after it to a new page, leaving a blank one.)"""
    return CondPageBreak(72)


def _questions(questions: Sequence[PdfQuestion], styles: _Styles) -> list[Flowable]:
    flowables: list[Flowable] = []
    for number, question in enumerate(questions, start=1):
        block: list[Flowable] = [
            Paragraph(_markup(question.prompt), styles.question, bulletText=f"{number}.")
        ]
        block.extend(
            Paragraph(_markup(choice), styles.choice, bulletText=styles.fonts.box_glyph)
            for choice in question.choices
        )
        flowables.append(KeepTogether(block))
    return flowables


class _Markdown:
    """Walks markdown-it's tokens into flowables. Headings start below `heading_offset`, the
    level of the part that holds the text."""

    def __init__(
        self, styles: _Styles, *, heading_offset: int, paragraph: ParagraphStyle | None = None
    ) -> None:
        self.styles = styles
        self.heading_offset = heading_offset
        self.paragraph = paragraph or styles.body
        self.tokens: list[Token] = []
        self.position = 0
        self.indent = 0.0
        self.quote_depth = 0
        self.list_depth = 0

    def render(self, source: str) -> list[Flowable]:
        if not source.strip():
            return []
        self.tokens = _MARKDOWN.parse(_clean(source))
        self.position = 0
        return self._blocks(until=None)

    def _next(self) -> Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def _blocks(self, until: str | None) -> list[Flowable]:
        flowables: list[Flowable] = []
        while self.position < len(self.tokens):
            token = self._next()
            kind = token.type
            if kind == until:
                break
            if kind == "paragraph_open":
                text = self._inline(self._next())
                self._next()  # paragraph_close
                if text.strip():
                    # A tight list's items are hidden paragraphs: set close together.
                    style = (
                        self.styles.quote
                        if self.quote_depth
                        else self.styles.tight
                        if token.hidden
                        else self.paragraph
                    )
                    flowables.append(Paragraph(text, style))
            elif kind == "heading_open":
                level = min(self.heading_offset + int(token.tag[1]), 4)
                text = self._inline(self._next())
                self._next()  # heading_close
                flowables.extend([_keep_room(), Paragraph(text, self.styles.headings[level])])
            elif kind in ("bullet_list_open", "ordered_list_open"):
                flowables.append(self._list(token))
            elif kind == "blockquote_open":
                self.quote_depth += 1
                self.indent += _QUOTE_INDENT
                inner = self._blocks(until="blockquote_close")
                self.indent -= _QUOTE_INDENT
                self.quote_depth -= 1
                flowables.extend(
                    [Indenter(left=_QUOTE_INDENT), *inner, Indenter(left=-_QUOTE_INDENT)]
                )
            elif kind in ("fence", "code_block"):
                flowables.append(self._code(token.content))
            elif kind == "table_open":
                flowables.append(self._table())
            elif kind == "hr":
                flowables.append(
                    HRFlowable(
                        width="100%", thickness=0.6, color=_RULE, spaceBefore=6, spaceAfter=10
                    )
                )
            elif kind == "html_block" and token.content.strip():
                # Unreachable with html=False; kept as text should the dialect ever change.
                flowables.append(Paragraph(_markup(token.content), self.paragraph))
        return flowables

    def _list(self, opening: Token) -> Flowable:
        ordered = opening.type == "ordered_list_open"
        closing = "ordered_list_close" if ordered else "bullet_list_close"
        self.list_depth += 1
        self.indent += _LIST_INDENT
        # ListFlowable takes ListItems, which the type stubs do not declare.
        items: list[Any] = []
        while self.position < len(self.tokens):
            token = self._next()
            if token.type == closing:
                break
            if token.type == "list_item_open":
                content = self._blocks(until="list_item_close") or [
                    Spacer(1, self.paragraph.leading)
                ]
                items.append(ListItem(content))
        self.indent -= _LIST_INDENT
        self.list_depth -= 1
        style: dict[str, Any] = {
            "leftIndent": _LIST_INDENT,
            "bulletFontName": self.styles.fonts.sans,
            "bulletFontSize": self.paragraph.fontSize,
            "bulletColor": _INK,
            "spaceAfter": 4,
        }
        if ordered:
            start = opening.attrGet("start")
            return ListFlowable(
                items,
                bulletType="1",
                start=int(start) if start is not None else 1,
                bulletFormat="%s.",
                bulletDedent="auto",
                **style,
            )
        bullet = "•" if self.list_depth % 2 == 0 else "–"
        return ListFlowable(items, bulletType="bullet", start=bullet, **style)

    def _code(self, source: str) -> Flowable:
        # An over-long line wraps where the page ends, as in a terminal: lines are cut to the
        # columns a monospaced font fits, and non-breaking spaces keep the indentation.
        style = self.styles.code
        room = _TEXT_WIDTH - self.indent - style.leftIndent - style.rightIndent
        advance = pdfmetrics.stringWidth("m", style.fontName, style.fontSize)
        columns = max(int(room // advance), 1)
        lines = [
            line[start : start + columns]
            for line in source.rstrip("\n").expandtabs(4).split("\n")
            for start in range(0, max(len(line), 1), columns)
        ]
        markup = "<br/>".join(_markup(line).replace(" ", "\u00a0") for line in lines)
        return Paragraph(markup or "\u00a0", style)

    def _table(self) -> Flowable:
        rows: list[list[Paragraph]] = []
        header_rows = 0
        in_header = False
        while self.position < len(self.tokens):
            token = self._next()
            if token.type == "table_close":
                break
            if token.type == "thead_open":
                in_header = True
            elif token.type == "thead_close":
                in_header = False
            elif token.type == "tr_open":
                rows.append([])
                header_rows += in_header
            elif token.type in ("th_open", "td_open"):
                style = self.styles.cell[token.type == "th_open", _alignment(token)]
                text = self._inline(self._next())
                self._next()  # th_close / td_close
                rows[-1].append(Paragraph(text, style))
        columns = max((len(row) for row in rows), default=1)
        width = (_TEXT_WIDTH - self.indent) / columns
        if width < _NARROWEST_COLUMN:
            # Too many columns to read side by side: one line per row, cells in order.
            return KeepTogether(
                [
                    Paragraph(" · ".join(cell.text for cell in row), self.styles.tight)
                    for row in rows
                ]
            )
        commands: list[tuple[Any, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.5, _RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]
        if header_rows:
            commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), _SHADE))
        table = Table(
            rows,
            colWidths=[width] * columns,
            repeatRows=header_rows,
            splitInRow=1,
            hAlign="LEFT",
            spaceBefore=4,
            spaceAfter=10,
        )
        table.setStyle(TableStyle(commands))
        return table

    def _inline(self, inline: Token) -> str:
        """An inline token's children as Paragraph markup, every text run escaped."""
        parts: list[str] = []
        open_links: list[bool] = []
        mono = self.styles.fonts.mono
        for child in inline.children or []:
            kind = child.type
            if kind == "text":
                parts.append(_markup(child.content))
            elif kind == "softbreak":
                parts.append(" ")
            elif kind == "hardbreak":
                parts.append("<br/>")
            elif kind == "code_inline":
                parts.append(
                    f'<font face="{mono}" backColor="{_SHADE_HEX}">{_markup(child.content)}</font>'
                )
            elif kind == "strong_open":
                parts.append("<b>")
            elif kind == "strong_close":
                parts.append("</b>")
            elif kind == "em_open":
                parts.append("<i>")
            elif kind == "em_close":
                parts.append("</i>")
            elif kind == "link_open":
                href = str(child.attrGet("href") or "")
                clickable = _is_safe_link(href)
                open_links.append(clickable)
                if clickable:
                    target = escape(href, {'"': "&quot;"})
                    parts.append(f'<a href="{target}" color="{_LINK_HEX}"><u>')
            elif kind == "link_close":
                if open_links.pop():
                    parts.append("</u></a>")
            else:
                # An image prints its alternative text (it is never fetched); anything else
                # the dialect may produce, its text.
                parts.append(_markup(child.content))
        return "".join(parts)


def _is_safe_link(href: str) -> bool:
    try:
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return False
    return scheme in _LINK_SCHEMES


def _alignment(cell: Token) -> int:
    declared = str(cell.attrGet("style") or "")
    if "right" in declared:
        return TA_RIGHT
    if "center" in declared:
        return TA_CENTER
    return TA_LEFT


# The page ----------------------------------------------------------------------------------


class _Template(SimpleDocTemplate):
    def afterFlowable(self, flowable: Flowable) -> None:
        anchor = flowable.anchor if isinstance(flowable, _Heading) else None
        if anchor is None:
            return
        self.canv.bookmarkPage(anchor.key)
        self.canv.addOutlineEntry(anchor.text, anchor.key, level=anchor.outline_level)
        if anchor.in_contents:
            self.notify("TOCEntry", (0, anchor.markup, self.page, anchor.key))


@dataclass(frozen=True, slots=True)
class _Footer:
    fonts: _Fonts
    title: str
    page_label: str

    def draw(self, canvas: Canvas, page: int, pages: int) -> None:
        size = 8.5
        label = self.page_label.format(page=page, pages=pages)
        label_width = pdfmetrics.stringWidth(label, self.fonts.sans, size)
        title = _fit(self.title, self.fonts.sans, size, _TEXT_WIDTH - label_width - 24)
        y = 12 * mm
        canvas.saveState()
        canvas.setStrokeColor(_RULE)
        canvas.setLineWidth(0.5)
        canvas.line(_TEXT_LEFT, y + 11, A4[0] - _TEXT_LEFT, y + 11)
        canvas.setFont(self.fonts.sans, size)
        canvas.setFillColor(_MUTED)
        canvas.drawString(_TEXT_LEFT, y, title)
        canvas.drawRightString(A4[0] - _TEXT_LEFT, y, label)
        canvas.restoreState()


def _fit(text: str, font: str, size: float, width: float) -> str:
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


class _FooterCanvas(Canvas):
    """Each page refers to a footer drawn only once the page count is known: PDF lets a page
    use a form defined later, so "of N" costs no second pass (and bookmarks keep their pages,
    which holding pages back until the end would break)."""

    def __init__(self, *args: Any, footer: _Footer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages = 0

    def showPage(self) -> None:
        self._pages += 1
        self.doForm(f"footer-{self._pages}")
        super().showPage()

    def save(self) -> None:
        for page in range(1, self._pages + 1):
            self.beginForm(f"footer-{page}")
            self._footer.draw(self, page, self._pages)
            self.endForm()
        super().save()
