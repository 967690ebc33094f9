"""Anonymous feedback on a programme (issue 20, item 10): a survey at the mid-point and one at
the end, answered with the lesson ratings' blind tokens (app/ratings) and read by the leads as
aggregates only, from 5 answers on (docs/mentoring.md, "Feedback").

A survey is (programme, point) and has no row of its own: its subject id is derived from the
two (`survey_subject`), and its rating key existing is what "open" means. A lead opens it:
the mid-point survey while the programme runs (the lead knows when the pairs are halfway
better than a date: programmes run at their own pace), the end survey once the programme has
closed. Opening makes the key then, so no member's request dates it. A lead closes it: with one
survey answered and nothing else rated the rating mix's batches never come, so the close writes
every answer held, in the closing transaction (`Ratings.close_subject`); from then on no token
and no answer is taken.

Eligible: the members of the programme's accepted pairs, mentors and mentees alike, checked in
their own request as a lesson's eligibility is (`pairs.at_work`); a lead who is not in a pair
answers nothing. One token per person and survey (an opaque marker, app/vault/learning.py).
"""

from __future__ import annotations

from app.db import AppDbSession
from app.mentoring import pairs
from app.mentoring.errors import NoApplication, NoPair, PairNotAgreed
from app.mentoring.service import ProgrammeAccess
from app.ratings.errors import (
    NotSurveyMember,
    RatingClosed,
    RatingNotOpen,
    SurveyCannotOpen,
    SurveyClosed,
    SurveyNotOpen,
)
from app.ratings.models import SURVEY_POINTS, survey_subject
from app.ratings.schemas import (
    FeedbackSurvey,
    RatingTokenRequest,
    RatingTokenResponse,
    SurveyPoint,
    SurveyResults,
)
from app.ratings.service import Ratings, survey_release
from app.redemption.rating_mix import RatingMix

SURVEY = "survey"
# The phase in which a lead may open each survey.
OPENS_IN: dict[str, str] = {"midpoint": "running", "end": "closed"}


async def _is_member(db: AppDbSession, access: ProgrammeAccess) -> bool:
    try:
        await pairs.at_work(db, access, writing=False)
    except (NoApplication, NoPair, PairNotAgreed):
        return False
    return True


async def surveys(
    db: AppDbSession, access: ProgrammeAccess, ratings: Ratings
) -> list[FeedbackSurvey]:
    """Both surveys: open or not, and whether this reader may still ask for a token."""
    member = await _is_member(db, access)
    found = []
    for point in SURVEY_POINTS:
        subject = survey_subject(access.programme.id, point)
        key, issued = await ratings.standing(db, access.identity, SURVEY, subject)
        found.append(
            FeedbackSurvey(
                point=point,
                subject_id=subject,
                open=key is not None,
                closed=await ratings.is_closed(db, SURVEY, subject),
                key=key,
                member=member,
                issued=issued,
            )
        )
    return found


async def issue_token(
    db: AppDbSession,
    access: ProgrammeAccess,
    ratings: Ratings,
    point: SurveyPoint,
    request: RatingTokenRequest,
) -> RatingTokenResponse:
    """One blind token per member and survey."""
    if not await _is_member(db, access):
        raise NotSurveyMember()
    subject = survey_subject(access.programme.id, point)
    try:
        return await ratings.issue_token(db, access.identity, SURVEY, subject, request)
    except RatingNotOpen:
        raise SurveyNotOpen() from None
    except RatingClosed:
        raise SurveyClosed() from None


async def results(
    db: AppDbSession, access: ProgrammeAccess, ratings: Ratings
) -> list[SurveyResults]:
    """A lead's view: each survey's aggregates, nothing under 5 answers, never an answer."""
    found = []
    for point in SURVEY_POINTS:
        subject = survey_subject(access.programme.id, point)
        key, _ = await ratings.standing(db, access.identity, SURVEY, subject)
        found.append(
            SurveyResults(
                point=point,
                open=key is not None,
                closed=await ratings.is_closed(db, SURVEY, subject),
                release=survey_release(await ratings.ratings_of(db, SURVEY, subject)),
            )
        )
    return found


async def open_survey(
    db: AppDbSession, access: ProgrammeAccess, ratings: Ratings, point: SurveyPoint
) -> list[SurveyResults]:
    """A lead opens the mid-point survey while the programme runs, the end survey once it
    closed. Opening twice changes nothing."""
    if access.programme.phase != OPENS_IN[point]:
        raise SurveyCannotOpen()
    await ratings.open_subject(db, SURVEY, survey_subject(access.programme.id, point))
    return await results(db, access, ratings)


async def close_survey(
    db: AppDbSession,
    access: ProgrammeAccess,
    ratings: Ratings,
    mix: RatingMix,
    point: SurveyPoint,
) -> list[SurveyResults]:
    """A lead closes an open survey: every answer held is written now, none is taken after.
    Closing twice changes nothing."""
    subject = survey_subject(access.programme.id, point)
    key, _ = await ratings.standing(db, access.identity, SURVEY, subject)
    if key is None:
        raise SurveyNotOpen()
    await ratings.close_subject(db, mix, SURVEY, subject)
    return await results(db, access, ratings)
