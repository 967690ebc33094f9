"""What the search takes from the domains and what it answers."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Kind = Literal["lesson", "idea"]
Level = Literal["discover", "deepen", "exploit"]
Language = Literal["en", "fr", "es"]


class SearchDocument(BaseModel):
    """A published item handed to the index by its domain (on publish; removed on unpublish).
    `summary` and `body` may be Markdown: they are reduced to plain text before indexing."""

    kind: Kind
    ref: uuid.UUID
    language: Language
    title: str = Field(max_length=300)
    summary: str = ""
    body: str = ""
    topics: list[str] = Field(default_factory=list)
    level: Level | None = None
    url: str = Field(max_length=300, description="Path of the item in the UI")


class SearchHit(BaseModel):
    kind: Kind
    ref: uuid.UUID
    language: str
    level: str | None
    topics: list[str]
    url: str
    title: str = Field(description="Plain title")
    title_html: str = Field(description="The title, escaped, with matches in <mark>")
    snippet_html: str = Field(description="An excerpt, escaped, with matches in <mark>")


class FacetCount(BaseModel):
    value: str
    count: int


class Facets(BaseModel):
    """Counts among all the results of the query with the current filters."""

    kind: list[FacetCount]
    topic: list[FacetCount]
    level: list[FacetCount]
    language: list[FacetCount]


class SearchResults(BaseModel):
    total: int
    counts_are_lower_bounds: bool = Field(
        description="More documents match than are counted: `total` and every facet count "
        'are those of the first 1,000 found (shown as "1,000+")'
    )
    page: int
    page_size: int
    hits: list[SearchHit]
    facets: Facets

    def expires_at(self) -> datetime | None:
        return None  # an index changes only by a write


class RelatedItem(BaseModel):
    kind: Kind
    ref: uuid.UUID
    language: str
    title: str
    url: str


class Passage(BaseModel):
    """A paragraph quoted from a document, with where to read it in full."""

    text: str = Field(description="The paragraph as plain text")
    text_html: str = Field(description="The paragraph, escaped, with the question's words marked")
    title: str
    kind: Kind
    ref: uuid.UUID
    language: str
    url: str = Field(description="Path of the document in the UI")
    anchor: str = Field(description="Id of the paragraph in the document's page, e.g. p-3")
    link: str = Field(description="url#anchor")


class Answer(BaseModel):
    passages: list[Passage] = Field(description="The 3 to 5 most relevant passages, best first")
