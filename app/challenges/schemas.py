"""Challenge bodies, one per audience: facilitators (`Challenge`), participants (`...Public`)."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from app.challenges import phases
from app.errors import rule_error
from app.kit.validation import Email

Phase = Literal["draft", "enrolment", "teamwork", "review", "closed"]
Track = Literal["discover", "deepen", "exploit"]
FormationMode = Literal["optimised", "self_formed"]
HandleLanguage = Literal["en", "fr", "es"]
_HANDLE_LANGUAGE = (
    "The language every participant's handle is drawn in (one for the whole challenge: "
    "handles in each person's own language would tell who chose which)"
)
SkillLevel = Annotated[
    int,
    Field(
        ge=0,
        le=4,
        description="0 none, 1 discover (never used it), 2 deepen (uses it a little), "
        "3 exploit (uses it, not to its full potential), 4 mentor (masters it, can teach it)",
    ),
]
_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(value: str) -> str:
    slug = _SLUG.sub("_", value.strip().lower()).strip("_")
    if not slug:
        raise rule_error("needs_letter_or_digit", "needs at least one letter or digit")
    return slug


Tag = Annotated[str, Field(min_length=1, max_length=40), AfterValidator(_slug)]
SkillName = Annotated[str, Field(min_length=1, max_length=50), AfterValidator(_slug)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Criterion(_Strict):
    id: Annotated[str, Field(min_length=1, max_length=40), AfterValidator(_slug)]
    title: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=1000)
    scale_min: int = Field(default=1, ge=0, le=1)
    scale_max: int = Field(default=5, ge=2, le=10)
    descriptors: dict[int, Annotated[str, Field(max_length=300)]] = Field(
        default_factory=dict,
        description="What each score means, e.g. {1: 'not yet', 5: 'outstanding'}",
    )

    @model_validator(mode="after")
    def _descriptors_in_scale(self) -> Criterion:
        outside = [s for s in self.descriptors if not self.scale_min <= s <= self.scale_max]
        if outside:
            raise rule_error(
                "descriptor_outside_scale",
                "descriptor scores are outside the scale {min}..{max}",
                min=self.scale_min,
                max=self.scale_max,
            )
        return self


Rubric = Annotated[list[Criterion], Field(min_length=1, max_length=10)]


def _unique_criteria(rubric: list[Criterion]) -> list[Criterion]:
    ids = [criterion.id for criterion in rubric]
    if len(set(ids)) != len(ids):
        raise rule_error("duplicate_criterion", "criterion ids must be unique")
    return rubric


class TeamSize(_Strict):
    min: int = Field(ge=2, le=20)
    target: int = Field(ge=2, le=20)
    max: int = Field(ge=2, le=20)

    @model_validator(mode="after")
    def _ordered(self) -> TeamSize:
        if not self.min <= self.target <= self.max:
            raise rule_error("team_sizes_order", "team sizes must satisfy min <= target <= max")
        return self


class Schedule(_Strict):
    enrolment_opens_at: datetime | None = None
    teamwork_starts_at: datetime | None = None
    review_starts_at: datetime | None = None
    closes_at: datetime | None = None

    # Pydantic runs an "after" validator on every instance a model receives too (each summary
    # of a challenge list): read the fields, do not dump the model.
    @model_validator(mode="after")
    def _increasing_and_aware(self) -> Schedule:
        in_order = (
            self.enrolment_opens_at,
            self.teamwork_starts_at,
            self.review_starts_at,
            self.closes_at,
        )
        dates = [d for d in in_order if d is not None]
        if any(d.tzinfo is None for d in dates):
            raise rule_error("needs_time_zone", "dates need a time zone, e.g. 2026-12-01T09:00:00Z")
        if any(later <= earlier for earlier, later in pairwise(dates)):
            raise rule_error(
                "schedule_order", "phase dates must be in order: enrolment, teamwork, review, close"
            )
        return self


class ChallengeCreate(_Strict):
    title: str = Field(min_length=3, max_length=200)
    brief: str = Field(min_length=1, max_length=20_000, description="Markdown")
    tags: list[Tag] = Field(default_factory=list, max_length=10)
    track: Track
    team_size: TeamSize = TeamSize(min=3, target=5, max=6)
    formation_mode: FormationMode = "optimised"
    rubric: Annotated[Rubric, AfterValidator(_unique_criteria)]
    review_k: int = Field(default=3, ge=3, le=50, description="Reviews needed before release")
    schedule: Schedule = Schedule()
    handle_language: HandleLanguage | None = Field(
        default=None, description=_HANDLE_LANGUAGE + "; left out: the creator's language"
    )


def _not_nullable(schema: dict[str, Any]) -> None:
    """Document the fields that may be left out but not sent as null."""
    for name, prop in schema.get("properties", {}).items():
        if name in _NULLABLE_IN_UPDATE or "anyOf" not in prop:
            continue
        kept = [option for option in prop.pop("anyOf") if option != {"type": "null"}]
        prop.pop("default", None)
        if len(kept) == 1:
            prop.update(kept[0])
        else:
            prop["anyOf"] = kept


_NULLABLE_IN_UPDATE = frozenset({"revision", "schedule"})


class ChallengeUpdate(_Strict):
    """Only the fields sent change. `revision` guards against overwriting someone's edit."""

    # Every field is optional, but a challenge always has a title, a brief, a track...: null is
    # refused (422) rather than written, which the database would refuse with a 500.
    model_config = ConfigDict(json_schema_extra=_not_nullable)

    @model_validator(mode="after")
    def _null_only_where_allowed(self) -> ChallengeUpdate:
        nulls = sorted(
            name
            for name in self.model_fields_set - _NULLABLE_IN_UPDATE
            if getattr(self, name) is None
        )
        if nulls:
            raise rule_error(
                "cannot_be_null",
                "{fields} cannot be null; leave a field out to keep it",
                fields=", ".join(nulls),
            )
        return self

    revision: int | None = Field(default=None, description="The revision you edited")
    title: str | None = Field(default=None, min_length=3, max_length=200)
    brief: str | None = Field(default=None, min_length=1, max_length=20_000)
    tags: list[Tag] | None = Field(default=None, max_length=10)
    track: Track | None = None
    team_size: TeamSize | None = None
    formation_mode: FormationMode | None = None
    rubric: Annotated[Rubric, AfterValidator(_unique_criteria)] | None = None
    review_k: int | None = Field(default=None, ge=3, le=50)
    schedule: Schedule | None = None
    published: bool | None = Field(default=None, description="Visible to participants")
    handle_language: HandleLanguage | None = Field(
        default=None, description=_HANDLE_LANGUAGE + "; fixed once enrolment opens"
    )


class PhaseChange(_Strict):
    phase: Phase


class ChallengeSummary(BaseModel):
    id: uuid.UUID
    title: str
    tags: list[str]
    track: Track
    phase: Phase
    published: bool
    formation_mode: FormationMode
    schedule: Schedule
    enrolled: bool
    facilitating: bool = Field(
        description="You are one of its facilitators (its creator or a co-facilitator)"
    )
    participant_count: int

    def expires_at(self) -> datetime | None:
        """The phase shown is computed from the dates: it changes when the next phase's date
        passes (a guard that holds it past that date is lifted by a write)."""
        later = phases.PHASES[phases.index(self.phase) + 1 :]
        return getattr(self.schedule, phases.PHASE_DATE[later[0]]) if later else None


class ChallengePublic(BaseModel):
    """What participants see."""

    id: uuid.UUID
    title: str
    brief: str
    brief_html: str
    tags: list[str]
    track: Track
    team_size: TeamSize
    formation_mode: FormationMode
    rubric: list[Criterion]
    review_k: int
    phase: Phase
    phase_waiting_reason: str | None
    schedule: Schedule
    enrolled: bool
    my_handle: str | None
    my_team_id: uuid.UUID | None
    participant_count: int


class Challenge(ChallengePublic):
    """What facilitators see."""

    published: bool
    revision: int
    handle_language: HandleLanguage = Field(description=_HANDLE_LANGUAGE)
    created_by_me: bool
    team_count: int
    final_submission_count: int


class SkillClaim(_Strict):
    skill: SkillName
    level: SkillLevel


class EnrolmentIn(_Strict):
    teach: list[SkillClaim] = Field(default_factory=list, max_length=20)
    learn: list[SkillClaim] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _no_repeats(self) -> EnrolmentIn:
        for claims in (self.teach, self.learn):
            names = [claim.skill for claim in claims]
            if len(set(names)) != len(names):
                raise rule_error("duplicate_skill", "each skill once per list")
        return self


class Enrolment(BaseModel):
    challenge_id: uuid.UUID
    handle: str
    teach: list[SkillClaim]
    learn: list[SkillClaim]
    team_id: uuid.UUID | None


_HIDDEN_IN_ROW = (
    "None: hidden, because the distributions hide its cell (fewer than k people, or a cell "
    "that would give one back); 'not_given' when the person gave none"
)


class ParticipantView(BaseModel):
    """A participant as facilitators see them: pseudonymous, coarse labels only, and only the
    labels whose cells the distributions show."""

    pseudonym: uuid.UUID
    handle: str
    cohort: str | None = Field(description=_HIDDEN_IN_ROW)
    seniority_band: str | None = Field(description=_HIDDEN_IN_ROW)
    teach: list[SkillClaim] = Field(description="Only skills whose teacher count is shown")
    learn: list[SkillClaim] = Field(description="Only skills whose learner count is shown")
    team_id: uuid.UUID | None


class SkillBalance(BaseModel):
    skill: str
    teachers: int | None = Field(description="None: fewer than k, hidden")
    learners: int | None


class Distributions(BaseModel):
    k: int
    total: int | None
    by_cohort: dict[str, int | None]
    by_seniority_band: dict[str, int | None]
    skills: list[SkillBalance]


class ParticipantsOverview(BaseModel):
    items: list[ParticipantView]
    next_cursor: str | None
    distributions: Distributions


class FacilitatorAdd(BaseModel):
    """Someone with the facilitator role, by e-mail or by account id (exactly one)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: Email | None = None
    account_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> FacilitatorAdd:
        if (self.email is None) == (self.account_id is None):
            raise rule_error("email_or_account", "give an email or an account_id, not both")
        return self


class Facilitator(BaseModel):
    """One of a challenge's facilitators, as its fellow facilitators see them."""

    account_id: uuid.UUID
    display_name: str
    email: str
    creator: bool = Field(description="Created the challenge (cannot be removed)")
    you: bool
