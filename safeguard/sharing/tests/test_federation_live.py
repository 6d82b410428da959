"""Two installations on loopback: pairing, private set intersection, unpairing.

Installation A is this test's live server; installation B is a second Django server in its own
process with its own database and keys. Each holds a phone the other does not: neither side's
database nor logs ever contain the other's non-matching phone, and the intersection is exact.
"""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from safeguard.accounts.models import User
from safeguard.accounts.roles import Role
from safeguard.collaboration.models import MatchNotice, NoticeStatus
from safeguard.collaboration.selectors import notice_text
from safeguard.sharing import federated_access, federation
from safeguard.sharing.models import FederatedMatch, PeerStatus, RemoteAccessRequest, RemoteAccessStatus
from safeguard.sharing.tests.federation_world import hold_phones
from safeguard.testing.fixtures import actor_of

REPOSITORY = Path(__file__).resolve().parents[3]
SHARED, ONLY_A, ONLY_B = "+442079460001", "+442079460555", "+442079460999"

SEED_B = f"""
from safeguard.accounts.models import Organisation, User
from safeguard.sharing.tests.federation_world import hold_phones, hold_report
from safeguard.testing.fixtures import make_member
beta = Organisation.objects.create(name="Beta (test)", slug="beta", kind="ngo")
hold_phones(beta, ["{ONLY_B}"])
hold_report(beta, "{SHARED}", reference="RPT-B0001")
User.objects.create_user("root@b.example", "x", name="Root B", is_platform_admin=True)
make_member(beta, "supervisor", email="sam@b.example")
make_member(beta, "caseworker", email="cal@b.example")
"""

B_ACTOR = (
    "from safeguard.accounts.models import Organisation, User; "
    "from safeguard.testing.fixtures import actor_of; "
    "from safeguard.sharing import federated_access; "
    "from safeguard.sharing.models import RemoteAccessRequest; "
    "beta = Organisation.objects.get(slug='beta'); "
    "request = RemoteAccessRequest.objects.get(); "
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class InstallationB:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.database = folder / "b.sqlite3"
        self.log = folder / "b.log"
        inherited = {
            name: value for name, value in os.environ.items() if name != "SAFEGUARD_TEST_DATABASE_URL"
        }
        self.env = {  # B never uses A's (test) database, on SQLite or PostgreSQL runs alike
            **inherited,
            "SAFEGUARD_DATABASE_URL": f"sqlite:///{self.database}",
            "SAFEGUARD_VAR_DIR": str(folder / "var"),
            "SAFEGUARD_SECRET_KEY": "installation-b-secret-key-0123456789abcdefghij",
            "SAFEGUARD_FIELD_KEYS": "b1:" + base64.b64encode(b"B" * 32).decode(),
            "SAFEGUARD_BLIND_INDEX_KEY": base64.b64encode(b"c" * 32).decode(),
            "SAFEGUARD_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "SAFEGUARD_SECURE_COOKIES": "0",
        }
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str) -> str:
        completed = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=REPOSITORY, env=self.env, capture_output=True, text=True,
            timeout=600, check=False,
        )  # fmt: skip
        assert completed.returncode == 0, completed.stderr[-3000:]
        return completed.stdout

    def shell(self, code: str) -> str:
        return self.manage("shell", "--no-imports", "-c", code)

    def start(self) -> subprocess.Popen[bytes]:
        handle = self.log.open("wb")
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload", "--nothreading"],
            cwd=REPOSITORY, env=self.env, stdout=handle, stderr=subprocess.STDOUT,
        )  # fmt: skip
        for _attempt in range(120):
            try:
                urllib.request.urlopen(f"{self.url}/health/", timeout=2)  # noqa: S310 - loopback
                return server
            except OSError as error:
                if getattr(error, "code", None):  # an HTTP error still means the server answers
                    return server
                time.sleep(0.5)
        server.terminate()
        raise AssertionError(self.log.read_text()[-3000:])


@pytest.fixture
def installation_b(tmp_path: Path) -> Iterator[InstallationB]:
    b = InstallationB(tmp_path)
    b.manage("migrate", "--noinput", "-v", "0")
    b.shell(SEED_B)
    server = b.start()
    try:
        yield b
    finally:
        server.terminate()
        server.wait(timeout=30)


def _all_text_of_database() -> str:
    parts: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the schema
            parts.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(parts)


@pytest.mark.django_db(transaction=True)
def test_pair_intersect_and_unpair_over_loopback(
    installation_b: InstallationB, live_server: Any, org_a: Any, member: Any, caplog: pytest.LogCaptureFixture
) -> None:
    b = installation_b
    root_a = User.objects.create_user("root@a.example", "x", name="Root A", is_platform_admin=True)
    supervisor = actor_of(member(org_a, Role.SUPERVISOR), org_a)
    hold_phones(org_a, [SHARED, ONLY_A], first_record=7)

    # A asks, B's platform admin accepts: both sides paired.
    peer = federation.peer_request(user=root_a, url=b.url, own_url=live_server.url, own_name="A")
    assert peer.status == PeerStatus.OUTGOING
    b.shell(
        "from safeguard.sharing import federation; from safeguard.sharing.models import Peer; "
        "from safeguard.accounts.models import User; "
        "federation.peer_accept(user=User.objects.get(email='root@b.example'), peer=Peer.objects.get())"
    )
    peer.refresh_from_db()
    assert peer.status == PeerStatus.PAIRED and peer.public_key

    # A's supervisor asks; both sides store the one match, with their own records only.
    found = federation.psi_query(actor=supervisor, peer=peer)
    assert found is not None
    assert (found.kinds, found.records) == ({"phone": 1}, [["report", 7]])
    b_matches = b.shell(
        "from safeguard.sharing.models import FederatedMatch; "
        "print([(m.kinds, m.records, m.asked_here, m.reference, m.notice.own_records, m.notice.other_counts)"
        " for m in FederatedMatch.objects.all()])"
    )
    b_report = int(b.shell("from safeguard.intake.models import Report; print(Report.objects.get().pk)"))
    assert b_matches.strip() == str(
        [
            (
                {"phone": 1},
                [["report", b_report]],
                False,
                found.reference,
                [{"type": "report", "id": b_report}],
                {"report": 1},
            )
        ]
    )
    # A collaboration match notice on A's side, naming B's organisation and installation.
    notice = MatchNotice.objects.get(organisation=org_a)
    assert found.notice == notice and notice.other_organisation is None
    assert notice.own_records == [{"type": "report", "id": 7}] and notice.other_counts == {"report": 1}
    assert "Beta (test)" in notice_text(notice)

    # A's supervisor asks for access from the notice; B's caseworker may not decide, B's supervisor grants.
    federated_access.remote_access_request(
        actor=supervisor, match=found, purpose="protection", note="Same phone"
    )
    assert "pending" in b.shell(B_ACTOR + "print(request.status, request.match.notice.status)")
    refused = b.shell(
        B_ACTOR + "from django.core.exceptions import PermissionDenied\n"
        "try:\n"
        "    federated_access.remote_access_decide(actor=actor_of(User.objects.get(email='cal@b.example'), beta),"
        " access_request=request, grant=True)\n"
        "except PermissionDenied:\n"
        "    print('refused')\n"
    )
    assert refused.strip() == "refused"
    b.shell(
        B_ACTOR
        + "federated_access.remote_access_decide(actor=actor_of(User.objects.get(email='sam@b.example'), beta),"
        " access_request=request, grant=True)"
    )
    asked = RemoteAccessRequest.objects.get(match=found)
    notice.refresh_from_db()
    assert asked.status == RemoteAccessStatus.GRANTED and notice.status == NoticeStatus.GRANTED
    views = federated_access.received_views(found)
    assert [view["title"] for view in views] == ["RPT-B0001"]
    assert "Fictional narrative" not in str(views) and SHARED.lstrip("+") not in str(views)
    assert "sharing.federation_access_granted" in b.shell(
        "from safeguard.core.models import AuditEvent; print(list(AuditEvent.objects.values_list('action', flat=True)))"
    )

    # Neither side's database nor logs hold the other's non-matching identifier.
    digits_b, digits_a = ONLY_B.lstrip("+"), ONLY_A.lstrip("+")
    assert digits_b not in _all_text_of_database()
    assert digits_b not in caplog.text
    b_dump = b.shell(
        "from django.db import connection\n"
        "c = connection.cursor()\n"
        "for t in connection.introspection.table_names():\n"
        "    c.execute(f'SELECT * FROM \"{t}\"')\n"
        "    print(c.fetchall())\n"
    )
    assert digits_a not in b_dump
    assert digits_a not in b.log.read_text()
    assert digits_a.encode() not in b.database.read_bytes()

    # A unpairs: B is told at once, and no further question is answered.
    federation.peer_unpair(user=root_a, peer=peer)
    status_b = b.shell("from safeguard.sharing.models import Peer; print(Peer.objects.get().status)")
    assert status_b.strip() == PeerStatus.UNPAIRED
    peer.status = PeerStatus.PAIRED  # even if A still thought it was paired, B refuses
    peer.save(update_fields=["status"])
    with pytest.raises(federation.FederationError, match="refused"):
        federation.psi_query(actor=supervisor, peer=peer)
    assert FederatedMatch.objects.count() == 1
    # What B shared stops showing the moment A unpairs; no new request goes out.
    peer.status = PeerStatus.UNPAIRED
    peer.save(update_fields=["status"])
    assert federated_access.received_views(FederatedMatch.objects.get()) == []
