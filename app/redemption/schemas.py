"""The anonymous review path's bodies: a review with its token, receipts, the comment check."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.kit.encoding import BASE64_PATTERN


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Token(_Strict):
    key_id: str = Field(min_length=64, max_length=64, pattern=r"^[0-9a-f]{64}$")
    prepared_message: str = Field(
        max_length=1024, pattern=BASE64_PATTERN, description="base64 (standard or URL-safe)"
    )
    signature: str = Field(
        max_length=1024, pattern=BASE64_PATTERN, description="base64 (standard or URL-safe)"
    )


class ReviewIn(_Strict):
    token: Token
    submission_id: uuid.UUID
    scores: dict[str, int] = Field(description="criterion id -> score within its scale")
    comment: str = Field(default="", max_length=5000)


ReceiptState = Literal["committed", "pending", "unknown"]
RECEIPT_PATTERN = r"^[0-9a-f]{64}$"


class ReviewAccepted(BaseModel):
    state: ReceiptState = Field(
        description="pending: waiting in the mix, written later in a batch with others'"
    )
    receipt: str = Field(
        description="Hex SHA-256 of the token's prepared message: ask /reviews/receipts about it"
    )


class ReceiptsIn(_Strict):
    receipts: list[Annotated[str, Field(pattern=RECEIPT_PATTERN)]] = Field(
        min_length=1, max_length=100
    )


class Receipt(BaseModel):
    receipt: str
    state: ReceiptState = Field(
        description="committed: written; pending: waiting in this server's mix; unknown: not "
        "held here (never arrived, lost in a restart, or the round closed): send it again "
        "while the round is open"
    )


class ReceiptsOut(BaseModel):
    receipts: list[Receipt]


class CommentCheckIn(_Strict):
    token: Token
    submission_id: uuid.UUID
    comment: str = Field(max_length=5000)


class CommentWarning(BaseModel):
    kind: Literal[
        "email",
        "phone",
        "url_with_name",
        "handle",
        "name",
        "team_name",
        "department",
        "generation",
    ]
    text: str
    start: int
    end: int


class CommentCheck(BaseModel):
    warnings: list[CommentWarning]


Stars = Annotated[int, Field(ge=1, le=5)]


class RatingIn(_Strict):
    """A lesson or an idea takes `stars`; a programme survey takes `answers`, one per
    question. The token's key says which (a mismatch is refused)."""

    token: Token
    stars: Stars | None = None
    answers: dict[Literal["sessions_useful", "pairing_fit", "recommend"], Stars] | None = None
    comment: str = Field(default="", max_length=2000)


class RatingAccepted(BaseModel):
    state: ReceiptState = Field(
        description="pending: waiting in the mix, written later in a batch with others'"
    )
    receipt: str = Field(
        description="Hex SHA-256 of the token's prepared message: ask /ratings/receipts about it"
    )


class RatingCommentCheckIn(_Strict):
    token: Token
    comment: str = Field(max_length=2000)
