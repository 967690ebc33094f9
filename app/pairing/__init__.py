"""Mentoring pairs: junior–senior (reverse) or mutual mentor–mentee matching.

Pure functions only (no database, no HTTP). Input is the JSON shape::

    {"mode": "reverse", "cohorts": ["boomer", "gen_x", "millennial", "gen_z"],
     "mentors": [{"id": "…", "cohort": "gen_z", "department": "d3", "languages": ["en"],
                  "teaches": {"ai_assistants": 3}, "wants": {}, "availability": ["mon_am"],
                  "capacity": 2}, …],
     "mentees": [{… the same, without capacity}, …],
     "separate": [["a", "b"], …], "weights": {"skill": 10, "gap": 3, "department": 2,
     "availability": 1}, "time_limit_s": 10, "seed": 0}

``scan`` finds the allowed pairs and their values, ``flow`` solves the b-matching as a
min-cost flow, ``bound`` proves the upper bound; docs/mentoring.md has the definitions.
"""

from app.pairing.engine import (
    CAPACITY_TAKEN,
    NO_ALLOWED_PARTNER,
    OUTSCORED,
    TIME_LIMIT,
    PairingResult,
    match_pairs,
)
from app.pairing.model import Applicant, PairingInputError, PairingInstance, Weights, parse_instance

__all__ = [
    "CAPACITY_TAKEN",
    "NO_ALLOWED_PARTNER",
    "OUTSCORED",
    "TIME_LIMIT",
    "Applicant",
    "PairingInputError",
    "PairingInstance",
    "PairingResult",
    "Weights",
    "match_pairs",
    "parse_instance",
]
