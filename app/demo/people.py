"""Demo people: a fictitious organisation for trying the product (development only).

Every name is invented and every email is under example.org (reserved for documentation).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from app.db import Databases
from app.demo.mentoring import demo_pair
from app.vault import EmailTaken, NewProfile, Role, Vault

# Not a secret: it protects only fictitious accounts on a local development instance.
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105
FIRST_NAMES = [
    "Alba",
    "Bruno",
    "Chiara",
    "Dmitri",
    "Elodie",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kenji",
    "Lucia",
    "Mateo",
    "Nadia",
    "Oskar",
    "Priya",
    "Quentin",
    "Rosa",
    "Samir",
    "Tilda",
]
LAST_NAMES = [
    "Ashgrove",
    "Brightwater",
    "Cobblestone",
    "Dunmore",
    "Elderfield",
    "Fairbrook",
    "Glenrock",
    "Hollowell",
    "Ironwood",
    "Juniper",
    "Kestrel",
    "Larkspur",
    "Moorcroft",
    "Northwind",
]
DEPARTMENTS = ["Finance", "Marketing", "Recruiting", "Operations", "Engineering", "Legal"]
# (birth year range, years of experience range, share of the workforce)
GENERATIONS = [
    ((1955, 1964), (30, 42), 4),
    ((1965, 1980), (15, 35), 12),
    ((1981, 1996), (3, 20), 14),
    ((1997, 2004), (0, 5), 10),
]


@dataclass(frozen=True)
class DemoSignIn:
    email: str
    roles: list[Role]
    description: str


def demo_people(seed: int = 2026) -> list[tuple[NewProfile, list[Role]]]:
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    people: list[tuple[NewProfile, list[Role]]] = []
    managers: dict[str, str] = {}
    for years, experience, count in GENERATIONS:
        for _ in range(count):
            index = len(people)
            first = FIRST_NAMES[index % len(FIRST_NAMES)]
            last = LAST_NAMES[(index * 7) % len(LAST_NAMES)]
            department = DEPARTMENTS[index % len(DEPARTMENTS)]
            email = f"{first}.{last}.{index}@example.org".lower()
            birth_year = rng.randint(*years)
            profile = NewProfile(
                display_name=f"{first} {last}",
                email=email,
                birth_year=birth_year,
                years_experience=min(rng.randint(*experience), 2026 - birth_year - 18),
                department=department,
                # The most senior person of each department is everyone else's manager there.
                manager_email=managers.get(department),
                language=rng.choice(["en", "en", "fr", "es"]),
            )
            managers.setdefault(department, email)
            people.append((profile, ["participant"]))
    people.insert(
        0,
        (
            NewProfile(
                display_name="Demo Admin",
                email="admin@example.org",
                birth_year=1978,
                years_experience=20,
                department="People",
            ),
            ["admin", "facilitator"],
        ),
    )
    people.insert(
        1,
        (
            NewProfile(
                display_name="Demo Facilitator",
                email="facilitator@example.org",
                birth_year=1988,
                years_experience=10,
                department="People",
            ),
            ["facilitator"],
        ),
    )
    return people


async def seed_demo(vault: Vault, dbs: Databases) -> list[DemoSignIn]:
    """Create the demo accounts that do not exist yet; returns the sign-ins to print."""
    for profile, roles in demo_people():
        try:
            async with dbs.vault_sessions.begin() as db:
                await vault.bind(db).create_account(profile, password=DEMO_PASSWORD, roles=roles)
        except EmailTaken:
            continue  # already seeded: seeding is idempotent
    participants = [profile.email for profile, roles in demo_people() if roles == ["participant"]]
    participant = participants[0]
    mentoring = demo_pair(participants)
    return [
        DemoSignIn("admin@example.org", ["admin", "facilitator"], "invites people, grants roles"),
        DemoSignIn("facilitator@example.org", ["facilitator"], "creates challenges, forms teams"),
        DemoSignIn(participant, ["participant"], "one of 40 employees of every generation"),
        DemoSignIn(mentoring.mentor, ["participant"], "a mentor in the running mentoring"),
        DemoSignIn(mentoring.mentee, ["participant"], "a mentee, paired with that mentor"),
    ]
