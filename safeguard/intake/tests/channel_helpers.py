"""Helpers for the messaging channel tests: channels made through the service, signed webhooks."""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Callable
from typing import Any

from django.test import Client
from twilio.request_validator import RequestValidator

from safeguard.accounts.models import Organisation, User
from safeguard.intake.channels import providers, services
from safeguard.intake.channels.models import MessagingChannel, Provider
from safeguard.testing.fixtures import actor_of

CREDENTIALS = {
    Provider.TWILIO_SMS: {"account_sid": "AC" + "1" * 32, "auth_token": "twilio-token-fictional-0001"},
    Provider.TWILIO_WHATSAPP: {"account_sid": "AC" + "2" * 32, "auth_token": "twilio-token-fictional-0002"},
    Provider.TELEGRAM: {"bot_token": "123456:FICTIONAL-bot-token", "secret_token": "tg-secret-fictional"},
    Provider.AFRICASTALKING_SMS: {
        "username": "sandbox",
        "api_key": "at-key-fictional",
        "webhook_secret": "at-s3cret",
    },
    Provider.AFRICASTALKING_USSD: {"webhook_secret": "ussd-s3cret"},
    Provider.VONAGE_SMS: {
        "api_key": "vonage-key-fictional",
        "api_secret": "vonage-secret-fictional",
        "signature_secret": "vonage-signature-fictional",
    },
    Provider.GENERIC: {"hmac_secret": "generic-hmac-fictional"},
}


def make_channel(admin: User, organisation: Organisation, provider: str, **fields: Any) -> MessagingChannel:
    fields.setdefault("languages", ["en", "es", "fr"])
    if provider == Provider.GENERIC:
        fields.setdefault("outbound_url", "http://127.0.0.1:9/out")
    channel = MessagingChannel(
        name=f"{provider} line", provider=provider, address=fields.pop("address", "+34910000000"), **fields
    )
    return services.channel_save(
        channel=channel,
        credentials=dict(CREDENTIALS[Provider(provider)]),
        actor=actor_of(admin, organisation),
    )


def path(channel: MessagingChannel) -> str:
    return f"/channels/in/{channel.webhook_key}/"


class Sender:
    """Posts messages from one reporter to a channel's webhook, signed as the provider signs them."""

    def __init__(self, channel: MessagingChannel, number: str, capture: Callable[..., Any]) -> None:
        self.channel = channel
        self.number = number
        self.capture = capture
        self.client = Client()
        self.count = 0

    def send(self, text: str, *, message_id: str | None = None) -> Any:
        self.count += 1
        message_id = message_id or f"{self.number[-4:]}-{self.count}-{time.time_ns()}"
        with self.capture(execute=True):
            return post_inbound(self.client, self.channel, self.number, text, message_id)


def post_inbound(
    client: Client, channel: MessagingChannel, number: str, text: str, message_id: str, **extra: Any
) -> Any:
    credentials = CREDENTIALS[Provider(channel.provider)]
    url = path(channel)
    if channel.provider in (Provider.TWILIO_SMS, Provider.TWILIO_WHATSAPP):
        prefix = "whatsapp:" if channel.provider == Provider.TWILIO_WHATSAPP else ""
        params = {
            "MessageSid": "SM" + message_id,
            "AccountSid": credentials["account_sid"],
            "From": prefix + number,
            "To": prefix + channel.address,
            "Body": text,
            "NumMedia": "0",
        }
        signature = extra.pop("signature", None) or RequestValidator(
            credentials["auth_token"]
        ).compute_signature("http://testserver" + url, params)
        return client.post(url, params, HTTP_X_TWILIO_SIGNATURE=signature)
    if channel.provider == Provider.TELEGRAM:
        update = {
            "update_id": zlib.crc32(message_id.encode()),
            "message": {
                "message_id": 1,
                "from": {"id": int(number), "is_bot": False, "first_name": "Test"},
                "chat": {"id": int(number), "type": "private"},
                "date": 1700000000,
                "text": text,
            },
        }
        token = extra.pop("token", credentials["secret_token"])
        return client.post(
            url,
            json.dumps(update),
            content_type="application/json",
            HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=token,
        )
    if channel.provider == Provider.AFRICASTALKING_SMS:
        secret = extra.pop("secret", credentials["webhook_secret"])
        form = {
            "id": message_id,
            "from": number,
            "to": channel.address,
            "text": text,
            "date": "2026-12-02",
            "linkId": "x",
        }
        return client.post(f"{url}?secret={secret}", form)
    if channel.provider == Provider.VONAGE_SMS:
        params = {
            "msisdn": number.lstrip("+"),
            "to": channel.address.lstrip("+"),
            "messageId": message_id,
            "text": text,
            "type": "text",
            "keyword": text.split(" ")[0].upper(),
            "message-timestamp": "2026-12-02 04:50:00",
            "timestamp": str(extra.pop("timestamp", int(time.time()))),
            "nonce": "6a2bc0ba-fictional",
        }
        method = str(channel.credentials.get("signature_method", "") or "md5hash")
        params["sig"] = extra.pop("sig", None) or providers.vonage_signature(
            credentials["signature_secret"], params, method
        )
        if extra.pop("as_json", False):
            return client.post(url, json.dumps(params), content_type="application/json")
        return client.post(url, params)
    if channel.provider == Provider.GENERIC:
        body = json.dumps({"id": message_id, "from": number, "text": text}).encode()
        timestamp = str(extra.pop("timestamp", int(time.time())))
        signature = extra.pop("signature", None) or providers.generic_signature(
            credentials["hmac_secret"], timestamp, body
        )
        return client.post(
            url,
            body,
            content_type="application/json",
            HTTP_X_SAFEGUARD_TIMESTAMP=timestamp,
            HTTP_X_SAFEGUARD_SIGNATURE=signature,
        )
    raise AssertionError(channel.provider)


def ussd(
    client: Client,
    channel: MessagingChannel,
    session: str,
    number: str,
    text: str,
    secret: str = "ussd-s3cret",
) -> Any:
    return client.post(
        f"{path(channel)}?secret={secret}",
        {
            "sessionId": session,
            "serviceCode": channel.address,
            "phoneNumber": number,
            "networkCode": "99999",
            "text": text,
        },
    )
