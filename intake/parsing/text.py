"""Text clean-up shared by every body and attachment: line endings, odd spaces, blank runs.

The classifiers compare words, so invisible differences (NBSP, zero-width spaces,
CRLF, trailing blanks) are removed here once; Polish letters are left untouched.
"""

from __future__ import annotations

import re

_SPACES = str.maketrans(
    {
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u3000": " ",
        "\t": " ",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "\u00ad": None,
        "\x00": None,
        "\u2028": "\n",
        "\u2029": "\n",
        "\x0c": "\n",
        "\x0b": "\n",
    }
)
_BLANK_RUNS = re.compile(r"\n{3,}")
_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f\x7f]")


def normalise(text: str) -> str:
    """CRLF to LF, odd spaces to spaces, no trailing spaces, at most one blank line in a row."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_SPACES)
    text = _CONTROL.sub("", text)
    # Per line rstrip, not a regex: "[ ]+$" retries from every space of a long run (quadratic).
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip("\n ")


def cap(text: str, limit: int, what: str, defects: list[str]) -> str:
    """Cut ``text`` to ``limit`` characters and say so in ``defects``."""
    if len(text) <= limit:
        return text
    defects.append(f"{what} cut at {limit} characters (was {len(text)})")
    return text[:limit]


def unflow(text: str, delsp: bool) -> str:
    """Join format=flowed soft line breaks (RFC 3676) so paragraphs are whole again."""
    out: list[str] = []
    pending = ""
    pending_depth = -1
    for line in text.replace("\r\n", "\n").split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        body = line[depth:]
        if body.startswith(" ") and depth == 0:
            body = body[1:]  # space-stuffing
        elif depth and body.startswith(" "):
            body = body[1:]
        if pending and depth != pending_depth:
            out.append(">" * pending_depth + (" " if pending_depth else "") + pending)
            pending = ""
        soft = body.endswith(" ") and body != "-- "
        if soft:
            pending += body[:-1] if delsp else body
            pending_depth = depth
            continue
        full = pending + body
        pending = ""
        out.append(">" * depth + (" " if depth and full else "") + full)
    if pending:
        out.append(">" * pending_depth + (" " if pending_depth else "") + pending)
    return "\n".join(out)
