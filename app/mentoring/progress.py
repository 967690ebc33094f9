"""The lead's monthly progress of a programme: counts over ended months, never about a person.

Per ended month: how many pairs (both members accepted) were running, how many of them met
(held at least one session that month) and how many did not; sessions planned that month and
held; and the progress check-ins gave goals, by the goals' guidance level. Nothing of the
current month shows, as insights do: reading before and after a pair meets shows no change
until the month ends, and then the month appears whole, its small cells hidden.

Every cell under k is hidden, with complementary suppression (app/kit/disclosure.py). Each
month's figures depend on that month alone, so a month already shown never changes. The
journals appear as two running counts (journals kept, entries), released by whole months only
when they moved by k or more: no journal text, no figure about one pair.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from app.db import AppDbSession
from app.kit.disclosure import (
    complementary,
    released_total,
    suppress_small_cells,
    suppress_table,
    suppress_total,
)
from app.kit.orm import utcnow
from app.mentoring import repository as repo
from app.mentoring.schemas import (
    GoalProgressRow,
    JournalSummary,
    MonthlyMeetings,
    ProgrammeProgress,
)
from app.mentoring.service import ProgrammeAccess
from app.mentoring.vocabulary import GUIDANCE_LEVELS

K = 5
RATINGS = ("1", "2", "3", "4", "5")


def _month(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def _months_between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last`, both included (YYYY-MM)."""
    year, month = int(first[:4]), int(first[5:])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


async def progress(db: AppDbSession, access: ProgrammeAccess) -> ProgrammeProgress:
    programme = access.programme
    current = _month(utcnow())
    pairs = await repo.accepted_pairs(db, programme.id)
    sessions = await repo.programme_sessions(db, programme.id)
    accepted_ids = {pair.id for pair in pairs}
    # Ended months from the first pair on; none after the programme's end.
    last = _month(programme.ends_at) if programme.ends_at is not None else current
    months = (
        [m for m in _months_between(min(_month(p.created_at) for p in pairs), last) if m < current]
        if pairs
        else []
    )

    met: dict[str, set[object]] = {m: set() for m in months}
    planned: Counter[str] = Counter()
    held: Counter[str] = Counter()
    for session in sessions:
        month = _month(session.starts_at)
        if month not in met or session.pair_id not in accepted_ids or session.status == "declined":
            continue
        planned[month] += 1
        if session.status == "accepted":
            held[month] += 1
            met[month].add(session.pair_id)

    rows = []
    for month in months:
        running = sum(_month(p.created_at) <= month for p in pairs)
        meeting_counts = {"met": len(met[month]), "not_met": running - len(met[month])}
        meetings = suppress_small_cells(meeting_counts, K)
        done_counts = {"held": held[month], "not_held": planned[month] - held[month]}
        done = suppress_small_cells(done_counts, K)
        shown_done = {"sessions_held": done["held"]}  # "not held" is not shown
        rows.append(
            MonthlyMeetings(
                month=month,
                pairs=suppress_total(running, K),
                met=meetings["met"],
                not_met=meetings["not_met"],
                sessions_planned=suppress_total(planned[month], K),
                sessions_held=done["held"],
                complement=complementary(meeting_counts, meetings, K)
                + complementary({"sessions_held": held[month]}, shown_done, K),
            )
        )

    ratings: dict[str, dict[str, Counter[str]]] = {
        m: {level: Counter() for level in GUIDANCE_LEVELS} for m in months
    }
    for check_in in await repo.programme_check_ins(db, programme.id):
        month = _month(check_in.created_at)
        if month not in ratings:
            continue
        for goal_id, rating in check_in.goal_progress.items():
            level = check_in.goal_guidance.get(goal_id)
            if level in ratings[month]:
                ratings[month][level][str(rating)] += 1
    goal_rows = []
    for month in months:
        table = {level: {r: ratings[month][level][r] for r in RATINGS} for level in GUIDANCE_LEVELS}
        cells, totals = suppress_table(table, K)
        goal_rows += [
            GoalProgressRow(
                month=month,
                guidance=level,
                total=totals[level],
                by_rating=cells[level],
                complement=complementary(table[level], cells[level], K),
            )
            for level in GUIDANCE_LEVELS
        ]

    return ProgrammeProgress(
        k=K, months=rows, goal_progress=goal_rows, journals=await _journals(db, access, months)
    )


async def _journals(db: AppDbSession, access: ProgrammeAccess, months: list[str]) -> JournalSummary:
    first_entry: dict[object, str] = {}
    entries: Counter[str] = Counter()
    for pair_id, created_at in await repo.journal_dates(db, access.programme.id):
        month = _month(created_at)
        entries[month] += 1
        first_entry[pair_id] = min(first_entry.get(pair_id, month), month)
    kept = Counter(first_entry.values())
    return JournalSummary(
        journals_kept=released_total([kept[m] for m in months], K),
        entries=released_total([entries[m] for m in months], K),
    )
