"""The channel staff pages: organisation admins configure, test and watch their channels only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from safeguard.accounts.models import Organisation, User
from safeguard.intake.channels.models import ChannelMessage, MessageStatus, MessagingChannel, Provider
from safeguard.intake.tests.channel_helpers import make_channel
from safeguard.intake.tests.fake_provider import FakeProvider
from safeguard.intake.tests.test_anonymity import database_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake(settings: Any) -> Iterator[FakeProvider]:
    provider = FakeProvider()
    settings.CHANNEL_PROVIDER_URLS = {
        "twilio": provider.url,
        "telegram": provider.url,
        "africastalking": provider.url,
    }
    yield provider
    provider.close()


def test_an_admin_creates_a_channel_with_encrypted_credentials_and_sends_a_test_message(
    alice: User,
    org_a: Organisation,
    fake: FakeProvider,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(alice)
    assert client.get("/reports/messaging/").status_code == 200
    form = {
        "name": "Telegram line",
        "provider": Provider.TELEGRAM,
        "address": "@fictional_safeguard_bot",
        "languages": ["en", "fr"],
        "country": "",
        "is_active": "on",
        "credential_bot_token": "999:FICTIONAL-token-for-the-page",
    }
    missing = client.post("/reports/messaging/", form)
    assert missing.status_code == 400 and "Missing credentials: secret_token." in missing.content.decode()
    created = client.post("/reports/messaging/", {**form, "credential_secret_token": "page-secret-token"})
    assert created.status_code == 302
    channel = MessagingChannel.objects.get()
    assert channel.organisation == org_a and channel.languages == ["en", "fr"]
    assert channel.credentials == {
        "bot_token": "999:FICTIONAL-token-for-the-page",
        "secret_token": "page-secret-token",
    }
    stored = database_text()
    assert "FICTIONAL-token-for-the-page" not in stored and "page-secret-token" not in stored

    page = client.get(created["Location"]).content.decode()
    assert f"/channels/in/{channel.webhook_key}/" in page
    assert "FICTIONAL-token-for-the-page" not in page  # credentials are write-only

    # Saving again with empty credential fields keeps the stored ones.
    edit = {**form, "name": "Telegram line (renamed)", "credential_bot_token": ""}
    assert client.post(created["Location"], edit).status_code == 302
    channel.refresh_from_db()
    assert channel.name == "Telegram line (renamed)" and channel.credentials["bot_token"].startswith("999:")

    with django_capture_on_commit_callbacks(execute=True):
        tested = client.post(f"/reports/messaging/{channel.pk}/test/", {"to": "4242"})
    assert tested.status_code == 302
    assert fake.requests[-1]["path"] == "/bot999:FICTIONAL-token-for-the-page/sendMessage"
    assert fake.requests[-1]["body"] == {
        "chat_id": "4242",
        "text": "Safeguard test message from the channel Telegram line (renamed).",
    }
    fake.statuses = [500] * 5
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/reports/messaging/{channel.pk}/test/", {"to": "4343"})
    ChannelMessage.objects.filter(status=MessageStatus.QUEUED).update(
        status=MessageStatus.FAILED, last_error="HTTPError: 500"
    )
    page = client.get(f"/reports/messaging/{channel.pk}/").content.decode()
    assert '<dd id="count-sent">1</dd>' in page and '<dd id="count-failed">1</dd>' in page
    assert "HTTPError: 500" in page
    listing = client.get("/reports/messaging/").content.decode()
    assert "Telegram line (renamed)" in listing


def test_another_organisation_cannot_see_change_or_test_a_channel(
    alice: User,
    bob: User,
    charlie: User,
    org_a: Organisation,
    org_b: Organisation,
    fake: FakeProvider,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    channel = make_channel(alice, org_a, Provider.TWILIO_SMS)
    outsider = client_for(charlie)  # admin of B
    assert "twilio_sms line" not in outsider.get("/reports/messaging/").content.decode()
    assert outsider.get(f"/reports/messaging/{channel.pk}/").status_code == 404
    assert outsider.post(f"/reports/messaging/{channel.pk}/", {"name": "taken"}).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            outsider.post(f"/reports/messaging/{channel.pk}/test/", {"to": "+34600000000"}).status_code == 404
        )
    # An operator of A holds no channel.manage.
    assert client_for(bob).get(f"/reports/messaging/{channel.pk}/").status_code == 403
    channel.refresh_from_db()
    assert channel.name == "twilio_sms line" and fake.requests == []
