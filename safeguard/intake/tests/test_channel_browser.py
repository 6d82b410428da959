"""In Chromium: the messaging channel pages and a report's conversation pass axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from safeguard.accounts.models import Organisation, User
from safeguard.intake.channels import services
from safeguard.intake.channels.models import Provider
from safeguard.intake.models import Report
from safeguard.intake.tests.channel_helpers import make_channel
from safeguard.testing.browser import DESKTOP, accessibility_violations, screenshot, sign_in
from safeguard.testing.fixtures import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_channel_pages_and_the_conversation_in_a_report(
    page: Any, org_a: Organisation, member: Callable[..., User]
) -> None:
    page.set_default_timeout(60_000)
    expect.set_options(timeout=30_000)
    admin = member(org_a, "org_admin", "operator", email="channels.admin@test.example")
    channel = make_channel(admin, org_a, Provider.AFRICASTALKING_USSD, languages=["en"], country="ES")
    for text in ["", "1", "1*Fictional Town", "1*Fictional Town*2", "1*Fictional Town*2*0"]:
        services.ussd_answer(channel=channel, session_id="ATUid_browser", sender="+34612000111", text=text)
    report = Report.objects.get()

    page.set_viewport_size(DESKTOP)
    sign_in(page, admin, TEST_PASSWORD)
    page.goto(page.base_url + "/reports/messaging/")
    expect(page.get_by_role("heading", name="Messaging channels")).to_be_visible()
    assert accessibility_violations(page) == []
    screenshot(page, "intake-channels-list")
    page.get_by_role("link", name=channel.name).click()
    expect(page.locator("#webhook-url")).to_contain_text(f"/channels/in/{channel.webhook_key}/")
    expect(page.locator("#count-received")).to_have_text("4")
    assert accessibility_violations(page) == []
    screenshot(page, "intake-channel-detail")

    page.goto(page.base_url + f"/reports/{report.pk}/")
    expect(
        page.get_by_role("heading", name="Conversation by Africa's Talking USSD with +34 ••• ••11")
    ).to_be_visible()
    expect(page.get_by_text("USSD report").first).to_be_visible()
    assert "612000111" not in page.content()
    assert accessibility_violations(page) == []
    screenshot(page, "intake-report-conversation")
