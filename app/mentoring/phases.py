"""A programme's phase machine: draft -> applications -> matching -> running -> closed.

The same pattern as a challenge's (app/challenges/phases.py): a phase starts when its date
passes (the background ticker enters it; a read shows it at once and writes nothing) or when a
lead moves it; the same guards apply either way, a phase whose guard fails waits with the
reason shown, and phases never go backwards. The guards:

- applications (date: `applications_open_at`): a programme that requires training names the
  library collection to pass, and the dates are complete enough to say when applications close;
- matching (date: `applications_close_at`): at least one person applied as a mentor (or both)
  and one as a mentee (or both): there is something to match;
- running (date: `starts_at`): at least one pair is published. Publishing a match moves the
  programme here itself; the date alone never starts a programme without pairs;
- closed (date: `ends_at`): nothing. A programme ends on its date, or when a lead ends it,
  whatever phase it reached: the guards of the phases it skips do not apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.mentoring.vocabulary import PHASES

PHASE_DATE = {
    "applications": "applications_open_at",
    "matching": "applications_close_at",
    "running": "starts_at",
    "closed": "ends_at",
}


@dataclass(frozen=True)
class Readiness:
    """What the guards need to know about a programme."""

    training_named: bool
    closing_date_set: bool
    mentor_applications: int
    mentee_applications: int
    published_pairs: int


def index(phase: str) -> int:
    return PHASES.index(phase)


def guard(next_phase: str, readiness: Readiness) -> str | None:
    """Why the programme cannot enter `next_phase` now, or None."""
    if next_phase == "applications":
        if not readiness.training_named:
            return "Name the training collection mentors must complete, or drop the requirement."
        if not readiness.closing_date_set:
            return "Set the date applications close."
    if next_phase == "matching" and (
        readiness.mentor_applications == 0 or readiness.mentee_applications == 0
    ):
        return "Matching starts once at least one mentor and one mentee have applied."
    if next_phase == "running" and readiness.published_pairs == 0:
        return "The programme runs once a match is published."
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
