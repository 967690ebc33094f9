"""Team formation: mixed-generation teams from pseudonymous participant attributes.

Pure functions only (no database, no HTTP). Input is the JSON shape::

    {"team_size": {"min": 4, "target": 5, "max": 6},
     "people": [{"id": "…", "cohort": "gen_z", "seniority": "lt3", "department": "d7",
                 "teaches": ["short_video"], "wants": ["negotiation"]}, …],
     "separate": [["a", "b"], …], "together": [["c", "d"], …],
     "weights": {...}, "time_limit_s": 10, "seed": 0}

See ``objective`` for the objective, ``bound`` for the upper bound and ``search`` for the
optimiser.
"""

from app.optimiser.bound import upper_bound
from app.optimiser.engine import check_move, evaluate, form_teams
from app.optimiser.metrics import FormationResult, TeamMetrics
from app.optimiser.model import (
    FormationInputError,
    FormationInstance,
    Person,
    TeamSize,
    Weights,
    parse_instance,
    team_count,
    team_sizes,
)

__all__ = [
    "FormationInputError",
    "FormationInstance",
    "FormationResult",
    "Person",
    "TeamMetrics",
    "TeamSize",
    "Weights",
    "check_move",
    "evaluate",
    "form_teams",
    "parse_instance",
    "team_count",
    "team_sizes",
    "upper_bound",
]
