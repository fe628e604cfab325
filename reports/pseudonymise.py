"""Short excerpts of remarks for the council without personal data (RODO art. 5(1)(c) minimisation).

Removes what identifies a private person in the usual remark: the author's own name, e-mail
addresses, phone numbers, PESEL numbers, street addresses, and the signature block after a
valediction. It cannot know every third party's name inside free text; the excerpt is short and
the full remark stays in the review UI for staff.
"""

from __future__ import annotations

import re

MASK = "[…]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"https?://\S+")
_PHONE = re.compile(r"(?<!\w)(?:\+?48[\s-]?)?(?:\d[\s-]?){8}\d(?!\w)")
_PESEL = re.compile(r"(?<!\d)\d{11}(?!\d)")
_STREET = re.compile(r"\b(?:ul\.|ulica|al\.|aleja|os\.|osiedle)\s+[^\s,.;]+(?:\s+[^\s,.;]+)?\s+\d+[a-zA-Z]?(?:/\d+)?",
                     re.I)
_VALEDICTION = re.compile(r"^\s*(?:z\s+poważaniem|z\s+powazaniem|pozdrawiam|pozdrowienia|serdecznie\s+pozdrawiam|"
                          r"łączę\s+wyrazy|--\s*$)", re.I | re.M)


def pseudonymise(text: str, author_name: str | None = None) -> str:
    """The text with the author's name and contact data masked and the signature cut off."""
    cut = _VALEDICTION.search(text)
    if cut:
        text = text[: cut.start()]
    for pattern in (_EMAIL, _URL, _PESEL, _PHONE, _STREET):
        text = pattern.sub(MASK, text)
    for part in sorted({p for p in re.split(r"[\s,]+", author_name or "") if len(p) >= 3}, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(part)}\w*", MASK, text, flags=re.I)
    return " ".join(text.split())


def excerpt(text: str, author_name: str | None = None, limit: int = 240) -> str:
    clean = pseudonymise(text, author_name)
    if len(clean) <= limit:
        return clean
    return clean[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"
