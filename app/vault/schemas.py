"""The vault's public data shapes (also the /me and /admin API schemas)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, model_validator

Role = Literal["participant", "facilitator", "admin"]
Language = Literal["en", "fr", "es"]
AccountStatus = Literal["invited", "active", "disabled"]
MAX_BIRTH_YEAR_AGE = 120


def _not_in_future(year: int) -> int:
    if year > date.today().year:
        raise ValueError("birth year is in the future")
    return year


BirthYear = Annotated[
    int, Field(ge=date.today().year - MAX_BIRTH_YEAR_AGE), AfterValidator(_not_in_future)
]
YearsExperience = Annotated[int, Field(ge=0, le=70)]
DeclaredCohort = Annotated[
    str, Field(max_length=32, description="For people who prefer not to give a birth year")
]
DisplayName = Annotated[str, Field(min_length=1, max_length=100)]
Department = Annotated[str, Field(min_length=1, max_length=100)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ProfileFields(_Strict):
    """Personal fields, all optional except name and email on creation."""

    birth_year: BirthYear | None = None
    declared_cohort: DeclaredCohort | None = None
    years_experience: YearsExperience | None = None
    department: Department | None = None
    manager_email: EmailStr | None = None

    @model_validator(mode="after")
    def _one_way_to_a_cohort(self) -> ProfileFields:
        if self.birth_year is not None and self.declared_cohort is not None:
            raise ValueError("give a birth year or a declared generation, not both")
        return self


class NewProfile(ProfileFields):
    display_name: DisplayName
    email: EmailStr
    language: Language = "en"


class ProfileUpdate(_Strict):
    """Only the fields sent are changed; send null to clear an optional field."""

    display_name: DisplayName | None = None
    email: EmailStr | None = None
    birth_year: BirthYear | None = None
    declared_cohort: DeclaredCohort | None = None
    years_experience: YearsExperience | None = None
    department: Department | None = None
    manager_email: EmailStr | None = None
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
    cohort: str | None
    seniority_band: str | None
    department_tag: str | None = Field(
        description="HMAC of the department under a per-challenge key: equality only"
    )
    language: Language


class RecordItem(BaseModel):
    item: str
    stored_in: Literal["vault database", "app database", "browser"]
    encrypted: bool
    visible_to: list[str]
    value: str | None = Field(description="Your current value, when it is one value")


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


class InvitationCreated(BaseModel):
    account_id: uuid.UUID
    invitation_code: str = Field(description="Give it to the person; shown only once")
    expires_at: datetime
