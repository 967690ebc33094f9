"""Demo data for trying the product (development only): a fictitious organisation
(`people`: its accounts in the vault and their sign-ins) and four challenges in different
phases (`activity`: played through the real API in-process). Every name and text is invented.
"""

from app.demo.activity import seed_challenges
from app.demo.people import DEMO_PASSWORD, DemoSignIn, demo_people, seed_demo

__all__ = ["DEMO_PASSWORD", "DemoSignIn", "demo_people", "seed_challenges", "seed_demo"]
