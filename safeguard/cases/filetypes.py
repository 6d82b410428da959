"""What a case document really is, read from its bytes, and the malware-scan client; no Django.

Only document types are accepted: PDF, office documents (OOXML, OpenDocument, legacy OLE2) and
plain UTF-8 text. Images, audio and video are refused whatever their name says — no images or
media of children are ever stored (docs/architecture.md). The name's extension must agree with
the content, so an image renamed ``.pdf`` is refused.
"""

from __future__ import annotations

import io
import socket
import struct
import zipfile
from dataclasses import dataclass

# (content type, label, extensions accepted for it)
PDF = ("application/pdf", "PDF", (".pdf",))
DOCX = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word", (".docx",))
XLSX = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel", (".xlsx",))
PPTX = ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint", (".pptx",))
ODT = ("application/vnd.oasis.opendocument.text", "OpenDocument text", (".odt",))
ODS = ("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet", (".ods",))
ODP = ("application/vnd.oasis.opendocument.presentation", "OpenDocument presentation", (".odp",))
OLE = ("application/x-ole-storage", "Office 97-2003", (".doc", ".xls", ".ppt"))
TEXT = ("text/plain", "Text", (".txt", ".csv", ".md"))

OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
ODF_TYPES = {kind[0]: kind for kind in (ODT, ODS, ODP)}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Media signatures, to say plainly why a file is refused (offset, bytes).
MEDIA_MAGIC = [
    (0, b"\xff\xd8\xff"), (0, b"\x89PNG"), (0, b"GIF8"), (0, b"BM"), (0, b"II*\x00"), (0, b"MM\x00*"),
    (8, b"WEBP"), (4, b"ftyp"), (0, b"RIFF"), (0, b"ID3"), (0, b"\x1aE\xdf\xa3"), (0, b"OggS"),
    (0, b"fLaC"), (0, b"\x00\x00\x01\xba"), (0, b"\x00\x00\x01\xb3"), (0, b"8BPS"),
]  # fmt: skip


class RefusedFile(ValueError):
    """The file is not an accepted document: ``code`` says why (``empty``, ``media``, ``macros``,
    ``unknown``, ``mismatch``), ``params`` fill the message the caller shows in the user's language."""

    def __init__(self, code: str, message: str, **params: str) -> None:
        super().__init__(message)
        self.code, self.params = code, params


@dataclass(frozen=True)
class FileType:
    content_type: str
    label: str


def is_media(data: bytes) -> bool:
    return any(data[offset : offset + len(magic)] == magic for offset, magic in MEDIA_MAGIC)


def _zip_kind(data: bytes) -> tuple[str, str, tuple[str, ...]] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        if "mimetype" in names:
            return ODF_TYPES.get(archive.read("mimetype").decode("ascii", "replace").strip())
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise RefusedFile("macros", "Office documents with macros are not accepted; save it without macros.")
    for prefix, kind in OOXML_PARTS.items():
        if any(name.startswith(prefix) for name in names):
            return kind
    return None


def detect(data: bytes, filename: str) -> FileType:
    """The document's type, from its content; ``RefusedFile`` for anything else or a name that lies."""
    if not data:
        raise RefusedFile("empty", "The file is empty.")
    extension = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if is_media(data):
        raise RefusedFile(
            "media",
            "This file is an image, audio or video. Only documents are accepted (PDF, office "
            "documents, plain text): images or media of children are never stored here.",
        )
    kind: tuple[str, str, tuple[str, ...]] | None = None
    if data.startswith(b"%PDF-"):
        kind = PDF
    elif data.startswith(b"PK\x03\x04"):
        kind = _zip_kind(data)
    elif data.startswith(OLE_MAGIC):
        kind = OLE
    elif b"\x00" not in data:
        try:
            data.decode("utf-8")
            kind = TEXT
        except UnicodeDecodeError:
            kind = None
    if kind is None:
        raise RefusedFile("unknown", "This is not a PDF, office document or plain-text file.")
    content_type, label, extensions = kind
    if extension not in extensions:
        raise RefusedFile(
            "mismatch",
            f"The file's name ends in {extension or 'nothing'} but its content is {label} "
            f"({', '.join(extensions)}); the name and content must agree.",
            extension=extension or "—",
            label=label,
            extensions=", ".join(extensions),
        )
    return FileType(content_type=content_type, label=label)


class ScanError(RuntimeError):
    """The configured scanner did not answer."""


CHUNK = 64 * 1024


def clamd_scan(data: bytes, *, socket_path: str, timeout: float = 30.0) -> str | None:
    """Scan with ClamAV's daemon (INSTREAM over its Unix socket): ``None`` if clean, else the
    signature's name. ``ScanError`` if the daemon cannot be reached or answers otherwise."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(timeout)
            connection.connect(socket_path)
            connection.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK):
                chunk = data[start : start + CHUNK]
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                received = connection.recv(4096)
                if not received:
                    break
                answer += received
    except OSError as error:
        raise ScanError(f"the virus scanner at {socket_path} did not answer ({error})") from error
    text = answer.rstrip(b"\0").decode("utf-8", "replace").strip()
    if text.endswith(" OK"):
        return None
    if text.endswith(" FOUND"):
        return text.removeprefix("stream:").removesuffix("FOUND").strip()
    raise ScanError(f"the virus scanner answered {text!r}")
