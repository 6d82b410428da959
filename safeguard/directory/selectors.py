from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from safeguard.accounts.models import Organisation
from safeguard.directory.models import Hotline, HotlineKind, HotlineProposal, Service


def hotlines_for_country(country: str) -> list[Hotline]:
    """Active hotlines of a country, emergency services first."""
    first = Case(
        When(kind=HotlineKind.EMERGENCY, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return list(
        Hotline.objects.filter(country=country.upper(), is_active=True).order_by(first, "order", "name")
    )


def hotlines_listed(*, country: str = "", organisation: Organisation | None = None) -> QuerySet[Hotline]:
    """Public numbers for their managers: all of them, or one country's, or one organisation's own."""
    rows = Hotline.objects.select_related("organisation")
    if country:
        rows = rows.filter(country=country.upper())
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    return rows


def proposals_pending() -> QuerySet[HotlineProposal]:
    return HotlineProposal.objects.filter(status=HotlineProposal.Status.PENDING).select_related(
        "organisation", "proposed_by"
    )


def proposals_of(organisation: Organisation | None) -> QuerySet[HotlineProposal]:
    return HotlineProposal.objects.filter(organisation=organisation).select_related("proposed_by")


def services_search(
    *,
    need: str = "",
    place: str = "",
    language: str = "",
    age: int | None = None,
    gender: str = "",
    provider: Organisation | None = None,
) -> QuerySet[Service]:
    """Active services that meet ``need`` in ``place`` (an ISO 3166 code) in ``language``.

    A service covering a country serves every subdivision of it; a search for a country also
    finds services that cover only part of it. An empty coverage means "anywhere".
    """
    services = Service.objects.active().select_related("provider")
    if need:
        services = services.filter(kind=need)
    if place:
        place = place.strip().upper()
        country = place.split("-")[0]
        if "-" in place:
            services = services.filter(
                Q(coverage="") | Q(coverage__contains=f",{place},") | Q(coverage__contains=f",{country},")
            )
        else:
            services = services.filter(
                Q(coverage="") | Q(coverage__contains=f",{country},") | Q(coverage__contains=f",{country}-")
            )
    if language:
        services = services.filter(languages__contains=f",{language.strip().lower()},")
    if age is not None:
        services = services.filter(Q(min_age__isnull=True) | Q(min_age__lte=age))
        services = services.filter(Q(max_age__isnull=True) | Q(max_age__gte=age))
    if gender:
        services = services.filter(Q(genders="") | Q(genders__contains=f",{gender},"))
    if provider is not None:
        services = services.filter(provider=provider)
    return services


def services_of(organisation: Organisation) -> QuerySet[Service]:
    return Service.objects.filter(provider=organisation).order_by("kind", "name")
