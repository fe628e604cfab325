"""Is a human-written e-mail about *this* consultation? Cues and their weights.

People rarely name the document in full. They write "w strategii", "uwagi do projektu",
"w ramach konsultacji", name the partnership ("dla całej Ziemi Wysokomazowieckiej"), cite a
project by number or title, reply to the office's circular or acknowledgement, or simply say
"popieram ..." / "jestem przeciw ...". Ordinary office mail shares the vocabulary of the projects
(water, waste, buses, heat pumps) but not these cues, so the cues, not the subject matter, decide.

Points: 3 = unmistakable (remarks form, "uwagi do strategii", project id, case reference),
2 = clear (strategy, the consultation, the partnership's name, a project title cited as such),
1 = weak (a bare title, "w projekcie o ...", the partnership, a one-word subject "uwagi").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from classifiers.mailtext import fold, sentences, words


@dataclass(frozen=True)
class ConsultationHints:
    """What the sorter may know about the running consultation (from config and the database)."""

    name: str = ""
    office_addresses: tuple[str, ...] = ()
    reference_prefix: str = ""
    projects: tuple[tuple[str, str], ...] = ()  # (id, title) of the catalogue
    thread_ids: frozenset[str] = field(default_factory=frozenset)  # Message-IDs of remarks and acks
    # Text -> catalogue topics it touches, as "P2.1 'oświetlenie'" (catalogue keywords, no cue needed).
    topics: Callable[[str], tuple[str, ...]] | None = field(default=None, compare=False, hash=False)
    period: tuple[datetime, datetime] | None = None  # when the consultation runs (aware datetimes)
    # Text -> closeness in meaning to the catalogue (classifiers.relevance), None when not built.
    relevance: Callable[[str], float] | None = field(default=None, compare=False, hash=False)
    # A refitted sort model (uwagi train); None: the shipped one (classifiers.sort_model).
    sort_model: Any = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class Cue:
    points: int
    what: str


_FIXED_CUES: list[tuple[int, str, re.Pattern[str]]] = [
    (3, "names the remarks form", re.compile(r"formularz\w*\s+(?:zglaszania\s+|zgloszenia\s+)?uwag")),
    (
        3,
        "remarks on the draft",
        re.compile(
            r"\buwag\w*\s+(?:\w+\s+){0,2}?do\s+(?:tego\s+|tej\s+|naszego\s+)?(?:projektu|strategii|dokumentu|planu)"
        ),
    ),
    (2, "mentions the strategy", re.compile(r"\bstrateg\w*|\bстрат[еэ]г\w*|\bstrateh\w*")),
    (
        2,
        "mentions the consultation",
        re.compile(
            r"\bkonsultacj(?:e|i|ach|ami|om)\b(?!\s+(?:z|ze|lekarsk|medyczn|prawn|telefoniczn))|\bconsultation\b"
            r"|\bконсультац\w*|\bкансультац\w*"
        ),
    ),
    (
        2,
        "submits remarks",
        re.compile(
            r"(?<!nie )\b(?:zglasza\w*|sklada\w*|przesyla\w*|przekazuj\w*|wnosz\w*)\s+(?:\w+\s+){0,3}?"
            r"(?:uwag|propozycj)\w*"
            r"|\b(?:moja|nasza|moje|nasze|ponizsze|nastepujace|dwie|trzy|cztery|kilka)\s+(?:\w+\s+)?uwag\w*"
        ),
    ),
    (1, "consultation meeting", re.compile(r"(?<!punkt )(?<!punktu )(?<!punkcie )\bkonsultacyjn\w*")),
    (
        1,
        "refers to a project",
        re.compile(
            r"\bprojek\w*\s+(?:o|dot\.|dotyczac\w*|w sprawie|na temat)\s|\bw ramach (?:tego |tych )?projekt"
        ),
    ),
    (
        1,
        "asks to change the document",
        re.compile(r"\b(?:dopisa\w*|wykresl\w*|ujeci\w*\s+w|uja[cl]\w*\s+w)\b"),
    ),
    (1, "mentions the partnership", re.compile(r"\bpartnerstw\w*|\bpartnership\b")),
    (
        1,
        "refers to the document",
        re.compile(
            r"\bw\s+(?:calym\s+|tym\s+|calosci\s+)?dokumencie\b|\bprzeczyta\w*\s+(?:\w+\s+)?dokument"
            r"|\b(?:caly|calego|tego)\s+dokumentu?\b|\bdraft\b"
        ),
    ),
]
_SUBJECT_REMARK = re.compile(r"^\s*(?:uwag[aiy]|propozycj[ae]|opinia|stanowisko|comments?)\b(?!\s*!)")

# Other documents the office consults on or runs; cues that only say "consultation" or "remarks
# on the draft" then belong to them, not to the strategy.
_OTHER_CONSULTATION = re.compile(
    r"(?:konsultacj\w*|uwag\w*\s+(?:\w+\s+){0,2}?do|opini\w*\s+(?:o|do)|opiniuj\w*\s+(?:pozytywnie\s+|negatywnie\s+)?)"
    r"\s*(?:spoleczn\w+\s+)?(?:projekt\w*\s+)?"
    r"(?P<doc>uchwal|planu|programu|regulaminu|budzetu|statut|miejscowego|studium|taryf|zarzadzeni)"
    r"|strategi\w*\s+rozwiazywania\s+problemow"
)


def _other_consultation(text: str, hints: ConsultationHints) -> bool:
    """A consultation or remarks on another document than this consultation's. The document its
    own name calls it by (a budget consultation's "budżetu") is not another one: with several
    consultations, each reads its own mail with its own name."""
    own = fold(hints.name)
    return any(not (m.group("doc") and m.group("doc") in own) for m in _OTHER_CONSULTATION.finditer(text))
_GENERIC = (
    "names the remarks form",
    "remarks on the draft",
    "mentions the strategy",
    "mentions the consultation",
    "submits remarks",
)

# People put on a meeting's list ("wpisanie na listę trzech osób"), not a matter put in the document.
MEETING_LIST = r"na\s+liste\s+(?:\w+\s+)?(?:osob|uczestnik|obecnosc|chetn)\w*"
STANCE = re.compile(
    r"\b(?:popieram|popieramy|popiera|poprzec\w*)\b|\b(?:wyraz\w*|nasz\w*|moj\w*|peln\w*|zdecydowan\w*)\s+poparci\w*"
    r"|(?<!list )(?<!listu )(?<!listem )\bpoparci\w*\s+(?:dla|tego|tej|tych|projekt|pomysl|propozycj|zapis)"
    r"|\bsprzeciwia\w*|\bsprzeciw\b(?!\s+od)"
    r"|\b(?:jestem|jestesmy)\s+(?:\w+\s+)?przeciw\w*|\bprzeciwko\s+(?:temu|projekt|budow|pomysl|zapis)"
    r"|\bnie zgadza(?:m|my|ja)\s+sie\b(?!\s+z\s+(?:decyzj|nalicz))|\bsie\s+(?:na\s+)?(?:to\s+)?nie\s+zgadza(?:m|my)\b"
    r"|(?<!\w)(?:пропону\w*|прапану\w*|підтримую|підтримуємо|падтрымліва\w*|не погоджу\w*|не згодн\w*)"
    r"|\bproponuj\w*|\bpropozycj\w*|\bpostuluj\w*"
    r"|\bzaproponowac\b(?!\s+(?:\w+\s+){0,2}?(?:panstw|gmin|urzed|wojt|wspolprac|prezentacj|spotkani|termin|bezplatn"
    r"|darmow|nasz|ofert|przygotowani|opracowani|uslug))"
    r"|\bsugeruj\w*|\bwnosz\w*\s+o\s+(?:zmian|dodan|wykresl|uwzgledn|dopisan|ujeci|rozszerz)"
    r"|\bprosz\w*\s+(?:\w+\s+)?o\s+(?:wpisanie|uwzglednienie|dopisanie|wykreslenie|ujecie|rozwazenie|wlaczenie"
    r"|dodanie|rozszerzenie|zmiane zapisu)(?!\s+" + MEETING_LIST + ")"
    r"|\b(?:wpisac|dopisac|wykreslic|uwzglednic)\b|\bbrakuje\b"
    r"|\bniech\s+(?:\w+\s+){0,3}?(?:bedzie|beda|powstanie|powstana|zostanie|jezdzi)|\bpowinn\w*\s+(?:\w+\s+)?"
    r"(?:byc|powstac|zostac|miec|jezdzic)\b|\bprzydal\w*\s+by\s+sie|\bwarto\s+by|\bchcial\w*\s+by\w*\s*,?\s*(?:zeby|aby)"
    r"|\bi (?:would )?(?:strongly )?(?:suggest|propose|support|oppose|object)"
    r"|\b(?:dobry|swietny|znakomity|trafiony|rozsadny|madry|slaby|zly|chybiony|kiepski|glupi|bezsensowny)\s+pomysl\b"
    r"|\bpomysl\s+(?:jest\s+)?(?:bardzo\s+)?(?:dobry|swietny|trafiony|rozsadny|chybiony|zly|slaby|bez sensu)\b"
)
# Support or opposition stated outright is a remark even when nothing else names the consultation.
STANCE_ALONE = re.compile(
    r"(?:^[^\S\n]*|[.!?]\s+)(?:popieram|popieramy)\b|\bpopier\w*\s+(?:\w+\s+)?(?:projekt|pomysl|zapis|budow|utworzen|inicjatyw"
    r"|propozycj|ide|plan|wspoln)|\b(?:jestem|jestesmy)\s+(?:zdecydowanie\s+)?przeciw\w*"
    r"|\bsprzeciwiam\w*\s+sie|\bsie\s+(?:\w+\s+)?sprzeciwiam"
    r"|\bnie zgadza(?:m|my)\s+sie\s+z\s+(?:tym\s+)?(?:pomysl|projekt|zapis|plan)",
    re.MULTILINE,
)
# Offers, invitations and announcements mention strategies without commenting on ours.
NOT_A_REMARK_TONE = re.compile(
    r"\boferujemy\b|\bprzedstawiamy\s+(?:\w+\s+){0,2}?ofert|\bnasz\w*\s+ofert"
    r"|\bofert\w*\s+(?:cenow|handlow|wspolpracy)"
    r"|zapraszamy\s+do\s+(?:wspolpracy|skorzystania|zakupu|kontaktu)|\bcennik\w*|\brabat\w*"
    r"|zaprasza\w*\s+(?:\w+\s+){0,3}?(?:na|do udzialu w)\s+(?:\w+\s+){0,2}?"
    r"(?:konferencj|szkoleni|webinar|warsztat|spotkani|zebrani|jarmark|festyn|kiermasz|uroczyst|targi)"
    r"|\bumowi\w*\s+(?:\w+\s+){0,2}?(?:spotkani|termin|wizyt)|\bprosz\w*\s+o\s+(?:\w+\s+)?spotkani"
    r"|\binformujemy\W+(?:ze|iz)\b|\bwe are pleased to"
)
_PROCEDURAL = re.compile(
    r"do kiedy|\btermin\w*|formularz\w*|gdzie\s+(?:\w+\s+)?(?:znajde|znalezc|pobrac|jest|sa)\b"
    r"|jak\s+(?:\w+\s+)?(?:zlozyc|przeslac|wyslac|zglosic|skladac)|osobiscie|e-?mail\w*|mailem|poczta|pocztowo"
    r"|na jaki adres|\bspotkani\w*|o ktorej|\blink\w*|na stronie|\bbip\b|nie moge znalezc|wydruk\w*"
    r"|czy\s+(?:\w+\s+)?(?:mozna|moge|mozemy|trzeba)\s+(?:\w+\s+)?(?:zlozyc|skladac|przeslac|wyslac|przyniesc"
    r"|dostarczyc|zglosic)|\bdeadline\b|\bhow (?:can|do) i submit"
    r"|\bile\s+(?:\w+\s+)?(?:uwag|osob|zgloszen|wnioskow|opinii)|informacj\w* publiczn|sprawozdani\w*"
    r"|protokol\w*|(?:raport|wynik|podsumowani)\w* (?:z )?konsultacji"
    r"|kiedy\s+(?:\w+\s+)?(?:opublikowan|rozpatrzon|odpowiedz)"
    r"|wersj\w* papierow|przesla\w*\s+(?:\w+\s+)?(?:projekt|dokument|formularz|wersj)"
    r"|gdzie\s+(?:\w+\s+)?(?:wyslac|przeslac|zlozyc|skladac|zglosic|dostarczyc|przyniesc|oddac)"
    r"|\bnie\s+(?:\w+\s+)?(?:dostal|otrzymal)\w*\s+(?:\w+\s+)?potwierdzeni"
    r"|\bpotwierdzeni\w* (?:otrzymania|wplywu|odbioru)"
    r"|\bczy\s+(?:\w+\s+){0,3}?(?:dotarl|doszl|wplyn)\w*|\bwysl\w*\s+(?:\w+\s+)?(?:jeszcze raz|ponownie)"
    r"|\bna (?:ten|wasz|panstwa|podany) adres\b"
    r"|czy\s+(?:\w+\s+){0,3}?(?:bedzie|zostanie|beda|zostana)\s+(?:\w+\s+)?(?:przyjet|uznan|rozpatrzon)\w*"
    r"|czy\s+(?:\w+\s+)?(?:musi|musze|trzeba|nalezy|wystarczy)\W+(?:\w+\W+){0,2}?(?:podawac|podac|wypelni|podpis"
    r"|dolacz|skan|druk|wysla|przesla|zalacz)\w*|\bformaln\w*|mam\s+(?:\w+\s+)?pytani\w+\s+(?:techniczn|formaln"
    r"|organizacyjn|proceduraln)\w*"
    # whether the sender's name goes into the report: anonymity is a question about the procedure
    r"|\banonimow\w*|\bbez (?:podpisu|podawania nazwiska)|\bnazwisk\w*\s+(?:\w+\s+){0,3}?(?:w raporcie|opublikowan"
    r"|pojawi)\w*"
)
# Asking for the consultation to be run otherwise ("Proszę, żeby egzemplarze leżały u sołtysa", "spotkania powinny
# być wieczorem") is a remark on the consultation itself (OGOLNA), not a question about its procedure.
_CHANGE_WISH = re.compile(
    r"\bprosz\w*\s*,?\s*(?:zeby|aby|by)\b|\bprosimy\s*,?\s*(?:zeby|aby|by)\b|\bpowinn\w+|\bwarto\s+by|\bprzydal\w*\s+by"
    r"|\bzrobcie\b|\bniech\s+\w+"
)
# A salutation on its own line ("Szanowni Państwo,") is no sentence of the letter's matter.
_GREETING = re.compile(r"^\W*(?:szanown\w*|dzien dobry|dobry wieczor|witam\w*|czesc|hej|dear)\b[^.?!]{0,40}$")
# "Nie wnosimy uwag", "bez uwag": an answer to the circular that deliberately carries no remark.
NO_REMARKS = re.compile(
    r"\bnie\s+(?:wnosi\w*|zglasza\w*|mam\w*|ma|posiada\w*)\s+(?:\w+\s+)?(?:uwag|zastrzezen)|\bbez\s+uwag\b"
    r"|\bbrak\s+uwag\b|\bno (?:comments|remarks|objections)\b"
)
_ACK = re.compile(
    r"^(?:dziekuj\w*|dzieki|thank|ok\b|okej|otrzymal\w*|potwierdzam|przyjal\w*|przekaz\w*\s+(?:\w+\s+)?"
    r"(?:informacj\w*|dalej|mieszkanc\w*)|informacj\w*\s+(?:\w+\s+)?(?:wywiesil|wywiesz|przekazal|przekaz)"
    r"|w porzadku|pozdrawiam|wszystkiego dobrego|milego dnia)"
)
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|odp|odp\.|aw|sv|wg|vs|ynt|fw|fwd|pd|pd\.|tr)\s*:\s*)+", re.I)
_TITLE_STOP = {"dla", "oraz", "calej", "calego", "wszystkich", "nowe", "nowa", "nad", "przez"}


def _stem(word: str) -> str:
    return word if len(word) <= 5 else word[: max(5, len(word) - 2)]


def _phrase_pattern(text: str) -> re.Pattern[str] | None:
    stems = [_stem(w) for w in words(fold(text)) if len(w) >= 3]
    if len(stems) < 2:
        return None
    return re.compile(r"\b" + r"\w*[\s\"'„”«»-]+".join(re.escape(s) for s in stems) + r"\w*")


_NAME_GENERIC = {
    "konsultacje",
    "konsultacji",
    "projekt",
    "projektu",
    "strategia",
    "strategii",
    "terytorialna",
    "terytorialnej",
    "rozwoju",
    "partnerstwa",
    "gminy",
    "gmina",
    "lata",
    "program",
    "programu",
}


def name_pattern(name: str) -> re.Pattern[str] | None:
    """The distinctive part of the consultation name: its quoted part („Ziemia wysokomazowiecka”),
    else its words that are not generic ("Strategia Rozwoju Doliny Nurca" -> "Doliny Nurca")."""
    quoted = re.search(r"[„\"«]([^”\"»]+)[”\"»]", name)
    if quoted:
        return _phrase_pattern(quoted.group(1))
    rest = [w for w in words(fold(name)) if w not in _NAME_GENERIC and not w.isdigit() and len(w) >= 3]
    return _phrase_pattern(" ".join(rest)) if len(rest) >= 2 else None


def title_cue(text: str, project_id: str, title: str) -> Cue | None:
    """A project cited by id, or its title's main words (before the dash) all but one present."""
    pid = re.escape(fold(project_id))
    digits = re.escape(fold(project_id).lstrip("p"))
    if re.search(rf"\b{pid}\b|\bprojekt\w*\s+(?:nr\.?\s*)?{digits}\b", text):
        return Cue(3, f"cites project {project_id}")
    main = re.split(r"\s+[–—-]\s+", title)[0]
    stems = [_stem(w) for w in words(fold(main)) if len(w) >= 4 and w not in _TITLE_STOP]
    if len(stems) < 2:
        return None
    found = [s for s in stems if re.search(rf"\b{re.escape(s)}", text)]
    if len(found) < max(2, len(stems) - 1) and len(found) * 4 < len(stems) * 3:
        return None
    first = re.search(rf"\b{re.escape(found[0])}", text)
    before = text[max(0, first.start() - 40) : first.start()] if first else ""
    cited = "projek" in before or re.search(r"[„\"«]\s*$", before) is not None
    return Cue(2 if cited else 1, f"project title '{main[:50]}'")


def cues(text: str, hints: ConsultationHints) -> list[Cue]:
    """Every consultation cue found in an already folded text."""
    found = [Cue(p, f"{what}: '{m.group(0)[:40]}'") for p, what, rx in _FIXED_CUES if (m := rx.search(text))]
    pattern = name_pattern(hints.name)
    if pattern and (m := pattern.search(text)):
        found.append(Cue(2, f"names the partnership: '{m.group(0)[:40]}'"))
    for project_id, title in hints.projects:
        if cue := title_cue(text, project_id, title):
            found.append(cue)
    if hints.reference_prefix and (
        m := re.search(rf"\b{re.escape(fold(hints.reference_prefix))}/\d{{4}}/\d+", text)
    ):
        found.append(Cue(3, f"case reference {m.group(0).upper()}"))
    if _other_consultation(text, hints):
        ours = [c for c in found if not c.what.startswith(_GENERIC)]
        strategy = re.search(r"\bstrateg\w*(?!\w*\s+rozwiazywania)", _OTHER_CONSULTATION.sub(" ", text))
        if not ours and not strategy:
            return []
    return found


def subject_cues(subject: str, hints: ConsultationHints, context: str = "") -> list[Cue]:
    """Cues of a (folded) subject; a subject that calls the mail a remark ("Uwagi ...") is one more,
    unless the subject or the (folded) ``context`` shows the remarks are on another document."""
    found = cues(subject, hints)
    if _other_consultation(subject + "\n" + context, hints) and not cues(context, hints):
        return found
    if m := _SUBJECT_REMARK.match(subject):
        found.append(Cue(1, f"subject calls it a remark: '{m.group(0).strip()}'"))
    return found


def points(found: list[Cue]) -> int:
    """Strength of the evidence: the strongest cue, plus one when several distinct cues agree."""
    if not found:
        return 0
    best = max(c.points for c in found)
    return best + (1 if len(found) >= 2 and best < 3 else 0)


def strip_reply_prefix(subject: str) -> tuple[str, bool]:
    """Subject without Re:/Odp:/Fwd: prefixes, and whether there was one."""
    bare = _REPLY_PREFIX.sub("", subject)
    return bare, bare != subject


def is_procedural(content: str) -> bool:
    """Only questions about the procedure (deadline, form, where to send), no opinion on the draft."""
    folded = fold(content)
    parts = [s for s in sentences(folded) if len(words(s)) >= 2 and not _GREETING.match(s)]
    # a negated wish ("nie chciałabym, żeby moje uwagi odrzucono") is worry about the procedure, not an opinion
    if not parts or any(folded[max(0, m.start() - 4) : m.start()] != "nie " for m in STANCE.finditer(folded)):
        return False
    return all(_PROCEDURAL.search(s) and not _CHANGE_WISH.search(s) for s in parts)


def is_trivial(content: str) -> bool:
    """Nothing but thanks / acknowledgement of receipt ("Dziękuję, przekażę mieszkańcom")."""
    rest = [s for s in sentences(fold(content)) if not _ACK.match(s)]
    return len(words(" ".join(rest))) < 4
