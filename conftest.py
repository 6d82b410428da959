"""Shared test set-up: configuration, organisations, one user per role, signed-in clients.

The cast, as in every test here: two organisations, ``org_a`` (a hotline) and ``org_b`` (an
NGO), with people holding each role in each. Whatever a user of ``org_b`` does must never
touch ``org_a``'s records unless a feature shares them explicitly.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from safeguard.testing.browser import *  # noqa: F403
from safeguard.testing.fixtures import *  # noqa: F403

# On CI, property tests (and schemathesis) draw the same examples on every run, so a red build
# always reproduces; on a developer's machine they stay random and keep finding new cases.
# No deadline on either: an example slowed by a busy machine is not a failure (speed is
# measured under bench/, never by a test).
hypothesis_settings.register_profile("local", deadline=None)
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True, deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "local")


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A request in Spanish leaves Spanish active in its thread; each test starts in English.
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _forget_remembered_receivers() -> None:
    # Each process remembers who receives public reports; a test's organisations are its own.
    from safeguard.intake.services import forget_receivers

    forget_receivers()


@pytest.fixture(autouse=True)
def _fresh_cache(settings: object) -> None:
    # Rate-limit counters live in the cache; a fresh one per test keeps tests independent
    # (the database cache table is not emptied between tests).
    settings.CACHES = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    # Argon2 is for production; tests that check it read the production setting directly.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    settings.STORAGES = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
