"""Placing reports with coordinates in the region hierarchy (subdivision and custom district)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from safeguard.core import boundaries
from safeguard.core.audit import audit_record
from safeguard.intake.models import Report
from safeguard.risk.models import Region, RegionLevel, ReportPlace


def district_containing(lon: float, lat: float) -> Region | None:
    """The custom district whose imported shape contains the point, or None.

    Districts are few (tens to hundreds); each is checked by bounding box first, then by ray
    casting on its rings. Districts tile without overlap; if two ever overlap, the first code
    in alphabetical order wins, so the answer is stable.
    """
    for region in Region.objects.filter(level=RegionLevel.DISTRICT).exclude(shape=None).order_by("code"):
        shape = region.shape or {}
        bounds = boundaries.bounds_of([shape])
        if bounds and bounds.contains(lon, lat) and boundaries.point_in_geometry(lon, lat, shape):
            return region
    return None


def report_place_assign(*, report_id: int) -> ReportPlace | None:
    """Store the subdivision and custom district of a report; None without a region or a point.

    A system step after intake (no actor). The report's own subdivision, chosen by the
    reporter, is kept when it has one; the shipped boundaries fill it in from the point
    otherwise. The custom district needs a point (coarsened to 0.1 degree at intake).
    """
    report = Report.objects.filter(pk=report_id).only("pk", "latitude", "longitude", "subdivision").first()
    if report is None:
        return None
    district: Region | None = None
    subdivision = report.subdivision
    if report.latitude is not None and report.longitude is not None:
        lon, lat = float(Decimal(report.longitude)), float(Decimal(report.latitude))
        district = district_containing(lon, lat)
        subdivision = subdivision or boundaries.locate(lon, lat)[1]
    elif not subdivision:
        return None
    with transaction.atomic():
        place, _ = ReportPlace.objects.update_or_create(
            report_id=report.pk, defaults={"district": district, "subdivision": subdivision}
        )
        audit_record(
            action="risk.report_place_assign",
            organisation=None,
            object_type="report",
            object_id=report.pk,
            detail={"district": district.code if district else "", "subdivision": subdivision},
        )
    return place
