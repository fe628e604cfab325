"""Bytes to text when the declared charset may be missing, unknown or wrong.

Polish mail arrives in UTF-8, ISO-8859-2 and windows-1250, and clients still
mislabel windows-1250 as ISO-8859-1 or US-ASCII. Rather than trusting the label
we score a few candidate decodings by how Polish (and how clean) they look.
"""

from __future__ import annotations

import codecs
import re

POLISH_LETTERS = frozenset("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
# Letters that the usual mis-decodings of Polish produce (latin-1 view of cp1250/iso-8859-2 bytes).
_UNLIKELY = frozenset("¹³¿ªºæêñ¶¼±¦¬©®¥£¤¡¢§¨«»¯°²´µ·¸½¾Ââ¤Ĺĺ")
_C1 = re.compile("[\x80-\x9f]")
# Characters typical of UTF-8 read as a single-byte charset ("Å‚", "Ä…", "Ã³", "Ĺ‚").
_MOJIBAKE_HINT = re.compile("[ÃÄÅĹĂÂ][\x80-\xbf\u0080-\u02ff\u2000-\u203a\u20ac\u2122]")

# Charsets that say nothing useful about Polish text: a body with high bytes labelled so is suspect.
_WEAK_LABELS = frozenset(
    codecs.lookup(name).name.replace("-", "_")
    for name in ("ascii", "latin-1", "cp1252", "iso-8859-15", "cp437", "cp850", "mac-roman", "iso-8859-9")
)
_CANDIDATES = ("utf_8", "cp1250", "iso8859_2")
_ALIASES = {
    "unknown-8bit": "",
    "x-unknown": "",
    "8bit": "",
    "default": "",
    "x-user-defined": "",
    "utf8": "utf_8",
    "cp-1250": "cp1250",
    "win-1250": "cp1250",
    "x-cp1250": "cp1250",
    "windows-1250pl": "cp1250",
    "iso-8859-2pl": "iso8859_2",
    "latin2": "iso8859_2",
    "ks_c_5601-1987": "cp949",
}


def codec_name(label: str | None) -> str:
    """Python codec name for a MIME charset label, "" when unknown or absent."""
    if not label:
        return ""
    label = label.strip().strip("\"'").lower()
    if label in _ALIASES:
        return _ALIASES[label]
    try:
        return codecs.lookup(label).name.replace("-", "_")
    except (LookupError, ValueError):
        return ""


def _score(text: str) -> int:
    """Higher for text that looks like clean Polish; penalise control chars and mojibake letters."""
    polish = sum(1 for ch in text if ch in POLISH_LETTERS)
    unlikely = sum(1 for ch in text if ch in _UNLIKELY)
    controls = len(_C1.findall(text))
    mojibake = len(_MOJIBAKE_HINT.findall(text))
    return 2 * polish - 2 * unlikely - 4 * controls - 4 * mojibake - 6 * text.count("\ufffd")


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(data: bytes, declared: str | None, defects: list[str] | None = None) -> str:
    """Decode ``data`` trusting ``declared`` unless the bytes clearly say otherwise.

    Appends a human-readable note to ``defects`` when the label was wrong or unknown.
    """
    if not data:
        return ""
    if data.isascii():
        return data.decode("ascii")
    codec = codec_name(declared)
    # Valid UTF-8 with high bytes is almost never an accident; take it when labelled so or unlabelled.
    if codec in ("utf_8", "") or codec in _WEAK_LABELS:
        text = _try(data, "utf_8")
        if text is not None:
            if codec not in ("utf_8", "") and defects is not None:
                defects.append(f"charset declared as {declared} but the text is UTF-8")
            return repair_mojibake(text, defects)
    declared_text = _try(data, codec) if codec else None
    if declared_text is not None and codec not in _WEAK_LABELS:
        if codec not in ("cp1250", "iso8859_2"):
            return repair_mojibake(declared_text, defects)
        # Both Polish single-byte charsets decode anything; swap only on a clear win.
        other = "iso8859_2" if codec == "cp1250" else "cp1250"
        other_text = data.decode(other)
        if _score(other_text) > _score(declared_text) + 2:
            if defects is not None:
                defects.append(f"charset declared as {declared} but the text is {_label(other)}")
            return other_text
        return declared_text
    return _best_guess(data, codec, declared, declared_text, defects)


def _best_guess(
    data: bytes, codec: str, declared: str | None, declared_text: str | None, defects: list[str] | None
) -> str:
    """Pick the best-scoring decoding among the declared charset and the Polish candidates."""
    best_codec, best_text, best_score = "", None, None
    if declared_text is not None:
        best_codec, best_text, best_score = codec, declared_text, _score(declared_text) + 1
    for candidate in _CANDIDATES:
        if candidate == codec:
            continue
        text = _try(data, candidate)
        if text is None:
            continue
        score = _score(text)
        if best_score is None or score > best_score:
            best_codec, best_text, best_score = candidate, text, score
    if codec == "utf_8":
        # Declared UTF-8 with a few broken bytes (cut base64, a stray cp1250 byte) is still UTF-8.
        text = data.decode("utf-8", "replace")
        score = _score(text) + 1
        if best_score is None or score >= best_score:
            best_codec, best_text, best_score = "utf_8", text, score
            if defects is not None:
                defects.append("invalid UTF-8 bytes replaced")
            return text
    if best_text is None:
        best_codec, best_text = "utf_8", data.decode("utf-8", "replace")
    if defects is not None and best_codec != codec:
        if declared:
            defects.append(f"charset declared as {declared} but the text is {_label(best_codec)}")
        else:
            defects.append(f"no charset declared; guessed {_label(best_codec)}")
    return best_text


def _label(codec: str) -> str:
    return {"utf_8": "utf-8", "cp1250": "windows-1250", "iso8859_2": "iso-8859-2"}.get(codec, codec)


def repair_mojibake(text: str, defects: list[str] | None = None) -> str:
    """Undo UTF-8 that was decoded as a single-byte charset and re-encoded ("ZaĹĽĂłĹ‚Ä‡")."""
    if not _MOJIBAKE_HINT.search(text):
        return text
    for single in ("cp1250", "cp1252", "latin_1", "iso8859_2"):
        try:
            fixed = text.encode(single).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if _score(fixed) > _score(text):
            if defects is not None:
                defects.append(f"double-encoded UTF-8 repaired (read as {_label(single)})")
            return fixed
    return text
