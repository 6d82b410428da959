"""The demo world is fictional, deterministic and can be seeded twice."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.models import Membership, Organisation, User
from safeguard.collaboration import demo as collaboration_demo
from safeguard.portal.demo import PEOPLE, totp_secret_for

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", "--seed", "7", stdout=out)
    return out.getvalue()


def test_seeding_twice_keeps_one_copy_of_everything() -> None:
    seed()
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())

    seed()

    assert (Organisation.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    # collaboration's seeder adds a police unit in a second country and three people.
    assert counts[0] == 6 + 1
    assert counts[1] == len(PEOPLE) + 1 + len(collaboration_demo.EXTRA_PEOPLE)


def test_every_staff_role_has_a_demo_user_with_an_authenticator() -> None:
    seed()
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {
        "operator",
        "caseworker",
        "supervisor",
        "analyst",
        "liaison",
        "programme_manager",
        "org_admin",
    }
    assert TOTPDevice.objects.filter(confirmed=True).count() == User.objects.count()


def test_the_printed_logins_include_each_users_totp_secret() -> None:
    import base64

    output = seed()
    secret = base64.b32encode(totp_secret_for(7, "operator@northwind.example")).decode()
    assert "operator@northwind.example" in output
    assert secret in output


def test_demo_secrets_depend_only_on_the_seed() -> None:
    assert totp_secret_for(7, "a@x.example") == totp_secret_for(7, "a@x.example")
    assert totp_secret_for(7, "a@x.example") != totp_secret_for(8, "a@x.example")
