"""Writes of the messaging channels: configuration, inbound messages, the dialogue, outbound.

Webhooks take no actor: the provider's signature or secret on the channel is the credential
(``providers.parse_inbound``). Configuration and replies take the ``Actor`` and check it.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.core.audit import audit_record
from safeguard.core.fields import blind_index_for
from safeguard.intake import receipts, throttling
from safeguard.intake.access import require_in_organisation
from safeguard.intake.channels import providers, ussd
from safeguard.intake.channels.conversation import (
    LANGUAGES,
    RESTART_WORDS,
    Dialogue,
    looks_like_receipt,
    operator_text,
    plain,
)
from safeguard.intake.channels.models import (
    ChannelMessage,
    Conversation,
    ConversationState,
    MessageStatus,
    MessagingChannel,
    Provider,
)
from safeguard.intake.choices import Channel
from safeguard.intake.models import Report
from safeguard.intake.services.follow_up import report_reporter_message
from safeguard.intake.services.submission import ReportInput, _tasks_join_transaction, report_submit
from safeguard.intake.services.triage import report_ask_reporter
from safeguard.intake.services.workflow import clean_text

MAX_SEND_ATTEMPTS = 5

REPORT_CHANNEL = {
    Provider.TWILIO_SMS: Channel.SMS,
    Provider.AFRICASTALKING_SMS: Channel.SMS,
    Provider.TWILIO_WHATSAPP: Channel.WHATSAPP,
    Provider.TELEGRAM: Channel.TELEGRAM,
    Provider.AFRICASTALKING_USSD: Channel.USSD,
    Provider.VONAGE_SMS: Channel.SMS,
    Provider.GENERIC: Channel.MESSAGING,
}


# --- the reporter's address -------------------------------------------------------------------


def address_index(channel: MessagingChannel, address: str) -> str:
    """The blind index of a sender on one channel (the same number on two channels is unlinkable)."""
    return blind_index_for(f"{channel.pk}:{address.strip()}", purpose="channel-sender")


def masked_handle(channel: MessagingChannel, address: str) -> str:
    """What operators see of the sender: the start of a phone number and its last two digits."""
    address = address.strip()
    if channel.provider == Provider.TELEGRAM:
        return "Telegram ••" + address[-2:]
    return f"{address[:3]} ••• ••{address[-2:]}" if len(address) > 6 else "•••"


# --- configuration ----------------------------------------------------------------------------


@transaction.atomic
def channel_save(*, channel: MessagingChannel, credentials: dict[str, str], actor: Actor) -> MessagingChannel:
    """Create or change one of the actor's organisation's channels (``channel.manage``).

    A credential left empty keeps its stored value; a new channel gets its webhook key.
    """
    organisation = actor.organisation
    if channel.pk is None:
        actor.require("channel.manage")
        if organisation is None:
            raise ValidationError("channel.manage")
        channel.organisation = organisation
        channel.created_by = actor.user
        channel.webhook_key = secrets.token_urlsafe(32)
    else:
        require_in_organisation(actor, "channel.manage", channel.organisation_id)
    unknown = [code for code in channel.languages if code not in LANGUAGES]
    if unknown or not channel.languages:
        raise ValidationError({"languages": _("Choose one or more languages.")})
    stored = dict(channel.credentials or {})
    known = providers.CREDENTIALS.get(channel.provider, ()) + providers.OPTIONAL_CREDENTIALS.get(
        channel.provider, ()
    )
    for name in known:
        if credentials.get(name):
            stored[name] = credentials[name].strip()
    missing = [name for name in providers.CREDENTIALS.get(channel.provider, ()) if not stored.get(name)]
    if missing:
        raise ValidationError(_("Missing credentials: %(names)s.") % {"names": ", ".join(missing)})
    if channel.provider == Provider.GENERIC and not channel.outbound_url:
        raise ValidationError({"outbound_url": _("A generic webhook needs the address that sends messages.")})
    method = stored.get("signature_method", "")
    if method and method not in providers.VONAGE_METHODS:
        raise ValidationError(
            _("The Vonage signature method is one of md5hash, md5, sha1, sha256 and sha512.")
        )
    channel.credentials = {key: value for key, value in stored.items() if key in known}
    created = channel.pk is None
    channel.full_clean()
    channel.save()
    audit_record(
        action="messaging_channel.created" if created else "messaging_channel.changed",
        actor=actor.user,
        organisation=organisation,
        target=channel,
        detail={
            "provider": channel.provider,
            "credentials_changed": sorted(k for k, v in credentials.items() if v),
        },
    )
    return channel


@transaction.atomic
def channel_test_message(*, channel: MessagingChannel, to: str, actor: Actor) -> ChannelMessage:
    """Send a test message from the channel to a number or chat id the admin gives."""
    require_in_organisation(actor, "channel.manage", channel.organisation_id)
    to = clean_text(to, "to")[:64]
    with translation.override(channel.languages[0] if channel.languages else "en"):
        body = _("Safeguard test message from the channel %(name)s.") % {"name": channel.name}
    message = outbound_queue(channel=channel, conversation=None, address=to, body=body, author=actor.user)
    audit_record(
        action="messaging_channel.tested", actor=actor.user, organisation=actor.organisation, target=channel
    )
    return message


# --- inbound ----------------------------------------------------------------------------------


def over_sender_limit(channel: MessagingChannel, sender: str) -> bool:
    """Count one message of the sender; True above ``SAFEGUARD_CHANNEL_SENDER_RATE``."""
    return throttling.hit(
        None,
        group="channel-sender",
        rate_setting="INTAKE_CHANNEL_SENDER_RATE",
        key=address_index(channel, sender),
    )


def inbound_store(*, channel: MessagingChannel, inbound: list[providers.Inbound]) -> int:
    """Store the messages of a webhook and enqueue their processing; a replayed one is ignored.

    Takes no actor (the provider's signature was checked). Each message and its task are written
    in one transaction with the database task backend, so a stored message is never left
    without its task (and a worker killed mid-task leaves the task to be taken again).
    Returns the number of new messages.
    """
    stored = 0
    for item in inbound:
        if not item.sender or not item.provider_message_id:
            continue
        index = address_index(channel, item.sender)
        try:
            with transaction.atomic():
                ChannelMessage.objects.create(
                    channel=channel,
                    direction=ChannelMessage.Direction.IN,
                    address=item.sender,
                    address_index=index,
                    body=item.text[:5000],
                    provider_message_id=item.provider_message_id[:100],
                    status=MessageStatus.RECEIVED,
                )
                _enqueue(channel.pk, index)
        except IntegrityError:
            continue  # the same provider message id again: a replay or a provider's retry
        stored += 1
    return stored


def _enqueue(channel_id: int, index: str) -> None:
    from safeguard.intake.channels.tasks import channel_inbound_process

    if _tasks_join_transaction(channel_inbound_process):
        channel_inbound_process.enqueue(channel_id=channel_id, address_index=index)
    else:
        transaction.on_commit(
            lambda: channel_inbound_process.enqueue(channel_id=channel_id, address_index=index)
        )


def _dialogue() -> Dialogue:
    return Dialogue(submit=_submit, follow_up=_follow_up, reopen=_reopen)


def _current_conversation(
    channel: MessagingChannel, index: str, address: str
) -> tuple[Conversation, bool, bool]:
    """The sender's conversation, locked; a new one when there is none or it expired.

    Returns ``(conversation, new, expired_unfinished)``.
    """
    idle = timedelta(minutes=settings.CHANNEL_SESSION_IDLE_MINUTES)
    latest = (
        Conversation.objects.select_for_update()
        .filter(channel=channel, address_index=index, session_id="")
        .order_by("-last_activity_at", "-id")
        .first()
    )
    if latest is not None and timezone.now() - latest.last_activity_at <= idle:
        return latest, False, False
    unfinished = False
    if latest is not None:
        unfinished = latest.state not in (ConversationState.REPORTED, ConversationState.STOPPED)
        if latest.state != ConversationState.STOPPED:
            latest.state = ConversationState.EXPIRED
            latest.save(update_fields=["state"])
    return _new_conversation(channel, index, address, latest.language if latest else ""), True, unfinished


def _new_conversation(channel: MessagingChannel, index: str, address: str, language: str) -> Conversation:
    return Conversation.objects.create(
        channel=channel,
        address=address,
        address_index=index,
        handle=masked_handle(channel, address),
        language=language,
    )


def inbound_process(*, channel_id: int, address_index: str) -> int:
    """Answer every stored, unprocessed message of one sender, in order (the background task).

    The conversation is locked while its messages are answered, so two workers never interleave
    one sender's messages. Returns the number of messages processed.
    """
    processed = 0
    with transaction.atomic():
        channel = MessagingChannel.objects.select_for_update().filter(pk=channel_id).first()
        if channel is None:
            return 0
        pending = list(
            ChannelMessage.objects.filter(
                channel=channel,
                address_index=address_index,
                direction=ChannelMessage.Direction.IN,
                status=MessageStatus.RECEIVED,
            ).order_by("id")
        )
        dialogue = _dialogue()
        for message in pending:
            conversation, new, unfinished = _current_conversation(channel, address_index, message.address)
            if conversation.report_id and (
                plain(message.body) in RESTART_WORDS or conversation.state == ConversationState.STOPPED
            ):
                # Starting again after a report: the report keeps its conversation, a new one begins.
                if conversation.state != ConversationState.STOPPED:
                    conversation.state = ConversationState.EXPIRED
                    conversation.save(update_fields=["state"])
                conversation = _new_conversation(
                    channel, address_index, message.address, conversation.language
                )
                new = True
            replies: list[str] = []
            if new and unfinished:
                with translation.override(conversation.language or channel.languages[0]):
                    replies.append(_("Your earlier conversation timed out, so we start again."))
            if new and not looks_like_receipt(message.body):
                replies += dialogue.start(conversation, channel.languages)
            else:
                replies += dialogue.reply_to(
                    conversation, message.body, languages=channel.languages, country=channel.country
                )
            conversation.last_activity_at = timezone.now()
            conversation.save()
            message.conversation = conversation
            message.status = MessageStatus.PROCESSED
            message.address = ""  # the conversation keeps the address; the message needs it no more
            message.save(update_fields=["conversation", "status", "address"])
            for text in replies:
                outbound_queue(
                    channel=channel, conversation=conversation, address=conversation.address, body=text
                )
            processed += 1
    return processed


def _answers_input(conversation: Conversation) -> ReportInput:
    answers: dict[str, Any] = conversation.answers
    return ReportInput(
        narrative=answers.get("narrative", ""),
        country=answers.get("country", ""),
        place=answers.get("place", ""),
        child_in_danger=answers.get("child_in_danger", ""),
        identifiers=[(kind, value) for kind, value in answers.get("identifiers", [])],
        exploitation_types=list(answers.get("exploitation_types", [])),
        language=conversation.language,
    )


def _submit(conversation: Conversation) -> tuple[str, str]:
    channel = conversation.channel
    submission = report_submit(
        data=_answers_input(conversation),
        channel=REPORT_CHANNEL[Provider(channel.provider)],
        organisation=None if channel.route_by_country else channel.organisation,
    )
    conversation.report = submission.report
    conversation.answers = {}  # the report holds them now
    return submission.report.reference, submission.receipt


def _follow_up(conversation: Conversation, text: str) -> None:
    assert conversation.report is not None
    report_reporter_message(report=conversation.report, body=text)


def _reopen(conversation: Conversation, typed: str) -> bool:
    """Link the conversation to the report of a receipt code; failures are rate limited per sender."""
    if throttling.hit(
        None,
        group="channel-receipt",
        rate_setting="INTAKE_FOLLOW_UP_FAILURE_RATE",
        key=conversation.address_index,
    ):
        return False
    parts = receipts.split(typed)
    if parts is None:
        return False
    lookup, secret = parts
    report = Report.objects.filter(receipt_lookup=lookup).first()
    if not receipts.verify_secret(report.receipt_hash if report else None, secret) or report is None:
        return False
    conversation.report = report
    conversation.language = conversation.language or report.language or conversation.channel.languages[0]
    return True


# --- USSD -------------------------------------------------------------------------------------


@transaction.atomic
def ussd_answer(*, channel: MessagingChannel, session_id: str, sender: str, text: str) -> str:
    """The next USSD screen of a session, filing the report at its end (once per session)."""
    index = address_index(channel, sender)
    conversation = (
        Conversation.objects.select_for_update().filter(channel=channel, session_id=session_id[:100]).first()
    )
    if conversation is None:
        conversation = Conversation.objects.create(
            channel=channel,
            address=sender,
            address_index=index,
            handle=masked_handle(channel, sender),
            session_id=session_id[:100],
        )
    parts = text.split("*") if text else []
    if conversation.report is not None:
        with translation.override(conversation.language or channel.languages[0]):
            return ussd.already_screen(conversation.report.reference).response
    screen = ussd.screen(parts, languages=channel.languages, country=channel.country)
    conversation.language = screen.answers.get("language", conversation.language)
    if parts:
        _log_ussd(conversation, ChannelMessage.Direction.IN, parts[-1])
    if screen.submit:
        conversation.language = screen.answers["language"]
        conversation.answers = screen.answers
        with translation.override(conversation.language):
            reference, receipt = _submit(conversation)
            screen = ussd.receipt_screen(reference, receipt)
        conversation.state = ConversationState.REPORTED
    conversation.last_activity_at = timezone.now()
    conversation.save()
    # The receipt is shown on the phone only: the transcript keeps the reference.
    _log_ussd(
        conversation,
        ChannelMessage.Direction.OUT,
        screen.text
        if conversation.report is None
        else _("Report sent: %(reference)s.") % {"reference": conversation.report.reference},
    )
    return screen.response


def _log_ussd(conversation: Conversation, direction: str, body: str) -> None:
    ChannelMessage.objects.create(
        channel=conversation.channel,
        conversation=conversation,
        direction=direction,
        address="",
        address_index=conversation.address_index,
        body=body,
        status=MessageStatus.PROCESSED
        if direction == ChannelMessage.Direction.IN
        else MessageStatus.DELIVERED,
    )


# --- outbound ---------------------------------------------------------------------------------


def outbound_queue(
    *,
    channel: MessagingChannel,
    conversation: Conversation | None,
    address: str,
    body: str,
    author: Any = None,
) -> ChannelMessage:
    """Store an outbound message and send it in the background once the transaction commits."""
    message = ChannelMessage.objects.create(
        channel=channel,
        conversation=conversation,
        direction=ChannelMessage.Direction.OUT,
        address=address,
        address_index=address_index(channel, address),
        body=body,
        status=MessageStatus.QUEUED,
        author=author,
    )
    from safeguard.intake.channels.tasks import channel_message_send

    transaction.on_commit(lambda: channel_message_send.enqueue(message_id=message.pk, attempt=0))
    return message


def outbound_send(*, message_id: int) -> str:
    """Send one queued message through its channel's provider (system); its status afterwards.

    A failure is counted; after ``MAX_SEND_ATTEMPTS`` the message is ``failed``.
    """
    message = ChannelMessage.objects.select_related("channel").filter(pk=message_id).first()
    if message is None or message.status != MessageStatus.QUEUED:
        return message.status if message else ""
    channel = message.channel
    status_url = ""
    if settings.CHANNEL_WEBHOOK_BASE_URL and channel.provider in (
        Provider.TWILIO_SMS,
        Provider.TWILIO_WHATSAPP,
    ):
        status_url = settings.CHANNEL_WEBHOOK_BASE_URL.rstrip("/") + reverse(
            "intake:channel_status", args=[channel.webhook_key]
        )
    message.attempts += 1
    try:
        provider_id = providers.send(channel, to=message.address, text=message.body, status_url=status_url)
    except providers.SendError as error:
        message.last_error = _redact(str(error), channel)[:300]
        if message.attempts >= MAX_SEND_ATTEMPTS:
            message.status = MessageStatus.FAILED
            message.address = ""  # no more tries: the address is not needed here any more
        message.save(update_fields=["attempts", "last_error", "status", "address"])
        return message.status
    message.status = MessageStatus.SENT
    message.provider_message_id = provider_id[:100]
    message.last_error = ""
    message.address = ""
    message.save(update_fields=["attempts", "last_error", "status", "provider_message_id", "address"])
    return message.status


def _redact(text: str, channel: MessagingChannel) -> str:
    """No credential (a Telegram bot token is part of its address) in a stored error."""
    for value in channel.credentials.values():
        if value:
            text = text.replace(str(value), "•••")
    return text


def outbound_status(*, channel: MessagingChannel, provider_message_id: str, status: str) -> int:
    """A provider's delivery report (system); the number of messages updated."""
    if status not in MessageStatus.values or not provider_message_id:
        return 0
    return (
        ChannelMessage.objects.filter(
            channel=channel, direction=ChannelMessage.Direction.OUT, provider_message_id=provider_message_id
        )
        .exclude(status=MessageStatus.DELIVERED)
        .update(status=status)
    )


# --- operators --------------------------------------------------------------------------------


@transaction.atomic
def conversation_reply(*, report: Report, body: str, actor: Actor) -> ChannelMessage:
    """An operator's reply or question, sent through the channel the report came by.

    It is also the report's question to the reporter (one thread); the checks are
    ``report_ask_reporter``'s (``report.triage``, own or accepted report).
    """
    conversation = (
        report.conversations.select_related("channel")
        .filter(session_id="")
        .order_by("-last_activity_at")
        .first()
    )
    if conversation is None:
        raise ValidationError({"body": _("This report did not come by a messaging channel.")})
    if conversation.state == ConversationState.STOPPED:
        raise ValidationError({"body": _("The reporter stopped the conversation: nothing can be sent.")})
    question = report_ask_reporter(report=report, body=body, actor=actor)
    with translation.override(conversation.language or conversation.channel.languages[0]):
        text = operator_text(question.body)
    message = outbound_queue(
        channel=conversation.channel,
        conversation=conversation,
        address=conversation.address,
        body=text,
        author=actor.user,
    )
    audit_record(
        action="report.channel_reply",
        actor=actor.user,
        organisation=actor.organisation,
        target=report,
        detail={"message": message.pk, "channel": conversation.channel_id},
    )
    return message
