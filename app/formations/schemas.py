"""Formation bodies (facilitators only: pseudonyms, handles, coarse labels — never names)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Weights(BaseModel):
    """One slider per criterion (0 switches it off)."""

    model_config = ConfigDict(extra="forbid")

    generations: float = Field(default=10, ge=0, le=100)
    cross_generation_pairs: float = Field(default=1, ge=0, le=100)
    skill_coverage: float = Field(default=3, ge=0, le=100)
    same_department_pairs: float = Field(default=2, ge=0, le=100)
    together: float = Field(default=1, ge=0, le=100)
    seniority_bands: float = Field(default=0, ge=0, le=100)


class FormationStart(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weights: Weights = Weights()
    time_limit_s: float = Field(default=10, ge=1, le=60)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    reporting_levels: int = Field(
        default=2,
        ge=0,
        le=4,
        description="Keep people apart from their manager (1), also their manager's manager "
        "(2, the default), and so on; 0 switches it off",
    )


class Move(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pseudonym: uuid.UUID
    to_team: int = Field(
        ge=0, le=100_000, description="Index of the proposed team to move the person to"
    )


class FormationChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    moves: list[Move] = Field(min_length=1, max_length=200)


class ProposedMember(BaseModel):
    pseudonym: uuid.UUID
    handle: str
    cohort: str | None
    seniority_band: str | None
    teaches: list[str]
    wants: list[str]


class ProposedTeam(BaseModel):
    index: int
    members: list[ProposedMember]
    metrics: dict[str, Any] = Field(
        description="cohorts, seniority_bands, skills_covered, skills_uncovered, departments, "
        "same_department_pairs, score"
    )


class Proposal(BaseModel):
    objective: float
    upper_bound: float
    violations: int
    overall: dict[str, Any]
    teams: list[ProposedTeam]


class Formation(BaseModel):
    id: uuid.UUID
    challenge_id: uuid.UUID
    status: Literal["running", "done", "failed", "published"]
    progress: float = Field(description="0..1")
    best_objective: float | None
    weights: Weights
    time_limit_s: float
    seed: int
    reporting_levels: int
    created_at: datetime
    error: str | None
    proposal: Proposal | None


class PublishedTeam(BaseModel):
    id: uuid.UUID
    name: str
