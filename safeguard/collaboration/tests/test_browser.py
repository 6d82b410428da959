"""A police liaison sends a cross-border request from the task force; the other member answers it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from safeguard.collaboration.models import CrossBorderRequest, RequestStatus
from safeguard.collaboration.tests.conftest import World
from safeguard.testing.browser import PHONE, accessibility_violations, screenshot, sign_in
from safeguard.testing.fixtures import TEST_PASSWORD


@pytest.mark.browser
def test_a_liaison_sends_a_request_and_the_other_side_answers(
    transactional_db: None, page: Any, world: World
) -> None:
    sign_in(page, world.lee, TEST_PASSWORD)
    page.get_by_role("link", name="Task forces", exact=True).first.click()
    page.get_by_role("link", name="Operation Lighthouse").click()
    expect(page.get_by_role("heading", name="Shared items")).to_be_visible()
    screenshot(page, "collaboration-workspace")
    page.get_by_role("link", name="Send a cross-border request").click()
    page.locator("#id_to_organisation").select_option(label="Beta Foundation")
    page.get_by_label("Kind of request").select_option("information")
    page.get_by_label("Legal basis").fill("Joint investigation agreement, art. 7 (fictional)")
    page.get_by_label("What is requested").fill("Who rents the flat above the fictional bakery?")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_url(re.compile(r".*/collaboration/requests/\d+/$"))
    expect(page.get_by_role("status").filter(has_text=re.compile(r"^Sent$"))).to_be_visible()
    screenshot(page, "collaboration-request-sent")
    sent = CrossBorderRequest.objects.get()
    assert (sent.from_organisation, sent.to_organisation, sent.status) == (
        world.police,
        world.org_b,
        RequestStatus.SENT,
    )

    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    sign_in(page, world.sam, TEST_PASSWORD)
    page.goto(page.base_url + "/collaboration/")
    page.get_by_role("link", name=f"Information request #{sent.pk}").click()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("status").filter(has_text=re.compile(r"^Acknowledged$"))).to_be_visible()
    page.locator("#id_answer-response").fill(
        "A fictional letting agency; its register is attached by courier."
    )
    page.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_role("status").filter(has_text=re.compile(r"^Answered$"))).to_be_visible()
    expect(
        page.get_by_text("A fictional letting agency; its register is attached by courier.")
    ).to_be_visible()
    assert accessibility_violations(page) == []
    screenshot(page, "collaboration-request-answered-phone")
    sent.refresh_from_db()
    assert (sent.status, sent.answered_by) == (RequestStatus.ANSWERED, world.sam)
