"""Reads of the messaging channels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from safeguard.accounts.access import Actor
from safeguard.intake.channels.models import ChannelMessage, Conversation, MessageStatus, MessagingChannel
from safeguard.intake.models import Report

IN, OUT = ChannelMessage.Direction.IN, ChannelMessage.Direction.OUT


def channels_of(actor: Actor) -> QuerySet[MessagingChannel]:
    if not actor.can("channel.manage") or actor.organisation is None:
        return MessagingChannel.objects.none()
    return MessagingChannel.objects.filter(organisation=actor.organisation)


@dataclass(frozen=True)
class ChannelStats:
    received: int
    sent: int
    failed: int
    waiting: int
    conversations: int
    reports: int


def channel_stats(channels: list[MessagingChannel]) -> dict[int, ChannelStats]:
    """Volume and errors per channel, in two grouped queries."""
    ids = [channel.pk for channel in channels]
    counts: dict[int, dict[str, Any]] = {
        row["channel_id"]: dict(row)
        for row in ChannelMessage.objects.filter(channel_id__in=ids)
        .values("channel_id")
        .annotate(
            received=Count("id", filter=Q(direction=IN)),
            sent=Count(
                "id", filter=Q(direction=OUT, status__in=[MessageStatus.SENT, MessageStatus.DELIVERED])
            ),
            failed=Count("id", filter=Q(direction=OUT, status=MessageStatus.FAILED)),
            waiting=Count("id", filter=Q(direction=OUT, status=MessageStatus.QUEUED)),
        )
    }
    talks: dict[int, dict[str, Any]] = {
        row["channel_id"]: dict(row)
        for row in Conversation.objects.filter(channel_id__in=ids)
        .values("channel_id")
        .annotate(conversations=Count("id"), reports=Count("report_id", distinct=True))
    }
    none: dict[str, Any] = {}
    return {
        pk: ChannelStats(
            received=counts.get(pk, none).get("received", 0),
            sent=counts.get(pk, none).get("sent", 0),
            failed=counts.get(pk, none).get("failed", 0),
            waiting=counts.get(pk, none).get("waiting", 0),
            conversations=talks.get(pk, none).get("conversations", 0),
            reports=talks.get(pk, none).get("reports", 0),
        )
        for pk in ids
    }


def recent_failures(channel: MessagingChannel, limit: int = 10) -> list[ChannelMessage]:
    return list(
        ChannelMessage.objects.filter(channel=channel, direction=OUT, status=MessageStatus.FAILED).order_by(
            "-created_at", "-id"
        )[:limit]
    )


@dataclass(frozen=True)
class Transcript:
    conversation: Conversation
    messages: list[ChannelMessage]


def report_transcripts(report: Report) -> list[Transcript]:
    """Every conversation of a report (the one that made it, later follow-ups), messages in order.

    Called only for a report the viewer may see (``access.report_for``); shows the masked handle,
    never the address.
    """
    conversations = list(report.conversations.select_related("channel").order_by("created_at", "id"))
    messages: dict[int, list[ChannelMessage]] = {conversation.pk: [] for conversation in conversations}
    for message in ChannelMessage.objects.filter(conversation__in=conversations).order_by("created_at", "id"):
        messages[message.conversation_id].append(message)  # type: ignore[index]
    return [Transcript(conversation, messages[conversation.pk]) for conversation in conversations]
