"""Messaging channels of an organisation, the conversations held on them and every message.

The reporter's number or account id is personal data: it is stored only encrypted (``address``),
with a blind index per channel for finding the sender's conversation, and shown to operators
only as a masked handle. It is used for nothing but replying in the conversation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeguard.core.fields import EncryptedJSONField, EncryptedTextField


class Provider(models.TextChoices):
    TWILIO_SMS = "twilio_sms", _("Twilio SMS")
    TWILIO_WHATSAPP = "twilio_whatsapp", _("Twilio WhatsApp")
    TELEGRAM = "telegram", _("Telegram bot")
    AFRICASTALKING_SMS = "at_sms", _("Africa's Talking SMS")
    AFRICASTALKING_USSD = "at_ussd", _("Africa's Talking USSD")
    VONAGE_SMS = "vonage_sms", _("Vonage SMS")
    GENERIC = "generic", _("Generic JSON webhook")


class MessagingChannel(models.Model):
    """One number, bot or USSD code of an organisation, with the provider's credentials (encrypted)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    provider = models.CharField(_("provider"), max_length=20, choices=Provider.choices)
    address = models.CharField(
        _("number, bot or code"),
        max_length=64,
        help_text=_("The channel's own public number, WhatsApp sender, bot name or USSD code."),
    )
    credentials = EncryptedJSONField(default=dict, blank=True)
    # The secret part of the webhook address (256 bits): it names the channel to the webhook.
    webhook_key = models.CharField(max_length=64, unique=True)
    languages = models.JSONField(_("languages"), default=list)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("Asked of the reporter when left empty.")
    )
    route_by_country = models.BooleanField(
        _("the reporter's country's hotline receives"),
        default=False,
        help_text=_("Otherwise this organisation receives every report of the channel."),
    )
    outbound_url = models.URLField(_("outbound address (generic webhook)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_provider_display()})"

    @property
    def is_ussd(self) -> bool:
        return self.provider == Provider.AFRICASTALKING_USSD


class ConversationState(models.TextChoices):
    LANGUAGE = "language", _("Choosing a language")
    NARRATIVE = "narrative", _("Telling what happened")
    COUNTRY = "country", _("Naming the country")
    TOWN = "town", _("Naming the town")
    DANGER = "danger", _("Saying whether a child is in danger")
    IDENTIFIERS = "identifiers", _("Giving identifiers")
    REPORTED = "reported", _("Report sent")
    STOPPED = "stopped", _("Stopped by the reporter")
    EXPIRED = "expired", _("Expired")


class Conversation(models.Model):
    """One sender's dialogue on one channel, from the first message to the report and its follow-up."""

    channel = models.ForeignKey(MessagingChannel, on_delete=models.CASCADE, related_name="conversations")
    address = EncryptedTextField()
    address_index = models.CharField(max_length=40)
    handle = models.CharField(_("reporter"), max_length=32)
    session_id = models.CharField(max_length=100, blank=True)  # USSD session of the provider
    language = models.CharField(max_length=8, blank=True)
    state = models.CharField(
        max_length=12, choices=ConversationState.choices, default=ConversationState.LANGUAGE
    )
    answers = EncryptedJSONField(default=dict, blank=True)
    report = models.ForeignKey(
        "intake.Report", on_delete=models.SET_NULL, null=True, blank=True, related_name="conversations"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        indexes = [
            models.Index(fields=["channel", "address_index", "-last_activity_at"], name="conversation_sender")
        ]

    def __str__(self) -> str:
        return f"{self.handle} on {self.channel_id}"


class MessageStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSED = "processed", _("Processed")
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class ChannelMessage(models.Model):
    """A message in or out of a channel. Inbound ones are stored by the webhook and processed by a task."""

    class Direction(models.TextChoices):
        IN = "in", _("From the reporter")
        OUT = "out", _("To the reporter")

    channel = models.ForeignKey(MessagingChannel, on_delete=models.CASCADE, related_name="messages")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    direction = models.CharField(max_length=3, choices=Direction.choices)
    address = EncryptedTextField()  # the sender of an inbound message, the recipient of an outbound one
    address_index = models.CharField(max_length=40)
    body = EncryptedTextField(_("message"))
    provider_message_id = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=MessageStatus.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # A replayed webhook (the same provider message id) is stored once and processed once.
            models.UniqueConstraint(
                fields=["channel", "direction", "provider_message_id"],
                condition=~Q(provider_message_id=""),
                name="channel_message_once",
            )
        ]
        indexes = [
            models.Index(fields=["channel", "address_index", "status"], name="channel_message_pending"),
            models.Index(fields=["channel", "direction", "status"], name="channel_message_counts"),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.pk} on {self.channel_id}"
