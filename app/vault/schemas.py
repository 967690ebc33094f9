"""The vault's public data shapes (also the /me and /admin API schemas)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from app.errors import rule_error
from app.kit.validation import Email

Role = Literal["participant", "facilitator", "admin"]
Language = Literal["en", "fr", "es"]
AccountStatus = Literal["invited", "active", "disabled"]

# One rule for every birth year the vault receives (sign-up, the profile, an invitation, a CSV
# import), and the bounds the forms offer (GET /api/v1/auth/profile-rules): someone of working
# age, from BIRTH_YEAR_YOUNGEST_AGE to BIRTH_YEAR_OLDEST_AGE years old this year.
BIRTH_YEAR_OLDEST_AGE = 100
BIRTH_YEAR_YOUNGEST_AGE = 14
YEARS_EXPERIENCE_MAX = 70


def birth_year_bounds(today: date | None = None) -> tuple[int, int]:
    """The earliest and the latest birth year accepted (inclusive), computed each time: the
    bounds move on the first of January without a restart."""
    year = (today or date.today()).year
    return year - BIRTH_YEAR_OLDEST_AGE, year - BIRTH_YEAR_YOUNGEST_AGE


def _birth_year_in_bounds(year: int) -> int:
    earliest, latest = birth_year_bounds()
    if not earliest <= year <= latest:
        raise rule_error(
            "out_of_range",
            "birth year must be between {min} and {max}",
            min=earliest,
            max=latest,
        )
    return year


BirthYear = Annotated[
    int,
    Field(
        description=f"From {BIRTH_YEAR_OLDEST_AGE} to {BIRTH_YEAR_YOUNGEST_AGE} years ago "
        "(GET /api/v1/auth/profile-rules gives the years; else 422 out_of_range)"
    ),
    AfterValidator(_birth_year_in_bounds),
]
YearsExperience = Annotated[int, Field(ge=0, le=YEARS_EXPERIENCE_MAX)]
DeclaredCohort = Annotated[
    str, Field(max_length=32, description="For people who prefer not to give a birth year")
]
DisplayName = Annotated[str, Field(min_length=1, max_length=100)]
Department = Annotated[str, Field(min_length=1, max_length=100)]


class Bounds(BaseModel):
    min: int
    max: int


class ProfileRules(BaseModel):
    """The bounds the server applies to profile numbers, for forms to offer the same ones."""

    birth_year: Bounds = Field(description="Inclusive; they move with the calendar year")
    years_experience: Bounds


def profile_rules() -> ProfileRules:
    earliest, latest = birth_year_bounds()
    return ProfileRules(
        birth_year=Bounds(min=earliest, max=latest),
        years_experience=Bounds(min=0, max=YEARS_EXPERIENCE_MAX),
    )


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ProfileFields(_Strict):
    """Personal fields, all optional except name and email on creation."""

    birth_year: BirthYear | None = None
    declared_cohort: DeclaredCohort | None = None
    years_experience: YearsExperience | None = None
    department: Department | None = None
    manager_email: Email | None = None

    @model_validator(mode="after")
    def _one_way_to_a_cohort(self) -> ProfileFields:
        if self.birth_year is not None and self.declared_cohort is not None:
            raise rule_error(
                "birth_year_or_cohort", "give a birth year or a declared generation, not both"
            )
        return self


class NewProfile(ProfileFields):
    display_name: DisplayName
    email: Email
    language: Language = "en"


class ProfileUpdate(_Strict):
    """Only the fields sent are changed; send null to clear an optional field."""

    display_name: DisplayName | None = None
    email: Email | None = None
    birth_year: BirthYear | None = None
    declared_cohort: DeclaredCohort | None = None
    years_experience: YearsExperience | None = None
    department: Department | None = None
    manager_email: Email | None = None
    language: Language | None = None


class Profile(BaseModel):
    """Everything the vault holds about a person, decrypted for an authorised reader."""

    account_id: uuid.UUID
    display_name: str
    email: str
    birth_year: int | None
    declared_cohort: str | None
    cohort: str | None = Field(description="Derived generation cohort (what the app sees)")
    years_experience: int | None
    seniority_band: str | None = Field(description="Derived band (what the app sees)")
    department: str | None
    manager_email: str | None
    language: Language
    roles: list[Role]
    status: AccountStatus


class SessionInfo(BaseModel):
    session_id: uuid.UUID
    account_id: uuid.UUID
    roles: list[Role]
    language: Language
    csrf_token: str
    # Without another request first: the absolute expiry, or the idle limit after it was last
    # seen, whichever comes first.
    ends_at: datetime


class ParticipantAttributes(BaseModel):
    """What the app database may learn about a person joining one challenge: coarse labels."""

    pseudonym: uuid.UUID
    # Drawn by this very call: no row of the app database can name it yet.
    drawn_now: bool = False
    cohort: str | None
    seniority_band: str | None
    department_tag: str | None = Field(
        description="HMAC of the department under a per-challenge key: equality only"
    )
    language: Language


RecordAudience = Literal[
    "you",
    "admins_logged",
    "admins",
    "nobody",
    "nobody_irreversible",
    "team_handle",
    "facilitators_groups",
    "formation",
    "reviewed_team",
    "mentoring_partner",
]


class LessonNotes(BaseModel):
    """A person's own notes on a lesson's reflection task (sealed in the vault, theirs only)."""

    lesson_id: uuid.UUID
    translation_group: uuid.UUID
    text: str
    updated_at: datetime
    first_written_at: datetime | None = Field(
        default=None,
        description="When the notes were first saved (kept through later saves; absent from "
        "notes saved before it was kept): the month a person started the lesson, for counts",
    )


class QuizAttemptRecord(BaseModel):
    """One graded quiz attempt, kept in the vault for the person who made it."""

    lesson_id: uuid.UUID
    translation_group: uuid.UUID
    version: int = Field(description="The lesson version whose quiz was answered")
    answers: list[list[int]] = Field(description="The chosen choices, per question")
    correct: list[bool] = Field(description="Whether each question was answered correctly")
    score: int = Field(description="Percent of the questions answered correctly")
    passed: bool
    submitted_at: datetime


class LearningRecord(BaseModel):
    """Everything the vault keeps of one person's learning: notes and attempts, oldest first."""

    notes: list[LessonNotes]
    attempts: list[QuizAttemptRecord]


class RecordItem(BaseModel):
    key: str = Field(
        description="Stable name of the item (display_name, email, password, pseudonyms, ...): "
        "a client says it in its reader's language"
    )
    item: str = Field(description="The item in English (for developers)")
    stored_in: Literal["vault database", "app database", "browser"]
    encrypted: bool
    visible_to: list[str] = Field(description="Who can see it, in English (for developers)")
    audience: list[RecordAudience] = Field(description="Who can see it, as stable codes")
    value: str | None = Field(description="Your current value, when it is one value")
    codes: list[str | None] | None = Field(
        default=None,
        description="The value as codes, where it is codes: roles; a language; [cohort, band]",
    )
    count: int | None = Field(default=None, description="How many, where the item counts")


class AuditEntry(BaseModel):
    """One kind of read of your identity by one reader on one day, and how many times."""

    occurred_at: datetime = Field(description="The first of these reads that day")
    last_occurred_at: datetime = Field(description="The latest of these reads that day")
    day: date = Field(description="The day (UTC) of these reads")
    count: int = Field(ge=1, description="How many times this reader read it this way that day")
    actor_role: str
    action: str = Field(
        description="The kind of read: list_accounts, update_account, read_profile, export..."
    )
    reason: str
    actor_is_you: bool


class AccountSummary(BaseModel):
    account_id: uuid.UUID
    display_name: str | None = Field(description="None once the account was erased")
    email: str | None
    roles: list[Role]
    status: AccountStatus
    created_at: datetime


class FacilitatorIdentity(BaseModel):
    """Who is behind one facilitator pseudonym of a challenge (for its fellow facilitators)."""

    pseudonym: uuid.UUID
    account_id: uuid.UUID
    display_name: str
    email: str


class AccountAdminUpdate(_Strict):
    roles: list[Role] | None = Field(default=None, min_length=1)
    disabled: bool | None = None


class InvitationCreate(NewProfile):
    role: Role = "participant"


class InvitationPrefill(BaseModel):
    """An invitation's details as the administrator entered them, for its holder's form."""

    display_name: str
    email: str
    language: Language


class InvitationCreated(BaseModel):
    account_id: uuid.UUID
    invitation_code: str = Field(description="Give it to the person; shown only once")
    expires_at: datetime
