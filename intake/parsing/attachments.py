"""Attachment records: name, type, size, hash, and the text we can read out of them.

Residents send their remarks as DOCX forms, PDFs and ODT letters, so the text of
those matters as much as the body. Any failure here becomes a note on the
attachment; one broken file must not lose the rest of the message.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from classifiers.record import Attachment

from .charsets import decode_bytes
from .html import html_to_text
from .limits import ParseLimits, megabytes
from .text import cap, normalise

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader

    from .office import Tables

_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_ODT = "application/vnd.oasis.opendocument.text"
_BY_TYPE = {
    _DOCX: "docx",
    _ODT: "odt",
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/rtf": "rtf",
    "text/rtf": "rtf",
    "application/x-rtf": "rtf",
    "text/html": "html",
    "message/delivery-status": "text",
    "message/disposition-notification": "text",
    "text/rfc822-headers": "text",
}
_BY_EXTENSION = {
    "docx": "docx",
    "docm": "docx",
    "odt": "odt",
    "pdf": "pdf",
    "rtf": "rtf",
    "txt": "text",
    "csv": "text",
    "htm": "html",
    "html": "html",
}
_SPACE_RUNS = re.compile(r"(?<=\S) {2,}(?=\S)")
_ANSI_CODEPAGE = re.compile(rb"\\ansicpg(\d+)")
# Expanded size we allow for a zipped document (DOCX/ODT), pictures included, before calling it a zip bomb.
_MAX_UNZIPPED = 200_000_000
_MEDIA = ("word/media/", "Pictures/", "media/")
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


def kind_of(content_type: str, filename: str, data: bytes) -> str:
    """What extractor fits: docx, odt, pdf, rtf, text, html, image, or "" for none."""
    head = data[:1024]
    if head.startswith(b"%PDF") or (b"%PDF-" in head and content_type.endswith("pdf")):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kind = _BY_TYPE.get(content_type) or _BY_EXTENSION.get(extension, "")
    if kind in ("docx", "odt") or (not kind and head.startswith(b"PK\x03\x04")):
        if b"mimetypeapplication/vnd.oasis.opendocument.text" in head:
            return "odt"
        if head.startswith(b"PK\x03\x04"):
            return kind or ("docx" if b"word/" in data[:4096] or b"[Content_Types]" in head else "")
        return kind
    if kind:
        return kind
    if content_type.startswith("image/"):
        return "image"
    if content_type.startswith("text/"):
        return "text"
    return ""


def _check_zip(data: bytes, max_text_bytes: int) -> None:
    """Refuse a zip bomb, and a document whose text parts alone would take minutes to read.

    A 190 MB document.xml took 234 s and 2 GB; pictures are cheap to skip, so only the rest counts.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    if sum(info.file_size for info in infos) > _MAX_UNZIPPED:
        raise ValueError(f"archive expands to more than {megabytes(_MAX_UNZIPPED)}")
    text_size = sum(info.file_size for info in infos if not info.filename.startswith(_MEDIA))
    if text_size > max_text_bytes:
        raise ValueError(f"text parts expand to {megabytes(text_size)}, over the {megabytes(max_text_bytes)} limit")


def _first_pages(reader: PdfReader, limit: int) -> Iterator[PageObject]:
    """The first ``limit`` pages in order, walking the page tree lazily.

    ``reader.pages`` flattens the whole tree first: 3.5 s for a 20,000-page PDF before any text.
    """
    from pypdf import PageObject
    from pypdf.generic import DictionaryObject, IndirectObject, NameObject

    root = cast(DictionaryObject, reader.trailer["/Root"].get_object())["/Pages"]
    stack: list[tuple[Any, dict[str, Any]]] = [(root, {})]
    budget = 4 * limit + 100  # tree nodes visited: loops and empty branches end here
    while stack and limit > 0 and budget > 0:
        budget -= 1
        ref, inherit = stack.pop()
        node = ref.get_object() if hasattr(ref, "get_object") else ref
        if not isinstance(node, DictionaryObject):
            continue
        if "/Kids" in node:
            inherit = {**inherit, **{key: node[key] for key in _INHERITED if key in node}}
            kids = cast(list[Any], node["/Kids"].get_object())
            stack.extend((kid, inherit) for kid in reversed(list(kids[: limit + 10])))
            continue
        page = PageObject(reader, ref if isinstance(ref, IndirectObject) else None)
        page.update(node)
        for key, value in inherit.items():
            if key not in page:
                page[NameObject(key)] = value
        limit -= 1
        yield page


def _pdf_text(data: bytes, limits: ParseLimits) -> tuple[str, str]:
    """(text, note) of the first pages of a PDF; the note says when pages were left unread."""
    from pypdf import PdfReader  # heavy import, only needed when a PDF arrives
    from pypdf.generic import DictionaryObject

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken PDFs are noted on the attachment

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("PDF is encrypted")
    pages: list[str] = []
    total = 0
    for page in _first_pages(reader, limits.max_pdf_pages):
        text = page.extract_text() or ""
        pages.append(text)
        total += len(text)
        if total > limits.max_text_chars:
            break
    root = cast(DictionaryObject, reader.trailer["/Root"].get_object())
    count = cast(DictionaryObject, root["/Pages"].get_object()).get("/Count", len(pages))
    note = ""
    if isinstance(count, int) and count > len(pages) and len(pages) == limits.max_pdf_pages:
        note = f"text read from the first {len(pages)} of {count} pages"
    # Justified PDF text comes out with runs of spaces between words.
    return _SPACE_RUNS.sub(" ", "\n\n".join(pages)), note


def _rtf_text(data: bytes) -> str:
    from striprtf.striprtf import rtf_to_text

    match = _ANSI_CODEPAGE.search(data[:2000])
    encoding = f"cp{int(match.group(1))}" if match else "cp1250"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp1250"
    text: str = rtf_to_text(  # type: ignore[no-untyped-call]  # striprtf has no annotations
        data.decode("latin-1"), encoding=encoding, errors="replace")
    return text


def extract(kind: str, data: bytes, charset: str | None, limits: ParseLimits) -> tuple[str, Tables, str]:
    """(text, tables, note) for ``data`` of ``kind``; exceptions propagate to the caller."""
    if kind == "docx":
        from .office import docx_text

        _check_zip(data, limits.max_unpacked_bytes)
        text, tables = docx_text(data)
        return text, tables, ""
    if kind == "odt":
        from .opendoc import odt_text

        _check_zip(data, limits.max_unpacked_bytes)
        text, tables = odt_text(data)
        return text, tables, ""
    if kind == "pdf":
        text, note = _pdf_text(data, limits)
        return text, [], note if text.strip() else "PDF has no text layer (scanned?)"
    if kind == "rtf":
        return _rtf_text(data), [], ""
    if kind == "html":
        return html_to_text(decode_bytes(data, charset))[0], [], ""
    if kind == "text":
        return decode_bytes(data, charset), [], ""
    if kind == "image":
        return "", [], "image, no text extracted"
    return "", [], "no text extracted from this file type"


def build_attachment(
    filename: str,
    content_type: str,
    data: bytes,
    charset: str | None,
    limits: ParseLimits,
    defects: list[str],
) -> Attachment:
    """An Attachment record with extracted text, or with a note saying why there is none."""
    size = len(data)
    digest = hashlib.sha256(data).hexdigest()
    if size > limits.max_attachment_bytes:
        note = (
            f"attachment is {megabytes(size)}, over the {megabytes(limits.max_attachment_bytes, 0)} "
            "limit; text not extracted"
        )
        return Attachment(filename, content_type, size, digest, note=note)
    kind = kind_of(content_type, filename, data)
    try:
        text, tables, note = extract(kind, data, charset, limits)
    except Exception as exc:  # broken files are common; a note is enough
        reason = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
        note = f"could not read {kind or 'file'}: {type(exc).__name__}" + (f" ({reason})" if reason else "")
        return Attachment(filename, content_type, size, digest, note=note)
    text = cap(normalise(text), limits.max_text_chars, f"text of attachment {filename!r}", defects)
    clean_tables = tuple(
        tuple(tuple(normalise(cell) for cell in row) for row in table) for table in tables if table
    )
    return Attachment(filename, content_type, size, digest, text, clean_tables, note)
