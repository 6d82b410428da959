"""What each provider sends to a webhook, how it is checked, and how a message is sent back.

Inbound: ``parse_inbound`` checks the provider's signature or secret and returns the messages
of the request (``Inbound``), or raises ``Refused``. Outbound: ``send`` posts one message to
the provider's documented REST endpoint and returns the provider's message id. The base
address of each provider comes from ``settings.CHANNEL_PROVIDER_URLS`` (tests point it at a
fake provider on loopback; nothing in the tests reaches a provider).

Payload shapes follow the providers' documentation:
- Twilio (SMS and WhatsApp): form fields ``MessageSid``, ``From``, ``To``, ``Body``; the
  ``X-Twilio-Signature`` header checked with the ``twilio`` SDK's ``RequestValidator``
  against the full public URL of the webhook.
- Telegram bot API: an ``Update`` as JSON (``update_id``, ``message.chat.id``,
  ``message.text``); the ``X-Telegram-Bot-Api-Secret-Token`` header set by ``setWebhook``.
- Africa's Talking SMS: form fields ``id``, ``from``, ``to``, ``text``. Africa's Talking signs
  nothing: the webhook address carries the channel's 256-bit key, and a second secret
  (``webhook_secret``) must be given as the ``secret`` query parameter.
- Vonage SMS API: ``msisdn``, ``to``, ``messageId``, ``text``, ``message-timestamp``, posted as
  a form or JSON (set the number's inbound webhook method to POST), signed with the account's
  signature secret: ``sig`` over the sorted parameters and ``timestamp`` (``md5hash`` by
  default, or the HMAC method chosen in Vonage's dashboard), at most five minutes old.
- Generic JSON: ``{"id", "from", "text"}``; ``X-Safeguard-Timestamp`` (Unix seconds) and
  ``X-Safeguard-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">``, at most five
  minutes old.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings
from django.http import HttpRequest
from twilio.request_validator import RequestValidator

from safeguard.intake.channels.models import MessagingChannel, Provider

TIMEOUT_SECONDS = 10.0
GENERIC_MAX_AGE_SECONDS = 300


class Refused(Exception):
    """The request is not from the provider (bad or missing signature or secret)."""


class SendError(Exception):
    """The provider did not take the message; worth trying again later."""


@dataclass(frozen=True)
class Inbound:
    provider_message_id: str
    sender: str
    text: str


# Which credentials each provider needs (names of the keys of ``MessagingChannel.credentials``).
CREDENTIALS: dict[str, tuple[str, ...]] = {
    Provider.TWILIO_SMS: ("account_sid", "auth_token"),
    Provider.TWILIO_WHATSAPP: ("account_sid", "auth_token"),
    Provider.TELEGRAM: ("bot_token", "secret_token"),
    Provider.AFRICASTALKING_SMS: ("username", "api_key", "webhook_secret"),
    Provider.AFRICASTALKING_USSD: ("webhook_secret",),
    Provider.VONAGE_SMS: ("api_key", "api_secret", "signature_secret"),
    Provider.GENERIC: ("hmac_secret",),
}
# Credentials a provider may have but does not need.
OPTIONAL_CREDENTIALS: dict[str, tuple[str, ...]] = {Provider.VONAGE_SMS: ("signature_method",)}
# Vonage's signature methods (the account's choice in its dashboard) and their hashes.
VONAGE_METHODS = {"md5hash": None, "md5": "md5", "sha1": "sha1", "sha256": "sha256", "sha512": "sha512"}


def _secret(channel: MessagingChannel, name: str) -> str:
    value = str(channel.credentials.get(name, ""))
    if not value:
        raise Refused(f"the channel has no {name}")
    return value


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def webhook_url(request: HttpRequest) -> str:
    """The webhook's address as the provider called it (Twilio signs it).

    ``SAFEGUARD_CHANNEL_WEBHOOK_BASE_URL`` names the public origin when a proxy changes it.
    """
    base = settings.CHANNEL_WEBHOOK_BASE_URL
    if base:
        return base.rstrip("/") + request.get_full_path()
    return request.build_absolute_uri()


def parse_inbound(channel: MessagingChannel, request: HttpRequest) -> list[Inbound]:
    """The messages of a webhook request, once its signature or secret checked out."""
    provider = channel.provider
    if provider in (Provider.TWILIO_SMS, Provider.TWILIO_WHATSAPP):
        validator = RequestValidator(_secret(channel, "auth_token"))
        params = {key: request.POST.get(key, "") for key in request.POST}
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature or not validator.validate(webhook_url(request), params, signature):
            raise Refused("bad Twilio signature")
        sender = params.get("From", "").removeprefix("whatsapp:")
        return [Inbound(params.get("MessageSid", ""), sender, params.get("Body", ""))]
    if provider == Provider.TELEGRAM:
        token = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not _same(token, _secret(channel, "secret_token")):
            raise Refused("bad Telegram secret token")
        update = _json(request.body)
        message = update.get("message") or update.get("edited_message") or {}
        chat = message.get("chat") or {}
        if "update_id" not in update or "id" not in chat or not isinstance(message.get("text"), str):
            return []  # not a text message (a photo, a member update): nothing to take
        return [Inbound(str(update["update_id"]), str(chat["id"]), message["text"])]
    if provider == Provider.AFRICASTALKING_SMS:
        check_query_secret(channel, request)
        return [
            Inbound(request.POST.get("id", ""), request.POST.get("from", ""), request.POST.get("text", ""))
        ]
    if provider == Provider.VONAGE_SMS:
        params = _vonage_params(request)
        check_vonage_signature(channel, params)
        return [Inbound(params.get("messageId", ""), params.get("msisdn", ""), params.get("text", ""))]
    if provider == Provider.GENERIC:
        check_generic_signature(channel, request)
        payload = _json(request.body)
        if not all(isinstance(payload.get(key), str) for key in ("id", "from", "text")):
            raise Refused("the JSON needs string fields id, from and text")
        return [Inbound(payload["id"], payload["from"], payload["text"])]
    raise Refused(f"{provider} does not take messages on this webhook")


def check_query_secret(channel: MessagingChannel, request: HttpRequest) -> None:
    if not _same(request.GET.get("secret", ""), _secret(channel, "webhook_secret")):
        raise Refused("bad webhook secret")


def generic_signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def check_generic_signature(channel: MessagingChannel, request: HttpRequest) -> None:
    timestamp = request.headers.get("X-Safeguard-Timestamp", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > GENERIC_MAX_AGE_SECONDS:
        raise Refused("missing or stale timestamp")
    expected = generic_signature(_secret(channel, "hmac_secret"), timestamp, request.body)
    if not _same(request.headers.get("X-Safeguard-Signature", ""), expected):
        raise Refused("bad signature")


def vonage_signature(secret: str, params: dict[str, str], method: str = "md5hash") -> str:
    """Vonage's ``sig``: the sorted ``&key=value`` pairs (``&`` and ``=`` in values made ``_``)
    hashed with the secret appended (``md5hash``) or as an HMAC key (the other methods)."""
    digest = VONAGE_METHODS.get(method, "")
    if digest == "":
        raise Refused(f"unknown Vonage signature method {method!r}")
    text = "".join(
        f"&{key}={str(value).replace('&', '_').replace('=', '_')}" for key, value in sorted(params.items())
    )
    if digest is None:
        return hashlib.md5((text + secret).encode(), usedforsecurity=False).hexdigest()
    return hmac.new(secret.encode(), text.encode(), digest).hexdigest()


def check_vonage_signature(channel: MessagingChannel, params: dict[str, str]) -> None:
    unsigned = {key: value for key, value in params.items() if key != "sig"}
    timestamp = unsigned.get("timestamp", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > GENERIC_MAX_AGE_SECONDS:
        raise Refused("missing or stale timestamp")
    method = str(channel.credentials.get("signature_method", "") or "md5hash")
    expected = vonage_signature(_secret(channel, "signature_secret"), unsigned, method)
    if not _same(params.get("sig", "").lower(), expected):
        raise Refused("bad Vonage signature")


def _vonage_params(request: HttpRequest) -> dict[str, str]:
    if request.content_type == "application/json":
        return {key: str(value) for key, value in _json(request.body).items()}
    return {key: request.POST.get(key, "") for key in request.POST}


def _json(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise Refused("not JSON") from error
    if not isinstance(value, dict):
        raise Refused("not a JSON object")
    return value


def _base(name: str) -> str:
    return str(settings.CHANNEL_PROVIDER_URLS[name]).rstrip("/")


def send(channel: MessagingChannel, *, to: str, text: str, status_url: str = "") -> str:
    """Send ``text`` to ``to``; the provider's message id. Raises ``SendError`` when not taken."""
    credentials = channel.credentials
    try:
        if channel.provider in (Provider.TWILIO_SMS, Provider.TWILIO_WHATSAPP):
            prefix = "whatsapp:" if channel.provider == Provider.TWILIO_WHATSAPP else ""
            sid = credentials.get("account_sid", "")
            data = {"To": prefix + to, "From": prefix + channel.address, "Body": text}
            if status_url:
                data["StatusCallback"] = status_url
            response = requests.post(
                f"{_base('twilio')}/2010-04-01/Accounts/{sid}/Messages.json",
                data=data,
                auth=(sid, credentials.get("auth_token", "")),
                timeout=TIMEOUT_SECONDS,
            )
            response.raise_for_status()
            return str(response.json().get("sid", ""))
        if channel.provider == Provider.TELEGRAM:
            response = requests.post(
                f"{_base('telegram')}/bot{credentials.get('bot_token', '')}/sendMessage",
                json={"chat_id": to, "text": text},
                timeout=TIMEOUT_SECONDS,
            )
            response.raise_for_status()
            return str(response.json().get("result", {}).get("message_id", ""))
        if channel.provider == Provider.AFRICASTALKING_SMS:
            response = requests.post(
                f"{_base('africastalking')}/version1/messaging",
                data={
                    "username": credentials.get("username", ""),
                    "to": to,
                    "message": text,
                    "from": channel.address,
                },
                headers={"apiKey": credentials.get("api_key", ""), "Accept": "application/json"},
                timeout=TIMEOUT_SECONDS,
            )
            response.raise_for_status()
            recipients = response.json().get("SMSMessageData", {}).get("Recipients", [])
            if not recipients or recipients[0].get("statusCode") not in (100, 101, 102):
                raise SendError(f"Africa's Talking refused: {recipients[:1]}")
            return str(recipients[0].get("messageId", ""))
        if channel.provider == Provider.VONAGE_SMS:
            response = requests.post(
                f"{_base('vonage')}/sms/json",
                data={
                    "api_key": credentials.get("api_key", ""),
                    "api_secret": credentials.get("api_secret", ""),
                    "from": channel.address.lstrip("+"),
                    "to": to.lstrip("+"),
                    "text": text,
                    "type": "unicode",
                },
                timeout=TIMEOUT_SECONDS,
            )
            response.raise_for_status()
            messages = response.json().get("messages", [])
            if not messages or str(messages[0].get("status")) != "0":
                raise SendError(f"Vonage refused: status {messages[0].get('status') if messages else '?'}")
            return str(messages[0].get("message-id", ""))
        if channel.provider == Provider.GENERIC:
            if not channel.outbound_url:
                raise SendError("the channel has no outbound address")
            body = json.dumps({"to": to, "text": text}).encode()
            timestamp = str(int(time.time()))
            response = requests.post(
                channel.outbound_url,
                data=body,
                headers={
                    "Content-Type": "application/json",
                    "X-Safeguard-Timestamp": timestamp,
                    "X-Safeguard-Signature": generic_signature(
                        str(credentials.get("hmac_secret", "")), timestamp, body
                    ),
                },
                timeout=TIMEOUT_SECONDS,
            )
            response.raise_for_status()
            return str(response.json().get("id", "")) if response.content else ""
    except requests.RequestException as error:
        # The error names the address and status, never the recipient or the text.
        raise SendError(type(error).__name__ + ": " + _without_query(str(error))) from error
    except ValueError as error:
        raise SendError("the provider's answer was not JSON") from error
    raise SendError(f"{channel.provider} cannot send messages")


def _without_query(text: str) -> str:
    return text.split("?", 1)[0][:250]


# Twilio's message statuses (status callbacks) as ours.
TWILIO_STATUSES = {
    "queued": "queued",
    "accepted": "queued",
    "sending": "queued",
    "sent": "sent",
    "delivered": "delivered",
    "read": "delivered",
    "undelivered": "failed",
    "failed": "failed",
}
