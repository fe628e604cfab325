"""Hostile e-mails built on the fly (never stored), and a timer that runs every stage on one of them.

Shared by the tests (tests/parsing/test_hostile.py, tests/test_hostile_pipeline.py) and by
bench/hostile_inputs.py, which runs the same inputs at full size.
"""

from __future__ import annotations

import base64
import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEAD = ("From: Anna Nowak <anna@example.org>\r\nTo: ug@klukowo.pl\r\nSubject: Uwagi do strategii\r\n"
        "Date: Fri, 20 Nov 2026 10:00:00 +0100\r\nMessage-ID: <{mid}@example.org>\r\nMIME-Version: 1.0\r\n")


def plain(body: str, mid: str = "hostile", subject: str | None = None) -> bytes:
    """A text/plain UTF-8 8bit message with ``body`` as is (no re-wrapping)."""
    head = HEAD.format(mid=mid)
    if subject is not None:
        head = head.replace("Subject: Uwagi do strategii", f"Subject: {subject}")
    return (head + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + body).encode("utf-8")


def html(markup: str, mid: str = "hostile-html") -> bytes:
    return (HEAD.format(mid=mid) + "Content-Type: text/html; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n" + markup).encode("utf-8")


def with_attachments(files: list[tuple[str, str, bytes]], body: str = "W załączeniu przesyłam uwagi.",
                     mid: str = "hostile-att") -> bytes:
    """multipart/mixed by hand (EmailMessage takes seconds for thousands of parts), base64 attachments."""
    boundary = "=_hostile_boundary_="
    parts = [HEAD.format(mid=mid).encode() + f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'.encode(),
             f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
             .encode() + body.encode() + b"\r\n"]
    for name, ctype, data in files:
        parts.append(f"--{boundary}\r\nContent-Type: {ctype}\r\nContent-Transfer-Encoding: base64\r\n"
                     f'Content-Disposition: attachment; filename="{name}"\r\n\r\n'.encode()
                     + base64.encodebytes(data).replace(b"\n", b"\r\n"))
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


def pdf_pages(pages: int) -> bytes:
    """A valid PDF of ``pages`` pages that all share one small text stream (a few dozen bytes a page)."""
    content = b"BT /F1 12 Tf 72 720 Td (Uwaga do strategii) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"",  # pages tree filled below
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)]
    first = len(objects) + 1
    kids = b" ".join(b"%d 0 R" % (first + i) for i in range(pages))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents 4 0 R >>")
    objects += [page] * pages
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % off for off in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def docx_unpacking_to(size: int) -> bytes:
    """A DOCX whose document.xml expands to about ``size`` bytes of ordinary paragraphs."""
    para = "<w:p><w:r><w:t>Uwaga do strategii, proszę o zmianę zapisu.</w:t></w:r></w:p>"
    count = max(1, size // len(para))
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           + para * count + "</w:body></w:document>")
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
             '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
             'document.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", doc)
    return out.getvalue()


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# name -> (builder of the raw message at a given scale 0..1, description). Scale 1 is the size.
WORST: dict[str, Callable[[float], bytes]] = {
    "spaces in body": lambda s: plain("Uwaga do strategii" + " " * int(80_000 * s) + "koniec\n"),
    "spaces in header": lambda s: plain("Krótka uwaga o drogach.", subject="Uwagi" + " " * int(40_000 * s) + "x"),
    "2 MB single line": lambda s: plain(("słowo " * int(350_000 * s)).strip()),
    "2 MB line of spaces": lambda s: plain("a" + " " * int(2_000_000 * s) + "b"),
    "Uwaga N: lines": lambda s: plain("".join(f"Uwaga {i}: tekst uwagi.\n" for i in range(1, int(10_000 * s) + 1))),
    "bullets": lambda s: plain("Mam uwagi:\n" + "".join(
        f"- proszę o nową drogę numer {i} przez wieś\n" for i in range(int(3_000 * s)))),
    "numbered items": lambda s: plain("".join(f"{i}. punkt\n" for i in range(1, int(100_000 * s) + 1))),
    "tiny attachments": lambda s: with_attachments(
        [(f"u{i}.txt", "text/plain", b"Uwaga: prosze o chodnik.") for i in range(int(5_000 * s))]),
    "20,000-page PDF": lambda s: with_attachments([("uwagi.pdf", "application/pdf", pdf_pages(int(20_000 * s)))]),
    "DOCX unpacking to 190 MB": lambda s: with_attachments(
        [("uwagi.docx", DOCX, docx_unpacking_to(int(190_000_000 * s)))]),
    "nested divs": lambda s: html("<div>" * int(500_000 * s) + "Uwaga do strategii." + "</div>" * int(500_000 * s)),
    "deep > quotes": lambda s: plain("".join(">" * i + " uwaga\n" for i in range(int(3_000 * s)))),
}


def settings_for_stages(tmp: Path):
    """Settings that run every stage in process without the embedding model (fast, offline)."""
    from intake.settings import Settings, parse_settings

    data = {"catalogue": str(REPO / "projects.toml"), "classification": {"embeddings": False},
            "paths": {"cache": str(REPO / "var" / "cache"), "models": str(tmp / "models")}}
    settings = parse_settings(data, tmp / "config.toml")
    assert isinstance(settings, Settings)
    return settings


def time_stages(raw: bytes, services) -> tuple[dict[str, float], str]:
    """Seconds per stage (parse, sort, split, classify) for one message run in this process, and the outcome.

    A stage that holds or discards ends the run, as in the pipeline; its time is still recorded.
    """
    from datetime import UTC, datetime

    from intake.pipeline import Work, run_stages
    from intake.stages.registry import stages

    work = Work(pk=1, raw=raw, received_at=datetime.now(UTC))
    times: dict[str, float] = {}
    for name, stage in stages("parse,sort,split,classify"):
        start = time.perf_counter()
        run_stages(work, [(name, stage)], services)
        times[name] = time.perf_counter() - start
        if work.held or work.discarded:
            break
    if work.held:
        return times, f"held at {work.held[0]}: {work.held[1]}"
    if work.discarded:
        return times, f"discarded: {work.discarded}"
    return times, f"{len(work.remarks)} remark(s)"
