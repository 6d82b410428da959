"""Fetching directory entries *for a user*: anything outside their reach is "not found"."""

from __future__ import annotations

from django.http import Http404

from safeguard.accounts.access import Actor
from safeguard.directory.models import Hotline, Service


def service_of_my_organisation(actor: Actor, service_id: int) -> Service:
    """A service the actor's organisation lists, for those who manage its listings."""
    actor.require("directory.manage")
    service = Service.objects.filter(pk=service_id, provider=actor.organisation).first()
    if actor.organisation is None or service is None:
        raise Http404("service")
    return service


def hotline_for(actor: Actor, hotline_id: int) -> Hotline:
    """A public hotline entry, for those who manage the public numbers."""
    actor.require("hotline.manage")
    hotline = Hotline.objects.filter(pk=hotline_id).first()
    if hotline is None:
        raise Http404("hotline")
    return hotline


def service_to_refer_to(actor: Actor, service_id: int | str) -> Service:
    """A service any provider still offers, for those who may see the directory (a referral's target)."""
    actor.require("directory.view")
    service = Service.objects.active().select_related("provider").filter(pk=service_id).first()
    if service is None:
        raise Http404("service")
    return service
