"""Release rules: nothing before the round closes, nothing under k, shuffled, no times."""

from __future__ import annotations

import secrets
import statistics
from collections import Counter, defaultdict

from sqlalchemy import select

from app.challenges import repository as challenges_repo
from app.challenges.models import Challenge
from app.db import AppDbSession
from app.kit.disclosure import suppress_small_cells
from app.reviews.models import Review, ReviewRound
from app.reviews.schemas import (
    ChallengeResults,
    CriterionSummary,
    ReleasedReview,
    TeamResult,
    TeamReviews,
)
from app.submissions.models import Submission
from app.teams.models import Team

NOT_YET = "Reviews are shown when the review round closes."
NOT_ENOUGH = "Not enough reviews to protect reviewers: {count} of the {k} needed."
RELEASED = "{count} anonymous reviews, in random order."


def summarise(criteria_ids: list[str], reviews: list[Review]) -> list[CriterionSummary]:
    summaries = []
    for criterion_id in criteria_ids:
        scores = [r.scores[criterion_id] for r in reviews if criterion_id in r.scores]
        summaries.append(
            CriterionSummary(
                criterion_id=criterion_id,
                median=float(statistics.median(scores)) if scores else None,
                distribution=dict(sorted(Counter(scores).items())),
            )
        )
    return summaries


async def _closed_round(db: AppDbSession, challenge: Challenge) -> ReviewRound | None:
    round_ = await db.scalar(select(ReviewRound).where(ReviewRound.challenge_id == challenge.id))
    return round_ if round_ is not None and round_.state == "closed" else None


def _criteria(challenge: Challenge) -> list[str]:
    return [str(criterion["id"]) for criterion in challenge.rubric]


async def team_reviews(db: AppDbSession, challenge: Challenge, team: Team) -> TeamReviews:
    k = challenge.review_k
    round_ = await _closed_round(db, challenge)
    if round_ is None:
        return TeamReviews(
            state="not_yet", message=NOT_YET, count=None, k=k, criteria=[], reviews=[]
        )
    reviews = list(
        await db.scalars(
            select(Review)
            .join(Submission, Submission.id == Review.submission_id)
            .where(Review.round_id == round_.id, Submission.team_id == team.id)
        )
    )
    if len(reviews) < k:
        return TeamReviews(
            state="not_enough",
            message=NOT_ENOUGH.format(count=len(reviews), k=k),
            count=len(reviews),
            k=k,
            criteria=[],
            reviews=[],
        )
    secrets.SystemRandom().shuffle(reviews)
    return TeamReviews(
        state="released",
        message=RELEASED.format(count=len(reviews)),
        count=len(reviews),
        k=k,
        criteria=summarise(_criteria(challenge), reviews),
        reviews=[ReleasedReview(scores=r.scores, comment=r.comment) for r in reviews],
    )


async def challenge_results(db: AppDbSession, challenge: Challenge) -> ChallengeResults:
    """Aggregates after close; every team and cohort figure under k is suppressed.

    Challenge-wide figures are computed from released teams' reviews only. Each released team
    reads its own reviews, so figures over every review would let the released teams, pooling
    what they see, subtract their reviews and recover those of a team below k. Those figures
    are themselves hidden when fewer than k released reviews remain. What still shows about
    the withheld reviews is how many there are in all (`redeemed_total` minus the released
    counts, published for auditing issuance), never what they say.
    """
    k = challenge.review_k
    round_ = await _closed_round(db, challenge)
    if round_ is None:
        return ChallengeResults(
            state="not_yet",
            k=k,
            teams=[],
            criteria=[],
            participants_by_cohort={},
            issued_total=None,
            redeemed_total=None,
        )
    rows = await db.execute(
        select(Review, Team.name)
        .join(Submission, Submission.id == Review.submission_id)
        .join(Team, Team.id == Submission.team_id)
        .where(Review.round_id == round_.id)
    )
    by_team: dict[str, list[Review]] = defaultdict(list)
    for review, team_name in rows.all():
        by_team[team_name].append(review)
    criteria = _criteria(challenge)
    teams = []
    released: list[Review] = []
    for team in await db.scalars(
        select(Team).where(Team.challenge_id == challenge.id).order_by(Team.name)
    ):
        received = by_team.get(team.name, [])
        enough = len(received) >= k
        if enough:
            released += received
        teams.append(
            TeamResult(
                team_name=team.name,
                review_count=len(received) if enough else None,
                medians=(
                    {
                        s.criterion_id: s.median
                        for s in summarise(criteria, received)
                        if s.median is not None
                    }
                    if enough
                    else None
                ),
            )
        )
    participants = await challenges_repo.all_participants(db, challenge.id)
    return ChallengeResults(
        state="released",
        k=k,
        teams=teams,
        criteria=summarise(criteria, released) if len(released) >= k else [],
        participants_by_cohort=suppress_small_cells(
            Counter(p.cohort or "not_given" for p in participants), k
        ),
        issued_total=round_.issued_total,
        redeemed_total=round_.redeemed_total,
    )
