"""Text and tables out of DOCX files (python-docx), in document order.

The consultation's remarks form is a Word table with one remark per row, so tables
are returned as rows of cells as well as rendered into the text. Word's automatic
list numbers are not part of the paragraph text; they are put back so that
"1. ... 2. ..." remarks can still be told apart downstream.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

Tables = list[tuple[tuple[str, ...], ...]]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BULLETS = {"bullet", "none"}


def _formats(document: DocxDocument) -> dict[tuple[str, str], str]:
    """(numId, ilvl) -> numFmt from numbering.xml ("decimal", "bullet", "lowerLetter" ...)."""
    try:
        numbering = document.part.numbering_part.element
    except Exception:  # no numbering part at all
        return {}
    abstract: dict[tuple[str, str], str] = {}
    for node in numbering.iter(f"{_W}abstractNum"):
        abstract_id = node.get(f"{_W}abstractNumId", "")
        for level in node.iter(f"{_W}lvl"):
            fmt = level.find(f"{_W}numFmt")
            abstract[(abstract_id, level.get(f"{_W}ilvl", "0"))] = (
                fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal"
            )
    formats: dict[tuple[str, str], str] = {}
    for num in numbering.iter(f"{_W}num"):
        ref = num.find(f"{_W}abstractNumId")
        if ref is None:
            continue
        abstract_id = ref.get(f"{_W}val", "")
        for (aid, level), fmt in abstract.items():
            if aid == abstract_id:
                formats[(num.get(f"{_W}numId", ""), level)] = fmt
    return formats


def _style_numbering(document: DocxDocument) -> dict[str, tuple[str, str]]:
    """Style id -> (numId, ilvl) for paragraph styles that carry list numbering ("List Number")."""
    found: dict[str, tuple[str, str]] = {}
    try:
        styles = document.styles.element
    except Exception:
        return found
    for style in styles.iter(f"{_W}style"):
        num_pr = style.find(f"{_W}pPr/{_W}numPr")
        num_id = num_pr.find(f"{_W}numId") if num_pr is not None else None
        if num_id is not None:
            level = num_pr.find(f"{_W}ilvl")
            found[style.get(f"{_W}styleId", "")] = (
                num_id.get(f"{_W}val", "0"),
                level.get(f"{_W}val", "0") if level is not None else "0",
            )
    return found


def _num_pr(paragraph: Paragraph, by_style: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    ppr = paragraph._p.pPr
    if ppr is None:
        return None
    num_pr: Any = ppr.numPr  # python-docx types its child-element descriptors loosely (ZeroOrOne)
    if num_pr is None or num_pr.numId is None:
        style_id = ppr.pStyle.val if ppr.pStyle is not None else None
        return by_style.get(style_id) if style_id else None
    level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
    return str(num_pr.numId.val), str(level)


class _Numbering:
    """Counts list items the way Word displays them (decimal and letters; bullets as "•")."""

    def __init__(self, document: DocxDocument) -> None:
        self.formats = _formats(document)
        self.by_style = _style_numbering(document)
        self.counters: dict[tuple[str, str], int] = {}

    def prefix(self, paragraph: Paragraph) -> str:
        key = _num_pr(paragraph, self.by_style)
        if key is None or key[0] == "0":
            return ""
        fmt = self.formats.get(key, "decimal")
        if fmt in _BULLETS:
            return "• "
        num_id, level = key
        for other in [k for k in self.counters if k[0] == num_id and int(k[1]) > int(level)]:
            del self.counters[other]  # a higher level restarts its sub-lists
        count = self.counters.get(key, 0) + 1
        self.counters[key] = count
        if fmt in ("lowerLetter", "upperLetter"):
            letter = chr(ord("a") + (count - 1) % 26)
            return f"{letter.upper() if fmt == 'upperLetter' else letter}) "
        return f"{count}. "


def _table_rows(table: Table, tables: Tables) -> list[str]:
    """Rows of ``table`` as lines of " | "-joined cells; nested tables are collected too."""
    rows: list[tuple[str, ...]] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is repeated once per grid column
                continue
            seen.add(id(cell._tc))
            cells.append(cell.text.strip())
            for inner in cell.tables:
                _table_rows(inner, tables)
        rows.append(tuple(cells))
    tables.append(tuple(rows))
    return [" | ".join(" ".join(cell.split()) for cell in row) for row in rows if any(row)]


def docx_text(data: bytes) -> tuple[str, Tables]:
    """(text, tables) of a DOCX document: paragraphs and tables in reading order."""
    from docx import Document  # heavy import, only needed when a DOCX arrives
    from docx.table import Table

    document = Document(io.BytesIO(data))
    numbering = _Numbering(document)
    lines: list[str] = []
    tables: Tables = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.append("")
            lines.extend(_table_rows(block, tables))
            lines.append("")
        else:
            text = block.text.strip()
            if text:
                lines.append(numbering.prefix(block) + text)
            else:
                lines.append("")
    return "\n".join(lines), tables
