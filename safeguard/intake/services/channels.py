"""Partner channels: API keys with which partners submit reports to an organisation."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from safeguard.accounts.access import Actor
from safeguard.core.audit import audit_record
from safeguard.intake.access import require_in_organisation
from safeguard.intake.models import PartnerChannel
from safeguard.intake.services.workflow import clean_text


def partner_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def partner_channel_create(*, name: str, actor: Actor) -> tuple[PartnerChannel, str]:
    """A new partner API key for the actor's organisation (``channel.manage``); returns the key,
    shown once. Only its SHA-256 is kept (it has 256 bits)."""
    actor.require("channel.manage")
    if actor.organisation is None:
        raise PermissionDenied("channel.manage")
    key = "sgc_" + secrets.token_urlsafe(32)
    channel = PartnerChannel(
        organisation=actor.organisation,
        name=clean_text(name, "name")[:100],
        prefix=key[:10],
        key_hash=partner_key_hash(key),
        created_by=actor.user,
    )
    channel.full_clean()
    channel.save()
    audit_record(
        action="partner_channel.created", actor=actor.user, organisation=actor.organisation, target=channel
    )
    return channel, key


@transaction.atomic
def partner_channel_revoke(*, channel: PartnerChannel, actor: Actor) -> PartnerChannel:
    """Revoke one of the actor's organisation's keys (``channel.manage``); revoking twice does nothing."""
    require_in_organisation(actor, "channel.manage", channel.organisation_id)
    if channel.revoked_at is None:
        channel.revoked_at = timezone.now()
        channel.save(update_fields=["revoked_at"])
        audit_record(
            action="partner_channel.revoked",
            actor=actor.user,
            organisation=actor.organisation,
            target=channel,
        )
    return channel
