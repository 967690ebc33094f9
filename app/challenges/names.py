"""Readable handles ("Amber Heron") and team names, drawn per challenge.

Every handle of a challenge is in the challenge's one handle language (`handle_language`), never
in each participant's own: "Renard Agile" next to "Amber Heron" would tell teammates who chose
French. Adjectives and animals are chosen so that every combination is grammatical (French and
Spanish: masculine nouns, adjective after the noun).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

_EN_ADJECTIVES = [
    "Amber",
    "Azure",
    "Bold",
    "Bright",
    "Calm",
    "Clever",
    "Coral",
    "Crimson",
    "Curious",
    "Gentle",
    "Golden",
    "Happy",
    "Indigo",
    "Jade",
    "Kind",
    "Lively",
    "Lucky",
    "Mellow",
    "Misty",
    "Nimble",
    "Olive",
    "Patient",
    "Plucky",
    "Quiet",
    "Rapid",
    "Rosy",
    "Silver",
    "Steady",
    "Sunny",
    "Swift",
    "Teal",
    "Tidy",
    "Violet",
    "Warm",
    "Wise",
    "Witty",
]
_EN_ANIMALS = [
    "Badger",
    "Beaver",
    "Bison",
    "Crane",
    "Dolphin",
    "Eagle",
    "Falcon",
    "Fox",
    "Gecko",
    "Heron",
    "Ibis",
    "Jaguar",
    "Koala",
    "Lemur",
    "Lynx",
    "Marten",
    "Moose",
    "Narwhal",
    "Otter",
    "Owl",
    "Panda",
    "Pelican",
    "Puffin",
    "Quail",
    "Raven",
    "Robin",
    "Salmon",
    "Seal",
    "Sparrow",
    "Swan",
    "Tapir",
    "Tiger",
    "Walrus",
    "Whale",
    "Wolf",
    "Yak",
]
_FR_ANIMALS = [
    "Blaireau",
    "Castor",
    "Bison",
    "Dauphin",
    "Aigle",
    "Faucon",
    "Renard",
    "Héron",
    "Jaguar",
    "Koala",
    "Lynx",
    "Élan",
    "Narval",
    "Hibou",
    "Panda",
    "Pélican",
    "Macareux",
    "Corbeau",
    "Saumon",
    "Phoque",
    "Moineau",
    "Cygne",
    "Tapir",
    "Tigre",
    "Morse",
    "Loup",
    "Yack",
    "Lémurien",
]
_FR_ADJECTIVES = [
    "Ambré",
    "Azur",
    "Audacieux",
    "Brillant",
    "Calme",
    "Habile",
    "Corail",
    "Curieux",
    "Doux",
    "Doré",
    "Joyeux",
    "Indigo",
    "Jade",
    "Bienveillant",
    "Vif",
    "Chanceux",
    "Paisible",
    "Agile",
    "Olive",
    "Patient",
    "Hardi",
    "Tranquille",
    "Rapide",
    "Rosé",
    "Argenté",
    "Serein",
    "Ensoleillé",
    "Véloce",
    "Sage",
    "Malicieux",
]
_ES_ANIMALS = [
    "Tejón",
    "Castor",
    "Bisonte",
    "Delfín",
    "Águila",
    "Halcón",
    "Zorro",
    "Gecko",
    "Ibis",
    "Jaguar",
    "Koala",
    "Lémur",
    "Lince",
    "Alce",
    "Narval",
    "Búho",
    "Panda",
    "Pelícano",
    "Frailecillo",
    "Cuervo",
    "Petirrojo",
    "Salmón",
    "Cisne",
    "Tapir",
    "Tigre",
    "Lobo",
    "Yak",
]
_ES_ADJECTIVES = [
    "Ámbar",
    "Azul",
    "Audaz",
    "Brillante",
    "Sereno",
    "Listo",
    "Coral",
    "Curioso",
    "Amable",
    "Dorado",
    "Feliz",
    "Índigo",
    "Jade",
    "Bondadoso",
    "Vivaz",
    "Afortunado",
    "Tranquilo",
    "Ágil",
    "Oliva",
    "Paciente",
    "Valiente",
    "Callado",
    "Rápido",
    "Rosado",
    "Plateado",
    "Constante",
    "Soleado",
    "Veloz",
    "Sabio",
    "Ingenioso",
]
TEAM_WORDS = [
    "Aurora",
    "Beacon",
    "Cascade",
    "Compass",
    "Delta",
    "Ember",
    "Fjord",
    "Glacier",
    "Harbor",
    "Horizon",
    "Lagoon",
    "Lantern",
    "Meadow",
    "Meridian",
    "Nebula",
    "Oasis",
    "Orbit",
    "Prairie",
    "Quartz",
    "Summit",
    "Tundra",
    "Voyager",
    "Willow",
    "Zenith",
]


def _english(pick: Callable[[list[str]], str]) -> str:
    return f"{pick(_EN_ADJECTIVES)} {pick(_EN_ANIMALS)}"


def _french(pick: Callable[[list[str]], str]) -> str:
    return f"{pick(_FR_ANIMALS)} {pick(_FR_ADJECTIVES)}"


def _spanish(pick: Callable[[list[str]], str]) -> str:
    return f"{pick(_ES_ANIMALS)} {pick(_ES_ADJECTIVES)}"


_BY_LANGUAGE = {"en": _english, "fr": _french, "es": _spanish}


def draw_unique(make: Callable[[], str], taken: set[str], attempts: int = 50) -> str:
    for _ in range(attempts):
        candidate = make()
        if candidate not in taken:
            return candidate
    # A very full challenge: add a number rather than fail.
    base = make()
    number = 2
    while f"{base} {number}" in taken:
        number += 1
    return f"{base} {number}"


def draw_handle(language: str, taken: set[str]) -> str:
    compose = _BY_LANGUAGE.get(language, _english)
    return draw_unique(lambda: compose(secrets.choice), taken)


def draw_team_name(taken: set[str]) -> str:
    return draw_unique(lambda: f"Team {secrets.choice(TEAM_WORDS)}", taken)


JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(8))
