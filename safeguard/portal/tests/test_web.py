"""Public pages, security headers, languages and role-aware navigation."""

from __future__ import annotations

import pytest

from safeguard.accounts.roles import Role
from safeguard.testing.fixtures import make_member

pytestmark = pytest.mark.django_db


def test_the_landing_page_is_public_and_points_to_reporting(client) -> None:
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="/report/"' in page
    assert "CyberTipline" in page


def test_pages_carry_security_headers(client) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert len(response["X-Request-ID"]) == 32


def test_pages_load_no_third_party_assets(client, settings) -> None:
    page = client.get("/").content.decode()
    # Only the quick exit links to another site (a link, not an asset: decision 122).
    assert page.count("https://") == page.count(f'href="{settings.QUICK_EXIT_URL}"') == 1
    assert "/static/vendor/htmx-2.0.11.min.js" in page


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("es", "Proteger a los niños y niñas de la trata, juntos"),
        ("fr", "Protéger les enfants contre la traite, ensemble"),
        ("en", "Protecting children from trafficking, together"),
    ],
)
def test_the_language_switcher_changes_the_page_language(client, language, heading) -> None:
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"}, follow=True)
    page = response.content.decode()
    assert f'<html lang="{language}" dir="ltr">' in page
    assert heading in page


def test_the_browser_language_is_honoured_before_any_choice(client) -> None:
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()
    assert '<html lang="fr" dir="ltr">' in page


def test_navigation_shows_only_what_the_role_may_use(org_a, client_for) -> None:
    operator_page = client_for(make_member(org_a, Role.OPERATOR)).get("/dashboard/").content.decode()
    admin_page = client_for(make_member(org_a, Role.ORG_ADMIN)).get("/dashboard/").content.decode()

    assert 'href="/accounts/users/"' not in operator_page
    assert 'href="/audit/"' not in operator_page
    assert 'href="/accounts/users/"' in admin_page
    assert 'href="/audit/"' in admin_page


def test_a_member_of_two_organisations_switches_between_them(org_a, org_b, client_for) -> None:
    user = make_member(org_a, Role.OPERATOR)
    make_member(org_b, Role.ANALYST, email=user.email)
    client = client_for(user)

    client.post("/accounts/organisation/", {"organisation": org_b.pk})

    assert client.get("/api/v1/me").json()["organisation"]["name"] == "Beta Foundation"
    assert client.get("/api/v1/me").json()["roles"] == ["analyst"]


def test_switching_to_a_foreign_organisation_is_refused(bob, org_b, client_for) -> None:
    client = client_for(bob)
    assert client.post("/accounts/organisation/", {"organisation": org_b.pk}).status_code == 403
    assert client.get("/api/v1/me").json()["organisation"]["name"] == "Alpha Helpline"


def test_unknown_pages_get_a_friendly_404(client) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "There is nothing here." in response.content.decode()


def test_health_check(client) -> None:
    # The task-queue figures are tested in test_health.py.
    assert client.get("/health/").json() == {
        "status": "ok",
        "tasks": {
            "status": "ok",
            "waiting": 0,
            "oldest_waiting_seconds": None,
            "since_last_taken_seconds": None,
            "stall_seconds": 300,
        },
    }
