"""The acknowledgement a resident gets: reference, what we received, what happens next, RODO clause.

Pure: the facts come in, the finished message bytes go out. Who gets one and when is decided by
`intake.jobs.acknowledge`; this module only says it well, in Polish, per RFC 3834.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from reports.mailer import OutgoingMail, address, build, clean_header, new_message_id
from reports.rendering import render


@dataclass(frozen=True)
class AckFacts:
    reference: str
    resident_email: str
    resident_name: str
    received_at: datetime  # already in the consultation's zone
    remark_count: int
    attachments_read: list[str]
    late: bool
    closes: date
    consultation: str
    resident_message_id: str | None = None
    resident_references: list[str] = field(default_factory=list)
    resident_subject: str = ""
    follow_up: bool = False


@dataclass(frozen=True)
class Office:
    email: str
    name: str
    rodo: list[str]  # the information clause, one paragraph each


def subject_of(facts: AckFacts) -> str:
    return render("acknowledgement", **_context(facts, None))[0]


def acknowledgement(facts: AckFacts, office: Office, message_id: str | None = None,
                    now: datetime | None = None) -> tuple[str, str, bytes]:
    """(Message-ID, subject, bytes): the ID is fixed here, stored with the row, reused on every retry."""
    subject, text, html = render("acknowledgement", **_context(facts, office))
    mid = message_id or new_message_id(office.email)
    refs = [*facts.resident_references, facts.resident_message_id or ""]
    mail = OutgoingMail(
        sender=address(office.email, office.name),
        to=[address(facts.resident_email, facts.resident_name)],
        subject=subject, text=text, html=html, message_id=mid,
        in_reply_to=facts.resident_message_id, references=[r for r in refs if r],
        auto_submitted="auto-replied", date=now,
    )
    return mid, subject, build(mail)


def _context(facts: AckFacts, office: Office | None) -> dict[str, object]:
    return {"f": facts, "office": office, "resident_subject": clean_header(facts.resident_subject, 150)}
