"""Fetching releases for a user: the only way views and the API get them.

A release belongs to the organisation that prepared it; another organisation's is *not found*
(404), so its existence does not leak. Published releases are read on the public page through
``selectors.published_releases`` instead, without an actor.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from safeguard.accounts.access import Actor
from safeguard.sharing.models import BudgetEntry, Release


def releases_for(actor: Actor) -> QuerySet[Release]:
    actor.require("release.view")
    return Release.objects.filter(organisation=actor.organisation).select_related("created_by", "decided_by")


def release_for(actor: Actor, release_id: int) -> Release:
    release = releases_for(actor).filter(pk=release_id).first()
    if release is None:
        raise Http404("no such release")
    return release


def ledger_for(actor: Actor) -> QuerySet[BudgetEntry]:
    actor.require("release.view")
    return BudgetEntry.objects.filter(organisation=actor.organisation).select_related("release", "spent_by")
