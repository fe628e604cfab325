"""The statutory report: "Sprawozdanie z przebiegu i wyników konsultacji" (art. 6 ust. 6 UZPPR).

The facts (counts, the table of remarks with the decision on each) are gathered once into plain
rows; the DOCX and XLSX writers only lay them out. A campaign's identical remarks form one row
with the number of senders; late remarks are listed apart (art. 6 ust. 5: a late opinion may be
left unconsidered); a remark without a decision is flagged, so the office sees what is still owed.
`public` shows organisations by name and private persons as "Osoba fizyczna nr N", and redacts
contact details and the senders' names inside the remark text (art. 5 ust. 2 u.d.i.p.).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from reports.exports import Filters, iter_remarks
from reports.files import atomic_file
from storage.consultations import Scope
from storage.db import session_scope
from storage.events import append_event, chain_head
from storage.models import Message
from storage.redaction import NameRedactor, redact_details

UNDECIDED = "brak rozstrzygnięcia"
STANCES = {"uwzględniona": "uwzględniona", "uwzgledniona": "uwzględniona", "accepted": "uwzględniona",
           "częściowo uwzględniona": "częściowo uwzględniona", "czesciowo uwzgledniona": "częściowo uwzględniona",
           "częściowo": "częściowo uwzględniona", "partly": "częściowo uwzględniona",
           "partially_accepted": "częściowo uwzględniona", "nieuwzględniona": "nieuwzględniona",
           "nieuwzgledniona": "nieuwzględniona", "rejected": "nieuwzględniona", "wyjaśnienie": "wyjaśnienie",
           "wyjasnienie": "wyjaśnienie",
           "wyjaśniająca": "wyjaśnienie", "explained": "wyjaśnienie"}
SPECIAL_PARTS = {"OGOLNA": "Strategia jako całość", "POZA": "Poza zakresem strategii"}
# Word starts that name an organisation (matched at a word start: "koło" must not hit "Sokołowski").
ORGANISATION_WORDS = (
    "stowarzyszeni", "fundacj", "sp. z o", "spółk", "s.a.", "urząd", "urzad", "gmina", "gminy", "powiat",
    "starostw", "koło", "kolo ", "straż", "parafi", "spółdzielni", "związek", "zwiazek", "klub", "towarzystw",
    "szkoła", "szkola", "zespół", "rada ", "sołectw", "nadleśnictw", "wody polskie", "przedsiębiorstw", "bank",
    "izba", "ośrodek", "centrum", "biuro", "firma", "zakład", "lokalna grupa", "kółko rolnicze", "instytut",
    "uczelni", "uniwersytet", "muzeum", "bibliotek", "sekretariat", "referat", "wydział")
# Abbreviations, matched as whole words only.
ORGANISATION_ABBREVIATIONS = ("ug", "um", "umig", "kgw", "osp", "gops", "mops", "lgd", "gok", "mgok", "uks", "lks",
                              "zhp", "pttk", "rzgw", "ngo")
_ORGANISATION = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w.strip()) for w in ORGANISATION_WORDS) + ")"
                           r"|(?<!\w)(?:" + "|".join(ORGANISATION_ABBREVIATIONS) + r")(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class ConsultationInfo:
    name: str
    legal_basis: str
    opens: date
    closes: date
    zone: ZoneInfo
    channels: list[str]
    office: str = ""
    unit_code: str = ""
    jrwa_symbol: str = ""
    anonymous_rule: str = "considered"
    projects: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (title, goal id)
    goals: dict[str, str] = field(default_factory=dict)


@dataclass
class Row:
    submitter: str
    part: str
    text: str
    decision: str
    justification: str
    remarks: int = 1
    senders: int = 1
    references: list[str] = field(default_factory=list)

    @property
    def undecided(self) -> bool:
        return self.decision == UNDECIDED


@dataclass
class ReportData:
    info: ConsultationInfo
    public: bool
    messages: int = 0
    remark_messages: int = 0
    remarks: int = 0
    late_remarks: int = 0
    by_project: Counter[str] = field(default_factory=Counter)
    by_goal: Counter[str] = field(default_factory=Counter)
    by_decision: Counter[str] = field(default_factory=Counter)
    rows: list[Row] = field(default_factory=list)
    late_rows: list[Row] = field(default_factory=list)
    generated: str = ""

    @property
    def undecided(self) -> int:
        return self.by_decision.get(UNDECIDED, 0)


@dataclass(frozen=True)
class Summary:
    rows: int
    remarks: int
    late: int
    undecided: int
    sha256: str


def is_organisation(name: str | None) -> bool:
    """Organisations are not personal data (RODO protects natural persons) and may be named."""
    return bool(name and _ORGANISATION.search(name))


def part_of_document(projects: list[str], info: ConsultationInfo) -> str:
    labels = []
    for pid in projects or []:
        if pid in SPECIAL_PARTS:
            labels.append(SPECIAL_PARTS[pid])
        elif pid in info.projects:
            title, goal = info.projects[pid]
            labels.append(f"{pid} {title}" + (f" (cel {goal})" if goal else ""))
        else:
            labels.append(pid)
    return "; ".join(labels) or "nie wskazano"


class _Senders:
    """Who wrote: organisations by name; private persons numbered in order of first appearance."""

    def __init__(self, public: bool) -> None:
        self.public = public
        self.numbers: dict[str, int] = {}

    def label(self, name: str | None, email: str | None) -> str:
        key = (email or name or "").lower() or f"anon-{len(self.numbers)}"
        if is_organisation(name):
            return name or ""
        if self.public:
            n = self.numbers.setdefault(key, len(self.numbers) + 1)
            return f"Osoba fizyczna nr {n}"
        return ", ".join(x for x in (name, email) if x) or "anonimowo"


def collect(engine: Engine, info: ConsultationInfo, public: bool, scope: Scope | None = None) -> ReportData:
    """One pass over the (unrestricted) remarks; campaigns folded into their first remark's row.

    With a `scope`, only that consultation's messages and remarks count: each consultation has its
    own report (several may run in one installation).
    """
    data = ReportData(info=info, public=public, generated=datetime.now(info.zone).strftime("%Y-%m-%d %H:%M"))
    senders = _Senders(public)
    with Session(engine) as session:
        mine = [] if scope is None else [scope.where(Message.consultation)]
        data.messages = session.exec(select(func.count()).select_from(Message).where(*mine)).one()
        data.remark_messages = session.exec(select(func.count()).select_from(Message)
                                            .where(Message.kind == "remark", *mine)).one()
        pairs = [(r, m.sender_name, m.sender_email, m.late)
                 for r, m in iter_remarks(session, Filters(consultation=scope))]
    private = [r.author_name or name for r, name, _, _ in pairs if not is_organisation(r.author_name or name)]
    scrub = NameRedactor(private) if public else None
    campaigns: dict[tuple[bool, str], Row] = {}
    campaign_senders: dict[tuple[bool, str], set[str]] = {}
    for r, name, email, late in sorted(pairs, key=lambda p: (p[0].reference or "", p[0].id or 0)):
        decision = STANCES.get((r.stance or "").strip().lower(), r.stance or UNDECIDED)
        _count(data, r.projects, decision, info, late)
        author, address = r.author_name or name, r.author_email or email
        who = (address or author or "").lower()
        if r.campaign and (late, r.campaign) in campaigns:
            row = campaigns[(late, r.campaign)]
            row.remarks += 1
            row.references.append(r.reference or "")
            campaign_senders[(late, r.campaign)].add(who)
            row.senders = len(campaign_senders[(late, r.campaign)])
            continue
        text = r.text if scrub is None else scrub(redact_details(r.text))
        row = Row(submitter=senders.label(author, address), part=part_of_document(r.projects, info), text=text,
                  decision=decision, justification=r.justification or "", references=[r.reference or ""])
        if r.campaign:
            campaigns[(late, r.campaign)] = row
            campaign_senders[(late, r.campaign)] = {who}
        (data.late_rows if late else data.rows).append(row)
    for row in [*data.rows, *data.late_rows]:
        if row.remarks > 1:
            row.submitter = f"{row.senders} {plural(row.senders)} (uwagi jednobrzmiące, {row.remarks})"
    return data


def _count(data: ReportData, projects: list[str], decision: str, info: ConsultationInfo, late: bool) -> None:
    data.remarks += 1
    data.late_remarks += late
    data.by_decision[decision] += 1
    for pid in projects or ["nie wskazano"]:
        data.by_project[pid] += 1
    goals = {info.projects[p][1] for p in projects or [] if p in info.projects and info.projects[p][1]}
    for goal in goals or {"bez celu"}:
        data.by_goal[goal] += 1


def plural(n: int) -> str:
    """zgłaszający: 1 zgłaszający, 2 zgłaszających (Polish plural forms via CLDR)."""
    from babel import Locale

    return "zgłaszający" if Locale("pl").plural_form(n) == "one" else "zgłaszających"


def write_report(engine: Engine, info: ConsultationInfo, fmt: str, output: Path, public: bool,
                 actor: str = "cli", scope: Scope | None = None) -> Summary:
    """Gather, lay out into a temporary file, rename, and log the report (with its SHA-256)."""
    data = collect(engine, info, public, scope)
    output = output.resolve()
    with atomic_file(output, private=not public) as fh:
        if fmt == "docx":
            from reports.statutory_docx import write_docx

            write_docx(data, fh)
        else:
            from reports.statutory_xlsx import write_xlsx_report

            write_xlsx_report(data, fh)
    digest = hashlib.sha256(output.read_bytes()).hexdigest()
    summary = Summary(rows=len(data.rows) + len(data.late_rows), remarks=data.remarks, late=data.late_remarks,
                      undecided=data.undecided, sha256=digest)
    with session_scope(engine) as session:
        append_event(session, actor=actor, action="report.written", entity="report", entity_id=digest[:16],
                     after={"consultation": scope.key if scope else None, "format": fmt, "public": public,
                            "rows": summary.rows, "remarks": data.remarks,
                            "late": data.late_remarks, "undecided": data.undecided, "sha256": digest,
                            "chain_head": chain_head(session), "file": output.name})
    return summary


def overview(data: ReportData) -> list[tuple[str, str]]:
    """The facts before the table, as label/value pairs (both writers print them)."""
    info = data.info
    pairs = [("Nazwa konsultacji", info.name), ("Podstawa prawna", info.legal_basis),
             ("Termin konsultacji", f"od {info.opens:%d.%m.%Y} do {info.closes:%d.%m.%Y}"),
             ("Formy konsultacji", "; ".join(info.channels)),
             ("Uwagi anonimowe", "rozpatrywane" if info.anonymous_rule == "considered" else "nierozpatrywane")]
    if info.office:
        pairs.append(("Organ / urząd", info.office))
    if info.unit_code or info.jrwa_symbol:
        pairs.append(("Znak sprawy (komórka, JRWA)", " ".join(x for x in (info.unit_code, info.jrwa_symbol) if x)))
    pairs += [("Wiadomości otrzymane", str(data.messages)),
              ("Wiadomości z uwagami", str(data.remark_messages)),
              ("Uwagi zgłoszone", str(data.remarks)),
              ("w tym po terminie", str(data.late_remarks)),
              ("Uwagi bez rozstrzygnięcia", str(data.undecided)),
              ("Data sporządzenia", data.generated)]
    return pairs


def breakdowns(data: ReportData) -> list[tuple[str, list[tuple[str, int]]]]:
    info = data.info

    def project_label(pid: str) -> str:
        return SPECIAL_PARTS.get(pid) or (f"{pid} {info.projects[pid][0]}" if pid in info.projects else pid)

    return [("Uwagi według projektów", [(project_label(k), v) for k, v in sorted(data.by_project.items())]),
            ("Uwagi według celów", [(f"{k} {info.goals.get(k, '')}".strip(), v)
                                    for k, v in sorted(data.by_goal.items())]),
            ("Sposób rozpatrzenia", sorted(data.by_decision.items()))]


TABLE_HEADER = ["Lp.", "Zgłaszający", "Część dokumentu", "Treść uwagi", "Sposób rozpatrzenia", "Uzasadnienie"]


def table_rows(rows: list[Row]) -> list[list[Any]]:
    return [[n, r.submitter, r.part, r.text, r.decision, r.justification] for n, r in enumerate(rows, 1)]
