"""The report as a workbook: the overview, the counts, and the same remark tables as the DOCX."""

from __future__ import annotations

from typing import IO

from reports.sheets import XlsxSheet
from reports.statutory import TABLE_HEADER, ReportData, breakdowns, overview, table_rows

WIDTHS = {"Lp.": 6, "Zgłaszający": 28, "Część dokumentu": 30, "Treść uwagi": 80, "Sposób rozpatrzenia": 22,
          "Uzasadnienie": 50, "Informacja": 30, "Wartość": 90, "Zestawienie": 30, "Pozycja": 60, "Liczba uwag": 14}


def write_xlsx_report(data: ReportData, out: IO[bytes]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    info = XlsxSheet(wb, "Przebieg", ["Informacja", "Wartość"], WIDTHS)
    for label, value in overview(data):
        info.append([label, value])
    info.finish()
    counts = XlsxSheet(wb, "Liczby", ["Zestawienie", "Pozycja", "Liczba uwag"], WIDTHS)
    for heading, pairs in breakdowns(data):
        for label, n in pairs:
            counts.append([heading, label, n])
    counts.finish()
    for title, rows in (("Uwagi w terminie", data.rows), ("Uwagi po terminie", data.late_rows)):
        sheet = XlsxSheet(wb, title, TABLE_HEADER, WIDTHS)
        for values in table_rows(rows):
            sheet.append(values)
        sheet.finish()
    wb.properties.language = "pl-PL"
    wb.properties.title = "Sprawozdanie z przebiegu i wyników konsultacji"
    wb.save(out)
