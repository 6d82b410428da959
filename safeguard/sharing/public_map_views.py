"""The public map page (anyone, when the organisation publishes it) and its on/off setting (admins)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeguard.accounts.access import actor_for
from safeguard.accounts.models import Organisation
from safeguard.accounts.permissions import staff_view
from safeguard.core import boundaries
from safeguard.core.forms import submitted
from safeguard.core.geography import subdivision_name
from safeguard.core.maps import MapArea, class_for, map_svg
from safeguard.sharing import public_map
from safeguard.sharing.models import PublicMap

KIND_LABELS = {"reports": gettext_lazy("Reports received"), "cases": gettext_lazy("Cases registered")}


class PublicMapForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Show"), choices=list(KIND_LABELS.items()), required=False)
    month = forms.ChoiceField(label=gettext_lazy("Month"), required=False)

    def __init__(self, *args: Any, months: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        month = self.fields["month"]
        assert isinstance(month, forms.ChoiceField)
        month.choices = months


class PublicMapSettingForm(forms.Form):
    enabled = forms.BooleanField(
        label=gettext_lazy("Publish the public map of reports and cases by region and month"), required=False
    )


def _month_label(key: str) -> str:
    return str(formats.date_format(dt.date(int(key[:4]), int(key[5:]), 1), "YEAR_MONTH_FORMAT"))


def _breaks(threshold: int) -> tuple[int, int, int, int]:
    """Class edges above the threshold: N–2N−1, 2N–4N−1, 4N–8N−1, 8N–16N−1, 16N or more."""
    return (2 * threshold, 4 * threshold, 8 * threshold, 16 * threshold)


def _legend(threshold: int) -> list[dict[str, str]]:
    edges = (threshold, *_breaks(threshold))
    entries = [
        {"css_class": f"map-class-{i}", "label": f"{edges[i]}–{edges[i + 1] - 1}"}
        for i in range(len(edges) - 1)
    ]
    entries.append({"css_class": "map-class-4", "label": _("%(count)s or more") % {"count": edges[-1]}})
    entries.append(
        {"css_class": "map-class-none", "label": _("fewer than %(count)s (not shown)") % {"count": threshold}}
    )
    return list(reversed(entries[:-1])) + entries[-1:]


def public_map_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Counts by region for one month, small counts suppressed; 404 unless the organisation publishes it."""
    organisation = get_object_or_404(Organisation, slug=slug, is_active=True)
    if not public_map.public_map_enabled(organisation):
        raise Http404("no public map")
    months = public_map.month_keys(dt.date.today())
    form = PublicMapForm(request.GET or None, months=[(key, _month_label(key)) for key in reversed(months)])
    kind, month = "reports", months[-1]
    if form.is_valid():
        kind = form.cleaned_data["kind"] or kind
        month = form.cleaned_data["month"] or month
    data = public_map.public_map_data(organisation, kind=kind)
    threshold = data.threshold
    month_label = _month_label(month)
    areas = []
    for code, row in data.areas.items():
        geometry = boundaries.shape(code)
        if not geometry:
            continue
        count = row.get(month)
        name = subdivision_name(code)
        label = (
            _("%(name)s: %(count)s in %(month)s") % {"name": name, "count": count, "month": month_label}
            if count is not None
            else _("%(name)s: fewer than %(threshold)s in %(month)s")
            % {"name": name, "threshold": threshold, "month": month_label}
        )
        areas.append(
            MapArea(
                code=code,
                geometry=geometry,
                css_class=class_for(count, _breaks(threshold)) if count is not None else "map-class-none",
                label=label,
            )
        )
    title = _("%(kind)s by region, %(month)s") % {"kind": KIND_LABELS[kind], "month": month_label}
    svg = map_svg(
        areas,
        title=title,
        description=_(
            "Each region is coloured by its count this month; grey means fewer than %(threshold)s, which is "
            "not shown. The table below has the same figures for every month."
        )
        % {"threshold": threshold},
        map_id="public-map",
    )
    rows = [
        {
            "code": code,
            "name": subdivision_name(code),
            "cells": [(key, row[key]) for key in data.months],
            "has_shape": boundaries.has_shape(code),
        }
        for code, row in data.areas.items()
    ]
    return render(
        request,
        "sharing/public_map.html",
        {
            "organisation": organisation,
            "form": form,
            "kind_label": KIND_LABELS[kind],
            "month_label": month_label,
            "map_svg": mark_safe(svg),  # noqa: S308 - escaped in core.maps
            "map_title": title,
            "legend": _legend(threshold),
            "source_line": _(
                "%(organisation)s, counted by Safeguard on %(today)s. Boundaries: Natural Earth (public domain)."
            )
            % {
                "organisation": organisation.name,
                "today": formats.date_format(dt.date.today(), "DATE_FORMAT"),
            },
            "threshold": threshold,
            "months": [(key, _month_label(key)) for key in data.months],
            "rows": rows,
            "without_shape": sum(not row["has_shape"] for row in rows),
        },
    )


@staff_view("release.view")
def public_map_settings(request: HttpRequest) -> HttpResponse:
    """Whether the organisation publishes its public map; organisation admins turn it on or off."""
    actor = actor_for(request)
    assert actor.organisation is not None
    setting = PublicMap.objects.filter(organisation=actor.organisation).first()
    enabled = bool(setting and setting.enabled)
    form = None
    if actor.can("privacy.manage"):
        form = PublicMapSettingForm(
            request.POST if request.method == "POST" else None, initial={"enabled": enabled}
        )
    if request.method == "POST":
        actor.require("privacy.manage")
        assert form is not None
        data = form.cleaned_data if form.is_valid() else {}
        message = _("The public map is published.") if data.get("enabled") else _("The public map is off.")
        if submitted(
            request,
            form,
            lambda: public_map.public_map_set(actor=actor, enabled=bool(data["enabled"])),
            message,
        ):
            return redirect("sharing:public_map_settings")
    return render(
        request,
        "sharing/public_map_settings.html",
        {
            "enabled": enabled,
            "setting": setting,
            "form": form,
            "threshold": public_map.threshold_of(actor.organisation),
            "minimum": public_map.MIN_THRESHOLD,
            "public_url": reverse("sharing:public_map", kwargs={"slug": actor.organisation.slug}),
        },
    )
