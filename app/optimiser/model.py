"""Input model of the team-formation engine: validated, immutable instances.

``parse_instance`` turns the JSON-shaped input (see the package docstring) into a
:class:`FormationInstance`, raising :class:`FormationInputError` with a one-line message for
anything the engine cannot work with.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_TIME_LIMIT_S",
    "DEFAULT_WEIGHTS",
    "FormationInputError",
    "FormationInstance",
    "Person",
    "TeamSize",
    "Weights",
    "parse_instance",
    "team_count",
    "team_sizes",
]

DEFAULT_TIME_LIMIT_S = 10.0
DEFAULT_SEED = 0


class FormationInputError(ValueError):
    """The instance (or an assignment given for evaluation) is malformed.

    ``message`` is a single human-readable line suitable for an API error or a CLI.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class TeamSize:
    minimum: int
    target: int
    maximum: int


@dataclass(frozen=True, slots=True)
class Weights:
    """Non-negative weights of the objective terms (see ``objective`` for the definition)."""

    generations: float = 10.0
    cross_generation_pairs: float = 1.0
    skill_coverage: float = 3.0
    same_department_pairs: float = 2.0
    together: float = 1.0
    seniority_bands: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            "generations": self.generations,
            "cross_generation_pairs": self.cross_generation_pairs,
            "skill_coverage": self.skill_coverage,
            "same_department_pairs": self.same_department_pairs,
            "together": self.together,
            "seniority_bands": self.seniority_bands,
        }


DEFAULT_WEIGHTS = Weights()
_WEIGHT_KEYS = frozenset(DEFAULT_WEIGHTS.as_dict())


@dataclass(frozen=True, slots=True)
class Person:
    """One participant. ``seniority``/``department`` may be unknown (``None``).

    An unknown seniority band is never counted as a band; an unknown department never
    matches any other department. Skill lists are de-duplicated, order kept.
    """

    id: str
    cohort: str
    seniority: str | None
    department: str | None
    teaches: tuple[str, ...]
    wants: tuple[str, ...]


@dataclass(frozen=True)
class FormationInstance:
    """A validated instance. ``separate``/``together`` hold de-duplicated unordered pairs."""

    team_size: TeamSize
    people: tuple[Person, ...]
    separate: tuple[tuple[str, str], ...] = ()
    together: tuple[tuple[str, str], ...] = ()
    weights: Weights = field(default_factory=Weights)
    time_limit_s: float = DEFAULT_TIME_LIMIT_S
    seed: int = DEFAULT_SEED

    @cached_property
    def index(self) -> dict[str, int]:
        """Position of each person id in ``people``."""
        return {p.id: i for i, p in enumerate(self.people)}

    def team_sizes(self) -> list[int]:
        """Sizes of the teams the engine forms (larger teams first)."""
        return team_sizes(len(self.people), self.team_size)


def team_count(n: int, size: TeamSize) -> int:
    """Number of teams for ``n`` people.

    ``T = max(1, round(n / target))``; while ``n / T > max``: ``T += 1``; while ``T > 1`` and
    ``n / T < min``: ``T -= 1``. (The comparisons are done in exact integer arithmetic.)
    """
    if n <= 0:
        return 0
    t = max(1, round(n / size.target))
    while n > size.maximum * t:
        t += 1
    while t > 1 and n < size.minimum * t:
        t -= 1
    return t


def team_sizes(n: int, size: TeamSize) -> list[int]:
    """Team sizes: ``n mod T`` teams of ``ceil(n/T)``, the others ``floor(n/T)``."""
    t = team_count(n, size)
    if t == 0:
        return []
    q, r = divmod(n, t)
    return [q + 1] * r + [q] * (t - r)


# --------------------------------------------------------------------------------------------
# Parsing


def _fail(message: str) -> FormationInputError:
    return FormationInputError(message)


def _require_int(value: Any, what: str, *, minimum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise _fail(f"{what} must be an integer")
    if minimum is not None and value < minimum:
        raise _fail(f"{what} must be at least {minimum}")
    return int(value)


def _require_number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(f"{what} must be a number")
    out = float(value)
    if not math.isfinite(out):
        raise _fail(f"{what} must be finite")
    return out


def _require_str(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise _fail(f"{what} must be a non-empty string")
    return value


def _optional_str(value: Any, what: str) -> str | None:
    if value is None:
        return None
    return _require_str(value, what)


def _str_list(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise _fail(f"{what} must be a list of strings")
    seen: dict[str, None] = {}
    for k, item in enumerate(value):
        seen[_require_str(item, f"{what}[{k}]")] = None
    return tuple(seen)


def _parse_team_size(value: Any) -> TeamSize:
    if not isinstance(value, Mapping):
        raise _fail("team_size must be an object with min, target and max")
    missing = [k for k in ("min", "target", "max") if k not in value]
    if missing:
        raise _fail(f"team_size is missing {', '.join(missing)}")
    lo = _require_int(value["min"], "team_size.min")
    target = _require_int(value["target"], "team_size.target")
    hi = _require_int(value["max"], "team_size.max")
    if lo < 1:
        raise _fail(f"team_size.min must be at least 1 (got {lo})")
    if lo > target:
        raise _fail(f"team_size.min ({lo}) must not exceed team_size.target ({target})")
    if target > hi:
        raise _fail(f"team_size.target ({target}) must not exceed team_size.max ({hi})")
    return TeamSize(lo, target, hi)


def _plain_list(value: Any) -> tuple[str, ...] | None:
    """A list of non-empty strings, de-duplicated; None if it needs the full checks."""
    if value is None:
        return ()
    if type(value) is list and all(type(item) is str and item for item in value):
        return tuple(dict.fromkeys(value))
    return None


def _plain_label(value: Any) -> bool:
    return value is None or (type(value) is str and value != "")


def _parse_person(value: Any, k: int) -> Person:
    if type(value) is dict:  # the common, well-formed case without building messages
        pid = value.get("id")
        cohort = value.get("cohort")
        seniority = value.get("seniority")
        department = value.get("department")
        teaches = _plain_list(value.get("teaches"))
        wants = _plain_list(value.get("wants"))
        if (
            type(pid) is str
            and pid
            and type(cohort) is str
            and cohort
            and _plain_label(seniority)
            and _plain_label(department)
            and teaches is not None
            and wants is not None
        ):
            return Person(pid, cohort, seniority, department, teaches, wants)
    where = f"people[{k}]"
    if not isinstance(value, Mapping):
        raise _fail(f"{where} must be an object")
    if "id" not in value:
        raise _fail(f"{where} has no id")
    pid = _require_str(value["id"], f"{where}.id")
    if "cohort" not in value:
        raise _fail(f"person {pid} has no cohort")
    return Person(
        id=pid,
        cohort=_require_str(value["cohort"], f"cohort of person {pid}"),
        seniority=_optional_str(value.get("seniority"), f"seniority of person {pid}"),
        department=_optional_str(value.get("department"), f"department of person {pid}"),
        teaches=_str_list(value.get("teaches"), f"teaches of person {pid}"),
        wants=_str_list(value.get("wants"), f"wants of person {pid}"),
    )


def _parse_pairs(value: Any, what: str, index: Mapping[str, int]) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise _fail(f"{what} must be a list of [id, id] pairs")
    seen: dict[tuple[str, str], None] = {}
    for k, pair in enumerate(value):
        if type(pair) is list and len(pair) == 2:  # the common case first
            a, b = pair
            ia = index.get(a) if type(a) is str else None
            ib = index.get(b) if type(b) is str else None
            if ia is not None and ib is not None and ia != ib:
                seen[(a, b) if ia < ib else (b, a)] = None
                continue
        if isinstance(pair, str) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise _fail(f"{what}[{k}] must be a pair [id, id]")
        a, b = pair
        for x in (a, b):
            if not isinstance(x, str) or x not in index:
                raise _fail(f"{what}[{k}] refers to unknown person {x!r}")
        if a == b:
            raise _fail(f"{what}[{k}] pairs person {a} with themself")
        key = (a, b) if index[a] < index[b] else (b, a)
        seen[key] = None
    return tuple(seen)


def _parse_weights(value: Any) -> Weights:
    if value is None:
        return DEFAULT_WEIGHTS
    if not isinstance(value, Mapping):
        raise _fail("weights must be an object")
    unknown = sorted(str(k) for k in value if k not in _WEIGHT_KEYS)
    if unknown:
        raise _fail(f"unknown weight(s): {', '.join(unknown)}")
    merged = DEFAULT_WEIGHTS.as_dict()
    for key, raw in value.items():
        w = _require_number(raw, f"weights.{key}")
        if w < 0:
            raise _fail(f"weights.{key} must not be negative (got {raw})")
        merged[str(key)] = w
    return Weights(**merged)


def parse_instance(data: Mapping[str, Any]) -> FormationInstance:
    """Validate JSON-shaped input and build a :class:`FormationInstance`.

    Raises :class:`FormationInputError` for: a missing/invalid ``team_size`` (``min < 1``,
    ``min > target``, ``target > max``), no people, duplicate ids, malformed people, pairs naming
    unknown ids or a person with themself, unknown or negative weights, a non-positive time
    limit, or a non-integer seed. Unknown top-level keys are ignored.
    """
    if not isinstance(data, Mapping):
        raise _fail("the instance must be a JSON object")
    if "team_size" not in data:
        raise _fail("team_size is required")
    size = _parse_team_size(data["team_size"])
    raw_people = data.get("people")
    if isinstance(raw_people, str) or not isinstance(raw_people, Sequence):
        raise _fail("people must be a list")
    if not raw_people:
        raise _fail("people is empty: there is nobody to put in teams")
    people = tuple(_parse_person(p, k) for k, p in enumerate(raw_people))
    index: dict[str, int] = {}
    for i, p in enumerate(people):
        if p.id in index:
            raise _fail(f"duplicate person id {p.id}")
        index[p.id] = i
    separate = _parse_pairs(data.get("separate"), "separate", index)
    together = _parse_pairs(data.get("together"), "together", index)
    weights = _parse_weights(data.get("weights"))
    limit_raw = data.get("time_limit_s")
    time_limit = (
        DEFAULT_TIME_LIMIT_S if limit_raw is None else _require_number(limit_raw, "time_limit_s")
    )
    if time_limit <= 0:
        raise _fail("time_limit_s must be positive")
    seed_raw = data.get("seed")
    seed = DEFAULT_SEED if seed_raw is None else _require_int(seed_raw, "seed", minimum=0)
    instance = FormationInstance(
        team_size=size,
        people=people,
        separate=separate,
        together=together,
        weights=weights,
        time_limit_s=time_limit,
        seed=seed,
    )
    instance.__dict__["index"] = index
    return instance
