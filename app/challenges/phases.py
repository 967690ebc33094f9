"""The phase machine: draft -> enrolment -> teamwork -> review -> closed.

A phase starts when its date passes (the background ticker enters it; a read shows it at once,
computed from the dates, and writes nothing) or when a facilitator moves it; either way the
same guards apply, and a phase whose guard fails waits, with the reason shown. Phases never go
backwards: review tokens and locked submissions depend on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

PHASES = ("draft", "enrolment", "teamwork", "review", "closed")
PHASE_DATE = {
    "enrolment": "enrolment_opens_at",
    "teamwork": "teamwork_starts_at",
    "review": "review_starts_at",
    "closed": "closes_at",
}


@dataclass(frozen=True)
class Readiness:
    """What the guards need to know about a challenge."""

    published: bool
    teams_with_members: int
    final_submissions: int


def index(phase: str) -> int:
    return PHASES.index(phase)


def guard(next_phase: str, readiness: Readiness) -> str | None:
    """Why the challenge cannot enter `next_phase` now, or None."""
    if next_phase == "enrolment" and not readiness.published:
        return "Publish the challenge to open enrolment."
    if next_phase == "teamwork" and readiness.teams_with_members == 0:
        return "Teamwork starts once teams exist: form teams or let people create them."
    if next_phase == "review" and readiness.final_submissions < 2:
        return "Reviews start once at least two teams have submitted a final solution."
    return None


def due_steps(current: str, dates: dict[str, datetime | None], now: datetime) -> list[str]:
    """The phases after `current` whose start date has passed, in order."""
    steps = []
    for phase in PHASES[index(current) + 1 :]:
        start = dates.get(PHASE_DATE[phase])
        if start is None or start > now:
            break
        steps.append(phase)
    return steps
