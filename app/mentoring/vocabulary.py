"""The programme's closed vocabularies, in one place: the schemas' Literal types, the models'
check constraints and the matching input all read them from here."""

from __future__ import annotations

from typing import Literal, get_args

Phase = Literal["draft", "applications", "matching", "running", "closed"]
PHASES: tuple[str, ...] = get_args(Phase)
PairMode = Literal["reverse", "mutual"]
PAIR_MODES: tuple[str, ...] = get_args(PairMode)
Cadence = Literal["weekly", "fortnightly", "monthly"]
CADENCES: tuple[str, ...] = get_args(Cadence)
Role = Literal["mentor", "mentee", "both"]
ROLES: tuple[str, ...] = get_args(Role)
# A mentor application as the lead judged it.
Selection = Literal["pending", "accepted", "declined"]
SELECTIONS: tuple[str, ...] = get_args(Selection)
# The guidance levels (AXA), the same three tracks challenges use.
Guidance = Literal["discover", "deepen", "exploit"]
GUIDANCE_LEVELS: tuple[str, ...] = get_args(Guidance)
SpokenLanguage = Literal["en", "fr", "es"]
# Availability: a weekday and a half day. Coarse on purpose: finer slots would make a person's
# week a fingerprint among a few hundred applicants.
Slot = Literal[
    "mon-am",
    "mon-pm",
    "tue-am",
    "tue-pm",
    "wed-am",
    "wed-pm",
    "thu-am",
    "thu-pm",
    "fri-am",
    "fri-pm",
]
SLOTS: tuple[str, ...] = get_args(Slot)
# One member's answer to the match they were given.
Answer = Literal["pending", "accepted", "declined"]
ANSWERS: tuple[str, ...] = get_args(Answer)
RunStatus = Literal["running", "done", "failed", "published"]
RUN_STATUSES: tuple[str, ...] = get_args(RunStatus)


def sql_in(column: str, values: tuple[str, ...]) -> str:
    """A check constraint's text: `column IN ('a', 'b')` (constant vocabularies only)."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


# A session of a pair: proposed by one member, answered by the other, or called off.
SessionStatus = Literal["proposed", "accepted", "declined", "cancelled"]
SESSION_STATUSES: tuple[str, ...] = get_args(SessionStatus)
