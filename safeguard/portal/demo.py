"""The demo world: fictional organisations and one user per role.

``seed_demo`` builds it and then calls ``seed(world)`` in every app's ``demo`` module, in
data-flow order, so each app adds its own fictional records. Everything is derived from one
seed, so two runs with the same seed give the same people, codes and secrets.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import OrganisationKind, Role

DEMO_PASSWORD = "demo-Safeguard-2026"  # noqa: S105 - printed by make demo; demo data only

ORGANISATIONS = [
    ("northwind-helpline", "Northwind Child Helpline (demo)", OrganisationKind.HOTLINE),
    ("harbour-light", "Harbour Light Foundation (demo)", OrganisationKind.NGO),
    ("riverside-cps", "Riverside Child Protection Service (demo)", OrganisationKind.CHILD_PROTECTION),
    ("bluefield-police", "Bluefield Police Anti-Trafficking Unit (demo)", OrganisationKind.LAW_ENFORCEMENT),
    ("safe-haven", "Safe Haven Shelter (demo)", OrganisationKind.SERVICE_PROVIDER),
    ("ministry-social", "Ministry of Social Affairs of Examplia (demo)", OrganisationKind.GOVERNMENT),
]

# (e-mail, name, organisation slug, roles)
PEOPLE = [
    ("admin@northwind.example", "Ada Admin", "northwind-helpline", [Role.ORG_ADMIN]),
    ("operator@northwind.example", "Oscar Operator", "northwind-helpline", [Role.OPERATOR]),
    ("supervisor@northwind.example", "Sabine Supervisor", "northwind-helpline", [Role.SUPERVISOR]),
    ("caseworker@harbour.example", "Cara Caseworker", "harbour-light", [Role.CASEWORKER]),
    ("supervisor@harbour.example", "Sam Supervisor", "harbour-light", [Role.SUPERVISOR]),
    ("admin@harbour.example", "Hal Admin", "harbour-light", [Role.ORG_ADMIN]),
    ("analyst@harbour.example", "Ana Analyst", "harbour-light", [Role.ANALYST]),
    ("caseworker@riverside.example", "Rui Caseworker", "riverside-cps", [Role.CASEWORKER]),
    ("liaison@bluefield.example", "Lee Liaison", "bluefield-police", [Role.LIAISON]),
    ("caseworker@safehaven.example", "Shay Shelterworker", "safe-haven", [Role.CASEWORKER]),
    ("programme@ministry.example", "Pat Programme", "ministry-social", [Role.PROGRAMME_MANAGER]),
]
PLATFORM_ADMIN = ("root@safeguard.example", "Platform Admin")


@dataclass
class DemoWorld:
    """What every app's demo seeder receives."""

    seed: int
    rng: random.Random
    organisations: dict[str, Organisation]
    users: dict[str, User]
    created: bool
    log: Any
    extra: dict[str, Any] = field(default_factory=dict)

    def user(self, email: str) -> User:
        return self.users[email]

    def organisation(self, slug: str) -> Organisation:
        return self.organisations[slug]


def totp_secret_for(seed: int, email: str) -> bytes:
    """A deterministic 20-byte TOTP secret for a demo user."""
    return random.Random(f"{seed}:{email}").randbytes(20)
