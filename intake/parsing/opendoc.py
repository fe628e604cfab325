"""Text and tables out of ODT files (odfpy): headings, paragraphs, lists, tables, sections.

LibreOffice list numbers live in the list style, not in the text, so they are
rebuilt from the style (numbered vs bulleted) to keep "1. ... 2. ..." remarks apart.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

Tables = list[tuple[tuple[str, ...], ...]]
Node = Any  # an odfpy element: the library has no type information

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_CONTAINERS = ("section", "list-header", "table-of-content", "index-body")


def _numbered_styles(document: Node) -> set[str]:
    """Names of list styles whose first level is numbered (not bulleted)."""
    names: set[str] = set()
    for container in (document.automaticstyles, document.styles):
        for style in container.childNodes:
            if getattr(style, "qname", None) != (_TEXT, "list-style"):
                continue
            for level in style.childNodes:
                numbered = getattr(level, "qname", None) == (_TEXT, "list-level-style-number")
                if numbered and level.getAttrNS(_TEXT, "level") in (None, "1"):
                    names.add(style.getAttrNS(_STYLE, "name"))
    return names


class _Walker:
    def __init__(self, numbered: set[str]) -> None:
        from odf import teletype

        self.extract = teletype.extractText
        self.numbered = numbered
        self.lines: list[str] = []
        self.tables: Tables = []

    def walk(self, node: Node, list_style: str = "", depth: int = 0) -> None:
        for child in node.childNodes:
            qname = getattr(child, "qname", None)
            if qname in ((_TEXT, "p"), (_TEXT, "h")):
                self.lines.append(self.extract(child).strip())
            elif qname == (_TEXT, "list"):
                self._list(child, child.getAttrNS(_TEXT, "style-name") or list_style, depth)
            elif qname == (_TABLE, "table"):
                self._table(child)
            elif qname is not None and qname[1] in _CONTAINERS:
                self.walk(child, list_style, depth)

    def _list(self, node: Node, style: str, depth: int) -> None:
        count = 0
        for item in node.childNodes:
            if getattr(item, "qname", None) != (_TEXT, "list-item"):
                continue
            count += 1
            marker = f"{count}. " if style in self.numbered else "• "
            start = len(self.lines)
            self.walk(item, style, depth + 1)
            for i in range(start, len(self.lines)):
                if self.lines[i]:
                    self.lines[i] = "  " * depth + marker + self.lines[i]
                    break

    def _table(self, node: Node) -> None:
        rows: list[tuple[str, ...]] = []
        for row in _rows(node):
            cells = []
            for cell in row.childNodes:
                if getattr(cell, "qname", None) != (_TABLE, "table-cell"):
                    continue
                parts = [self.extract(p).strip() for p in cell.childNodes if getattr(p, "qname", None)]
                cells.append("\n".join(part for part in parts if part))
            while cells and not cells[-1]:
                cells.pop()  # repeated empty trailing cells
            rows.append(tuple(cells))
        self.tables.append(tuple(rows))
        self.lines.append("")
        self.lines.extend(" | ".join(" ".join(c.split()) for c in row) for row in rows if any(row))
        self.lines.append("")


def _rows(table: Node) -> Iterator[Node]:
    for child in table.childNodes:
        qname = getattr(child, "qname", None)
        if qname == (_TABLE, "table-row"):
            yield child
        elif qname in ((_TABLE, "table-header-rows"), (_TABLE, "table-rows"), (_TABLE, "table-row-group")):
            yield from _rows(child)


def odt_text(data: bytes) -> tuple[str, Tables]:
    """(text, tables) of an ODT document in reading order."""
    from odf.opendocument import load  # heavy import, only needed when an ODT arrives

    document = load(io.BytesIO(data))
    walker = _Walker(_numbered_styles(document))
    walker.walk(document.text)
    return "\n".join(walker.lines), walker.tables
