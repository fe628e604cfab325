"""What the sender wrote now: quoted replies, signatures and mobile footers removed.

Works on plain text (HTML is converted first), line by line, with the shapes Polish
and English clients actually produce. When in doubt text is kept: a lost remark
costs more than a stray signature line.
"""

from __future__ import annotations

import re

from .text import normalise

_VERB = r"(?:napisał\(a\)|napisał|napisała|napisali|pisze|piszą|odpisał\(a\)|wrote|writes|schrieb|a écrit)"
_ATTRIBUTION = re.compile(rf"^.{{0,280}}\b{_VERB}\s*:$", re.IGNORECASE)
_APPLE_PL = re.compile(r"^Wiadomość napisana przez .{1,200} w dniu .{1,80}:$", re.IGNORECASE)
_ATTRIBUTION_HINT = re.compile(r"\d{1,2}:\d{2}|@|^(W dniu|Dnia|On|Am|Le|Użytkownik)\b", re.IGNORECASE)
_REPLY_SEPARATOR = re.compile(
    r"^[-–—_=*]{2,}\s*(Wiadomość oryginalna|Oryginalna wiadomość|Original Message|Original message"
    r"|Treść oryginalnej wiadomości|Poprzednia wiadomość)\s*[-–—_=*]{2,}$",
    re.IGNORECASE,
)
_FORWARD_SEPARATOR = re.compile(
    r"^[-–—_=*]{2,}\s*(Forwarded message|Wiadomość przekazana dalej|Przekazana wiadomość"
    r"|Wiadomość przesłana dalej|Przesłana wiadomość|Begin forwarded message|Początek przekazywanej"
    r" wiadomości)\s*+:?\s*[-–—_=*]*$",  # possessive: adjacent "\s*" would split a run of blanks every way
    re.IGNORECASE,
)
_UNDERSCORES = re.compile(r"^_{10,}$")
_HEADER_FROM = re.compile(r"^\*?(Od|From|Nadawca)\s*:\*?\s*\S", re.IGNORECASE)
_HEADER_OTHER = re.compile(
    r"^\*?(Wysłano|Wysłane|Sent|Data|Date|Do|To|Temat|Subject|DW|Cc|UDW|Odpowiedz do|Reply-To)\s*:",
    re.IGNORECASE,
)
_FOOTER = re.compile(
    r"^(Wysłane|Wysłano|Wysyłane|Wysłany)\s+(z|ze|przez|za pomocą)\s+.{1,70}"
    r"|^Sent (from|with|via|using) .{1,70}"
    r"|^(Get|Pobierz|Uzyskaj|Download) (Outlook|aplikację|aplikacje|the) .{1,90}"
    r"|^(Virus-free|Wolne od wirusów|Wolny od wirusów)\b.{0,80}",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    r"^(z\s+)?(serdecznie\s+|ciepło\s+|gorąco\s+)?(pozdrawiam|pozdrawiamy|pozdrowienia|pozdrowieniami|pozdr"
    r"|łączę (wyrazy szacunku|pozdrowienia|serdeczne pozdrowienia)|z poważaniem"
    r"|z wyrazami (szacunku|poważania)"
    r"|z serdecznymi pozdrowieniami|dziękuję|dziękuje|dziękujemy|dzięki|z góry dziękuję|dziękuję i pozdrawiam"
    r"|best regards|kind regards|regards|best wishes|sincerely|yours sincerely|yours faithfully"
    r"|thank you|thanks|cheers|mit freundlichen grüßen|z panem bogiem|szczęść boże|з повагою|с уважением)"
    r"(\s+(serdecznie|ciepło|gorąco))?[\s,.!:;-]*$",
    re.IGNORECASE,
)
_FORWARD_SUBJECT = re.compile(r"^\s*(fwd?|pd|przekaż|tr|wg|forward)\s*:", re.IGNORECASE)


def is_forward_subject(subject: str) -> bool:
    """Subjects like "Fwd:", "FW:", "PD:" mark a forward, whose quoted part is the point."""
    return bool(_FORWARD_SUBJECT.match(subject or ""))


def _attribution_at(lines: list[str], i: int) -> int:
    """How many lines (1 or 2) form a reply attribution starting at ``i``; 0 if none."""
    for size in (1, 2):
        if i + size > len(lines):
            break
        candidate = " ".join(part.strip() for part in lines[i : i + size])
        if len(candidate) > 320 or not candidate:
            break
        if _APPLE_PL.match(candidate):
            return size
        if _ATTRIBUTION.match(candidate) and _ATTRIBUTION_HINT.search(candidate):
            return size
    return 0


def _header_block_at(lines: list[str], i: int) -> int:
    """Length of an Outlook-style "Od: / Wysłano: / Do: / Temat:" block starting at ``i``; 0 if none."""
    if not _HEADER_FROM.match(lines[i].strip()):
        return 0
    end, seen = i + 1, 0
    while end < len(lines) and end <= i + 8:
        line = lines[end].strip()
        if _HEADER_OTHER.match(line):
            seen += 1
        elif line and seen:
            break
        end += 1
    return end - i if seen >= 2 else 0


def _next_content(lines: list[str], i: int) -> str:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return lines[i].lstrip() if i < len(lines) else ""


def _cut_quotes(lines: list[str], forward: bool) -> tuple[list[str], list[str]]:
    """(new lines, quoted lines): cut at the first reply header, drop ">" lines and forward headers."""
    keep: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if _REPLY_SEPARATOR.match(line) or _FORWARD_SEPARATOR.match(line) or _UNDERSCORES.match(line):
            block = _header_block_at(lines, i + 1) if i + 1 < len(lines) else 0
            if block or not _UNDERSCORES.match(line):
                if forward or _FORWARD_SEPARATOR.match(line):
                    i += 1 + block
                    continue
                return keep, lines[i:]
        block = _header_block_at(lines, i)
        if block:
            if forward:
                i += block
                continue
            return keep, lines[i:]
        size = _attribution_at(lines, i)
        if size:
            if _next_content(lines, i + size).startswith(">"):
                i += size
                continue
            return keep, lines[i:]
        keep.append(lines[i])
        i += 1
    return keep, []


def _drop_quoted(lines: list[str]) -> list[str]:
    """Remove runs of ">" lines; a single ">" line inside a paragraph is taken as prose and kept."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        if lines[i].lstrip().startswith(">"):
            j = i
            while j < len(lines) and lines[j].lstrip().startswith(">"):
                j += 1
            if j - i >= 2 or i == 0 or not lines[i - 1].strip():
                i = j
                continue
        out.append(lines[i])
        i += 1
    return out


def _drop_footers(lines: list[str]) -> list[str]:
    """Remove "Wysłane z iPhone'a"-style lines near the end (not in the middle, where they could be prose)."""
    out = list(lines)
    seen = 0
    for i in range(len(out) - 1, -1, -1):
        line = out[i].strip()
        if not line:
            continue
        if len(line) < 110 and _FOOTER.match(line):
            del out[i]
            continue
        seen += 1
        if seen >= 6:
            break
    return out


def _drop_signature(lines: list[str]) -> list[str]:
    """Cut at a "-- " separator when what follows is short enough to be a signature."""
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].rstrip() == "--":
            if sum(1 for line in lines[i + 1 :] if line.strip()) <= 25:
                return lines[:i]
            break
    return lines


def _drop_closing(lines: list[str]) -> list[str]:
    """Remove a trailing closing formula and the short name/role lines after it."""
    for i in range(len(lines) - 1, max(-1, len(lines) - 14), -1):
        line = lines[i].strip()
        if not line or len(line) > 60 or not _CLOSING.match(line):
            continue
        tail = [item.strip() for item in lines[i + 1 :] if item.strip()]
        if len(tail) <= 8 and all(len(item) <= 80 and not item.endswith("?") for item in tail):
            return lines[:i]
        return lines
    return lines


def new_text(text: str, forward: bool = False) -> str:
    """The part of ``text`` the sender wrote now (see module docstring); ``text`` is normalised."""
    if not text:
        return ""
    lines = text.split("\n")
    keep, quoted = _cut_quotes(lines, forward)
    if quoted and not "\n".join(keep).strip():
        # Nothing above the quote: the sender passed the old message on, so it is the content.
        keep, _ = _cut_quotes(quoted, True)
    keep = _drop_quoted(keep)
    keep = _drop_footers(keep)
    keep = _drop_signature(keep)
    keep = _drop_closing(keep)
    return normalise("\n".join(keep))
