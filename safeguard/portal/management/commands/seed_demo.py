from __future__ import annotations

import base64
import random
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts import services
from safeguard.accounts.models import Organisation, RecoveryCodeDevice, User
from safeguard.analytics import demo as analytics_demo
from safeguard.cases import demo as cases_demo
from safeguard.collaboration import demo as collaboration_demo
from safeguard.directory import demo as directory_demo
from safeguard.intake import demo as intake_demo
from safeguard.learning import demo as learning_demo
from safeguard.legal import demo as legal_demo
from safeguard.portal.demo import (
    DEMO_PASSWORD,
    ORGANISATIONS,
    PEOPLE,
    PLATFORM_ADMIN,
    DemoWorld,
    totp_secret_for,
)
from safeguard.risk import demo as risk_demo
from safeguard.sharing import demo as sharing_demo
from safeguard.tracing import demo as tracing_demo

# Apps seed in the direction data flows: who provides services, then reports, cases, analysis.
APP_SEEDERS = [
    directory_demo,
    intake_demo,
    cases_demo,
    tracing_demo,
    analytics_demo,
    collaboration_demo,
    risk_demo,
    learning_demo,
    legal_demo,
    sharing_demo,
]


class Command(BaseCommand):
    help = "Create fictional demo organisations, one user per role, and each app's demo records."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, seed: int, **options: Any) -> None:
        created = not Organisation.objects.filter(slug=ORGANISATIONS[0][0]).exists()
        with transaction.atomic():
            world = DemoWorld(
                seed=seed,
                rng=random.Random(seed),
                organisations=self._organisations(),
                users={},
                created=created,
                log=self.stdout,
            )
            world.users = self._people(world)
        for module in APP_SEEDERS:
            module.seed(world)
        self._print_logins(world)

    def _organisations(self) -> dict[str, Organisation]:
        organisations = {}
        for slug, name, kind in ORGANISATIONS:
            organisation = Organisation.objects.filter(slug=slug).first()
            if organisation is None:
                organisation = services.organisation_create(name=name, slug=slug, kind=kind)
            organisations[slug] = organisation
        return organisations

    def _people(self, world: DemoWorld) -> dict[str, User]:
        users = {}
        for email, name, slug, roles in PEOPLE:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = services.user_create(
                    email=email,
                    name=name,
                    organisation=world.organisations[slug],
                    roles=[role.value for role in roles],
                    password=DEMO_PASSWORD,
                    actor=None,
                )
            self._enrol_totp(world.seed, user)
            users[email] = user
        email, name = PLATFORM_ADMIN
        admin = User.objects.filter(email=email).first() or User.objects.create_superuser(
            email, DEMO_PASSWORD, name=name
        )
        self._enrol_totp(world.seed, admin)
        users[email] = admin
        return users

    def _enrol_totp(self, seed: int, user: User) -> None:
        key = totp_secret_for(seed, user.email).hex()
        TOTPDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": "Demo authenticator", "key": key}
        )
        device, created = RecoveryCodeDevice.objects.get_or_create(
            user=user, defaults={"name": "Recovery codes"}
        )
        if created:
            # Not printed: a demo user who wants them makes new ones from the account menu.
            device.issue_codes(10)

    def _print_logins(self, world: DemoWorld) -> None:
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Demo sign-in (fictional people; password for all: {DEMO_PASSWORD})")
        )
        self.stdout.write(
            "Second factor: add the TOTP secret to an authenticator app, or print the current code with"
        )
        self.stdout.write("  .venv/bin/python manage.py demo_totp EMAIL")
        for email, user in world.users.items():
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            secret = base64.b32encode(bytes.fromhex(device.key)).decode() if device else "-"
            roles = (
                ", ".join(sorted({m.get_role_display() for m in user.memberships.all()})) or "platform admin"
            )
            self.stdout.write(f"  {email:32} {roles:28} TOTP secret {secret}")
