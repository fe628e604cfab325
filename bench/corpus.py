"""Load the labelled corpus as one text per remark e-mail, for the benchmarks.

Uses ``intake.parsing.parse_message`` when it exists (the product's parser); until then a
small mail-parser fallback so the classifier figures can be measured independently.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@dataclass(frozen=True)
class Item:
    """One labelled remark e-mail: its text and its gold labels."""

    file: str
    text: str
    projects: tuple[str, ...]
    types: tuple[str, ...]
    # The remarks as classifiers.splitting cuts them (empty when the splitter is unavailable).
    parts: tuple[str, ...] = ()


def _attachment_text(name: str, data: bytes) -> str:
    low = name.lower()
    try:
        if low.endswith(".docx"):
            import docx

            doc = docx.Document(io.BytesIO(data))
            parts = [p.text for p in doc.paragraphs]
            for table in doc.tables:
                for row in table.rows:
                    parts.append(" | ".join(c.text for c in row.cells))
            return "\n".join(parts)
        if low.endswith(".pdf"):
            import pypdf

            return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(data)).pages)
        if low.endswith(".odt"):
            import re

            with zipfile.ZipFile(io.BytesIO(data)) as z:
                xml = z.read("content.xml").decode("utf-8")
            xml = re.sub(r"</text:(p|h)>", "\n", xml)
            return re.sub(r"<[^>]+>", " ", xml)
    except Exception:  # a broken attachment must not stop the benchmark
        return ""
    return ""


def _fallback_text(raw: bytes) -> str:
    import mailparser
    from inscriptis import get_text

    m = mailparser.parse_from_bytes(raw)
    body = "\n".join(m.text_plain) if m.text_plain else get_text("\n".join(m.text_html))
    parts = [m.subject or "", body]
    for a in m.attachments:
        payload = a["payload"]
        data = base64.b64decode(payload) if a.get("binary") else payload.encode()
        parts.append(_attachment_text(a.get("filename") or "", data))
    return "\n".join(parts)


def split_parts(raw: bytes) -> tuple[str, ...]:
    """Remark texts of one e-mail via the product's splitter, if present."""
    try:
        from classifiers.splitting import split_remarks
        from intake.parsing import parse_message
    except ImportError:
        return ()
    return tuple(p.text for p in split_remarks(parse_message(raw)))


def mail_text(raw: bytes) -> str:
    """Subject + new text + attachment text of one e-mail (forwarded inner mail included)."""
    try:
        from intake.parsing import parse_message  # type: ignore[attr-defined]
    except ImportError:
        return _fallback_text(raw)
    mail = parse_message(raw)
    mails = [mail, *mail.forwarded]
    parts: list[str] = []
    for one in mails:
        parts += [one.subject, one.new_text]
        parts += [a.text for a in one.attachments]
    return "\n".join(p for p in parts if p)


def load_remarks(corpus: Path = CORPUS) -> list[Item]:
    """Every ``kind == remark`` e-mail of the corpus, in file order."""
    items = []
    for line in (corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["kind"] != "remark":
            continue
        raw = (corpus / "mail" / row["file"]).read_bytes()
        items.append(Item(row["file"], mail_text(raw), tuple(row["projects"]), tuple(row["types"]),
                          split_parts(raw)))
    return items
