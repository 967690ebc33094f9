"""Input model of the pair matcher: validated, immutable instances.

``parse_instance`` turns the JSON-shaped input (see the package docstring) into a
:class:`PairingInstance`, raising :class:`PairingInputError` with a one-line message for
anything the engine cannot work with.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_TIME_LIMIT_S",
    "MAX_WEIGHT",
    "Applicant",
    "Mode",
    "PairingInputError",
    "PairingInstance",
    "Weights",
    "parse_instance",
]

DEFAULT_TIME_LIMIT_S = 10.0
DEFAULT_SEED = 0
# Weights are integers so that the min-cost flow is exact; this cap keeps every pair value
# (and sums over 10^5 pairs) far inside the solver's 64-bit costs.
MAX_WEIGHT = 1000
TEACH_LEVELS = (1, 4)
WANT_LEVELS = (1, 3)
CAPACITY = (1, 3)

Mode = Literal["reverse", "mutual"]


class PairingInputError(ValueError):
    """The instance is malformed. ``message`` is one human-readable line (CLI or API)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Weights:
    skill: int = 10
    gap: int = 3
    department: int = 2
    availability: int = 1

    def as_dict(self) -> dict[str, int]:
        return {
            "skill": self.skill,
            "gap": self.gap,
            "department": self.department,
            "availability": self.availability,
        }


_WEIGHT_KEYS = frozenset(Weights().as_dict())


@dataclass(frozen=True, slots=True)
class Applicant:
    """A mentor or a mentee. ``department`` may be unknown (``None``): an unknown department
    never counts as differing from another. ``capacity`` is 1 for mentees."""

    id: str
    cohort: str
    department: str | None
    languages: frozenset[str]
    teaches: Mapping[str, int]
    wants: Mapping[str, int]
    availability: frozenset[str]
    capacity: int = 1


@dataclass(frozen=True)
class PairingInstance:
    """A validated instance; ``separate`` holds de-duplicated unordered pairs of ids."""

    mode: Mode
    cohorts: tuple[str, ...]
    mentors: tuple[Applicant, ...]
    mentees: tuple[Applicant, ...]
    separate: tuple[tuple[str, str], ...] = ()
    weights: Weights = Weights()
    time_limit_s: float = DEFAULT_TIME_LIMIT_S
    seed: int = DEFAULT_SEED


def _fail(message: str) -> PairingInputError:
    return PairingInputError(message)


def _integer(value: Any, what: str, lo: int, hi: int) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(f"{what} must be an integer")
    if not lo <= value <= hi:
        raise _fail(f"{what} must be between {lo} and {hi} (got {value})")
    return int(value)


def _label(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise _fail(f"{what} must be a non-empty string")
    return value


def _label_set(value: Any, field: str, who: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise _fail(f"{field} of {who} must be a list of strings")
    return frozenset(_label(item, f"{field}[{k}] of {who}") for k, item in enumerate(value))


def _levels(value: Any, field: str, who: str, bounds: tuple[int, int]) -> dict[str, int]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _fail(f"{field} of {who} must be an object of skill: level")
    return {
        _label(skill, f"a skill in {field} of {who}"): _integer(
            level, f"{field}.{skill} of {who}", *bounds
        )
        for skill, level in value.items()
    }


def _plain_labels(value: Any) -> frozenset[str] | None:
    if value is None:
        return frozenset()
    if type(value) is list and all(type(x) is str and x for x in value):
        return frozenset(value)
    return None


def _plain_levels(value: Any, top: int) -> dict[str, int] | None:
    if value is None:
        return {}
    if type(value) is dict and all(
        type(k) is str and k and type(v) is int and 1 <= v <= top for k, v in value.items()
    ):
        return dict(value)
    return None


def _plain_applicant(value: Any, cohorts: Mapping[str, int], *, mentor: bool) -> Applicant | None:
    """The common, well-formed case, without building any message; None when a check fails
    (the full checks then say which)."""
    if type(value) is not dict:
        return None
    pid, cohort, department = value.get("id"), value.get("cohort"), value.get("department")
    capacity = value.get("capacity", 1 if mentor else None)
    languages = _plain_labels(value.get("languages"))
    slots = _plain_labels(value.get("availability"))
    teaches = _plain_levels(value.get("teaches"), TEACH_LEVELS[1])
    wants = _plain_levels(value.get("wants"), WANT_LEVELS[1])
    if not (
        type(pid) is str
        and pid
        and type(cohort) is str
        and cohort in cohorts
        and (department is None or (type(department) is str and department))
        and languages is not None
        and slots is not None
        and teaches is not None
        and wants is not None
        and (
            (type(capacity) is int and CAPACITY[0] <= capacity <= CAPACITY[1])
            if mentor
            else capacity is None
        )
    ):
        return None
    return Applicant(pid, cohort, department, languages, teaches, wants, slots, capacity or 1)


def _applicant(value: Any, where: str, cohorts: Mapping[str, int], *, mentor: bool) -> Applicant:
    plain = _plain_applicant(value, cohorts, mentor=mentor)
    if plain is not None:
        return plain
    if not isinstance(value, Mapping):
        raise _fail(f"{where} must be an object")
    if "id" not in value:
        raise _fail(f"{where} has no id")
    pid = _label(value["id"], f"{where}.id")
    who = f"{'mentor' if mentor else 'mentee'} {pid}"
    cohort = _label(value.get("cohort"), f"cohort of {who}")
    if cohort not in cohorts:
        raise _fail(f"cohort {cohort!r} of {who} is not in cohorts")
    department = value.get("department")
    if department is not None:
        department = _label(department, f"department of {who}")
    if mentor:
        raw = value.get("capacity", 1)
        capacity = _integer(raw, f"capacity of {who}", *CAPACITY)
    elif value.get("capacity") is not None:
        raise _fail(f"{who} has a capacity: only mentors have one")
    else:
        capacity = 1
    return Applicant(
        id=pid,
        cohort=cohort,
        department=department,
        languages=_label_set(value.get("languages"), "languages", who),
        teaches=_levels(value.get("teaches"), "teaches", who, TEACH_LEVELS),
        wants=_levels(value.get("wants"), "wants", who, WANT_LEVELS),
        availability=_label_set(value.get("availability"), "availability", who),
        capacity=capacity,
    )


def _applicants(
    value: Any, what: str, cohorts: Mapping[str, int], *, mentor: bool
) -> tuple[Applicant, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise _fail(f"{what} must be a list")
    return tuple(
        _applicant(item, f"{what}[{k}]", cohorts, mentor=mentor) for k, item in enumerate(value)
    )


def _separate(value: Any, known: set[str]) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise _fail("separate must be a list of [id, id] pairs")
    pairs: dict[tuple[str, str], None] = {}
    for k, pair in enumerate(value):
        if isinstance(pair, str) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise _fail(f"separate[{k}] must be a pair [id, id]")
        a, b = pair
        for x in (a, b):
            if not isinstance(x, str) or x not in known:
                raise _fail(f"separate[{k}] refers to unknown applicant {x!r}")
        if a == b:
            raise _fail(f"separate[{k}] pairs applicant {a} with themself")
        pairs[(a, b) if a < b else (b, a)] = None
    return tuple(pairs)


def _weights(value: Any) -> Weights:
    if value is None:
        return Weights()
    if not isinstance(value, Mapping):
        raise _fail("weights must be an object")
    unknown = sorted(str(k) for k in value if k not in _WEIGHT_KEYS)
    if unknown:
        raise _fail(f"unknown weight(s): {', '.join(unknown)}")
    merged = Weights().as_dict()
    for key, raw in value.items():
        merged[key] = _integer(raw, f"weights.{key}", 0, MAX_WEIGHT)
    return Weights(**merged)


def parse_instance(data: Any) -> PairingInstance:
    """Validate JSON-shaped input and build a :class:`PairingInstance`.

    Raises :class:`PairingInputError` for: a missing or unknown ``mode``; no or duplicate
    ``cohorts``; malformed applicants (levels outside 1–4 taught / 1–3 wanted, a mentor's
    capacity outside 1–3, a mentee with a capacity, a cohort not in ``cohorts``); an id used
    twice across mentors and mentees; ``separate`` pairs naming unknown ids or one id twice;
    unknown or non-integer weights outside 0–1000; a non-positive time limit; a negative or
    non-integer seed. Unknown top-level keys are ignored.
    """
    if not isinstance(data, Mapping):
        raise _fail("the instance must be a JSON object")
    mode = data.get("mode")
    if mode not in ("reverse", "mutual"):
        raise _fail(f"mode must be 'reverse' or 'mutual' (got {mode!r})")
    raw_cohorts = data.get("cohorts")
    if isinstance(raw_cohorts, str) or not isinstance(raw_cohorts, Sequence) or not raw_cohorts:
        raise _fail("cohorts must be a non-empty list, oldest first")
    cohorts: dict[str, int] = {}
    for k, c in enumerate(raw_cohorts):
        label = _label(c, f"cohorts[{k}]")
        if label in cohorts:
            raise _fail(f"cohort {label!r} is listed twice")
        cohorts[label] = k
    mentors = _applicants(data.get("mentors"), "mentors", cohorts, mentor=True)
    mentees = _applicants(data.get("mentees"), "mentees", cohorts, mentor=False)
    known: set[str] = set()
    for person in (*mentors, *mentees):
        if person.id in known:
            raise _fail(f"duplicate applicant id {person.id} (ids are unique across both lists)")
        known.add(person.id)
    limit_raw = data.get("time_limit_s")
    if limit_raw is None:
        time_limit = DEFAULT_TIME_LIMIT_S
    elif isinstance(limit_raw, bool) or not isinstance(limit_raw, int | float):
        raise _fail("time_limit_s must be a number")
    else:
        time_limit = float(limit_raw)
        if not (math.isfinite(time_limit) and time_limit > 0):
            raise _fail("time_limit_s must be positive")
    seed_raw = data.get("seed")
    seed = DEFAULT_SEED if seed_raw is None else _integer(seed_raw, "seed", 0, 2**63 - 1)
    return PairingInstance(
        mode=mode,
        cohorts=tuple(cohorts),
        mentors=mentors,
        mentees=mentees,
        separate=_separate(data.get("separate"), known),
        weights=_weights(data.get("weights")),
        time_limit_s=time_limit,
        seed=seed,
    )
