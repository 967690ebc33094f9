"""The signed-in rating bodies: a subject's key and release, the issuance of one token (the
anonymous rating bodies are in app/redemption/schemas.py)."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.kit.encoding import BASE64_PATTERN


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RatingKeyOut(BaseModel):
    key_id: str = Field(description="Hex SHA-256 of the public key's SubjectPublicKeyInfo")
    jwk: dict[str, str]
    spki: str = Field(description="Base64 SubjectPublicKeyInfo DER (what blindrsa-ts imports)")


class RatingRelease(BaseModel):
    """Nothing before there are `minimum` ratings; then the figures and the comments in random
    order, with no date and nobody named."""

    state: Literal["fewer_than_minimum", "released"]
    minimum: int
    count: int | None
    mean: float | None = Field(description="Rounded to one decimal")
    distribution: dict[str, int | None] = Field(
        description="Stars (1-5) -> count; null: hidden, a small cell (or its complement)"
    )
    comments: list[str]


class LessonRating(BaseModel):
    subject_id: uuid.UUID = Field(
        description="The lesson's translation group: one rating per person in any language"
    )
    key: RatingKeyOut | None = Field(description="null until the lesson has a rating key")
    taken: bool = Field(description="You wrote notes or answered the quiz (in any language)")
    issued: bool = Field(description="You already received your one rating token")
    release: RatingRelease


class RatingTokenRequest(_Strict):
    key_id: str = Field(min_length=64, max_length=64, pattern=r"^[0-9a-f]{64}$")
    blinded_message: str = Field(
        max_length=1024, pattern=BASE64_PATTERN, description="base64 (standard or URL-safe)"
    )


class RatingTokenResponse(BaseModel):
    key_id: str
    blind_signature: str = Field(description="base64url")


class IdeaRating(BaseModel):
    subject_id: uuid.UUID = Field(description="The idea entry")
    key: RatingKeyOut | None = Field(description="null until the entry has a rating key")
    may_rate: bool = Field(description="You are not of the team that proposed it")
    issued: bool = Field(description="You already received your one rating token")
    release: RatingRelease


class QuestionRelease(BaseModel):
    question: Literal["sessions_useful", "pairing_fit", "recommend"]
    count: int
    mean: float = Field(description="Rounded to one decimal")
    distribution: dict[str, int | None] = Field(
        description="Stars (1-5) -> count; null: hidden, a small cell (or its complement)"
    )


class SurveyRelease(BaseModel):
    """Nothing, not even a count, before there are `minimum` answers; then each question's
    figures and the comments in random order. Never an answer as it was given."""

    state: Literal["fewer_than_minimum", "released"]
    minimum: int
    count: int | None
    questions: list[QuestionRelease]
    comments: list[str]


SurveyPoint = Literal["midpoint", "end"]


class FeedbackSurvey(BaseModel):
    """One of a programme's two surveys as a reader of the programme sees it."""

    point: SurveyPoint
    subject_id: uuid.UUID = Field(description="The survey, as its rating tokens name it")
    open: bool = Field(description="Its lead opened it: answers may be given")
    closed: bool = Field(description="Its lead closed it: no more tokens or answers")
    key: RatingKeyOut | None = Field(description="null until the survey opens")
    member: bool = Field(description="You are in one of the programme's accepted pairs")
    issued: bool = Field(description="You already received your one token for this survey")


class SurveyResults(BaseModel):
    """What a lead reads of one survey: whether it is open, and its aggregate release."""

    point: SurveyPoint
    open: bool
    closed: bool = Field(description="Closed: every answer given was written, none is taken")
    release: SurveyRelease
