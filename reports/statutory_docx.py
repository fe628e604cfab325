"""The report as an accessible Word document: real tables with a repeated header row, heading
styles for navigation, document language pl-PL (WCAG 2.1 AA for published documents)."""

from __future__ import annotations

from typing import IO, Any

from reports.sheets import clean_text
from reports.statutory import TABLE_HEADER, ReportData, Row, breakdowns, overview, table_rows

WIDTHS_CM = [1.0, 3.2, 3.2, 8.0, 2.8, 5.0]


def _set_language(doc: Any, lang: str = "pl-PL") -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for style_name in ("Normal", "Heading 1", "Heading 2", "Title"):
        rpr = doc.styles[style_name].element.get_or_add_rPr()
        for old in rpr.findall(qn("w:lang")):
            rpr.remove(old)
        el = OxmlElement("w:lang")
        el.set(qn("w:val"), lang)
        el.set(qn("w:eastAsia"), lang)
        rpr.append(el)
    doc.core_properties.language = lang


def _header_row(row: Any) -> None:
    """w:tblHeader: the row repeats at the top of every page and is announced as the header."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _table(doc: Any, header: list[str], rows: list[list[Any]], widths: list[float] | None = None) -> None:
    from docx.shared import Cm

    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    hdr = table.rows[0]
    _header_row(hdr)
    for cell, label in zip(hdr.cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(label).bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = clean_text(str(value))
    if widths:
        for column, width in zip(table.columns, widths, strict=True):
            for cell in column.cells:
                cell.width = Cm(width)


def _remarks(doc: Any, title: str, rows: list[Row], empty: str) -> None:
    doc.add_heading(title, level=1)
    if not rows:
        doc.add_paragraph(empty)
        return
    _table(doc, TABLE_HEADER, table_rows(rows), WIDTHS_CM)


def write_docx(data: ReportData, out: IO[bytes]) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT

    doc = Document()
    _set_language(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    title = "Sprawozdanie z przebiegu i wyników konsultacji"
    doc.core_properties.title = f"{title}: {data.info.name}"
    doc.add_heading(title, level=0)
    doc.add_paragraph(clean_text(data.info.name))
    doc.add_heading("Przebieg konsultacji", level=1)
    _table(doc, ["Informacja", "Wartość"], [[k, v] for k, v in overview(data)])
    for heading, counts in breakdowns(data):
        doc.add_heading(heading, level=2)
        _table(doc, ["Pozycja", "Liczba uwag"], [[k, v] for k, v in counts])
    if data.undecided:
        doc.add_paragraph(f"Uwaga: {data.undecided} uwag(i) bez rozstrzygnięcia — oznaczone w tabeli jako "
                          "„brak rozstrzygnięcia”.")
    _remarks(doc, "Zestawienie uwag zgłoszonych w terminie", data.rows, "Nie zgłoszono uwag w terminie.")
    _remarks(doc, "Uwagi zgłoszone po terminie", data.late_rows,
             "Nie zgłoszono uwag po terminie.")
    if data.late_rows:
        doc.add_paragraph("Zgodnie z art. 6 ust. 5 ustawy o zasadach prowadzenia polityki rozwoju nieprzekazanie "
                          "opinii w terminie oznacza rezygnację z jej przedstawienia.")
    doc.save(out)
