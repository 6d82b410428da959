"""Fetching directory entries *for a user*: anything outside their reach is "not found"."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from safeguard.accounts.access import Actor, require_platform_admin
from safeguard.directory.models import Hotline, HotlineProposal, Service


def service_of_my_organisation(actor: Actor, service_id: int) -> Service:
    """A service the actor's organisation lists, for those who manage its listings."""
    actor.require("directory.manage")
    service = Service.objects.filter(pk=service_id, provider=actor.organisation).first()
    if actor.organisation is None or service is None:
        raise Http404("service")
    return service


def hotline_for_platform_admin(user: Any, hotline_id: int) -> Hotline:
    """Any public number, for a platform admin (who manages them all)."""
    require_platform_admin(user)
    hotline = Hotline.objects.filter(pk=hotline_id).first()
    if hotline is None:
        raise Http404("hotline")
    return hotline


def hotline_of_my_organisation(actor: Actor, hotline_id: int) -> Hotline:
    """One of the actor's organisation's own public numbers; others' and the platform's are "not found"."""
    actor.require("hotline.propose")
    hotline = (
        Hotline.objects.filter(pk=hotline_id, organisation=actor.organisation).first()
        if actor.organisation
        else None
    )
    if hotline is None:
        raise Http404("hotline")
    return hotline


def proposal_for_platform_admin(user: Any, proposal_id: int) -> HotlineProposal:
    """Any organisation's proposal of a public number, for a platform admin to review."""
    require_platform_admin(user)
    proposal = (
        HotlineProposal.objects.select_related("organisation", "hotline").filter(pk=proposal_id).first()
    )
    if proposal is None:
        raise Http404("proposal")
    return proposal


def service_to_refer_to(actor: Actor, service_id: int | str) -> Service:
    """A service any provider still offers, for those who may see the directory (a referral's target)."""
    actor.require("directory.view")
    service = Service.objects.active().select_related("provider").filter(pk=service_id).first()
    if service is None:
        raise Http404("service")
    return service
