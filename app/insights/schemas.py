"""The insights answer: every count is already suppressed (None: fewer than k)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class MonthRow(BaseModel):
    month: str = Field(description="YYYY-MM: the month enrolment closed")
    total: int | None = Field(description="Participants that month; null when fewer than k")
    by_cohort: dict[str, int | None] = Field(
        description="Participants by generation; null when hidden (fewer than k, or hidden so "
        "that a hidden cell cannot be recovered from the totals)"
    )
    complement: list[str] = Field(
        default_factory=list,
        description="The generations hidden (null) only so that a small cell cannot be worked out "
        "(complementary suppression); any other null is fewer than k",
    )


class DepartmentMonthRow(BaseModel):
    month: str = Field(description="YYYY-MM: the month enrolment closed")
    total: int | None = Field(description="Participants that month; null when fewer than k")
    by_department: dict[str, int | None] = Field(
        description="Participants by department, every department of the organisation; null "
        "when hidden (fewer than k, none, or hidden so that a hidden cell cannot be recovered "
        "from the total)"
    )
    not_given: int | None = Field(description="Participants with no department; null: hidden")
    former: int | None = Field(
        description="Participants from a department no profile names any more; null: hidden"
    )
    complement: list[str] = Field(
        default_factory=list,
        description="The departments (or `not_given`, `former`) hidden (null) only so that a "
        "small cell cannot be worked out (complementary suppression); any other null is fewer "
        "than k",
    )


class Share(BaseModel):
    total: int | None = Field(description="The whole (teams or people); null when hidden")
    count: int | None = Field(description="Those with the property; null when hidden")
    complement: list[str] = Field(
        default_factory=list,
        description="`count` when hidden (null) only so that a small cell cannot be worked out "
        "(complementary suppression); any other null is fewer than k",
    )


class SkillCount(BaseModel):
    skill: str
    teach: int | None
    learn: int | None


class TrackFigure(BaseModel):
    track: Literal["discover", "deepen", "exploit"]
    teams: int | None = Field(description="Teams with members")
    completed: int | None = Field(description="Teams with a final submission")
    complement: list[str] = Field(
        default_factory=list,
        description="`completed` when hidden (null) only so that a small cell cannot be worked out "
        "(complementary suppression); any other null is fewer than k",
    )
    reviews: int | None = Field(description="Released reviews counted for the median")
    median_score: float | None = Field(
        description="Median of each released review's mean score; null under k reviews"
    )


class Insights(BaseModel):
    k: int
    scope: Literal["organisation", "facilitated"]
    through: str | None = Field(
        description="YYYY-MM: the last ended month the figures cover (null: none yet)"
    )
    cohorts: list[str] = Field(description="The generation columns of `participation`")
    participation: list[MonthRow]
    departments: list[str] = Field(description="The department columns of the next table")
    participation_by_department: list[DepartmentMonthRow]
    teams_with_three_generations: Share
    cross_generation_contact: Share
    skills: list[SkillCount]
    tracks: list[TrackFigure]
