"""Demo: a fictional SMS line of the Northwind helpline and one conversation that made a report.

The conversation runs through the real dialogue; its answers are stored as delivered instead of
being sent (the demo calls no provider).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from safeguard.accounts.access import Actor
from safeguard.intake.channels import services
from safeguard.intake.channels.models import (
    ChannelMessage,
    Conversation,
    MessageStatus,
    MessagingChannel,
    Provider,
)

if TYPE_CHECKING:
    from safeguard.portal.demo import DemoWorld

NAME = "Northwind SMS line (demo)"
SENDER = "+34600000042"  # fictional
TEXTS = [
    "Hello",
    "1",
    "Two fictional girls of about 14 work every night at the Demo Café and never go to school.",
    "Spain",
    "Villa Ficticia",
    "3",
    "@demo_recruiter_fictional",
    "The owner drives a fictional white van.",
]


@transaction.atomic
def seed(world: DemoWorld) -> None:
    helpline = world.organisation("northwind-helpline")
    if MessagingChannel.objects.filter(organisation=helpline, name=NAME).exists():
        return
    admin = Actor(
        user=world.user("admin@northwind.example"), organisation=helpline, roles=frozenset({"org_admin"})
    )
    channel = services.channel_save(
        channel=MessagingChannel(
            name=NAME, provider=Provider.TWILIO_SMS, address="+34910000000", languages=["en", "es", "fr"]
        ),
        credentials={"account_sid": "AC" + "0" * 32, "auth_token": "demo-token-not-a-real-one"},
        actor=admin,
    )
    index = services.address_index(channel, SENDER)
    conversation = Conversation.objects.create(
        channel=channel, address=SENDER, address_index=index, handle=services.masked_handle(channel, SENDER)
    )
    dialogue = services._dialogue()
    for number, text in enumerate(TEXTS):
        ChannelMessage.objects.create(
            channel=channel,
            conversation=conversation,
            direction=ChannelMessage.Direction.IN,
            address_index=index,
            body=text,
            provider_message_id=f"SMDEMO{number:04d}",
            status=MessageStatus.PROCESSED,
        )
        if number == 0:
            replies = dialogue.start(conversation, channel.languages)
        else:
            replies = dialogue.reply_to(conversation, text, languages=channel.languages, country="")
        conversation.save()
        for reply in replies:
            ChannelMessage.objects.create(
                channel=channel,
                conversation=conversation,
                direction=ChannelMessage.Direction.OUT,
                address_index=index,
                body=reply,
                status=MessageStatus.DELIVERED,
                attempts=1,
            )
    world.log.write(f"intake: demo SMS channel with a conversation that made report {conversation.report}")
