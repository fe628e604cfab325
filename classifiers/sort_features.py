"""Who the mail speaks for, and in what language: signals that part a remark from a personal case.

A resident who writes a remark without naming the consultation speaks for many ("dzieci idą
poboczem", "mieszkańcy", "u nas we wsi", "people", "діти"): the matter is public. A resident who
writes about their own case gives what identifies it: a house number, a plot or customer number,
a telephone number, "moja sprawa", "wysłałam wniosek". Both are generic grammar and office vocabulary in
Polish (folded), English, Ukrainian and Belarusian, never phrases of any particular e-mail; the
sort model weighs them with the other signals (``sorting.evidence``).

``non_polish`` tells the model that the Polish-only signals (catalogue keywords, static lemma
vectors, Morfeusz forms) could not read the text: their silence then means "unknown", not "no".
"""

from __future__ import annotations

import re

from classifiers.mailtext import fold
from classifiers.record import ParsedMail

__all__ = ["collective", "individual", "non_polish", "notification", "oddities", "service_request"]

_COLLECTIVE = re.compile(
    r"\b(?:mieszkan\w*|ludzi\w*|ludz(?:ie|iom|mi)|dzieci\w*|dzieciak\w*|mlodziez\w*|mlodzi|mlodych|senior\w*"
    r"|starsz\w+ (?:ludz|osob)\w*|emeryt\w*|rodzin\w*|rodzic\w*|sasiad\w*|rolni\w*|turyst\w*|kierowc\w*"
    r"|pieszy\w*|pieszych|uczni\w*|wszyscy|wszystkich|kazdy|kazdego|spoleczn\w*|wies|wsi|wsiach|sołectw\w*"
    r"|solectw\w*|osiedl\w*|miejscowos\w*|okolic\w*)\b"
    r"|\b(?:u nas|od nas|naszej|nasza|naszych|naszym|nasze|nam)\b"
    r"|\b(?:people|residents|children|kids|families|young|elderly|everyone|community|village|neighbou?rs|we|our)\b"
    r"|(?<!\w)(?:люд\w*|мешканц\w*|жител\w*|діт\w*|молод\w*|родин\w*|сім'\w*|село|села|селах"
    r"|громад\w*|ми|нас|наш\w*|дзеці|жыхар\w*|в[её]ска|в[её]сцы)(?!\w)"
)
# The sender's own administrative case: what identifies it, and the first person singular of a case. A day named
# ("wczoraj", "w zeszłym tygodniu") is not one: residents tell what happened before they ask for a shelter or a
# bus (readable sets: one remark more found, no other mail taken for one).
_INDIVIDUAL = re.compile(
    r"\b(?:ul\.?|ulic\w+|al\.?|os\.?)\s+[a-z]\w+(?:\s+[a-z]\w+)?\s+\d+[a-z]?\b"  # a street address with a number
    r"|\b(?:nr\.?|numer\w*)\s+(?:dzialki|odbiorcy|klienta|umowy|sprawy|konta|ewidencyjn\w*|wniosku|decyzji)"
    r"|\bdzialk\w*\s+(?:nr\.?\s*)?\d+(?:/\d+)?|\b\d{2,5}/\d{1,4}\b"
    r"|(?<!\d)(?:\+?48[\s-]?)?\d{3}[\s-]\d{3}[\s-]\d{3}(?!\d)"  # a telephone number
    r"|\b(?:moj\w*|mojej|mojego)\s+(?:sprawy|sprawa|sprawie|wniosk\w*|decyzj\w*|podani\w*|posesj\w*|dzialk\w*"
    r"|samochod\w*|auta?|opon\w*|syna|corki|psa|konta)\b"
    r"|\b(?:zlozyl|wyslal|otrzymal|dostal|zaplacil|uszkodzil|zgubil)(?:em|am|ismy|ysmy)\b"  # the writer did it
    r"|\b(?:my|our) (?:application|case|invoice|bill|permit)\b"
)
# Asking the office for information or a service for oneself: the purpose of most non-remark mail.
_SERVICE = re.compile(
    r"\bpros(?:z\w*|ic|imy)\s+(?:\w+\s+){0,2}?o\s+(?:informacj|przeslani|kontakt|odpowiedz|potwierdzeni|wydani|sprawdzeni"
    r"|kopi|zwrot|korekt|rezerwacj|umowieni|spotkani|termin)\w*"
    r"|\bczy (?:moge|mozemy|moglbym|moglabym|mozna (?:zamowic|odebrac|zlozyc|przeslac|zapisac|wynajac|dostac))\b"
    r"|\bile (?:kosztuje|trwa|czeka sie|wynosi oplat)\w*|\bdo kiedy\b"
    r"|\bna jakim etapie\b|\bjakie dokumenty\b|\bczy (?:jest )?wolna?\b"
    r"|\b(?:could|can) you (?:please )?(?:tell|send|confirm|let)\b|\bplease (?:send|confirm|let me know)\b"
)
# A system's notice: a ticket or case number it assigned, a receipt it confirms, an alert it raises.
_NOTIFICATION = re.compile(
    r"\[#?\d{3,}\]|\b(?:zgloszeni\w*|ticket|sprawy?|case|request)\s+(?:nr\.?|numer|no\.?|#)\s*[\w/.-]*\d"
    r"|\bnumer\w* zgloszeni\w*|\bpotwierdzeni\w* (?:wplywu|otrzymania|zlozenia|rejestracji|nadania|odbioru)"
    # a receipt of the ePUAP platform, not a resident who mentions it ("złożę deklarację przez ePUAP")
    r"|\bupo\b|\b(?:systemu|platformy|skrzynk\w*|skrytk\w*)\s+(?:\w+\s+)?epuap\b|\bepuap\s+(?:informuje|powiadamia)"
    r"|\bstatus (?:zgloszeni|sprawy|zamowieni|przesylki)\w*"
    r"|\bsystem\w* (?:\w+ )?(?:informuje|powiadamia)"
    r"|\bpowiadomieni\w* (?:systemow|automatyczn|o zmianie)\w*|\bnotification\b|\balert\b|\bstatus update\b"
    r"|\bwas (?:received|registered|created|updated)\b"
    r"|\bzostal\w* (?:zarejestrowan|przyjet|utworzon|zaktualizowan)\w*"
)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN_LETTER = re.compile(r"[a-zA-Z\u00c0-\u024f]")
_ENGLISH = re.compile(r"\b(?:the|and|is|are|we|our|you|to|of|in|there|would|please|have)\b", re.IGNORECASE)
_POLISH = re.compile(r"\b(?:i|w|z|na|nie|sie|jest|do|ze|to|o|jak|czy|za|po|od)\b")


def collective(text: str) -> int:
    """How many distinct community words the text uses (0, 1, 2 or more: capped by the caller)."""
    return len({m.group(0) for m in _COLLECTIVE.finditer(fold(text))})


# A village address with a house number inside a sentence ("naprzeciwko mojego domu, Zalesie 23 (słup ...)", "nie
# dojechała (Kostry Górne 20 i 22)"): the case of one property. Not in a signature line ("Jan Nowak, Rutki 4": the
# word before it is a name) and not a part of a document ("Cel 2", "Projekt 3").
_VILLAGE_ADDRESS = re.compile(
    r"(?:(?<=\()|(?<=,\s)|(?<=\w\s))([A-ZĄĆĘŁŃÓŚŹŻ][a-ząćęłńóśźż]+(?:\s+[A-ZĄĆĘŁŃÓŚŹŻ][a-ząćęłńóśźż]+)?)\s+"
    r"\d{1,3}[a-z]?(?:\s*(?:i|,)\s*\d{1,3}[a-z]?)?(?=\s*[),;]|\s+\(|\.\s)"
)
_DOCUMENT_PART = re.compile(
    r"^(?:cel|projekt|priorytet|dzialani|punkt|uwag|etap|zalacznik|tabel|rozdzial|stron|art|pkt|wariant|opcj"
    r"|kierun|obszar|zadani|program|strategi|rok|godzin|nr|numer|klas|sal|pokoj|budynek|autobus|linia|kurs)"
)


def _village_address(text: str) -> str:
    """The first village address with a house number in the letter's own sentences, or "" (unfolded: the capitals
    tell a place name from a word)."""
    for m in _VILLAGE_ADDRESS.finditer(text):
        before = re.findall(r"\w+", text[max(0, m.start() - 40) : m.start()])
        if before and before[-1][:1].islower() and not _DOCUMENT_PART.match(fold(m.group(1))):
            return m.group(0)
    return ""


def individual(text: str) -> str:
    """The first mark of the sender's own case (an address, a number, "moja sprawa", "wysłałam"), or ""."""
    m = _INDIVIDUAL.search(fold(text))
    return m.group(0) if m else _village_address(text)


def notification(text: str) -> str:
    """The first mark of a system's notice (a ticket number, "potwierdzenie wpływu", an alert), or ""."""
    m = _NOTIFICATION.search(fold(text))
    return m.group(0) if m else ""


# "Gdzie można zapłacić?", "chcę zapytać, jak mogę zgłosić ...": asking the way; not the relative clause of a
# description ("to jedyne miejsce, gdzie można zapłacić rachunki").
_SERVICE_HOW = re.compile(
    r"\b(?:jak|gdzie)\s+(?:moge|mozna|mam|nalezy|trzeba)\s+(?:zglosic|zalatwic|zlozyc|odebrac|zapisac|zamowic"
    r"|oplacic|zaplacic|dostac|uzyskac)\w*"
)
_ASKING_THE_WAY = re.compile(
    r"(?:^|[.!?\n]\s*|(?:dzien dobry|witam)\W*|\b(?:zapyta\w*|pytam\w*|wiedziec|dowiedziec|informacj\w*|wskaz\w*"
    r"|poinform\w*|powiedzie\w*|podpowiedzie\w*|napisac)\W*)\s*$"
)


def service_request(text: str) -> str:
    """The first request for information or a service for the sender ("proszę o informację"), or ""."""
    folded = fold(text)
    m = _SERVICE.search(folded)
    if m:
        return m.group(0)
    for m in _SERVICE_HOW.finditer(folded):
        if _ASKING_THE_WAY.search(folded[max(0, m.start() - 40) : m.start()]):
            return m.group(0)
    return ""


def non_polish(text: str) -> bool:
    """Is the text mostly not Polish (Cyrillic, or English function words outnumbering Polish ones)?"""
    cyr, lat = len(_CYRILLIC.findall(text)), len(_LATIN_LETTER.findall(text))
    if cyr > lat:
        return True
    folded = fold(text)
    return len(_ENGLISH.findall(folded)) > 2 * max(1, len(_POLISH.findall(folded)))


def oddities(mail: ParsedMail) -> list[str]:
    """How the envelope looks mass-sent: hidden recipients, a reply-to elsewhere, a shouted subject."""
    found = []
    recipients = " ".join(mail.to + mail.cc).lower()
    if not recipients.strip() or "undisclosed" in recipients:
        found.append("hidden recipients")
    reply_to = mail.header("reply-to").lower()
    domain = mail.sender_email.lower().rpartition("@")[2]
    if reply_to and domain and domain not in reply_to:
        found.append("reply-to another domain")
    letters = [c for c in mail.subject if c.isalpha()]
    if "!" in mail.subject or (len(letters) >= 12 and sum(c.isupper() for c in letters) > 0.7 * len(letters)):
        found.append("shouted subject")
    return found
