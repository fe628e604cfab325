"""Attachments: names, hashes, text and tables out of DOCX, PDF, ODT, TXT, RTF; notes instead of errors."""

from __future__ import annotations

import base64
import hashlib
import io
from email.message import EmailMessage
from pathlib import Path

from intake.parsing import ParseLimits, parse_message

DATA = Path(__file__).resolve().parents[1] / "data"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT_TYPE = "application/vnd.oasis.opendocument.text"


def parse(name: str):
    return parse_message((DATA / name).read_bytes())


def with_attachment(data: bytes, maintype: str, subtype: str, filename: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Jan Kowalski <jan@example.pl>"
    msg["To"] = "ug@klukowo.pl"
    msg["Subject"] = "Uwagi w załączniku"
    msg.set_content("W załączeniu uwagi.")
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def make_docx() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("Uwagi do strategii")
    document.add_paragraph("Ścieżka rowerowa do Gródka", style="List Number")
    document.add_paragraph("Wiata przystankowa w Kaliskach", style="List Number")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Lp.", "Projekt", "Uwaga"), strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ("1.", "P4.1", "Więcej kursów rano"), strict=True):
        cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_odt() -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.style import Style
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import List, ListItem, ListLevelStyleNumber, ListStyle, P

    document = OpenDocumentText()
    numbered = ListStyle(name="Numbering")
    numbered.addElement(ListLevelStyleNumber(level=1, numformat="1", numsuffix="."))
    document.automaticstyles.addElement(numbered)
    document.automaticstyles.addElement(Style(name="Tbl", family="table"))
    document.text.addElement(P(text="Uwagi mieszkańca"))
    items = List(stylename=numbered)
    for text in ("Oświetlenie w Kaliskach", "Chodnik do szkoły"):
        item = ListItem()
        item.addElement(P(text=text))
        items.addElement(item)
    document.text.addElement(items)
    table = Table(name="Uwagi", stylename="Tbl")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for row_cells in (("Lp.", "Uwaga"), ("1", "Więcej ławek")):
        row = TableRow()
        for text in row_cells:
            cell = TableCell()
            cell.addElement(P(text=text))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def test_docx_remarks_form_gives_text_and_one_table_row_per_remark() -> None:
    mail = parse("docx_remarks_form.eml")
    (attachment,) = mail.attachments
    assert attachment.filename == "formularz_uwag_SP_Klukowo.docx"
    assert attachment.content_type == DOCX_TYPE
    assert attachment.note == ""
    assert "FORMULARZ ZGŁASZANIA UWAG" in attachment.text
    assert "Objąć doradztwem zawodowym także uczniów klas VII–VIII" in attachment.text
    remarks = next(table for table in attachment.tables if table[0][0] == "Lp.")
    assert remarks[0][3] == "Proponowana zmiana / uwaga"
    assert [row[0] for row in remarks[1:]] == ["1.", "2.", "3."]
    assert all(len(row) == 5 for row in remarks)


def test_attachment_size_and_sha256_are_of_the_decoded_bytes() -> None:
    raw = (DATA / "docx_remarks_form.eml").read_bytes()
    start = raw.index(b"UEsDB")  # the base64 of the DOCX zip
    end = raw.index(b"\r\n--", start)
    data = base64.b64decode(b"".join(raw[start:end].split()))
    (attachment,) = parse_message(raw).attachments
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()


def test_pdf_text_layer_with_numbered_remarks_and_encoded_filename() -> None:
    mail = parse("pdf_numbered_remarks_encoded_filename.eml")
    (attachment,) = mail.attachments
    assert attachment.filename == "Uwagi Gminy Brańsk – strategia terytorialna.pdf"
    assert "1. Projekt „Dostępna Ziemia Wysokomazowiecka" in attachment.text
    assert "2. Projekt „Turystyka aktywna i dziedzictwo”" in attachment.text
    assert "  " not in attachment.text  # justified spacing collapsed


def test_odt_with_numbered_remarks_gives_its_text() -> None:
    (attachment,) = parse("odt_numbered_remarks.eml").attachments
    assert attachment.content_type == ODT_TYPE
    for point in ("1. Diagnoza.", "2. Projekt P4.2", "3. Projekt P3.1", "4. Projekt P1.2"):
        assert point in attachment.text


def test_jpeg_photo_has_no_text_but_a_note() -> None:
    mail = parse("jpeg_photo_with_remark.eml")
    (photo,) = mail.attachments
    assert photo.content_type == "image/jpeg"
    assert photo.text == "" and photo.note
    assert "dzikie wysypisko" in mail.new_text


def test_generated_docx_keeps_word_list_numbers_and_tables() -> None:
    mail = parse_message(with_attachment(make_docx(), "application", DOCX_TYPE.split("/")[1], "uwagi.docx"))
    (attachment,) = mail.attachments
    assert "1. Ścieżka rowerowa do Gródka\n2. Wiata przystankowa w Kaliskach" in attachment.text
    assert "1. | P4.1 | Więcej kursów rano" in attachment.text
    assert attachment.tables == ((("Lp.", "Projekt", "Uwaga"), ("1.", "P4.1", "Więcej kursów rano")),)


def test_generated_odt_keeps_list_numbers_and_tables() -> None:
    mail = parse_message(with_attachment(make_odt(), "application", ODT_TYPE.split("/")[1], "uwagi.odt"))
    (attachment,) = mail.attachments
    assert "1. Oświetlenie w Kaliskach\n2. Chodnik do szkoły" in attachment.text
    assert attachment.tables == ((("Lp.", "Uwaga"), ("1", "Więcej ławek")),)


def test_txt_attachment_in_windows1250_is_decoded() -> None:
    data = "Proszę o ławki przy świetlicy.".encode("cp1250")
    msg = EmailMessage()
    msg["From"] = "a@example.pl"
    msg.set_content("Uwagi w pliku.")
    msg.add_attachment(data, maintype="text", subtype="plain", filename="uwagi.txt")
    (attachment,) = parse_message(msg.as_bytes()).attachments
    assert attachment.text == "Proszę o ławki przy świetlicy."


def test_rtf_attachment_is_decoded_with_its_code_page() -> None:
    rtf = rb"{\rtf1\ansi\ansicpg1250\deff0 {\fonttbl{\f0 Arial;}}\f0 Prosz\'ea o chodnik w Gr\'f3dku.\par}"
    (attachment,) = parse_message(with_attachment(rtf, "application", "rtf", "uwaga.rtf")).attachments
    assert "Proszę o chodnik w Gródku." in attachment.text


def test_rfc2231_encoded_filename_is_decoded() -> None:
    raw = (
        b"From: a@example.pl\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
        b"--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nUwagi.\r\n--B\r\n"
        b"Content-Type: application/octet-stream\r\n"
        b"Content-Disposition: attachment; filename*=utf-8''uwagi%20%C5%9Bwietlica.bin\r\n\r\n"
        b"xyz\r\n--B--\r\n"
    )
    (attachment,) = parse_message(raw).attachments
    assert attachment.filename == "uwagi świetlica.bin"
    assert attachment.note  # unsupported type: a note, no text


def test_a_broken_docx_gets_a_note_and_the_message_survives() -> None:
    mail = parse_message(with_attachment(b"PK\x03\x04 not really a zip", "application", "msword", "x.docx"))
    (attachment,) = mail.attachments
    assert attachment.text == "" and attachment.note.startswith("could not read docx")
    assert mail.new_text == "W załączeniu uwagi."


def test_an_attachment_over_the_limit_is_listed_with_a_note_and_no_text() -> None:
    limits = ParseLimits(max_attachment_bytes=1_000)
    data = b"%PDF-1.4\n" + b"x" * 5_000
    (attachment,) = parse_message(with_attachment(data, "application", "pdf", "duzy.pdf"), limits).attachments
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.text == ""
    assert "over the" in attachment.note and "limit" in attachment.note


def test_attachment_text_is_capped_at_max_text_chars() -> None:
    data = ("Uwaga. " * 1_000).encode()
    msg = EmailMessage()
    msg["From"] = "a@example.pl"
    msg.set_content("x")
    msg.add_attachment(data, maintype="text", subtype="plain", filename="dlugi.txt")
    mail = parse_message(msg.as_bytes(), ParseLimits(max_text_chars=100))
    assert len(mail.attachments[0].text) == 100
    assert any("cut at 100 characters" in defect for defect in mail.defects)
