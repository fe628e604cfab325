"""Is this e-mail written by a machine? (auto-replies, bounces, receipts, lists, no-reply, spam).

Order matters: the strongest, standard evidence first (RFC 3834 ``Auto-Submitted``, ``Precedence``,
RFC 2369/2919 list headers, RFC 3462/6522 ``multipart/report``, bounces recognised by
flufl.bounce), then what the sender's server says (spam flags), then the sender's address
(no-reply, mailer-daemon), and only last the weak evidence of wording (out-of-office text
without any marker header, "generated automatically" footers, advance-fee and phishing cues).
Wording is only read in the sender's new text, never in quoted text: a resident replying to the
office's own "do not reply" acknowledgement must not look automatic.

Each check returns a human-readable English reason, stored with the sort decision.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message

from flufl.bounce import all_failures

from classifiers.mailtext import fold, words
from classifiers.record import ParsedMail
from classifiers.spam import scam_kinds


@dataclass(frozen=True)
class Automatic:
    """Why a message is automatic; ``hard`` = standard machine evidence, not a guess from wording."""

    reason: str
    hard: bool


_NO_REPLY = re.compile(
    r"(?:^|[._+-])(?:no-?reply|noreply|do-?not-?reply|donotreply|nie-?odpowiadaj|mailer-?daemon|postmaster"
    r"|bounces?|notifications?|notify|newsletter|autoreply|auto-?responder|automat|powiadomieni[ae]"
    r"|alerts?|mailing)(?:$|[._+-])"
)
_OOO_SUBJECT = re.compile(
    r"automatyczna odpowiedz|odpowiedz automatyczna|autoodpowiedz|auto[- ]?reply|automatic reply"
    r"|auto[- ]?response|out of (?:the )?office|poza biurem|nieobecnosc w (?:biurze|pracy)|abwesenheit"
    r"|respuesta automatica|reponse automatique|автовідповідь|автоответ"
    r"|^(?:przeczytano|odczytano|read|gelesen|lu)\s*:|potwierdzenie (?:odczytu|przeczytania)|read receipt"
    r"|return receipt|delivery status notification|undeliver|niedostarczon|niedostarczaln|nie dostarczono"
    r"|^(?:dostarczono|delivered|zaakceptowano|odrzucono|wstepnie zaakceptowano|accepted|declined"
    r"|tentative)\s*:"
    r"|potwierdzenie (?:odbioru|wplywu|dostarczenia|doreczenia)"
    r"|delivery (?:has )?failed|failure notice|returned mail|returning message|nie zostala dostarczona"
    r"|nie (?:mogla|moze) (?:zostac )?dostarczon|blad dostarczenia|^(?:newsletter|biuletyn)\b"
)
_OOO_AWAY = re.compile(
    r"\b(?:jestem|bede|przebywam|pozostaje)\s+(?:\w+\s+){0,3}?(?:nieobecn\w*|na urlopie|na zwolnieniu"
    r"|poza (?:biurem|domem|urzedem|praca)|na szkoleniu|w delegacji|na l4|za granica)"
    r"|\bout of (?:the )?office\b|\bi (?:am|'m) (?:currently )?(?:away|on leave|out|on holiday|on vacation)\b"
    r"|\bon (?:annual |parental )?leave\b"
    # Ukrainian, Russian, Belarusian (folded: й -> и, ў -> у)
    r"|\b(?:я |мене )?(?:у|в|на) (?:відпустці|відрядженні|отпуске|командировке|адпачынку|камандзіроуцы)"
    r"|\bвідсутн\w*|\bотсутству\w*|\bадсутн\w*"
)
_OOO_RETURN = re.compile(
    r"\bdo dnia\b|\bdo \d|\bw dniach\b|po powrocie|\bodpowiem\b|\bwroce\b|nie mam dostepu"
    r"|dostepu do poczty|w sprawach pilnych|nie sa przekazywane|\buntil\b|\breturn\b|\bback (?:on|in)\b"
    r"|access to (?:e-?mail|my)|\bдо \d|\bпісля повернення|\bпосле возвращения|\bпасля вяртання"
    r"|\bвідповім|\bотвечу|\bадкажу"
    r"|\burgent\b"
)
_GENERATED = re.compile(
    r"wiadomosc (?:zostala )?(?:wygenerowana|wyslana|utworzona) automatycznie"
    r"|prosimy (?:na nia )?nie odpowiadac|\bto jest automatyczn\w* odpowiedz|\bthis is an? automatic (?:reply|response)"
    r"|(?:nie odpowiadaj|prosimy nie odpowiadac) na (?:te|ta) wiadomosc|this (?:is an? |message was )"
    r"?automatically generated|automated (?:message|notification)|do not reply (?:to )?this"
    r"|please do not reply|wypisz sie|wypisac sie|rezygnacj\w* z (?:subskrypcji|newslettera)|\bunsubscribe\b"
    r"|otrzymujesz (?:te|ta) wiadomosc|you (?:are )?receiv\w* this (?:e-?mail|message) because"
    r"|nie chcesz (?:juz )?otrzymywac|zrezygnowac z otrzymywania|wypisac sie z|wypisz mnie"
    r"|could not be delivered|was not delivered|delivery to the following|nie (?:mogla|moze) zostac dostarczona"
    r"|adres\w* odbiorcy nie istnieje|mail delivery (?:software|system)|message was read|zostala przeczytana"
    r"|(?:zgloszeni\w*|ticket|request)\s+(?:\w+\s+){0,3}?(?:zostalo zarejestrowane|zostalo przyjete"
    r"|has been (?:created|received|opened|logged))\s+(?:\w+\s+){0,3}?(?:numer\w*|nr|#)\s*#?\d{3,}"
)
_SCAM_CUES = [
    re.compile(
        r"(?:usd|us\$|\$|eur|€|gbp|£)\s?\d{1,3}(?:[,. ]\d{3}){2,}"
        r"|\d{1,3}(?:[,. ]\d{3}){2,}\s?(?:usd|eur|gbp)\b"
        r"|\bmillion (?:us )?(?:dollars|euros|pounds)"
    ),
    re.compile(r"\bkindly\b|\bdearest\b|\bnext of kin\b|\bbeneficiar|\binheritance\b|\blottery\b|\bwinner\b"),
    re.compile(r"\bconfidential\b|\bstrictly private\b|\btop secret\b|\bpoufn"),
    re.compile(
        r"verify (?:your )?(?:account|identity|mailbox)|confirm your (?:account|identity)|password"
        r"|zweryfikuj (?:swoje )?konto|potwierdz (?:swoje )?konto|login details|dane logowania"
    ),
    re.compile(
        r"(?:mailbox|quota|storage|skrzynk\w*)\s+(?:\w+\s+){0,5}?(?:full|limit|exceeded|pelna|zablokowan"
        r"|deactivat|suspend)|will be (?:rejected|deleted|suspended|deactivated|closed)|\bupgrade your\b"
    ),
    re.compile(
        r"action required|immediately|within 24 hours|w ciagu 24 godzin|natychmiast|ostatnie ostrzezenie"
    ),
    re.compile(r"western union|moneygram|bitcoin|wire transfer|bank details|processing fee|prowizj"),
    re.compile(r"\b(?:kliknij|click here|click the link|act now|ostatnie miejsca|za 0 zl|100% free)\b"),
    # Polish consumer spam and phishing: prizes, parcels, quick loans, crypto, mass marketing.
    re.compile(r"\bwygral\w*|\bwygran\w*|\bnagrod\w*\s+(?:\w+\s+)?(?:czeka|do odebrania)|\bgratulacj\w*|\bodbierz\b"),
    re.compile(r"\b(?:paczk|przesylk)\w*\s+(?:\w+\s+){0,4}?(?:wstrzyman|zatrzyman|oczekuj|doplat|oplat)"
               r"|\bdoplat\w*\s+(?:\w+\s+)?(?:\d|zl)|\bdo zaplaty\s+\d"),
    re.compile(r"\bpozyczk\w*|\bkredyt\w*\s+(?:\w+\s+)?bez\b|\bbez bik\b|\bkryptowalut\w*|\binwestuj\w*\s+(?:juz|od)"),
    re.compile(r"\b(?:tylko dzis|ostatnia szansa|oferta wygasa|promocj\w* -?\d+\s?%)|-\d{2}\s?%"),
    re.compile(r"\bpozycjonowani\w*|\bseo\b|\bbaz\w* (?:mailingow|adresow)|\bwypisz sie\b|\bunsubscribe\b"),
    re.compile(r"https?://(?:\d{1,3}\.){3}\d{1,3}|https?://(?:bit\.ly|tinyurl|t\.co|is\.gd|cutt\.ly)/"
               r"|https?://\S+\.(?:xyz|top|click|icu|ru|cn)\b"),
]


def header_evidence(mail: ParsedMail) -> Automatic | None:
    """RFC 3834 / list / report headers: the sender's software says it is automatic."""
    if mail.content_type.lower() == "multipart/report":
        return Automatic(f"multipart/report ({mail.report_type or 'no report-type'})", True)
    auto = mail.header("auto-submitted").strip().lower()
    if auto and not auto.startswith("no"):
        return Automatic(f"Auto-Submitted: {auto}", True)
    for name in ("x-autoreply", "x-autorespond", "x-auto-reply", "x-autogenerated"):
        if mail.header(name).strip():
            return Automatic(f"{name.title()} header", True)
    precedence = mail.header("precedence").strip().lower()
    if precedence in {"bulk", "junk", "list", "auto_reply", "auto-reply"}:
        return Automatic(f"Precedence: {precedence}", True)
    for name in ("list-id", "list-unsubscribe", "list-post"):
        if mail.header(name).strip():
            return Automatic(f"{name.title()} header", True)
    return None


def _detectors() -> list[tuple[str, Callable[[Message], tuple[frozenset[bytes], frozenset[bytes]]]]]:
    """flufl.bounce's detectors by name (a better reason), or its public scan when that is not there."""
    try:
        from flufl.bounce._scan import _DETECTORS  # private, but pinned (flufl.bounce==6.0.0)
    except ImportError:  # pragma: no cover - another flufl.bounce version
        return [("flufl.bounce", all_failures)]
    return [(d.__name__, d().process) for d in _DETECTORS]


_BOUNCE_SCAN_BYTES = 64_000


def bounce_evidence(raw: bytes | None) -> Automatic | None:
    """A delivery failure in any of the formats flufl.bounce knows (DSN, Postfix, Exim, qmail ...)."""
    if not raw:
        return None
    # The status parts of a bounce come first; scanning 5 MB line by line took seconds.
    msg = email.message_from_bytes(raw[:_BOUNCE_SCAN_BYTES], policy=email.policy.compat32)
    for name, process in _detectors():
        try:
            temporary, permanent = process(msg)
        except Exception:  # a broken message must not stop sorting
            continue
        if temporary or permanent:
            who = ", ".join(sorted(a.decode("ascii", "replace") for a in (permanent or temporary)))
            what = "bounce" if permanent else "delivery delay"
            return Automatic(f"{what} (flufl.bounce: {name}) for {who}", True)
    return None


def spam_evidence(mail: ParsedMail) -> Automatic | None:
    """The receiving server's spam filter already decided (SpamAssassin, Rspamd, subject tags)."""
    flag = mail.header("x-spam-flag").strip().lower()
    if flag.startswith("yes") or flag == "true":
        return Automatic("X-Spam-Flag: YES", True)
    status = mail.header("x-spam-status").strip().lower()
    if status.startswith("yes"):
        return Automatic("X-Spam-Status: Yes", True)
    if mail.header("x-spam").strip().lower().startswith("yes"):
        return Automatic("X-Spam: yes", True)
    action = mail.header("x-rspamd-action").strip().lower()
    if action in {"reject", "add header", "rewrite subject"}:
        return Automatic(f"X-Rspamd-Action: {action}", True)
    score = re.match(r"\s*(-?\d+(?:\.\d+)?)", mail.header("x-spam-score"))
    if score and float(score.group(1)) >= 5.0:
        return Automatic(f"X-Spam-Score: {score.group(1)}", True)
    if re.search(r"\[spam\]|(?<!\*)\*+\s*spam\s*\*+|\{spam\??\}|^\s*spam:", mail.subject.lower()):
        return Automatic("subject tagged as spam by the server", True)
    return None


def sender_evidence(mail: ParsedMail) -> Automatic | None:
    """No-reply, mailer-daemon, postmaster, notification robots: nobody reads replies there."""
    local = mail.sender_email.lower().split("@")[0]
    if local and _NO_REPLY.search(local):
        return Automatic(f"automatic sender address {mail.sender_email}", False)
    if fold(mail.sender_name).strip() in {"mail delivery system", "mail delivery subsystem", "mailer-daemon"}:
        return Automatic(f"sender name '{mail.sender_name}'", False)
    return None


def wording_evidence(mail: ParsedMail, fresh: str) -> Automatic | None:
    """Out-of-office and robot wording in the subject or in the sender's own new text."""
    subject = fold(mail.subject)
    if _OOO_SUBJECT.search(subject):
        return Automatic(f"out-of-office subject: '{mail.subject[:60]}'", False)
    text = fold(fresh)
    short = len(words(text)) <= 90
    if short and _OOO_AWAY.search(text) and _OOO_RETURN.search(text):
        return Automatic("out-of-office wording without a marker header", False)
    if _GENERATED.search(text):
        return Automatic("says it was generated automatically", False)
    return scam_evidence(mail, text)


def scam_evidence(mail: ParsedMail, folded_text: str) -> Automatic | None:
    """Advance-fee and phishing mail the server did not flag: several classic cues together."""
    text = folded_text + "\n" + fold(mail.subject)
    hits = [i for i, cue in enumerate(_SCAM_CUES) if cue.search(text)]
    recipients = " ".join(mail.to + mail.cc).lower()
    if not recipients.strip() or "undisclosed" in recipients:
        hits.append(-1)
    letters = [c for c in mail.subject if c.isalpha()]
    if "!!!" in mail.subject + folded_text or (
        len(letters) >= 12 and sum(c.isupper() for c in letters) > 0.7 * len(letters)
    ):
        hits.append(-3)
    reply_to = mail.header("reply-to").lower()
    sender_domain = mail.sender_email.lower().rpartition("@")[2]
    if reply_to and sender_domain and sender_domain not in reply_to:
        hits.append(-2)
    if len(hits) >= 3:
        return Automatic(f"spam/scam cues ({len(hits)}) without a server flag", False)
    kinds = scam_kinds(mail, folded_text, fold(mail.subject))
    if len(kinds) >= 3:
        return Automatic(f"scam/spam evidence ({', '.join(kinds)}) without a server flag", False)
    return None


def detect(mail: ParsedMail, fresh: str, raw: bytes | None = None) -> Automatic | None:
    """The first piece of evidence that the message is automatic, strongest first."""
    return (
        bounce_evidence(raw)
        or header_evidence(mail)
        or spam_evidence(mail)
        or sender_evidence(mail)
        or wording_evidence(mail, fresh)
    )
