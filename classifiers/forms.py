"""Rows of a remarks form ("formularz zgłaszania uwag") read from DOCX/ODT tables.

Offices word the header row each in their own way ("Część dokumentu, której dotyczy uwaga",
"Rozdział / strona", "Dotychczasowy zapis", "Obecne brzmienie", "Proponowany zapis / zmiana",
"Treść uwagi", "Uzasadnienie"), so columns are recognised by word stems, not by exact text.
A table is a remarks table when its header names at least a proposal or remark column and one
more known column; every later row with content becomes one remark.
"""

from __future__ import annotations

import re

from classifiers.mailtext import fold

# Field key -> stems in a header cell; the first match wins, most specific first: "Część dokumentu,
# której dotyczy uwaga" is the part (not the remark), "Proponowany zapis" a proposal, "Obecny zapis"
# the current wording, and a bare "projekt" or "dokument" only names the part when nothing else does.
_COLUMNS: list[tuple[str, re.Pattern[str]]] = [
    ("lp", re.compile(r"^\s*(?:l\.?\s?p\.?|nr\.?|lp|no\.?|#)\s*$")),
    ("justification", re.compile(r"uzasadn|przyczyn|dlaczego|motyw|justif|reason")),
    ("current", re.compile(r"obecn|dotychczas|aktualn|istniejac|brzmien|current|existing")),
    ("part", re.compile(r"czesc|rozdzial|punkt|stron|paragraf|fragment|dotycz|section|\bpart\b")),
    ("submitter", re.compile(r"imie|nazwisk|zglaszajac|podmiot|instytucj|organizacj|\bname\b")),
    ("contact", re.compile(r"kontakt|e-?mail|adres|telefon|contact")),
    ("proposal", re.compile(r"propon|sugerow|postulow|tresc|uwag|zmian|wnios|propos|comment|change|zapis")),
    ("part", re.compile(r"dokument|projekt|\bcel")),
]
LABELS = {
    "part": "Część dokumentu",
    "current": "Obecny zapis",
    "proposal": "Proponowana zmiana",
    "justification": "Uzasadnienie",
}
_EMPTY = re.compile(r"^[\s.…_\-–—/]*$")


def column_key(cell: str) -> str | None:
    """The field a header cell names, or None."""
    text = fold(cell)
    for key, pattern in _COLUMNS:
        if pattern.search(text):
            return key
    return None


def _header(row: tuple[str, ...]) -> list[str | None] | None:
    keys = [column_key(c) if len(c) <= 120 else None for c in row]
    known = {k for k in keys if k}
    if "proposal" in known and len(known) >= 2 and not known <= {"submitter", "contact", "proposal"}:
        return keys
    return None


def table_rows(table: tuple[tuple[str, ...], ...]) -> list[dict[str, str]]:
    """Each filled row of a remarks table as fields; [] when the table is not a remarks table."""
    rows: list[dict[str, str]] = []
    keys: list[str | None] | None = None
    for row in table:
        if keys is None:
            keys = _header(row)
            continue
        fields: dict[str, str] = {}
        previous = ""
        for i, cell in enumerate(row):
            key = (keys[i] if i < len(keys) else None) or f"col{i + 1}"
            value = " ".join(cell.split())
            repeated, previous = value == previous, value  # merged cells come back once per column
            if value and not repeated and not _EMPTY.match(value):
                fields[key] = f"{fields[key]} {value}".strip() if key in fields else value
        content = {k: v for k, v in fields.items() if k not in {"lp", "submitter", "contact"}}
        if any(len(v.split()) >= 2 for v in content.values()):
            if "lp" in fields:
                fields["lp"] = fields["lp"].rstrip(".")
            rows.append(fields)
    return rows


def row_text(fields: dict[str, str]) -> str:
    """The remark as staff read it: labelled lines in the form's order."""
    lines = [f"{LABELS[k]}: {fields[k]}" for k in ("part", "current") if fields.get(k)]
    if fields.get("proposal"):
        lines.append(fields["proposal"])
    lines += [v for k, v in fields.items() if k.startswith("col")]
    if fields.get("justification"):
        lines.append(f"{LABELS['justification']}: {fields['justification']}")
    return "\n".join(lines)


_LABELLED = re.compile(
    r"^\s*(?P<label>czesc dokumentu[^:]{0,40}|dotyczy|obecny zapis|dotychczasowy zapis|obecne brzmienie"
    r"|proponowan\w* (?:zmian\w*|zapis\w*|brzmieni\w*)|propozycja|uzasadnienie)\s*:\s*(?P<value>.+)$"
)
_PROPOSAL_SENTENCE = re.compile(
    r"\b(?:proponuj\w*|postuluj\w*|wnosz\w* o|wnosimy|prosz\w* o (?:wpisanie|dopisanie|uwzglednienie|ujecie"
    r"|zmian|dodanie|wykreslenie|rozszerzenie)|prosimy o|i (?:would )?suggest)"
)


def text_fields(text: str) -> dict[str, str]:
    """Form-like fields of a free-text remark: labelled lines, else the first proposing sentence."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        match = _LABELLED.match(fold(line))
        if match:
            key = column_key(match.group("label")) or "part"
            fields.setdefault(key, line[match.start("value") :].strip())
    if "proposal" not in fields:
        for sentence in re.split(r"(?<=[.!?])\s+", text.replace("\n", " ")):
            if _PROPOSAL_SENTENCE.search(fold(sentence)):
                fields["proposal"] = sentence.strip()
                break
    return fields
