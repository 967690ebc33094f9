"""Published pairs as their members see them: the match, each member's answer, and consent to
reveal names, and the pair at work (what plans, sessions and the journal start from).

A member sees their partner's handle, generation label, the skills the two teach each other
and the guidance levels asked for: never a name. Either may agree to show their display name
(and e-mail) to the other; the names are shown only once both have agreed, to the pair only,
never to a lead: the vault names the partner (`name_pair_partner`) after checking that the
reader holds one of the pair's two pseudonyms, and logs the read in the partner's access log.
docs/mentoring.md, "Pairs and consent".
"""

from __future__ import annotations

from dataclasses import dataclass

from app.db import AppDbSession
from app.mentoring import repository as repo
from app.mentoring.errors import (
    AnswerFinal,
    NamesNotRevealed,
    NoApplication,
    NoPair,
    PairNotAgreed,
    ProgrammeWrongPhase,
)
from app.mentoring.matching import active, shared_skills
from app.mentoring.models import Application, Pair
from app.mentoring.schemas import MyPair, PartnerName, Reveal
from app.mentoring.service import ProgrammeAccess
from app.vault import NotPairMember, PairMembers

PAIR_PHASES = ("running", "closed")


async def _mine(db: AppDbSession, access: ProgrammeAccess) -> tuple[Application, Pair]:
    """The caller's application and their latest pair (an active one before a declined one)."""
    application = access.application
    if application is None:
        raise NoApplication()
    if access.programme.phase not in PAIR_PHASES:
        raise NoPair()
    pairs = await repo.pairs_with(db, application.pseudonym)
    if not pairs:
        raise NoPair()
    return application, next((p for p in pairs if active(p)), pairs[0])


async def _view(db: AppDbSession, access: ProgrammeAccess, me: Application, pair: Pair) -> MyPair:
    mentoring = pair.mentor == me.pseudonym
    partner = await repo.find_application(
        db, access.programme.id, pair.mentee if mentoring else pair.mentor
    )
    if partner is None:  # pragma: no cover - pairs cascade with their applications
        raise NoPair()
    mentor, mentee = (me, partner) if mentoring else (partner, me)
    mine, theirs = (
        (pair.mentor_reveals, pair.mentee_reveals)
        if mentoring
        else (pair.mentee_reveals, pair.mentor_reveals)
    )
    return MyPair(
        pair_id=pair.id,
        my_role="mentor" if mentoring else "mentee",
        partner_handle=partner.handle,
        partner_generation=partner.cohort,
        skills=shared_skills(access.programme.pair_mode, mentor, mentee),
        my_answer=pair.mentor_answer if mentoring else pair.mentee_answer,
        partner_answer=pair.mentee_answer if mentoring else pair.mentor_answer,
        reveal=Reveal(you=mine, partner=theirs, both=mine and theirs),
        reminded_at=await repo.reminded_at(db, pair.id),
    )


async def my_pair(db: AppDbSession, access: ProgrammeAccess) -> MyPair:
    me, pair = await _mine(db, access)
    return await _view(db, access, me, pair)


async def answer(db: AppDbSession, access: ProgrammeAccess, decision: str) -> MyPair:
    """Accept or decline one's match, once. A decline sends both back to the pool: the lead
    sees them waiting and can run matching again."""
    if access.programme.phase != "running":
        raise ProgrammeWrongPhase("Matches are answered while the programme runs.")
    me, pair = await _mine(db, access)
    if not active(pair):
        raise AnswerFinal("This pair was declined; wait for a new match.")
    mentoring = pair.mentor == me.pseudonym
    current = pair.mentor_answer if mentoring else pair.mentee_answer
    if current != "pending":
        raise AnswerFinal()
    if mentoring:
        pair.mentor_answer = decision
    else:
        pair.mentee_answer = decision
    await db.flush()
    return await _view(db, access, me, pair)


async def reveal(db: AppDbSession, access: ProgrammeAccess, agree: bool) -> MyPair:
    """Agree (or no longer agree) to show one's name to one's partner."""
    if access.programme.phase != "running":
        raise ProgrammeWrongPhase("Names are revealed while the programme runs.")
    me, pair = await _mine(db, access)
    if not active(pair):
        raise AnswerFinal("This pair was declined.")
    if pair.mentor == me.pseudonym:
        pair.mentor_reveals = agree
    else:
        pair.mentee_reveals = agree
    await db.flush()
    return await _view(db, access, me, pair)


async def partner_name(db: AppDbSession, access: ProgrammeAccess) -> PartnerName:
    """Your partner's name and e-mail, once you both agreed; never anyone else's."""
    _, pair = await _mine(db, access)
    if not (active(pair) and pair.mentor_reveals and pair.mentee_reveals):
        raise NamesNotRevealed()
    try:
        named = await access.identity.vault.name_pair_partner(
            members_of(pair), access.identity.account_id
        )
    except NotPairMember:  # the vault no longer maps the reader into this pair
        raise NoPair() from None
    if named is None:  # the partner's account was erased since
        raise NoPair()
    return PartnerName(display_name=named.display_name, email=named.email)


def members_of(pair: Pair) -> PairMembers:
    """The pair as the vault checks it: the reader must hold one of the two pseudonyms."""
    return PairMembers(
        pair_id=pair.id, scope_id=pair.programme_id, first=pair.mentor, second=pair.mentee
    )


@dataclass(frozen=True)
class PairAtWork:
    """A pair both members accepted, as one of them sees it."""

    access: ProgrammeAccess
    pair: Pair
    me: Application

    @property
    def my_role(self) -> str:
        return "mentor" if self.pair.mentor == self.me.pseudonym else "mentee"

    @property
    def members(self) -> PairMembers:
        return members_of(self.pair)


async def at_work(db: AppDbSession, access: ProgrammeAccess, *, writing: bool = True) -> PairAtWork:
    """The caller's pair, both members having accepted it. Writes only while the programme
    runs; reads (the plan, sessions, the journal's export) stay open once it closed."""
    if writing and access.programme.phase != "running":
        raise ProgrammeWrongPhase("A pair works together while the programme runs.")
    me, pair = await _mine(db, access)
    if not (pair.mentor_answer == pair.mentee_answer == "accepted"):
        raise PairNotAgreed()
    return PairAtWork(access=access, pair=pair, me=me)
