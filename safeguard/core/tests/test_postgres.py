"""Every PostgreSQL connection Django opens runs without JIT compilation (decision 184)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the tests' database is not PostgreSQL (CI's second pass is)"
)
def test_postgresql_connections_run_without_jit() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
