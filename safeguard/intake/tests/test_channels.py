"""Messaging channels: signatures, the conversation that takes a report, USSD, replies, privacy."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from safeguard.accounts.models import Organisation, User
from safeguard.directory.models import Hotline, HotlineKind
from safeguard.intake import receipts
from safeguard.intake.channels import providers, services, tasks
from safeguard.intake.channels.models import (
    ChannelMessage,
    Conversation,
    ConversationState,
    MessageStatus,
    MessagingChannel,
    Provider,
)
from safeguard.intake.channels.ussd import MAX_LENGTH
from safeguard.intake.models import Report, ReportMessage
from safeguard.intake.tests.channel_helpers import Sender, make_channel, path, post_inbound, ussd
from safeguard.intake.tests.fake_provider import FakeProvider
from safeguard.intake.tests.test_anonymity import database_text
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db

NUMBER = "+34612000111"


@pytest.fixture
def fake(settings: Any) -> Iterator[FakeProvider]:
    provider = FakeProvider()
    settings.CHANNEL_PROVIDER_URLS = {
        "twilio": provider.url,
        "telegram": provider.url,
        "africastalking": provider.url,
        "vonage": provider.url,
    }
    yield provider
    provider.close()


@pytest.fixture
def hotline(db: None) -> Hotline:
    return Hotline.objects.create(country="ES", kind=HotlineKind.EMERGENCY, name="Emergencias", phone="112")


def _stored_inbound(channel: MessagingChannel) -> int:
    return ChannelMessage.objects.filter(channel=channel, direction=ChannelMessage.Direction.IN).count()


# --- signatures: valid, invalid, replayed -----------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "number", "bad"),
    [
        (Provider.TWILIO_SMS, NUMBER, {"signature": "bm90IHRoZSBzaWduYXR1cmU="}),
        (Provider.TWILIO_WHATSAPP, NUMBER, {"signature": "bm90IHRoZSBzaWduYXR1cmU="}),
        (Provider.TELEGRAM, "987654321", {"token": "wrong-secret"}),
        (Provider.AFRICASTALKING_SMS, NUMBER, {"secret": "wrong"}),
        (Provider.VONAGE_SMS, NUMBER, {"sig": "0" * 32}),
        (Provider.VONAGE_SMS, NUMBER, {"timestamp": 1_000_000}),  # validly signed, but stale
        (Provider.GENERIC, NUMBER, {"signature": "sha256=" + "0" * 64}),
        (Provider.GENERIC, NUMBER, {"timestamp": 1_000_000}),  # validly signed, but stale
    ],
)
def test_each_provider_checks_its_signature_and_ignores_replays(
    provider: str,
    number: str,
    bad: dict[str, Any],
    alice: User,
    org_a: Organisation,
    fake: FakeProvider,
    django_capture_on_commit_callbacks: Any,
) -> None:
    extra = {"outbound_url": fake.url + "/out"} if provider == Provider.GENERIC else {}
    channel = make_channel(alice, org_a, provider, **extra)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        assert post_inbound(client, channel, number, "hello", "m-1", **bad).status_code == 403
    assert _stored_inbound(channel) == 0 and fake.requests == []

    with django_capture_on_commit_callbacks(execute=True):
        first = post_inbound(client, channel, number, "hello", "m-1")
    assert first.status_code == 200
    if provider.startswith("twilio"):
        assert first["Content-Type"] == "text/xml" and b"<Response>" in first.content
    assert _stored_inbound(channel) == 1
    answered = len(fake.requests)
    assert answered == 1  # the language menu, sent through the provider's API
    assert fake.texts()[0].startswith("Safeguard: 1 English")

    with django_capture_on_commit_callbacks(execute=True):
        again = post_inbound(client, channel, number, "hello", "m-1")  # the same provider message id
    assert again.status_code == 200
    assert _stored_inbound(channel) == 1
    assert len(fake.requests) == answered  # nothing processed or answered twice


def test_an_unknown_or_paused_channel_is_not_found(alice: User, org_a: Organisation) -> None:
    channel = make_channel(alice, org_a, Provider.GENERIC)
    assert (
        Client().post("/channels/in/no-such-key/", "{}", content_type="application/json").status_code == 404
    )
    MessagingChannel.objects.filter(pk=channel.pk).update(is_active=False)
    assert post_inbound(Client(), channel, NUMBER, "hi", "x").status_code == 404
    assert Client().get(path(channel)).status_code == 405


# --- the conversation ------------------------------------------------------------------------


def test_an_sms_conversation_in_english_files_a_report_with_a_receipt(
    alice: User,
    org_a: Organisation,
    fake: FakeProvider,
    hotline: Hotline,
    django_capture_on_commit_callbacks: Any,
) -> None:
    channel = make_channel(alice, org_a, Provider.TWILIO_SMS)
    reporter = Sender(channel, NUMBER, django_capture_on_commit_callbacks)
    reporter.send("Hello")
    reporter.send("1")
    assert "knows your number" in fake.texts()[-2] and "/report/" in fake.texts()[-2]
    assert fake.texts()[-1].startswith("What happened?")
    reporter.send("Two fictional boys sell sweets at the bus station late at night; a man takes the money.")
    assert fake.texts()[-1].startswith("In which country?")
    reporter.send("Atlantis")
    assert fake.texts()[-2] == "We did not recognise that country."
    reporter.send("Spain")
    reporter.send("Fictional Town")
    assert fake.texts()[-1].startswith("Is a child in danger right now?")
    reporter.send("yes")
    assert fake.texts()[-2] == "If a child is in danger now, call at once: Emergencias 112."
    reporter.send("+34 699 111 222 @vex_fictional")

    report = Report.objects.get()
    assert report.channel == "sms" and report.language == "en" and report.organisation == org_a
    assert report.narrative.startswith("Two fictional boys")
    assert (report.country, report.place, report.child_in_danger) == ("ES", "Fictional Town", "yes")
    assert sorted(report.identifiers.values_list("kind", flat=True)) == ["handle", "phone"]
    last = fake.texts()[-1]
    assert last.startswith("Thank you, your report was sent (" + report.reference)
    receipt = last.split("receipt code: ")[1].split(". ")[0]
    lookup, secret = receipts.split(receipt)  # type: ignore[misc]
    assert lookup == report.receipt_lookup and receipts.verify_secret(report.receipt_hash, secret)
    # Every answer went to the reporter's number, from the channel's, through Twilio's Messages API.
    assert {request["body"]["To"] for request in fake.requests} == {NUMBER}
    assert {request["body"]["From"] for request in fake.requests} == {channel.address}
    assert all(
        request["path"].endswith(f"/Accounts/{'AC' + '1' * 32}/Messages.json") for request in fake.requests
    )
    assert ChannelMessage.objects.filter(direction="out").exclude(status=MessageStatus.SENT).count() == 0

    # What the reporter writes afterwards is added to the report.
    reporter.send("He has a fictional blue van.")
    assert fake.texts()[-1] == "Added to your report. We will answer here."
    assert ReportMessage.objects.get(report=report).body == "He has a fictional blue van."


def test_a_conversation_in_spanish_with_keywords(
    alice: User,
    org_a: Organisation,
    fake: FakeProvider,
    hotline: Hotline,
    django_capture_on_commit_callbacks: Any,
) -> None:
    channel = make_channel(alice, org_a, Provider.TELEGRAM)
    reporter = Sender(channel, "555000777", django_capture_on_commit_callbacks)
    reporter.send("hola")
    reporter.send("2")
    assert fake.texts()[-1].startswith("¿Qué pasó?")
    reporter.send("AYUDA")
    assert "REINICIAR" in fake.texts()[-1] or "RESTART" in fake.texts()[-1]
    assert fake.texts()[-1].startswith("Safeguard recibe")
    reporter.send("Una niña ficticia trabaja de noche en un bar.")
    reporter.send("España")
    reporter.send("0")
    reporter.send("sí")
    assert "112" in fake.texts()[-2]
    reporter.send("0")
    report = Report.objects.get()
    assert (report.channel, report.language, report.country, report.place) == ("telegram", "es", "ES", "")
    assert report.child_in_danger == "yes" and report.identifiers.count() == 0
    assert fake.texts()[-1].startswith("Gracias")
    assert all(r["path"] == "/bot123456:FICTIONAL-bot-token/sendMessage" for r in fake.requests)
    assert {r["body"]["chat_id"] for r in fake.requests} == {"555000777"}

    # STOP in French is understood too; afterwards any message starts again.
    reporter.send("ARRÊT")
    assert Conversation.objects.get().state == ConversationState.STOPPED
    reporter.send("bonjour")
    assert fake.texts()[-1].startswith("Safeguard: 1 English")
    reporter.send("3")
    reporter.send("recommencer")
    assert fake.texts()[-1].startswith("Safeguard: 1 English")


def test_an_idle_conversation_expires_and_a_receipt_code_reopens_its_report(
    alice: User,
    org_a: Organisation,
    fake: FakeProvider,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    channel = make_channel(alice, org_a, Provider.AFRICASTALKING_SMS, languages=["fr"], country="SN")
    reporter = Sender(channel, "+221770000111", django_capture_on_commit_callbacks)
    reporter.send("Bonjour")  # one language: no menu, the privacy note and the first question
    assert fake.texts()[-1].startswith("Que s'est-il passé")
    reporter.send("Un garçon fictif mendie pour un homme.")
    assert fake.texts()[-1].startswith("Dans quelle ville")  # the channel's country is not asked
    reporter.send("Ville fictive")
    reporter.send("non")
    reporter.send("0")
    report = Report.objects.get()
    assert (report.country, report.language, report.child_in_danger) == ("SN", "fr", "no")
    receipt = fake.texts()[-1].split("reçu : ")[1].split(". ")[0] if "reçu : " in fake.texts()[-1] else ""
    assert receipts.split(receipt) is not None, fake.texts()[-1]
    assert fake.requests[-1]["headers"]["apikey"] == "at-key-fictional"
    assert fake.requests[-1]["body"]["to"] == "+221770000111"

    Conversation.objects.update(
        last_activity_at=timezone.now() - timedelta(minutes=settings.CHANNEL_SESSION_IDLE_MINUTES + 1)
    )
    reporter.send(receipt)
    assert fake.texts()[-1].startswith("Nous avons trouvé votre signalement")
    reporter.send("Il est revenu ce soir.")
    assert list(ReportMessage.objects.filter(report=report).values_list("body", flat=True)) == [
        "Il est revenu ce soir."
    ]
    assert Conversation.objects.filter(report=report).count() == 2

    # A half-finished conversation that goes idle starts again, and says so.
    Conversation.objects.update(last_activity_at=timezone.now() - timedelta(hours=2))
    reporter.send("Bonjour")
    reporter.send("Quelque chose")
    Conversation.objects.update(last_activity_at=timezone.now() - timedelta(hours=2))
    reporter.send("Bonjour")
    assert fake.texts()[-3] == "Votre conversation précédente a expiré : nous recommençons."


def test_a_sender_over_the_rate_limit_is_not_stored(
    alice: User,
    org_a: Organisation,
    fake: FakeProvider,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.INTAKE_CHANNEL_SENDER_RATE = "3/h"
    channel = make_channel(alice, org_a, Provider.GENERIC)
    reporter = Sender(channel, NUMBER, django_capture_on_commit_callbacks)
    other = Sender(channel, "+34612000999", django_capture_on_commit_callbacks)
    for text in ["1", "2", "3", "4", "5"]:
        assert reporter.send(text).status_code == 200
    other.send("hello")
    assert _stored_inbound(channel) == 4  # three of the first sender, one of the other


# --- USSD ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language_choice", "language", "expected_start"),
    [("1", "en", "Report sent: "), ("3", "fr", "Signalement envoyé : ")],
)
def test_a_ussd_session_files_a_report_within_the_length_limit(
    language_choice: str,
    language: str,
    expected_start: str,
    alice: User,
    org_a: Organisation,
    hotline: Hotline,
) -> None:
    channel = make_channel(alice, org_a, Provider.AFRICASTALKING_USSD, address="*384*123#")
    client = Client()
    steps = ["", language_choice, "2", "ES", "Fictional Town", "1", "+34699111222"]
    screens = []
    for n in range(1, len(steps) + 1):
        text = "*".join(steps[1:n])
        response = ussd(client, channel, "ATUid_session_1", NUMBER, text)
        assert response.status_code == 200
        screens.append(response.content.decode())
    assert all(len(screen) <= MAX_LENGTH for screen in screens), [len(s) for s in screens]
    assert all(screen.startswith("CON ") for screen in screens[:-1])
    assert "112" in screens[-2]  # a child in danger: the emergency number comes at once
    assert screens[-1].startswith("END " + expected_start)
    report = Report.objects.get()
    assert (report.channel, report.language, report.country, report.place) == (
        "ussd",
        language,
        "ES",
        "Fictional Town",
    )
    assert report.exploitation_types == ["SexualExploitation"] and report.child_in_danger == "yes"
    assert list(report.identifiers.values_list("kind", flat=True)) == ["phone"]
    receipt = screens[-1].split(": ")[2].split(".")[0]
    _lookup, secret = receipts.split(receipt)  # type: ignore[misc]
    assert receipts.verify_secret(report.receipt_hash, secret)

    # The network repeats the last request: no second report, the reference again.
    again = ussd(client, channel, "ATUid_session_1", NUMBER, "*".join(steps[1:]))
    assert again.content.decode().startswith("END ") and report.reference in again.content.decode()
    assert Report.objects.count() == 1
    assert ussd(client, channel, "ATUid_session_2", NUMBER, "", secret="wrong").status_code == 403


# --- operators -------------------------------------------------------------------------------


def _reported_conversation(alice: User, org_a: Organisation, capture: Any) -> tuple[MessagingChannel, Report]:
    channel = make_channel(alice, org_a, Provider.TWILIO_WHATSAPP, languages=["en"], country="ES")
    reporter = Sender(channel, NUMBER, capture)
    for text in ["hi", "A fictional girl is kept from school to work.", "Fictional Town", "2", "0"]:
        reporter.send(text)
    return channel, Report.objects.get()


def test_an_operator_reply_is_delivered_through_the_channel_and_a_stranger_is_refused(
    alice: User,
    bob: User,
    charlie: User,
    operator_b: User,
    org_a: Organisation,
    fake: FakeProvider,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    channel, report = _reported_conversation(alice, org_a, django_capture_on_commit_callbacks)
    before = len(fake.requests)
    operator = client_for(bob)
    page = operator.get(f"/reports/{report.pk}/")
    html = page.content.decode()
    assert "Conversation by Twilio WhatsApp with +34 ••• ••11" in html
    assert "A fictional girl is kept from school to work." in html
    assert NUMBER not in html and "612000111" not in html
    # Charlie (admin of B) may not triage at all; B's operator does not find A's report.
    for stranger, refusal in ((charlie, 403), (operator_b, 404)):
        client = client_for(stranger)  # one sign-in each: a TOTP code is accepted once
        assert client.get(f"/reports/{report.pk}/").status_code == refusal
        with django_capture_on_commit_callbacks(execute=True):
            denied = client.post(f"/reports/{report.pk}/channel-reply/", {"body": "Who are you?"})
        assert denied.status_code == refusal
    assert len(fake.requests) == before

    with django_capture_on_commit_callbacks(execute=True):
        sent = operator.post(f"/reports/{report.pk}/channel-reply/", {"body": "Is the girl there today?"})
    assert sent.status_code == 302
    request = fake.requests[-1]
    assert (
        request["body"]["To"] == "whatsapp:" + NUMBER
        and request["body"]["From"] == "whatsapp:" + channel.address
    )
    assert request["body"]["Body"] == "From the team handling your report: Is the girl there today?"
    assert ReportMessage.objects.get(report=report).direction == "question"
    reply = ChannelMessage.objects.filter(direction="out").last()
    assert reply is not None and reply.status == MessageStatus.SENT and reply.author == bob
    report.refresh_from_db()
    assert report.status == "needs_information"

    # The provider's status callback (signed) marks it delivered.
    from twilio.request_validator import RequestValidator

    params = {"MessageSid": reply.provider_message_id, "MessageStatus": "delivered"}
    url = f"/channels/status/{channel.webhook_key}/"
    signature = RequestValidator("twilio-token-fictional-0002").compute_signature(
        "http://testserver" + url, params
    )
    assert Client().post(url, params, HTTP_X_TWILIO_SIGNATURE="bad").status_code == 403
    assert Client().post(url, params, HTTP_X_TWILIO_SIGNATURE=signature).status_code == 200
    reply.refresh_from_db()
    assert reply.status == MessageStatus.DELIVERED


def test_sending_is_retried_then_marked_failed(
    alice: User, bob: User, org_a: Organisation, fake: FakeProvider, django_capture_on_commit_callbacks: Any
) -> None:
    _channel, report = _reported_conversation(alice, org_a, django_capture_on_commit_callbacks)
    fake.statuses = [503] * services.MAX_SEND_ATTEMPTS
    from safeguard.testing.fixtures import actor_of

    with django_capture_on_commit_callbacks(execute=True):
        message = services.conversation_reply(report=report, body="A question", actor=actor_of(bob, org_a))
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
    assert "HTTPError" in message.last_error and "FICTIONAL" not in message.last_error
    for attempt in range(2, services.MAX_SEND_ATTEMPTS + 1):
        tasks.channel_message_send.call(message_id=message.pk, attempt=attempt)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, services.MAX_SEND_ATTEMPTS)
    fake.statuses = [503]
    with django_capture_on_commit_callbacks(execute=True):
        second = services.conversation_reply(report=report, body="Again", actor=actor_of(bob, org_a))
    assert tasks.channel_message_send.call(message_id=second.pk, attempt=1) == MessageStatus.SENT


# --- the reporter's number -------------------------------------------------------------------


def test_the_reporters_number_is_never_stored_or_logged_in_plaintext(
    alice: User,
    bob: User,
    org_a: Organisation,
    fake: FakeProvider,
    caplog: Any,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    caplog.set_level(logging.DEBUG)
    _channel, report = _reported_conversation(alice, org_a, django_capture_on_commit_callbacks)
    ussd_channel = make_channel(alice, org_a, Provider.AFRICASTALKING_USSD, languages=["en"], country="ES")
    for text in ["", "1", "1*Town", "1*Town*2", "1*Town*2*0"]:
        ussd(Client(), ussd_channel, "S1", NUMBER, text)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(bob).post(f"/reports/{report.pk}/channel-reply/", {"body": "Thank you"})
    assert Report.objects.count() == 2 and len(fake.requests) > 5
    stored = database_text()
    assert "A fictional girl" not in stored  # sanity: encrypted text is not seen by the scan
    assert report.reference in stored  # sanity: clear text is
    for secret in (NUMBER, "612000111", "twilio-token-fictional", "ussd-s3cret"):
        assert secret not in stored
        assert secret not in caplog.text
        for record in caplog.records:
            assert secret not in str(record.__dict__)
    assert Conversation.objects.filter(handle="+34 ••• ••11").count() == 2


# --- Vonage: its signature as its SDKs compute it, an HMAC method, a JSON body ------------------


def test_the_vonage_signature_matches_the_published_sdk_vector() -> None:
    # The value Vonage's Python SDK tests check for these parameters and the secret "secret".
    params = {"a": "1", "b": "2", "timestamp": "1461605396"}
    assert providers.vonage_signature("secret", params) == "6af838ef94998832dbfc29020b564830"
    # '&' and '=' inside a value are replaced before hashing, as the SDKs do.
    assert providers.vonage_signature("secret", {"text": "a=b&c"}) == providers.vonage_signature(
        "secret", {"text": "a_b_c"}
    )
    with pytest.raises(providers.Refused):
        providers.vonage_signature("secret", params, "crc32")


def test_a_vonage_channel_with_an_hmac_method_takes_json_and_answers_through_vonage(
    alice: User, org_a: Organisation, fake: FakeProvider, django_capture_on_commit_callbacks: Any
) -> None:
    signed_as_md5 = make_channel(alice, org_a, Provider.VONAGE_SMS)  # the default method, md5hash
    channel = services.channel_save(
        channel=MessagingChannel.objects.get(pk=signed_as_md5.pk),
        credentials={"signature_method": "sha256"},
        actor=actor_of(alice, org_a),
    )
    assert channel.credentials["signature_method"] == "sha256"
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        # Signed with the other method: refused once the channel says sha256.
        assert post_inbound(client, signed_as_md5, NUMBER, "hello", "v-0").status_code == 403
        answer = post_inbound(client, channel, NUMBER, "hello", "v-1", as_json=True)
    assert answer.status_code == 200
    assert _stored_inbound(channel) == 1
    (sent,) = fake.requests
    assert sent["path"] == "/sms/json"
    assert sent["body"]["to"] == NUMBER.lstrip("+") and sent["body"]["api_key"] == "vonage-key-fictional"
    assert fake.texts()[0].startswith("Safeguard: 1 English")
    with pytest.raises(ValidationError):
        services.channel_save(
            channel=channel, credentials={"signature_method": "crc32"}, actor=actor_of(alice, org_a)
        )


@pytest.mark.parametrize(
    ("language", "stop"),
    [("ru", "Стоп"), ("uk", "досить"), ("th", "หยุด"), ("zh-hans", "停止"), ("hi", "रुको"), ("bn", "থামুন"),
     ("ar", "توقف"), ("ur", "رکیں"), ("vi", "Dừng"), ("sw", "acha"), ("id", "berhenti"), ("pt", "pare")],
)  # fmt: skip
def test_stop_in_the_reporters_own_language_ends_the_conversation(language: str, stop: str) -> None:
    from safeguard.intake.channels.conversation import Dialogue

    def never(*_args: Any) -> Any:
        raise AssertionError("nothing is filed or reopened by STOP")

    conversation = Conversation(language=language, state=ConversationState.NARRATIVE)
    answers = Dialogue(submit=never, follow_up=never, reopen=never).reply_to(
        conversation, stop, languages=[language], country=""
    )
    assert conversation.state == ConversationState.STOPPED
    with translation.override(language):
        assert answers == [
            gettext("Stopped. We will not write to you again. Send any message to start a new report.")
        ]
