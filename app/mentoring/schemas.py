"""Mentoring bodies, one per audience: leads (`Programme`, `MentorApplicationRow`, runs),
applicants (`ProgrammePublic`, `MyApplication`, `MyPair`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from app.challenges.schemas import SkillName
from app.errors import rule_error
from app.kit.validation import MAX_INT32, Email
from app.mentoring.vocabulary import (
    Answer,
    Cadence,
    Guidance,
    PairMode,
    Phase,
    Role,
    RunStatus,
    Selection,
    SessionStatus,
    Slot,
    SpokenLanguage,
)

HandleLanguage = SpokenLanguage


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _distinct(values: list[Any]) -> list[Any]:
    """Sets sent as lists: repeats are dropped, the first order kept."""
    return list(dict.fromkeys(values))


class ProgrammeSchedule(_Strict):
    applications_open_at: datetime | None = None
    applications_close_at: datetime | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None

    @model_validator(mode="after")
    def _increasing_and_aware(self) -> ProgrammeSchedule:
        in_order = (
            self.applications_open_at,
            self.applications_close_at,
            self.starts_at,
            self.ends_at,
        )
        dates = [d for d in in_order if d is not None]
        if any(d.tzinfo is None for d in dates):
            raise rule_error("needs_time_zone", "dates need a time zone, e.g. 2026-12-01T09:00:00Z")
        if any(later <= earlier for earlier, later in pairwise(dates)):
            raise rule_error(
                "schedule_order",
                "dates must be in order: applications open, applications close, start, end",
            )
        return self


Topics = Annotated[list[SkillName], Field(min_length=1, max_length=20), AfterValidator(_distinct)]
GuidanceLevels = Annotated[
    list[Guidance], Field(min_length=1, max_length=3), AfterValidator(_distinct)
]
SessionCount = Annotated[int, Field(ge=1, le=24, description="Sessions each pair holds")]


class ProgrammeCreate(_Strict):
    title: str = Field(min_length=3, max_length=200)
    purpose: str = Field(min_length=1, max_length=5_000)
    topics: Topics
    guidance_levels: GuidanceLevels = ["discover", "deepen", "exploit"]
    session_count: SessionCount = 6
    cadence: Cadence = "monthly"
    pair_mode: PairMode = Field(
        default="reverse",
        description="reverse: the mentor is of a younger generation than the mentee; "
        "mutual: each teaches the other",
    )
    training_required: bool = False
    training_collection_id: uuid.UUID | None = Field(
        default=None, description="The learning library's collection mentors must complete"
    )
    schedule: ProgrammeSchedule = ProgrammeSchedule()
    handle_language: HandleLanguage | None = Field(
        default=None, description="The language every handle is drawn in; left out: yours"
    )


class ProgrammeUpdate(_Strict):
    """Only the fields sent change; `revision` guards against overwriting someone's edit."""

    revision: int | None = None
    title: str | None = Field(default=None, min_length=3, max_length=200)
    purpose: str | None = Field(default=None, min_length=1, max_length=5_000)
    topics: Topics | None = None
    guidance_levels: GuidanceLevels | None = None
    session_count: SessionCount | None = None
    cadence: Cadence | None = None
    pair_mode: PairMode | None = None
    training_required: bool | None = None
    training_collection_id: uuid.UUID | None = None
    schedule: ProgrammeSchedule | None = None

    @model_validator(mode="after")
    def _null_only_where_allowed(self) -> ProgrammeUpdate:
        nullable = {"revision", "training_collection_id", "schedule"}
        nulls = sorted(n for n in self.model_fields_set - nullable if getattr(self, n) is None)
        if nulls:
            raise rule_error(
                "cannot_be_null",
                "{fields} cannot be null; leave a field out to keep it",
                fields=", ".join(nulls),
            )
        return self


class ProgrammePhaseChange(_Strict):
    phase: Phase


class ProgrammePublic(BaseModel):
    id: uuid.UUID
    title: str
    purpose: str
    topics: list[str]
    guidance_levels: list[str]
    session_count: int
    cadence: Cadence
    pair_mode: PairMode
    training_required: bool
    training_collection_id: uuid.UUID | None
    schedule: ProgrammeSchedule
    phase: Phase
    phase_waiting_reason: str | None
    applied: bool
    my_handle: str | None
    leading: bool = Field(description="You are one of its leads")


class Programme(ProgrammePublic):
    """The leads' view."""

    revision: int
    handle_language: HandleLanguage
    created_by_me: bool
    mentor_applications: int
    mentee_applications: int
    accepted_mentors: int


class ProgrammeSummary(BaseModel):
    id: uuid.UUID
    title: str
    topics: list[str]
    pair_mode: PairMode
    phase: Phase
    schedule: ProgrammeSchedule
    applied: bool
    leading: bool


class Lead(BaseModel):
    account_id: uuid.UUID
    display_name: str
    email: str
    creator: bool
    you: bool


class LeadAdd(_Strict):
    email: Email | None = None
    account_id: uuid.UUID | None = None


class Taught(_Strict):
    skill: SkillName
    level: int = Field(ge=1, le=4, description="1 discover … 4 masters it, can teach it")


class Wanted(_Strict):
    skill: SkillName
    level: int = Field(ge=1, le=3, description="Where you are now: 1 never used … 3 uses it")
    guidance: Guidance


def _one_claim_per_skill(claims: list[Any]) -> list[Any]:
    skills = [claim.skill for claim in claims]
    if len(set(skills)) != len(skills):
        raise rule_error("duplicate_skill", "each skill may appear once")
    return claims


class ApplicationIn(_Strict):
    role: Role = Field(description="both: only in mutual programmes")
    teaches: Annotated[
        list[Taught],
        Field(default_factory=list, max_length=20),
        AfterValidator(_one_claim_per_skill),
    ]
    wants: Annotated[
        list[Wanted],
        Field(default_factory=list, max_length=20),
        AfterValidator(_one_claim_per_skill),
    ]
    languages: Annotated[
        list[SpokenLanguage], Field(min_length=1, max_length=3), AfterValidator(_distinct)
    ]
    availability: Annotated[
        list[Slot], Field(min_length=1, max_length=10), AfterValidator(_distinct)
    ]
    capacity: int | None = Field(default=None, ge=1, le=3, description="Mentors: 1-3 mentees")
    note: str = Field(default="", max_length=500)


class MyApplication(BaseModel):
    programme_id: uuid.UUID
    handle: str
    role: Role
    teaches: list[Taught]
    wants: list[Wanted]
    languages: list[SpokenLanguage]
    availability: list[Slot]
    capacity: int | None
    note: str
    selection: Selection = Field(description="Mentors: the lead's decision")
    training_passed: bool | None = Field(
        description="Mentors of a programme that requires training: the library's answer when "
        "you last applied or checked; null when not asked"
    )


class MentorApplicationRow(BaseModel):
    """A mentor application as its lead sees it: a handle and coarse attributes, never a name."""

    pseudonym: uuid.UUID
    handle: str
    role: Role
    cohort: str | None
    teaches: list[Taught]
    wants: list[Wanted]
    languages: list[SpokenLanguage]
    availability: list[Slot]
    capacity: int | None
    note: str
    selection: Selection
    training_passed: bool | None = Field(
        description="Only when the programme requires training: yes / no / null (unknown)"
    )


class SelectionIn(_Strict):
    selection: Selection


class MatchWeights(_Strict):
    skill: int = Field(default=10, ge=0, le=1000)
    gap: int = Field(default=3, ge=0, le=1000)
    department: int = Field(default=2, ge=0, le=1000)
    availability: int = Field(default=1, ge=0, le=1000)


class RunStart(_Strict):
    weights: MatchWeights = MatchWeights()
    time_limit_s: float = Field(default=5.0, gt=0, le=60)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)


class Member(BaseModel):
    pseudonym: uuid.UUID
    handle: str
    cohort: str | None


class SharedSkill(BaseModel):
    """A skill one member teaches the other: the teacher's level above the learner's."""

    skill: str
    taught_by: str = Field(description="mentor or mentee (mutual programmes)")
    teacher_level: int
    learner_level: int
    guidance: Guidance


class ScoreParts(BaseModel):
    skills: int = Field(description="Skills taught across the pair")
    gap: int = Field(description="Generations between them")
    departments_differ: bool
    shared_slots: int
    score: int


class ProposedPair(BaseModel):
    mentor: Member
    mentee: Member
    skills: list[SharedSkill]
    parts: ScoreParts


class Unmatched(BaseModel):
    pseudonym: uuid.UUID
    handle: str
    side: str = Field(description="mentor or mentee")
    reason: str


class Proposal(BaseModel):
    objective: float
    upper_bound: float
    pairs: list[ProposedPair]
    unmatched: list[Unmatched]


class MatchRunOut(BaseModel):
    id: uuid.UUID
    programme_id: uuid.UUID
    status: RunStatus
    progress: float
    best_objective: float | None
    weights: MatchWeights
    time_limit_s: float
    seed: int
    created_at: datetime
    error: str | None
    proposal: Proposal | None


class Swap(_Strict):
    mentee: uuid.UUID
    mentor: uuid.UUID | None = Field(description="null: leave the mentee unmatched")


class PoolState(BaseModel):
    """After publishing, as the lead sees it: counts, and handles of who waits for a pair."""

    pairs_waiting_for_answers: int
    pairs_accepted: int
    pairs_declined: int
    waiting_mentors: list[str]
    waiting_mentees: list[str]


class Reveal(BaseModel):
    you: bool = Field(description="You agreed to show your name to your partner")
    partner: bool
    both: bool


class MyPair(BaseModel):
    pair_id: uuid.UUID
    my_role: str
    partner_handle: str
    partner_generation: str | None
    skills: list[SharedSkill]
    my_answer: Answer
    partner_answer: Answer
    reveal: Reveal
    reminded_at: datetime | None = Field(
        default=None,
        description="You have not met for five weeks: the app reminded you both then",
    )


class AnswerIn(_Strict):
    answer: Literal["accepted", "declined"]


class RevealIn(_Strict):
    reveal: bool


class PartnerName(BaseModel):
    """Your partner's name and e-mail, shown only once you both agreed (never to a lead)."""

    display_name: str
    email: str


# The plan (the first session's template)

_PlanText = Annotated[str, Field(max_length=2000)]


class GoalIn(_Strict):
    id: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{12}$",
        description="Keep an existing goal's id to keep its check-in history; omit for a new one",
    )
    text: str = Field(min_length=1, max_length=300)
    guidance: Guidance


class Goal(BaseModel):
    id: str
    text: str
    guidance: Guidance


class PlanPartIn(_Strict):
    interests: _PlanText = ""
    knowledge: _PlanText = ""
    shortcomings: _PlanText = ""
    goals: list[GoalIn] = Field(default_factory=list, max_length=10)


class PlanPart(BaseModel):
    interests: str
    knowledge: str
    shortcomings: str
    goals: list[Goal]


class PlanIn(_Strict):
    revision: int = Field(
        ge=0, le=MAX_INT32, description="The revision you edited (0: there was no plan yet)"
    )
    mentor: PlanPartIn
    mentee: PlanPartIn


class PlanOut(BaseModel):
    """The pair's plan: for each member, what they bring and what they want to reach."""

    revision: int = Field(description="0 while nobody has written the plan yet")
    mentor: PlanPart
    mentee: PlanPart
    updated_at: datetime | None


# Sessions


class SessionIn(_Strict):
    starts_at: datetime
    minutes: int = Field(ge=15, le=480)
    place: str | None = Field(default=None, min_length=1, max_length=200)
    video_url: str | None = Field(default=None, pattern=r"^https://\S+$", max_length=500)


class SessionAnswerIn(_Strict):
    answer: Literal["accepted", "declined"]


class PairSessionOut(BaseModel):
    id: uuid.UUID
    starts_at: datetime
    minutes: int
    place: str | None
    video_url: str | None
    status: SessionStatus
    proposed_by_me: bool
    sequence: int = Field(description="Rises with every change (the calendar event's SEQUENCE)")
    held: bool = Field(description="Accepted and over: check-ins are open")
    my_check_in: bool
    partner_check_in: bool


# Check-ins


class CheckInIn(_Strict):
    covered: str = Field(min_length=1, max_length=2000)
    goal_progress: dict[str, Annotated[int, Field(ge=1, le=5)]] = Field(
        description="Progress on each goal of the plan (goal id -> 1-5)"
    )
    next_step: str = Field(min_length=1, max_length=1000)
    rating: int = Field(ge=1, le=5, description="How it went, 1-5")


class CheckInOut(BaseModel):
    session_id: uuid.UUID
    by_me: bool
    covered: str
    goal_progress: dict[str, int]
    next_step: str
    rating: int
    created_at: datetime


# The confidential journal


class JournalEntryIn(_Strict):
    text: str = Field(min_length=1, max_length=5000)


class JournalEntryOut(BaseModel):
    id: uuid.UUID
    by_me: bool
    text: str
    created_at: datetime


class Journal(BaseModel):
    """The pair's journal, opened for one of its two members."""

    entries: list[JournalEntryOut]
    shredded: bool = Field(description="The journal was deleted at the programme's end")


class JournalExport(BaseModel):
    """Everything in the journal, to keep before it is shredded."""

    programme_title: str
    exported_at: datetime
    entries: list[JournalEntryOut]


class JournalSummary(BaseModel):
    """What a lead sees of a pair's journal: that it exists, and how many entries."""

    journals_kept: int = Field(description="Pairs whose journal holds at least one entry")
    entries: int


# Monthly progress for the lead

Count = int | None


class MonthlyMeetings(BaseModel):
    month: str = Field(description="YYYY-MM, an ended month")
    pairs: Count = Field(description="Pairs running that month (null: under k)")
    met: Count
    not_met: Count
    sessions_planned: Count
    sessions_held: Count
    complement: list[str] = Field(
        default_factory=list,
        description="The fields hidden (null) only so that a small one cannot be worked out "
        "(complementary suppression); any other null is under k",
    )


class GoalProgressRow(BaseModel):
    month: str
    guidance: Guidance
    total: Count
    by_rating: dict[str, Count] = Field(description="'1'..'5' -> check-in ratings of goals")
    complement: list[str] = Field(
        default_factory=list,
        description="The ratings hidden only so that a small cell cannot be worked out; any "
        "other null is under k",
    )


class ProgrammeProgress(BaseModel):
    """Counts over ended months, never about a person or a pair: every cell under k is
    hidden (null), with complementary suppression."""

    k: int
    months: list[MonthlyMeetings]
    goal_progress: list[GoalProgressRow]
    journals: JournalSummary


# On record: what a person's mentoring holds about them (GET /me/record, GET /me/export)


class PairRecord(BaseModel):
    """Your pair as your record says it: what the pair view shows you, and counts."""

    my_role: Role
    partner_handle: str
    my_answer: Answer
    partner_answer: Answer
    you_reveal: bool = Field(description="You agreed to show your name to your partner")
    names_shown: bool = Field(description="You both agreed: each can read the other's name")
    plan_goals: int = Field(description="Goals in the pair's plan, both sides")
    sessions: int = Field(description="Sessions proposed, accepted, declined or cancelled")
    held_sessions: int
    my_check_ins: int
    journal_entries: int = Field(description="Entries in the pair's journal, both members'")
    journal_shredded: bool


class ProgrammeRecord(BaseModel):
    """One mentoring programme you applied to, under your pseudonym there."""

    programme_id: uuid.UUID
    programme_title: str
    programme_phase: Phase
    handle: str
    role: Role
    selection: Selection
    training_passed: bool | None
    pair: PairRecord | None


class PairExport(BaseModel):
    """What the export adds to your pair's record: the texts the two of you share and your
    own. Your partner's check-ins and journal entries are theirs, so they are not in it."""

    partner_name: str | None = Field(description="Only once you both agreed to show names")
    plan: PlanOut | None
    sessions: list[PairSessionOut]
    my_check_ins: list[CheckInOut]
    my_journal_entries: list[JournalEntryOut]


class ProgrammeExport(BaseModel):
    record: ProgrammeRecord
    application: MyApplication
    pair: PairExport | None
