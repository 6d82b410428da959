"""Documents on a case or note: type from content (an image renamed .pdf is refused), size
limit, encryption at rest, the ClamAV hook, downloads by the case team only, each audited."""

from __future__ import annotations

import io
import socketserver
import struct
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from safeguard.cases.filetypes import RefusedFile, clamd_scan, detect
from safeguard.cases.models import CaseDocument, CaseEvent
from safeguard.cases.services.documents import document_add
from safeguard.cases.services.notes import note_add
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import actor_of, make_member

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"


def office(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = office({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSM = office({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x/>", "xl/vbaProject.bin": b"x"})
ODT = office({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})


@pytest.mark.parametrize(
    ("data", "name", "label"),
    [(PDF, "consent.pdf", "PDF"), (DOCX, "plan.docx", "Word"), (ODT, "a.odt", "OpenDocument text"),
     (b"Visit notes\nline two\n", "notes.txt", "Text"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 40, "old.doc",
     "Office 97-2003")],
)  # fmt: skip
def test_documents_are_recognised_from_their_content(data, name, label) -> None:
    assert detect(data, name).label == label


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [(PNG, "consent.pdf", "image, audio or video"), (JPEG, "scan.PDF", "image, audio or video"),
     (MP4, "notes.txt", "image, audio or video"), (PNG, "photo.png", "image, audio or video"),
     (PDF, "consent.docx", "name and content must agree"), (DOCX, "plan.pdf", "name and content must agree"),
     (XLSM, "sheet.xlsx", "macros"), (b"\x00\x01\x02binary", "x.txt", "not a PDF"),
     (office({"a.txt": b"x"}), "a.zip", "not a PDF"), (b"", "empty.pdf", "empty")],
)  # fmt: skip
def test_anything_else_is_refused_with_the_reason(data, name, reason) -> None:
    with pytest.raises(RefusedFile, match=reason):
        detect(data, name)


def upload(client, case, data: bytes, name: str, **extra):
    return client.post(
        f"/cases/{case.pk}/documents/new/", {"file": SimpleUploadedFile(name, data), "note": "", **extra}
    )


def test_attach_download_and_audit(case_a, cara, org_a, client_for) -> None:
    client = client_for(cara)
    note = note_add(
        actor=actor_of(cara, org_a),
        case=case_a,
        kind="visit",
        text="Signed form",
        occurred_on=timezone.localdate(),
    )
    assert upload(client, case_a, PDF, "consent.pdf", note=note.pk).status_code == 302
    document = CaseDocument.objects.get(case=case_a)
    assert (document.name, document.content_type, document.size, document.note) == (
        "consent.pdf", "application/pdf", len(PDF), note,
    )  # fmt: skip
    assert document.scan_status == "not_scanned"
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, content FROM cases_casedocument WHERE id = %s", [document.pk])
        name, content = cursor.fetchone()
    assert name.startswith("sg1:") and "consent" not in name
    assert content.startswith("sg1:") and "JVBERi" not in content  # base64 of "%PDF"
    assert CaseEvent.objects.filter(case=case_a, kind="document_added").count() == 1
    page = client.get(f"/cases/{case_a.pk}/").content.decode()
    assert "consent.pdf" in page and "Not scanned" in page

    response = client.get(f"/cases/documents/{document.pk}/")
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "no-store"
    client.get(f"/cases/documents/{document.pk}/")
    downloads = AuditEvent.objects.filter(action="case.document_downloaded", actor=cara)
    assert [event.detail for event in downloads] == [{"document_id": document.pk}] * 2


def test_an_image_renamed_pdf_is_refused_and_nothing_stored(case_a, cara, client_for) -> None:
    response = upload(client_for(cara), case_a, PNG, "consent.pdf")
    assert response.status_code == 400
    assert "image, audio or video" in response.content.decode()
    assert not CaseDocument.objects.exists()
    assert not CaseEvent.objects.filter(kind="document_added").exists()


def test_a_text_files_type_is_named_in_the_pages_language(case_a, cara, client_for, settings) -> None:
    client = client_for(cara)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    refused = upload(client, case_a, b"Visit notes, typed up.", "visit.pdf").content.decode()
    assert "su contenido es Texto sin formato (.txt, .csv, .md)" in refused
    assert upload(client, case_a, b"Visit notes, typed up.", "visit.txt").status_code == 302
    assert CaseDocument.objects.get().type_label == "Text"  # stored as detected, shown translated
    page = client.get(f"/cases/{case_a.pk}/").content.decode()
    assert "Texto sin formato, 22" in page


def test_size_limit(case_a, cara, org_a, client_for, settings) -> None:
    settings.CASE_DOCUMENT_MAX_BYTES = 2048
    big = b"a" * 2049
    with pytest.raises(ValidationError, match="larger than"):
        document_add(actor=actor_of(cara, org_a), case=case_a, filename="big.txt", data=big)
    client = client_for(cara)
    response = upload(client, case_a, b"b" * (2048 + 70 * 1024), "huge.txt")  # refused before it is read
    assert response.status_code == 400 and "larger than" in response.content.decode()
    assert not CaseDocument.objects.exists()
    assert upload(client, case_a, b"a" * 2048, "fits.txt").status_code == 302


@pytest.mark.parametrize(
    ("who", "status"), [("mate", 200), ("sue", 200), ("carl", 404), ("bert", 404), ("beth", 404)]
)
def test_only_the_case_team_downloads(
    case_a, cara, carl, sue, bert, beth, org_a, team_a, client_for, who, status
) -> None:
    mate = make_member(org_a, "caseworker", email="mate@alpha.example", name="Team Mate")
    team_a.members.add(mate)
    document = document_add(actor=actor_of(cara, org_a), case=case_a, filename="plan.docx", data=DOCX)
    people = {"mate": mate, "sue": sue, "carl": carl, "bert": bert, "beth": beth}
    client = client_for(people[who])
    response = client.get(f"/cases/documents/{document.pk}/")
    assert response.status_code == status
    assert AuditEvent.objects.filter(action="case.document_downloaded").count() == (1 if status == 200 else 0)
    if status == 404:
        assert DOCX not in response.content
        assert upload(client, case_a, PDF, "x.pdf").status_code == 404
        assert CaseDocument.objects.count() == 1


MARKER = b"SAFEGUARD-FAKE-MALWARE-MARKER"


class FakeClamd(socketserver.BaseRequestHandler):
    """Answers ClamAV's INSTREAM: FOUND for a marker (not the real EICAR string, which scanners on
    a developer's machine would quarantine), OK otherwise."""

    def handle(self) -> None:
        command = self.request.recv(10)
        assert command == b"zINSTREAM\0"
        data = b""
        while True:
            header = b""
            while len(header) < 4:
                header += self.request.recv(4 - len(header))
            (length,) = struct.unpack("!L", header)
            if length == 0:
                break
            chunk = b""
            while len(chunk) < length:
                chunk += self.request.recv(length - len(chunk))
            data += chunk
        found = MARKER in data
        self.request.sendall(b"stream: Eicar-Signature FOUND\0" if found else b"stream: OK\0")


@pytest.fixture
def clamd() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as directory:
        path = str(Path(directory) / "clamd.sock")
        server = socketserver.UnixStreamServer(path, FakeClamd)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield path
        finally:
            server.shutdown()
            server.server_close()


EICAR_TEXT = b"Looks like a note.\n" + MARKER + b"\n"


def test_clamd_protocol(clamd) -> None:
    assert clamd_scan(PDF * 5000, socket_path=clamd) is None  # several chunks
    assert clamd_scan(EICAR_TEXT, socket_path=clamd) == "Eicar-Signature"


def test_with_a_scanner_clean_files_are_marked_and_malware_refused(
    case_a, cara, org_a, settings, clamd
) -> None:
    settings.CLAMAV_SOCKET = clamd
    actor = actor_of(cara, org_a)
    clean = document_add(actor=actor, case=case_a, filename="consent.pdf", data=PDF)
    assert clean.scan_status == "clean" and clean.scanned_at is not None
    with pytest.raises(ValidationError, match="malware"):
        document_add(actor=actor, case=case_a, filename="eicar.txt", data=EICAR_TEXT)
    assert CaseDocument.objects.count() == 1
    refused = AuditEvent.objects.get(action="case.document_refused_malware")
    assert refused.detail == {"signature": "Eicar-Signature"}


def test_a_configured_scanner_that_does_not_answer_refuses_the_upload(
    case_a, cara, org_a, settings, tmp_path
) -> None:
    settings.CLAMAV_SOCKET = str(tmp_path / "absent.sock")
    with pytest.raises(ValidationError, match="not answering"):
        document_add(actor=actor_of(cara, org_a), case=case_a, filename="consent.pdf", data=PDF)
    assert not CaseDocument.objects.exists()
