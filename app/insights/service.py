"""Insights: fixed breakdowns over ended months, every count suppressed under k.

Who sees what: an admin sees the organisation's figures, a facilitator (without the admin
role) those of the challenges they facilitate. Nobody else sees any (403). No filter, no date
range: the breakdowns are fixed, so two views of the same scope cannot be subtracted.

Time is the one axis a viewer controls (they can look again later), so everything counts
closed challenges only (nobody joins or leaves one any more: an erasure releases a person's
places in the challenges that are not closed), each in the month its review round closed (a
day the server wrote then; the challenge's own dates can be edited into the past until their
phase starts), and only months that have ended:
- participation is reported per month; a month appears whole once it has ended, with everyone
  in it from its first view, and never changes again (rows are suppressed each on their own);
- every other figure is a running count over those months, and a month's contribution joins
  the figures only once what has accumulated since the last move is 0 or at least k in every
  count shown together (`released_months`): reading before and after one person's activity
  shows no change, or a change of k or more.
"""

from __future__ import annotations

import statistics
import uuid
from collections import Counter, defaultdict
from datetime import date

from app.challenges import repository as challenges_repo
from app.challenges.models import TRACKS
from app.db import AppDbSession
from app.insights import repository as repo
from app.insights.errors import InsightsForbidden
from app.insights.schemas import (
    DepartmentMonthRow,
    Insights,
    MonthRow,
    Share,
    SkillCount,
    TrackFigure,
)
from app.kit.disclosure import (
    complementary,
    released_months,
    suppress_small_cells,
    suppress_table,
)
from app.kit.orm import utcnow
from app.vault import Identity

K = 5
TOP_SKILLS = 10
NOT_GIVEN = "not_given"
# The department table's two columns that are not departments; names go under "name:" so that
# no department name can collide with them.
NO_DEPARTMENT, FORMER_DEPARTMENT = "not_given", "former"


def _month(moment: date) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


async def _scope(db: AppDbSession, identity: Identity) -> tuple[str, set[uuid.UUID] | None]:
    if "admin" in identity.roles:
        return "organisation", None
    if "facilitator" in identity.roles:
        pseudonyms = await identity.pseudonyms()
        return "facilitated", await challenges_repo.facilitated_by(db, pseudonyms.values())
    raise InsightsForbidden()


def _share(batches: list[list[int]]) -> Share:
    """[with the property, without] per month -> the released, suppressed pair."""
    months = released_months(batches, K)
    yes = sum(b[0] for b in batches[:months])
    no = sum(b[1] for b in batches[:months])
    cells = suppress_small_cells({"yes": yes, "no": no}, K)
    total = yes + no
    return Share(
        total=total if total == 0 or total >= K else None,
        count=cells["yes"],
        complement=complementary({"count": yes}, {"count": cells["yes"]}, K),
    )


async def _participation_by_department(
    identity: Identity,
    people: list[repo.ParticipantRow],
    closed: dict[uuid.UUID, repo.ChallengeRow],
    closed_months: list[str],
) -> tuple[list[str], list[DepartmentMonthRow]]:
    """Participation by department, per month, counted by the vault from the opaque tags.

    Every department of the organisation is a column, and a zero is hidden like a small
    count: a department may be a handful of people, and neither "one of them took part" nor
    "none did" may show. Rows are suppressed each on their own, as for generations."""
    counts = await identity.vault.count_by_department(
        (_month(closed[p.challenge_id].closed_on), p.challenge_id, p.department_tag) for p in people
    )
    table = {
        month: {
            **{
                f"name:{name}": counts.named.get(month, Counter())[name]
                for name in counts.departments
            },
            NO_DEPARTMENT: counts.not_given[month],
            FORMER_DEPARTMENT: counts.former[month],
        }
        for month in closed_months
    }
    cells, totals = suppress_table(table, K, hide_zeros=True)
    rows = [
        DepartmentMonthRow(
            month=month,
            total=totals[month],
            by_department={name: cells[month][f"name:{name}"] for name in counts.departments},
            not_given=cells[month][NO_DEPARTMENT],
            former=cells[month][FORMER_DEPARTMENT],
            complement=[
                key.removeprefix("name:")  # a department's name, or not_given, former
                for key in complementary(table[month], cells[month], K, hide_zeros=True)
            ],
        )
        for month in closed_months
    ]
    return counts.departments, rows


async def insights(db: AppDbSession, identity: Identity) -> Insights:
    scope, only = await _scope(db, identity)
    current = _month(utcnow())
    closed = {
        c.id: c for c in await repo.closed_challenges(db, only) if _month(c.closed_on) < current
    }
    closed_months = sorted({_month(c.closed_on) for c in closed.values()})

    # Participation by generation, per month.
    people = await repo.participants(db, closed.keys())
    table: dict[str, Counter[str]] = {month: Counter() for month in closed_months}
    for person in people:
        table[_month(closed[person.challenge_id].closed_on)][person.cohort or NOT_GIVEN] += 1
    cells, totals = suppress_table(table, K)
    cohorts = sorted({c for row in table.values() for c in row}, key=lambda c: (c == NOT_GIVEN, c))
    participation = [
        MonthRow(
            month=month,
            total=totals[month],
            by_cohort={c: cells[month].get(c, 0) for c in cohorts},
            complement=complementary(table[month], cells[month], K),
        )
        for month in closed_months
    ]

    departments, by_department = await _participation_by_department(
        identity, people, closed, closed_months
    )

    # Everything else: running counts, released by batches of months.
    index = {month: i for i, month in enumerate(closed_months)}
    batch_of = {cid: index[_month(c.closed_on)] for cid, c in closed.items()}
    teams: dict[uuid.UUID, list[str | None]] = defaultdict(list)
    team_challenge: dict[uuid.UUID, uuid.UUID] = {}
    for person in people:
        if person.team_id is not None:
            teams[person.team_id].append(person.cohort)
            team_challenge[person.team_id] = person.challenge_id

    n = len(closed_months)
    three = [[0, 0] for _ in range(n)]
    contact = [[0, 0] for _ in range(n)]
    for team_id, team_cohorts in teams.items():
        batch = batch_of[team_challenge[team_id]]
        known = [c for c in team_cohorts if c is not None]
        three[batch][0 if len(set(known)) >= 3 else 1] += 1
        for cohort in team_cohorts:
            met = cohort is not None and any(other != cohort for other in known)
            contact[batch][0 if met else 1] += 1
    teams_three = _share(three)
    cross = _share(contact)

    # Skills taught and learned: each skill's counts are released on their own.
    per_skill: dict[str, list[list[int]]] = defaultdict(lambda: [[0, 0] for _ in range(n)])
    for skill in await repo.skills(db, closed.keys()):
        per_skill[skill.skill][batch_of[skill.challenge_id]][
            0 if skill.direction == "teach" else 1
        ] += 1
    skills = []
    for name, batches in per_skill.items():
        months = released_months(batches, K)
        teach = sum(b[0] for b in batches[:months])
        learn = sum(b[1] for b in batches[:months])
        if teach or learn:
            skills.append(SkillCount(skill=name, teach=teach, learn=learn))
    skills.sort(key=lambda s: (-((s.teach or 0) + (s.learn or 0)), s.skill))

    # Completion and the median released review score, by track.
    finals = await repo.teams_with_final(db, closed.keys())
    reviews_of: dict[uuid.UUID, list[dict[str, int]]] = defaultdict(list)
    for review in await repo.closed_round_reviews(db, closed.keys()):
        reviews_of[review.team_id].append(review.scores)
    tracks = []
    for track in TRACKS:
        batches = [[0, 0, 0] for _ in range(n)]
        scores: list[list[float]] = [[] for _ in range(n)]
        for team_id, challenge_id in team_challenge.items():
            challenge = closed[challenge_id]
            if challenge.track != track:
                continue
            batch = batch_of[challenge_id]
            batches[batch][0 if team_id in finals else 1] += 1
            received = reviews_of.get(team_id, [])
            if len(received) >= challenge.review_k:  # released to the team: counted
                batches[batch][2] += len(received)
                scores[batch] += [statistics.fmean(r.values()) for r in received if r]
        months = released_months(batches, K)
        done = sum(b[0] for b in batches[:months])
        total = done + sum(b[1] for b in batches[:months])
        shown = suppress_small_cells({"done": done, "not": total - done}, K)
        counted = [score for batch in scores[:months] for score in batch]
        review_count = sum(b[2] for b in batches[:months])
        tracks.append(
            TrackFigure(
                track=track,
                teams=total if total == 0 or total >= K else None,
                completed=shown["done"],
                complement=complementary({"completed": done}, {"completed": shown["done"]}, K),
                reviews=review_count,
                median_score=(round(statistics.median(counted), 2) if len(counted) >= K else None),
            )
        )

    return Insights(
        k=K,
        scope="organisation" if scope == "organisation" else "facilitated",
        through=closed_months[-1] if closed_months else None,
        cohorts=cohorts,
        participation=participation,
        departments=departments,
        participation_by_department=by_department,
        teams_with_three_generations=teams_three,
        cross_generation_contact=cross,
        skills=skills[:TOP_SKILLS],
        tracks=tracks,
    )
