"""Writers for JSONL, CSV and XLSX that stream row by row and survive whatever the mail contained.

Spreadsheet safety: a text cell that starts with =, +, -, @, a tab or a carriage return would be
evaluated by Excel or LibreOffice (formula injection: HYPERLINK, DDE). In CSV it gets an apostrophe
in front; in XLSX it is stored as a string cell, never a formula. JSONL keeps the raw value.
Characters XML cannot carry (control characters, lone surrogates from broken 8-bit headers) are
replaced with U+FFFD in CSV and XLSX, so one hostile e-mail cannot break the export for everyone.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from typing import IO, Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 forbids these (tab, LF, CR allowed); openpyxl refuses the same set (ILLEGAL_CHARACTERS_RE).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XLSX_MAX = 32_767  # Excel's limit for one cell


def clean_text(value: str) -> str:
    """Text any XML document can hold: no control characters, no lone surrogates."""
    if not value.isprintable():
        value = _ILLEGAL_XML.sub("\ufffd", value)
    return value.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(value) else value


def _has_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def flat(value: Any) -> Any:
    """Lists and maps become JSON text in a cell; strings are cleaned."""
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        return clean_text(value)
    return value


def csv_cell(value: Any) -> Any:
    value = flat(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_jsonl(records: Iterable[dict[str, Any]], out: IO[bytes]) -> int:
    n = 0
    for rec in records:
        line = json.dumps(rec, ensure_ascii=False)
        try:
            data = line.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: escape it, the JSON stays valid and raw
            data = json.dumps(rec).encode("ascii")
        out.write(data + b"\n")
        n += 1
    return n


def write_csv(records: Iterable[dict[str, Any]], fields: list[str], out: IO[bytes]) -> int:
    """UTF-8 with a BOM, so Excel opens Polish letters right."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=False)
    writer = csv.writer(text)
    writer.writerow(fields)
    n = 0
    for rec in records:
        writer.writerow([csv_cell(rec.get(f)) for f in fields])
        n += 1
    text.flush()
    text.detach()
    return n


class XlsxSheet:
    """One write-only worksheet: header frozen, autofilter, column widths, no formula ever."""

    def __init__(self, workbook: Any, title: str, fields: list[str], widths: dict[str, int] | None = None) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        self._cell_type = WriteOnlyCell
        self.ws = workbook.create_sheet(clean_text(title)[:31])
        self.fields = fields
        self.rows = 0
        for i, name in enumerate(fields, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = (widths or {}).get(name, 16)
        self.ws.freeze_panes = "A2"
        self._last_col = get_column_letter(len(fields))
        header = []
        for name in fields:
            cell = WriteOnlyCell(self.ws, value=name)
            cell.font = Font(bold=True)
            header.append(cell)
        self.ws.append(header)

    def text_cell(self, value: str) -> Any:
        """A string cell that Excel shows as text whatever it starts with."""
        cell = self._cell_type(self.ws)
        cell._value, cell.data_type = value, "s"
        return cell

    def append(self, values: list[Any]) -> None:
        row = []
        for value in values:
            value = flat(value)
            if isinstance(value, str):
                value = value[:_XLSX_MAX]
                if value.startswith(FORMULA_START) or value.startswith("#"):
                    value = self.text_cell(value)
            row.append(value)
        self.ws.append(row)
        self.rows += 1

    def finish(self) -> None:
        self.ws.auto_filter.ref = f"A1:{self._last_col}{self.rows + 1}"


def write_xlsx(records: Iterable[dict[str, Any]], fields: list[str], out: IO[bytes], title: str,
               widths: dict[str, int] | None = None) -> int:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    sheet = XlsxSheet(wb, title, fields, widths)
    for rec in records:
        sheet.append([rec.get(f) for f in fields])
    sheet.finish()
    wb.save(out)
    return sheet.rows
