from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When

from safeguard.directory.models import Hotline, HotlineKind


def hotlines_for_country(country: str) -> list[Hotline]:
    """Active hotlines of a country, emergency services first."""
    first = Case(
        When(kind=HotlineKind.EMERGENCY, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return list(
        Hotline.objects.filter(country=country.upper(), is_active=True).order_by(first, "order", "name")
    )
