"""Which consultation a message belongs to, when one installation runs several.

Decided once per message, when it is processed, from the strongest evidence down:

1. where it was sent: a recipient address (To, Cc, Delivered-To, X-Original-To) listed in one
   consultation's `addresses`; then a `subject_tags` entry in the subject, or one of our references
   (`BO/2027/0001`) quoted in the subject or text (a follow-up joins its case's consultation);
2. when it came: the only consultation open on the day it was received (its own time zone);
3. what it says: the consultation whose catalogue fits the text best (the project classifier's best
   score). A weak or close fit still picks one, but marks the message uncertain: its remarks go to
   review with the reason, so a person confirms the consultation.

With one consultation nothing is computed: everything belongs to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses
from typing import Any

from intake.settings import Consultation, Settings
from storage.consultations import Scope

TextFit = Callable[[list[str], str], dict[str, float]]
RECIPIENT_HEADERS = ("to", "cc", "delivered-to", "x-original-to", "envelope-to", "x-envelope-to")
# Text fit: the best catalogue must score at least FIT_FLOOR and lead the next by FIT_MARGIN to be sure
# (scores are the project classifier's probabilities; its own acceptance threshold is 0.5).
FIT_FLOOR, FIT_MARGIN = 0.35, 0.15
UNCERTAIN = "consultation uncertain"


@dataclass(frozen=True)
class Assignment:
    key: str
    reason: str
    uncertain: bool = False
    # Made without comparing the text (cheap, for sorting): the classify stage compares and decides.
    tentative: bool = False

    @property
    def review_reason(self) -> str:
        return f"{UNCERTAIN}: {self.reason}"


def recipients(parsed: Any = None, raw: bytes = b"") -> set[str]:
    """Every address the message was sent or delivered to, lower-cased."""
    values: list[str] = []
    if parsed is not None:
        for name in RECIPIENT_HEADERS:
            values.extend(parsed.headers.get(name, ()))
        values.extend([*parsed.to, *parsed.cc])
    elif raw:
        headers = _raw_headers(raw)
        for name in RECIPIENT_HEADERS:
            values.extend(str(v) for v in headers.get_all(name, []))
    return {address.strip().lower() for _, address in getaddresses(values) if address}


def _raw_headers(raw: bytes) -> Any:
    end = re.search(rb"\r?\n\r?\n", raw[:256_000])
    head = raw[: end.start()] if end else raw[:256_000]
    return BytesHeaderParser(policy=compat32).parsebytes(head + b"\n\n")


def _subject_and_text(parsed: Any, raw: bytes) -> tuple[str, str]:
    if parsed is not None:
        return parsed.subject or "", parsed.new_text or parsed.body_text or ""
    if raw:
        return str(_raw_headers(raw).get("Subject", "") or ""), ""
    return "", ""


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def assign(settings: Settings, received_at: datetime, parsed: Any = None, raw: bytes = b"",
           fit: TextFit | None = None) -> Assignment:
    """The one consultation this message belongs to, and why (see the module docstring)."""
    every = settings.all_consultations
    if len(every) == 1:
        return Assignment(settings.default_key, "the only consultation")
    candidates = list(every)
    sent_to = recipients(parsed, raw)
    by_address = [k for k, c in every.items() if sent_to & {a.strip().lower() for a in c.addresses}]
    if len(by_address) == 1:
        return Assignment(by_address[0], "sent to its address")
    candidates = by_address or candidates
    subject, text = _subject_and_text(parsed, raw)
    named = [k for k in candidates if _names(every[k], subject, text)]
    if len(named) == 1:
        return Assignment(named[0], "its subject tag or reference")
    candidates = named or candidates
    received = _aware(received_at)
    open_ = [k for k in candidates if every[k].is_open(received)]
    if len(open_) == 1:
        return Assignment(open_[0], f"the only one open on {received.astimezone(every[open_[0]].zone):%Y-%m-%d}")
    pool = open_ or candidates
    fallback = settings.default_key if settings.default_key in pool else pool[0]
    body = f"{subject}\n{text}".strip()
    if fit is None or not body:
        return Assignment(fallback, f"{'several' if open_ else 'none'} open on {received:%Y-%m-%d}"
                                    + ("" if body else ", no text to compare"), uncertain=True,
                          tentative=fit is None and bool(body))
    scores = fit(pool, body)
    ranked = sorted(pool, key=lambda k: (-scores.get(k, 0.0), pool.index(k)))
    best = scores.get(ranked[0], 0.0)
    second = scores.get(ranked[1], 0.0) if len(ranked) > 1 else 0.0
    reason = "catalogue fits best (" + ", ".join(f"{k} {scores.get(k, 0.0):.2f}" for k in ranked) + ")"
    return Assignment(ranked[0], reason, uncertain=best < FIT_FLOOR or best - second < FIT_MARGIN)


def _names(c: Consultation, subject: str, text: str) -> bool:
    """A subject tag of this consultation, or one of its references quoted."""
    folded = subject.casefold()
    if any(tag.strip() and tag.strip().casefold() in folded for tag in c.subject_tags):
        return True
    return re.search(rf"\b{re.escape(c.reference_prefix)}/\d{{4}}/\d{{4,}}\b", f"{subject}\n{text[:20000]}") is not None


def scope_of(settings: Settings, key: str | None) -> Scope:
    """`--consultation KEY` as a filter; no KEY means the default (or only) consultation."""
    from intake.errors import ConfigError

    key = key or settings.default_key
    if key not in settings.all_consultations:
        raise ConfigError(f"--consultation {key!r}: no such consultation; known: "
                          f"{', '.join(settings.all_consultations)} (see 'uwagi consultations')")
    return Scope(key, default=key == settings.default_key)
