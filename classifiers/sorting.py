"""Sort one e-mail from the shared office mailbox: remark on the consultation, other mail, or automatic.

Certain rules decide first (``_certain``): RFC 3834, list and report headers, flufl.bounce and
server spam flags make it **automatic**; the office's own address makes it **other** (unless it
forwards someone's message); a reply in the thread of a known remark or acknowledgement, or a case
reference such as STR/2026/0031, makes it a **remark** (a follow-up), unless it only thanks or
asks about the procedure.

Everything else is weighed (``sort_model``): a logistic regression, calibrated on labelled mail
by cross-validation, gives the probability of a remark from all the signals at once — the
verdict of the hand-written rules below (one feature among others), consultation cues, catalogue
topics and the semantic closeness to the catalogue, wish forms (``wishes``), purposes that are
not a remark (``purposes``), machine wording and scam evidence (``spam``). Where the rules see a
remark the model confirms it above the remark cut (or overrules it below); where they do not, it
takes the "overrule" cut, fitted on the out-of-fold probabilities of the e-mails the rules do not
see as remarks (``sort_model.overrule_cut``). Besides the rules' verdict the model reads who the
mail speaks for and what it asks (``sort_features``: the community or the sender's own case, a
request for a service, a non-Polish text the Polish signals cannot read). A remark the rules do
not see clearly, or one with machine wording, gets ``needs_review``; other mail that touches the
consultation gets ``needs_glance``; soft machine evidence (wording, no-reply senders) makes
**automatic** what is not a remark, and so does the second model (``SCAM_FEATURES``: each kind
of scam evidence, a system's notice, the envelope) above its "sure" cut, unless the rules see a
remark. ``reason`` names the features that decided.

The rules (``_rule_verdict``, used alone only when no model file exists), first rule wins:
soft automatic evidence unless a clear cue and an opinion; **other, glance** when the mail names
the consultation but records nothing (procedure, "nie wnosimy uwag", thanks, offers, mailings,
another purpose); **remark** on a clear consultation cue in the new text or an own subject;
**remark, review** on a weak cue with an opinion or a question, on support/opposition stated
outright, or on a wish, complaint or future question about a catalogue topic sent during the
consultation; **other, glance** on a weak cue alone; plain **other** else.

Why lean this way: a lost remark is a legal defect of the consultation report, a wrong remark
costs a clerk one click. So anything that names this consultation and carries an opinion or a
question about its content is a remark; what only touches it goes to ``other`` but is flagged,
and a remark decided on weak evidence is flagged for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from classifiers.automatic import Automatic, detect, sender_evidence
from classifiers.mailtext import content_text, fold, inline_forward
from classifiers.purposes import DATA_SUBJECT, other_purpose, personal_matter
from classifiers.record import ParsedMail
from classifiers.sort_features import collective, individual, non_polish, notification, oddities, service_request
from classifiers.sort_model import SortModel, shipped_model, shipped_scam_model
from classifiers.spam import KINDS, scam_kinds
from classifiers.topic import (
    NO_REMARKS,
    NOT_A_REMARK_TONE,
    STANCE,
    STANCE_ALONE,
    ConsultationHints,
    Cue,
    cues,
    is_procedural,
    is_trivial,
    points,
    strip_reply_prefix,
    subject_cues,
)
from classifiers.wishes import Form, wish_forms

__all__ = ["ConsultationHints", "Kind", "SortDecision", "fresh_text", "sort_message"]

Kind = Literal["remark", "other", "automatic"]
_ATTACHMENT_CHARS = 20_000
_QUOTE_START = re.compile(
    r"^\s*+(?:w dniu .*(?:pisze|napisal\w*)|dnia .*napisal\w*|.*\bnapisal\(a\):|on .* wrote:"
    r"|-{2,}\s*(?:wiadomosc oryginalna|original message|forwarded message|wiadomosc przekazana)"
    r"|od:\s.*@|from:\s.*@)",
)


@dataclass(frozen=True)
class SortDecision:
    """What kind of mail this is and why; the reason is stored with the decision."""

    kind: Kind
    reason: str
    needs_glance: bool = False  # "other"/"automatic" with a sign of the consultation: a human looks
    needs_review: bool = False  # "remark" decided on weak evidence
    is_automatic_sender: bool = False  # never acknowledge (RFC 3834, lists, bounces, no-reply)


def fresh_text(mail: ParsedMail) -> str:
    """What the sender wrote now: the parser's new_text, or the body cut at the first quote."""
    if mail.new_text.strip():
        return mail.new_text
    kept: list[str] = []
    for line in mail.body_text.splitlines():
        if _QUOTE_START.match(fold(line)):
            break
        if not line.lstrip().startswith(">"):
            kept.append(line)
    return "\n".join(kept).strip()


@dataclass(frozen=True)
class _Reading:
    fresh: list[Cue]
    subject: list[Cue]
    inherited_subject: bool
    thread: str
    stance: str
    stance_alone: str
    question: bool
    procedural: bool
    trivial: bool
    bulk: bool
    tone: str
    no_remarks: str
    forms: list[Form]
    topic_text: str
    purpose: str
    personal: str
    in_period: bool


def _from_others(mail: ParsedMail, hints: ConsultationHints) -> list[ParsedMail]:
    """Forwarded messages not written by the office itself (our circular forwarded back is ours)."""
    return [f for f in mail.forwarded if not _is_office(f.sender_email, hints)]


def _evidence_text(mail: ParsedMail, fresh: str, forwarded: list[ParsedMail]) -> str:
    parts = [fresh]
    for inner in forwarded:
        parts += [inner.subject, fresh_text(inner)]
    for att in mail.attachments:
        cells = " ".join(" ".join(" ".join(row) for row in table) for table in att.tables)
        parts.append((att.text + "\n" + cells)[:_ATTACHMENT_CHARS])
    return fold("\n".join(parts))


def _thread_cue(mail: ParsedMail, hints: ConsultationHints) -> str:
    known = {i.strip("<> ") for i in hints.thread_ids}
    for ref in (mail.in_reply_to, *mail.references):
        if ref and ref.strip("<> ") in known:
            return f"reply in the thread of {ref.strip('<> ')}"
    return ""


def _read(mail: ParsedMail, hints: ConsultationHints, fresh: str) -> _Reading:
    subject, inherited = strip_reply_prefix(mail.subject)
    content = content_text(fresh)
    forwarded = _from_others(mail, hints)
    own_raw = content + "\n" + " ".join(fresh_text(f) for f in forwarded)
    own = fold(own_raw)
    has_files = any(a.text.strip() or a.tables for a in mail.attachments) or bool(_from_others(mail, hints))
    offices = [a.lower() for a in hints.office_addresses]
    addressed = " ".join(mail.to + mail.cc).lower()
    stance = STANCE.search(own)
    alone = STANCE_ALONE.search(own) or STANCE_ALONE.search(fold(subject))
    return _Reading(
        fresh=cues(_evidence_text(mail, fresh, forwarded), hints),
        subject=subject_cues(fold(subject), hints, own),
        inherited_subject=inherited,
        thread=_thread_cue(mail, hints),
        stance=stance.group(0) if stance else "",
        stance_alone=alone.group(0) if alone else "",
        question="?" in content,
        procedural=not has_files and is_procedural(content),
        trivial=not has_files and is_trivial(content),
        bulk=bool(offices) and not any(o in addressed for o in offices),
        tone=tone.group(0) if (tone := NOT_A_REMARK_TONE.search(fold(content))) else "",
        no_remarks=none.group(0) if (none := NO_REMARKS.search(own)) and not has_files else "",
        forms=wish_forms(own_raw),
        topic_text=subject + "\n" + own_raw,
        purpose=other_purpose(subject + "\n" + own_raw),
        personal=personal_matter(subject + "\n" + own_raw),
        in_period=_in_period(mail, hints),
    )


def _in_period(mail: ParsedMail, hints: ConsultationHints) -> bool:
    """Sent while the consultation runs (true when the period or the date is unknown)."""
    if hints.period is None or mail.date is None or mail.date.tzinfo is None:
        return True
    opens, closes = hints.period
    return opens <= mail.date <= closes


def _why(found: list[Cue]) -> str:
    return max(found, key=lambda c: c.points).what if found else ""


def _nothing_to_record(r: _Reading, cue: str, fresh: int, subject: int) -> SortDecision | None:
    """Touches the consultation but holds no remark: procedure, "no remarks", thanks, offers, mailings."""
    if not (fresh or subject):
        return None
    if r.procedural:
        return SortDecision("other", f"procedural question about the consultation ({cue})", needs_glance=True)
    if r.no_remarks and not r.stance:
        return SortDecision("other", f"answers that it has no remarks: '{r.no_remarks}'", needs_glance=True)
    if r.purpose and not r.stance_alone and not any(c.points >= 3 for c in r.fresh):
        return SortDecision("other", f"written for another purpose, {r.purpose} ({cue})", needs_glance=True)
    if r.trivial:
        why = f"nothing new but thanks or the office's own text ({cue})"
        return SortDecision("other", why, needs_glance=True)
    if (r.bulk or r.tone) and not r.stance and not any(c.points >= 3 for c in r.fresh):
        what = f"reads as an offer/invitation/notice: '{r.tone}'" if r.tone else "mass mailing"
        return SortDecision("other", f"{what} ({cue})", needs_glance=True)
    return None


def _topic_decision(r: _Reading, hints: ConsultationHints, topics: tuple[str, ...]) -> SortDecision:
    fresh, subject = points(r.fresh), points(r.subject)
    cue = _why(r.fresh) or _why(r.subject)
    references = [c for c in r.fresh + r.subject if "case reference" in c.what]
    if r.thread or references:
        why = r.thread or _why(references)
        if r.trivial or r.procedural:
            return SortDecision("other", f"{why}, but only thanks or a procedural question", needs_glance=True)
        return SortDecision("remark", f"follow-up: {why}")
    if nothing := _nothing_to_record(r, cue, fresh, subject):
        return nothing
    if fresh >= 2:
        return SortDecision("remark", cue)
    if subject >= 2 and (not r.inherited_subject or r.stance or fresh):
        how = "subject" if not r.inherited_subject else "reply with an opinion or cue, subject"
        return SortDecision("remark", f"{how}: {_why(r.subject)}")
    if subject >= 2:  # a reply to our circular that says something of its own
        return SortDecision("remark", f"reply to '{_why(r.subject)}' with new text", needs_review=True)
    if fresh and (r.stance or subject or r.question):
        extra = f"opinion '{r.stance}'" if r.stance else "a question" if r.question else "the subject"
        return SortDecision("remark", f"{cue} and {extra}", needs_review=True)
    if r.stance_alone:
        return SortDecision("remark", f"states support or opposition: '{r.stance_alone}'", needs_review=True)
    if subject and r.stance and not r.inherited_subject:
        return SortDecision("remark", f"{cue} and opinion '{r.stance}'", needs_review=True)
    if wish := _topical_wish(r, topics):
        return wish
    if fresh or subject:
        return SortDecision("other", f"only a weak sign of the consultation ({cue})", needs_glance=True)
    if r.stance:
        why = f"an opinion or wish ('{r.stance}') but no sign of the consultation"
        return SortDecision("other", why, needs_glance=True)
    if topics and (r.forms or r.question):
        but = f"a personal matter ('{r.personal}')" if r.personal else r.purpose or "not written as a remark"
        why = f"touches {topics[0]}, but {but}"
        return SortDecision("other", why, needs_glance=True)
    return SortDecision("other", "no sign of the consultation")


def _topical_wish(r: _Reading, topics: tuple[str, ...]) -> SortDecision | None:
    """A wish, complaint or question about a topic of the catalogue, sent while the consultation runs:
    the mailbox is the consultation's channel, so it is a remark (for review) though it names nothing."""
    if not topics or not r.in_period or r.personal or r.purpose or r.tone or r.bulk or r.procedural or r.trivial:
        return None
    shown = r.forms or ([Form("opinion", r.stance)] if r.stance else [])
    if not shown:
        return None
    form = shown[0]
    return SortDecision(
        "remark", f"{form.kind} '{form.words[:40]}' about {topics[0]}, names no consultation", needs_review=True
    )


# Closeness in meaning to the catalogue (``relevance``) at which a letter in another language is about its matters.
MEANING_TOPIC = 0.1


def _matter_by_meaning(r: _Reading, relevance: float) -> tuple[str, ...]:
    """For the rules, a topic of a letter in Ukrainian, Belarusian or English that the Polish keywords cannot read:
    named by the multilingual closeness to the catalogue ("Чи буде автобус ... в суботу?" asks about a project)."""
    if relevance >= MEANING_TOPIC and non_polish(r.topic_text):
        return (f"a catalogue matter by meaning ({relevance:+.2f})",)
    return ()


def _is_office(address: str, hints: ConsultationHints) -> bool:
    domains = {a.lower().rpartition("@")[2] for a in hints.office_addresses}
    return address.lower().rpartition("@")[2] in domains if address else False


def _own_words(mail: ParsedMail, hints: ConsultationHints) -> str:
    """The sender's new text; an inline-forwarded message of the office (our circular) is left out."""
    outer, inner, (_, sender) = inline_forward(mail.body_text, mail.subject)
    if inner.strip() and _is_office(sender, hints):
        return outer
    return fresh_text(mail)


@dataclass(frozen=True)
class Evidence:
    """The weighed description of one e-mail: feature values and the words behind each."""

    values: dict[str, float | None]  # None: the signal is not available here
    shown: dict[str, str]
    rules: SortDecision  # the hand-written rules' verdict (also a feature)


_WISH_KINDS = {"conditional", "modal", "imperative", "lack", "hope", "complaint", "request"}


def evidence(
    r: _Reading,
    hints: ConsultationHints,
    auto: Automatic | None,
    no_reply: bool,
    scam: list[str],
    odd: list[str] | None = None,
) -> Evidence:
    """Every signal the model weighs, as numbers (``values``) and as the words that show it."""
    fresh, subject = points(r.fresh), points(r.subject)
    topics = hints.topics(r.topic_text) if hints.topics else ()
    relevance = hints.relevance(r.topic_text) if hints.relevance else 0.0
    rules = _rule_verdict(r, hints, auto, no_reply, topics or _matter_by_meaning(r, relevance))
    rule_remark = rules.kind == "remark"
    # in mail that only asks about the procedure, "czy trzeba ...?", "czy będzie przyjęte?" and the remarks it names
    # ask about the procedure: no wish, question about the future or intent to remark
    forms = [] if r.procedural else r.forms
    wishes = [f for f in forms if f.kind in _WISH_KINDS]
    questions = [f for f in forms if f.kind == "question"]
    speaks_for = collective(r.topic_text)
    own_case = individual(r.topic_text)
    service = service_request(r.topic_text)
    # says outright that it submits remarks ("składam uwagę", "uwagi do projektu"), whatever else it asks
    said = ("submits remarks", "remarks on the draft")
    intent = [] if r.procedural else [c for c in r.fresh if c.what.startswith(said)]
    opinion = r.stance_alone or r.stance
    found: dict[str, tuple[float | None, str]] = {
        "rule_remark": (1.0 if rule_remark and not rules.needs_review else 0.0, f"rules: {rules.reason}"),
        "rule_review": (1.0 if rule_remark and rules.needs_review else 0.0, f"rules: {rules.reason}"),
        "rule_glance": (1.0 if not rule_remark and rules.needs_glance else 0.0, f"rules: {rules.reason}"),
        "cue_clear": (1.0 if fresh >= 2 else 0.0, _why(r.fresh)),
        "cue_weak": (1.0 if fresh == 1 else 0.0, _why(r.fresh)),
        "subject_cue": (1.0 if subject >= 2 and not r.inherited_subject else 0.0, f"subject: {_why(r.subject)}"),
        "subject_weak": (
            1.0 if subject and (subject < 2 or r.inherited_subject) else 0.0,
            f"subject: {_why(r.subject)}",
        ),
        "wish_form": (
            min(len({f.kind for f in wishes}), 2) / 2,
            f"{wishes[0].kind} '{wishes[0].words[:40]}'" if wishes else "",
        ),
        # a signal the caller cannot give (no catalogue matcher) is unknown: the model reads the average
        "topic": (
            None if hints.topics is None else 1.0 if topics else 0.0,
            f"touches {topics[0]}" if topics else "touches no catalogue topic",
        ),
        "relevance": (
            None if hints.relevance is None else round(relevance * 10, 4),
            f"closeness in meaning to the catalogue {relevance:+.2f}",
        ),
        "procedural": (1.0 if r.procedural else 0.0, "only procedural questions"),
        "trivial": (1.0 if r.trivial else 0.0, "only thanks or the office's own text"),
        "no_remarks": (1.0 if r.no_remarks else 0.0, f"says it has no remarks: '{r.no_remarks}'"),
        "other_purpose": (1.0 if r.purpose else 0.0, f"written for another purpose, {r.purpose}"),
        "personal": (1.0 if r.personal else 0.0, f"a personal matter ('{r.personal}')"),
        "machine_wording": (1.0 if auto is not None else 0.0, auto.reason if auto else ""),
        "no_reply_sender": (1.0 if no_reply else 0.0, "an automatic sender address"),
        "scam_kinds": (min(len(scam), 4) / 4, f"scam/spam evidence ({', '.join(scam)})"),
        "future_question": (
            1.0 if questions else 0.0,
            f"asks about the future: '{questions[0].words[:40]}'" if questions else "",
        ),
        "opinion": (1.0 if opinion else 0.0, f"states an opinion: '{opinion}'"),
        "collective": (min(speaks_for, 3) / 3, "speaks of the community's matter"),
        "own_case": (1.0 if own_case else 0.0, f"the sender's own case ('{own_case}')"),
        "non_polish": (1.0 if non_polish(r.topic_text) else 0.0, "not written in Polish"),
        "service_request": (1.0 if service else 0.0, f"asks for information or a service: '{service}'"),
        "remark_intent": (1.0 if intent else 0.0, _why(intent)),
        "odd_envelope": (min(len(odd or []), 2) / 2, ", ".join(odd or [])),
        "notification": (1.0 if (notice := notification(r.topic_text)) else 0.0, f"a system's notice ('{notice}')"),
    }
    for kind in (*KINDS, "odd_attachment"):
        found[f"scam_{kind}"] = (1.0 if kind in scam else 0.0, f"scam/spam evidence: {kind}")
    return Evidence({k: v for k, (v, _) in found.items()}, {k: w for k, (_, w) in found.items()}, rules)


# Few and general (the training set is small): the rules' verdict plus what the rules underuse.
FEATURES = (
    "rule_remark",
    "rule_review",
    "rule_glance",
    "cue_clear",
    "cue_weak",
    "wish_form",
    "topic",
    "relevance",
    "procedural",
    "no_remarks",
    "trivial",
    "other_purpose",
    "personal",
    "machine_wording",
    "scam_kinds",
    "future_question",
    "opinion",
    "collective",
    "own_case",
    "non_polish",
    "service_request",
    "remark_intent",
)
# The second model, automatic or not, for what is not a remark: each kind of scam evidence weighed
# on its own (a lure with money is not a link with an offer), with the envelope and the machine signals.
SCAM_FEATURES = (
    *(f"scam_{k}" for k in (*KINDS, "odd_attachment")),
    "odd_envelope",
    "notification",
    "machine_wording",
    "no_reply_sender",
    "collective",
    "own_case",
    "wish_form",
    "cue_clear",
    "rule_remark",
    "relevance",
)


def _certain(
    mail: ParsedMail, hints: ConsultationHints, reading: _Reading, auto: Automatic | None
) -> SortDecision | None:
    """The rules that are certain: server and protocol headers, our own address, a known case."""
    if auto is not None and auto.hard:
        strong = points(reading.fresh) >= 2
        about_content = auto.reason.startswith(("bounce", "delivery delay", "multipart/report", "X-Spam"))
        glance = strong and bool(reading.stance) and not about_content
        return SortDecision("automatic", auto.reason, needs_glance=glance, is_automatic_sender=True)
    offices = {a.lower() for a in hints.office_addresses}
    # a message that only claims our address and reads as a machine's (extortion "from your own account") is weighed
    if mail.sender_email.lower() in offices and not mail.forwarded and auto is None:
        return SortDecision("other", "sent from the office's own address", needs_glance=bool(reading.fresh))
    references = [c for c in reading.fresh + reading.subject if "case reference" in c.what]
    if (reading.thread or references) and auto is None:  # an out-of-office reply cites our reference too
        why = reading.thread or _why(references)
        if reading.trivial or reading.procedural:
            return SortDecision("other", f"{why}, but only thanks or a procedural question", needs_glance=True)
        # a withdrawal or a correction of the sender's data cites its reference too, and adds no remark
        if reading.purpose.startswith(DATA_SUBJECT) and not reading.stance_alone:
            return SortDecision("other", f"{why}, but {reading.purpose}", needs_glance=True)
        return SortDecision("remark", f"follow-up: {why}")
    return None


def read_evidence(
    mail: ParsedMail, hints: ConsultationHints, raw: bytes | None = None
) -> tuple[SortDecision | None, Evidence]:
    """The certain rules' decision (or None) and the evidence the model weighs (for training too)."""
    fresh = _own_words(mail, hints)
    auto = detect(mail, fresh, raw)
    reading = _read(mail, hints, fresh)
    no_reply = sender_evidence(mail) is not None
    scam = scam_kinds(mail, fold(content_text(fresh)), fold(mail.subject))
    return _certain(mail, hints, reading, auto), evidence(reading, hints, auto, no_reply, scam, oddities(mail))


_ABSENT = {
    "cue_clear": "no clear consultation cue",
    "cue_weak": "no weak consultation cue",
    "wish_form": "no wish, complaint or lack expressed",
    "rule_remark": "the rules see no clear remark",
    "rule_review": "the rules see no remark",
    "rule_glance": "the rules see a remark",
}


def _explain(model: SortModel, ev: Evidence, p: float) -> str:
    named = [
        ev.shown.get(name, name) if ev.values.get(name) else _ABSENT.get(name, f"no {name}")
        for name, _ in model.top(ev.values)
    ]
    return f"weighed p={p:.2f}: " + "; ".join(named)


def _weighed(model: SortModel, ev: Evidence, scam_model: SortModel | None = None) -> SortDecision:
    p = model.probability(ev.values)
    why = _explain(model, ev, p)
    machine = bool(ev.values["machine_wording"])
    no_reply = bool(ev.values["no_reply_sender"])
    # Scam and spam no server flagged, weighed by the second model, unless the rules see a remark.
    if scam_model is not None and not (ev.values["rule_remark"] or ev.values["rule_review"]):
        q = scam_model.probability(ev.values)
        if q >= scam_model.sure:  # no out-of-fold legitimate e-mail above it: a remark is never lost
            said = "; ".join(ev.shown.get(n, n) for n, _ in scam_model.top(ev.values))
            return SortDecision("automatic", f"weighed as scam/spam q={q:.2f}: {said}", is_automatic_sender=True)
    # Overruling the rules needs the "overrule" cut, fitted on the out-of-fold probabilities of the
    # e-mails the rules do not see as remarks (older model files: "sure", no non-remark above it).
    rules_see = ev.rules.kind == "remark"
    overrule = model.sure if model.overrule is None else model.overrule
    if p >= (model.threshold if rules_see else overrule) and not no_reply:
        # only a remark the rules also see clearly, weighed as sure, goes without review
        clear = bool(ev.values["rule_remark"]) and p >= model.sure
        return SortDecision("remark", why, needs_review=machine or not clear)
    if machine or no_reply:  # a machine's wording or sender, and not a remark
        glance = p >= model.glance and bool(ev.values["cue_clear"])
        said = ev.shown["machine_wording"] if machine else ev.shown["no_reply_sender"]
        return SortDecision("automatic", f"{said} ({why})", needs_glance=glance, is_automatic_sender=True)
    touches = any(ev.values[k] for k in ("cue_clear", "cue_weak", "subject_cue", "subject_weak"))
    # the glance band flags mail that shows something of a remark; a bland letter near the prior does not
    shows = any(ev.values.get(k) for k in ("wish_form", "opinion", "future_question", "topic", "remark_intent"))
    return SortDecision("other", why, needs_glance=touches or ev.rules.needs_glance or (p >= model.glance and shows))


def sort_message(mail: ParsedMail, hints: ConsultationHints, raw: bytes | None = None) -> SortDecision:
    """Sort one parsed e-mail; ``raw`` (the kept bytes) lets flufl.bounce read bounce formats."""
    model = hints.sort_model or shipped_model()
    certain, ev = read_evidence(mail, hints, raw)
    if certain is not None:
        return certain
    if model is None:  # no model file: the rules' verdict
        return ev.rules
    return _weighed(model, ev, shipped_scam_model())


def _rule_verdict(
    r: _Reading, hints: ConsultationHints, auto: Automatic | None, no_reply: bool, topics: tuple[str, ...]
) -> SortDecision:
    """What the hand-written rules say (first rule wins): one feature among the others for the model."""
    if auto is not None:
        if points(r.fresh) >= 2 and r.stance and not no_reply:
            return SortDecision("remark", f"{_why(r.fresh)}, despite {auto.reason}", needs_review=True)
        return SortDecision("automatic", auto.reason, is_automatic_sender=True)
    return _topic_decision(r, hints, topics)
