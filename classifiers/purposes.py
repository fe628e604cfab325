"""What else an e-mail to the office may be for: naming the strategy is not remarking on it.

A municipal office gets press questions, requests for public information, invitations and
notices about any current matter, and residents write about their own case (a bill, a permit,
a decision). Such mail may share the vocabulary of the projects or even name the strategy, but
its purpose is another one: it is ``other`` (flagged for a glance when it touches the
consultation). Generic office vocabulary, not phrases of any particular e-mail.
"""

from __future__ import annotations

import re

from classifiers.mailtext import fold
from classifiers.topic import MEETING_LIST, STANCE

__all__ = ["DATA_SUBJECT", "other_purpose", "personal_matter"]

DATA_SUBJECT = "a data-subject request or a withdrawal"
ORGANISING = "organising the consultation"
OFFER = "an offer"

_PURPOSES: list[tuple[str, re.Pattern[str]]] = [
    ("a press enquiry", re.compile(
        r"\bredakc\w*|\bdziennikar\w*|\breporter\w*|\bna potrzeby (?:artykul|publikacj|materialu|reportaz)"
        r"|\bprosz\w*\s+(?:\w+\s+){0,2}?o\s+(?:krotki\s+)?komentarz|\bautoryzac\w*|\bportal\w* informacyjn"
        r"|\bprzygotowuj\w*\s+(?:\S+\s+){0,4}?(?:artykul|material|reportaz|tekst)|\bpress\b|\bjournalist"
        r"|\b(?:biur\w*|rzeczni\w*|pytani\w*|komunikat\w*|konferencj\w*|zapytani\w*) prasow\w*"
        r"|\bzamykamy (?:tekst|numer|wydanie)|\btekst zamykamy\b"
        r"|\bukaze sie w (?:\w+\s+)?(?:wydaniu|numerze|gazecie|tygodniku)|\bdo (?:najblizszego|jutrzejszego) wydania")),
    ("a request for public information", re.compile(
        r"informacj\w* publiczn|\bdostepie do informacji\b|\budostepnieni\w*\s+(?:\w+\s+){0,3}?"
        r"(?:informacj|dokument|kopi|danych|umow)|\bwniosek o (?:udostepnienie|wydanie|przeslanie) (?:kopii|informacji)"
        r"|\bart\.\s*\d+\s+ust\.\s*\d+\s+ustawy")),
    ("an invitation or a notice", re.compile(
        r"\b(?:zaprasza|zaprosi)\w*\s+(?:\w+\s+){0,4}?(?:na|do)\s+(?:\w+\s+){0,2}?(?:konferencj|szkoleni|webinar|warsztat|panel"
        r"|seminari|debat|forum|galę|gale|jarmark|festyn|uroczyst|targi|obchod|wystaw|spotkani\w* informacyjn)"
        r"|\bzaprasza\w*\s+(?:\w+\s+){0,4}?na\s+(?:\w+\s+){0,2}?(?:mikolajk|koncert|piknik|dozynk|jaselk|bal\b"
        r"|zawody|turniej|rajd|kiermasz|spektakl|przedstawieni)"
        r"|\buprzejmie informuj\w*|\bzawiadamia\w*|\bnewsletter\w*|\bbiuletyn\w*"
        r"|(?:^|\n)\W*(?:drodzy|drogie|szanowni)\s+(?:czlonk|przyjaciel|subskrybent|klienc|czytelni)\w*"
        r"|\bo\s+(?:zamieszczeni|opublikowani|publikacj|wywieszeni|rozpowszechni)\w*\s+(?:\w+\s+){0,8}?"
        r"(?:ponizsz|nastepujac|zalaczon)\w*\s+(?:informacj|ogloszeni|plakat|komunikat|zaproszeni)"
        r"|\bo\s+(?:zamieszczeni|umieszczeni|opublikowani|publikacj|wywieszeni)\w*\s+(?:\w+\s+)?(?:ogloszeni|plakat"
        r"|komunikat|zaproszeni|harmonogram)\w*\s+(?:\w+\s+){0,2}?na\s+(?:stronie|profilu|facebook|tablic)"
        r"|\buprzejmie przypomina\w*"
        r"|\bo\s+(?:zamieszczeni|umieszczeni|opublikowani|publikacj|wywieszeni)\w*\s+(?:\w+\s+){0,10}?(?:informacj"
        r"|ogloszeni|plakat|komunikat|zaproszeni)\w*\s+o\s+(?:\w+\s+)?(?:koncerc|wydarzeni|festyn|imprez|zbiorc|akcj"
        r"|konkurs|wystaw|kiermasz|zawod|turniej|rajd|spektakl)"
        r"|\bwe (?:kindly )?invite\b|\binvitation\b")),
    # The consultation's own logistics: printed copies and posters, a room and a projector, a meeting moved or
    # confirmed, the deadline, thanks for a meeting. Judging how the consultation is run is a remark (OGOLNA); asking
    # for its materials or arranging its meetings is not.
    (ORGANISING, re.compile(
        r"\b(?:przygotowa|wydrukowa|przesla|dostarcz|zarezerwowa|przywiez|zabezpiecz)\w*\s+(?:\w+\s+){0,5}?"
        r"(?:plakat|ulot|egzemplarz|wydruk|rzutnik|projektor|nagloseni|sal[aeiy]\b|krzes)\w*"
        r"|\bspotkani\w* konsultacyjn\w*\s+(?:\S+\s+){0,12}?(?:przeniesion|odwolan|przesuni)\w*"
        r"|\bpotwierdzam\s+(?:\w+\s+){0,2}?(?:spotkani|termin|udzial|obecnosc)\w*"
        r"|\bdo kiedy\s+(?:\w+\s+){0,3}?(?:mozna|trzeba|nalezy|moge|mozemy)\s+(?:\w+\s+)?(?:wysyla|sklada|zglasza"
        r"|przesyla|nadsyla)\w*"
        r"|\b(?:dziekuj|podziekowa)\w*\s+(?:\w+\s+){0,3}?za\s+(?:\w+\s+){0,2}?spotkani\w*"
        r"|\bczy\s+(?:\w+\s+){0,3}?uwagi\s+(?:\w+\s+){0,4}?(?:trzeba|nalezy|mozna)\s+(?:skladac|zlozyc|przesylac"
        r"|wysylac)\s+(?:tylko\s+)?na\s+(?:formularz|adres|ten adres|\S+@)"
        r"|\bo\s+(?:przeslanie|wyslanie|udostepnienie)\s+(?:\w+\s+){0,2}?formularz\w*"
        r"|\bprosz\w*\s+(?:\w+\s+)?(?:przeslac|wyslac|udostepnic)\s+(?:\w+\s+){0,2}?formularz\w*"
        r"|\b(?:gdzie|kiedy|o ktorej)\s+(?:i\s+(?:gdzie|kiedy|o ktorej)\s+)?(?:bedzie|odbedzie sie|jest|sa|beda)\s+"
        r"(?:\w+\s+)?spotkani\w*|\bczy\s+(?:\w+\s+)?spotkani\w*\s+(?:\w+\s+){0,6}?odbedzie sie\b"
        r"|\bczy\s+(?:\w+\s+){0,6}?(?:trzeba|nalezy|musze|musimy)\s+(?:sie\s+)?(?:\w+\s+)?(?:zapisac|zapisywac"
        r"|rejestrowac|zarejestrowac)\b|\bwpisanie\s+" + MEETING_LIST +
        r"|\b(?:zdjec|zdjecia|fotografi|nagrani)\w*\s+(?:\w+\s+){0,2}?ze?\s+(?:\w+\s+)?spotkani\w*"
        r"|\bczy\s+(?:\w+\s+){0,2}?(?:beda|zostana)\s+(?:\w+\s+)?przyjete\s*,?\s+(?:jesli|jezeli|gdy)\b")),
    ("an opinion on another draft resolution", re.compile(
        r"\b(?:pozytywnie\s+|negatywnie\s+)?opiniuj\w*\s+(?:pozytywnie\s+|negatywnie\s+)?projekt\w* uchwaly\s+"
        r"(?:\w+\s+){0,3}?w sprawie\s+(?!(?:\w+\s+){0,3}?strategi)")),
    ("a request to use the gmina's bus, hall or equipment", re.compile(
        r"\b(?:udostepnieni|uzyczeni|wynajeci|wynajm|rezerwacj|wypozyczeni)\w*\s+(?:\w+\s+){0,2}?(?:autobus|busa|sali"
        r"|swietlic|remiz|boisk|hali|pojazd|samochod|namiot|sceny|naglosnieni|lawek|stolow)\w*")),
    ("a question about a call for grant applications", re.compile(
        r"\bczy\s+(?:\w+\s+){0,2}?(?:oglosi|ogloszony|ogloszone|bedzie ogloszon|ruszy|planuje ogloszeni)\w*\s+"
        r"(?:\w+\s+){0,4}?(?:konkurs|nabor)\w*|\bkiedy\s+(?:\w+\s+){0,2}?(?:ogloszon|ruszy|rusza)\w*\s+(?:\w+\s+){0,2}?"
        r"(?:konkurs|nabor)\w*|\b(?:konkurs|nabor)\w*\s+(?:\w+\s+){0,6}?w jakim terminie\b")),
    (OFFER, re.compile(
        r"\boferuj\w*|\bofert\w*\s+(?:\w+\s+){0,2}?(?:przygotowani|opracowani|wykonani|uslug|cenow|handlow|wspolpracy)"
        r"|\bnasz\w*\s+(?:firma|kancelaria|spolka|agencja)\s+(?:\w+\s+){0,3}?(?:specjalizuj|oferuj|zajmuj|przygotow)"
        r"|\bcennik\w*|\brabat\w*|\bwycen\w*\s+(?:\w+\s+){0,2}?(?:uslug|opracowani)|\bour (?:company|services)\b"
        r"|\bportfolio\b|\budzial\w* w (?:przetarg\w*|zamowieni)|\bplanowan\w* (?:przetarg|zamowien)\w*"
        r"|\btryb\w* przetarg\w*|\bspecjalizuj\w* sie w (?:projektowani|montaz|dostaw|wykonaw|uslug|sprzedaz)\w*"
        r"|\bzapytani\w* ofertow\w*|\bprzedstawia\w*\s+(?:\w+\s+){0,2}?ofert\w*|\bprzedstawiciel\w* handlow\w*"
        r"|\bbezplatn\w* (?:audyt|wycen|prezentacj|demo|raport|makiet|analiz)\w*"
        r"|\bprezentacj\w* (?:online|produkt|platform|systemu)|\bnasz\w* realizacj\w*"
        r"|\b(?:robimy|tworzymy|wykonujemy|projektujemy|wdrazamy)\s+(?:\w+\s+){0,2}?(?:stron|aplikacj|system|serwis"
        r"|platform)\w*|\b\d+\s+minut\w* na (?:rozmow|spotkani|prezentacj)\w*|\bumow\w* (?:sie )?na (?:rozmow|spotkani"
        r"|prezentacj|demo)\w*|\bwybierz\w* (?:dogodny )?termin\w* w kalendarz\w*"
        r"|\babonament\w*")),
    ("a request for permission", re.compile(
        r"\bczy (?:moge|mozemy|mozna|moglabym|moglbym)\s+(?:\w+\s+){0,2}?(?:wykorzyst|wydrukowa|uzyc|skopiowa|udostepni"
        r"|rozpowszechni|opublikowa|cytowa|wyswietli)\w*")),
    ("research or a thesis", re.compile(
        r"\bprac\w* (?:magistersk|licencjack|dyplomow|doktorsk|inzyniersk)\w*|\bbadani\w* (?:naukow|ankietow)\w*"
        r"|\b(?:student|studentk|doktorant)\w*\s+(?:\w+\s+){0,3}?(?:uczelni|uniwersytet|politechnik|sggw|wydzial)\w*"
        r"|\bprzeprowadzi\w*\s+(?:\w+\s+){0,2}?wywiad\w*|\bthesis\b|\bresearch project\b")),
    (DATA_SUBJECT, re.compile(
        r"\bart\.?\s*1[5-9]\s+rodo|\b(?:usuniecie|usunac|sprostowanie|wglad\w*)\s+(?:\w+\s+){0,2}?(?:moich\s+)?danych"
        r"|\b(?:popraw|sprostow|korekt)\w*\s+(?:\w+\s+){0,2}?(?:moich danych|moje\w* (?:dane|nazwisk|imi|adres)\w*"
        r"|nazwisk\w*|imienia)"
        r"|\bdopisani\w*\s+(?:\w+\s+){0,4}?do\s+(?:list|baz)\w*\s+(?:adresow|mailingow|kontakt|odbiorc|subskryb|wysylk)\w*"
        r"|\bwycofuj\w*\s+(?:\w+\s+)?(?:uwag|zgod|opini)\w*|\bwypisani\w*\s+(?:\w+\s+){0,2}?z\s+(?:list|newsletter|subskrypc)"
        r"|\busunieci\w*\s+(?:\S+\s+){0,3}?z\s+(?:list|baz)\w*\s+(?:\w+\s+)?(?:mailingow|adresow|wysylk|odbiorc|subskryb)"
        r"|\bnie wyrazam zgody na (?:dalsze )?(?:przesylanie|wysylanie|otrzymywanie)|\bunsubscribe\b")),
    ("a job application", re.compile(
        r"\bcv\b|\blist\w* motywacyjn\w*|\bnabor\w* na stanowisk\w*"
        r"|\bna stanowisk\w* (?:podinspektor|inspektor|referent|specjalist|kierownik|sekretar)\w*"
        r"|\bw celu (?:przeprowadzenia )?rekrutacji\b|\bapplication for the position\b")),
    ("a request for a letter of support", re.compile(
        r"\blist\w* (?:intencyjn|poparcia|rekomendacyjn|referencyjn)\w*|\brekomendacj\w* dla\b"
        r"|\bletter of (?:support|intent)\b")),
    ("the partners' or the office's own business", re.compile(
        r"\bpotwierdzeni\w* obecnosci|\bporzad\w* obrad"
        r"|\b(?:spotkani|posiedzeni|zebrani)\w* (?:\w+\s+)?grup\w* robocz\w*|\bktory termin\w* (?:\w+\s+)?odpowiada"
        r"|\bkto bedzie reprezentowa\w*|\bproponuj\w* (?:\w+\s+)?termin\w* (?:spotkani|posiedzeni|narady|rozmowy)"
        r"|\bterminie? platnosci|\bumow\w* nr\b|\bfaktur\w* (?:vat|nr|za)\b"
        r"|\bprzypomina\w*\s+(?:\w+\s+){0,2}?ustaleni|\bspotkani\w* robocz\w*|\bosob\w* do kontaktu\b"
        r"|\bzestawieni\w* zbiorcz\w*|\bzbiorcz\w* zestawieni|\bliderowi\b|\bzgodnie ze wzorem\b"
        r"|\bprzesyla\w*\s+(?:\w+\s+){0,2}?protokol\w*|\braport\w* zbiorcz\w*|\blist\w* obecnosci\b"
        r"|\bodwol\w*\s+(?:\w+\s+)?(?:udzial|obecnosc|zgloszeni|rezerwacj)\w*|\bmusz\w* (?:to |je |go )?odwolac\b"
        r"|\bskresli\w* mnie\b"
        r"|\btermin\w* przekazania (?:danych|zestawieni|raport|uwag)\w*|\bprzesyla\w*\s+(?:\w+\s+)?do wiadomosci\b"
        r"|\bprosimy o\s+(?:\w+\s+)?(?:uzupelnieni|wypelnieni|odeslani)\w*\s+(?:\w+\s+){0,2}?(?:tabel|formularz|ankiet"
        r"|zestawieni|danych|wykaz)\w*|\bprosimy o przekazani\w*\s+(?:\w+\s+){0,2}?(?:wykaz|list|pism|dokument)\w*"
        r"|\bw zalaczeniu\s+(?:\w+\s+)?przesyla\w*\s+(?:\w+\s+){0,2}?(?:wykaz|zestawieni|sprawozdani|harmonogram"
        r"|rozliczeni)\w*")),
]
_PERSONAL = re.compile(
    r"\bfaktur\w*|\brachun(?:ek|ku|kiem)\b|\bnr\.?\s+(?:odbiorcy|klienta|umowy|konta|ewidencyjn\w*|dzialki|sprawy)"
    r"|\bwodomierz\w*|\blicznik\w*|\bnadplat\w*|\bzaleglos\w*|\bupomnieni\w*|\bdecyzj\w*\s+(?:nr|z dnia|o)\b"
    r"|\bzaswiadczeni\w*|\bpodat\w*\s+od\s+nieruchomosci|\breklamacj\w*|\bkorekt\w*\s+(?:\w+\s+)?(?:faktur|naliczen)"
    r"|\bmeldunk\w*|\bdowod\w* osobist|\bakt\w* (?:urodzenia|malzenstwa|zgonu)|\bwypis\w* z\b"
    r"|\bnr\.?\s+wniosku\b|\bmoj\w* (?:sprawa|sprawie|sprawy|wniosek|wniosku)\b|\b(?:za|wy)meldowani\w*"
    r"|\b(?:zloz\w*|nowa|nowej|zmian\w*|korekt\w*)\s+(?:\w+\s+)?deklaracj\w*"
    # help with the writer's own paperwork: "czy ktoś mi pomoże wypełnić wniosek", "jakie dokumenty są potrzebne"
    r"|\b(?:pomoz\w*|pomogl\w*|pomogli\w*)\s+mi\s+(?:\w+\s+)?(?:wypelni|zlozy|zalatwi|napisa)\w*"
    r"|\bmi\s+(?:pomoz|pomogl|pomogli)\w*\s+(?:\w+\s+)?(?:wypelni|zlozy|zalatwi|napisa)\w*"
    r"|\bjakie dokumenty\s+(?:sa\s+|beda\s+)?(?:potrzebne|trzeba|nalezy|musze)|\bczy wniosek sklada sie\b"
)
_OWN_STANCE = re.compile(
    r"\bproponuj\w*\b(?!\s+(?:\w+\s+)?(?:[\d-]+\w*\s+)?(?:prezentacj|spotkani|rozmow|demo|termin|wspolprac|bezplatn"
    r"|darmow))"
    r"|\b(?:popieram|popieramy|sprzeciwiam|postuluj|(?:wnosz\w*|wnosimy)\s+o\s+(?!udostepn|wydani|przeslani))\w*"
    r"|\bjako (?:mieszkan|rodzic|radn|soltys|przedsiebiorc|rolnik)\w*\s+(?:\w+\s+){0,4}?(?:uwazam|prosze|propon)"
)


# Judging or wishing how the consultation is run ("to zły termin, proszę zorganizować drugie spotkanie") is a remark
# on the consultation itself, whatever of its logistics the mail also mentions.
_HOW_IT_IS_RUN = re.compile(r"\bprosz\w*\s+(?:\w+\s+)?zorganizowa\w*|\bzorganizowa\w*\s+(?:\w+\s+)?(?:drugie|dodatkow"
                            r"|kolejn|jeszcze jedn)\w*")


# A seller's "proponujemy" is an offer: a price net of VAT, a price offer promised ("przedstawimy ofertę"; not "dom
# kultury przedstawi ofertę zajęć", which a remark may wish), delivery free of charge.
_SALES = re.compile(
    r"\bzl netto\b|\bofert\w* cenow\w*|\b(?:przedstawimy|przeslemy|przygotujemy)\s+(?:\w+\s+){0,2}?ofert\w*"
    r"|\bdostaw\w* gratis\b|\brealizacj\w* w (?:ciagu )?\d+ dni|\bsuccess fee\b"
)


def other_purpose(text: str) -> str:
    """The purpose the mail states that is not a remark ("" when none, or when it also proposes)."""
    folded = fold(text)
    if m := _SALES.search(folded):
        return f"{OFFER}: '{m.group(0)[:40]}'"
    if _OWN_STANCE.search(folded):
        return ""
    for what, rx in _PURPOSES:
        if (m := rx.search(folded)) and not (what == ORGANISING and _judges_how_it_is_run(folded)):
            return f"{what}: '{m.group(0)[:40]}'"
    return ""


def _judges_how_it_is_run(folded: str) -> bool:
    return bool(STANCE.search(folded) or _HOW_IT_IS_RUN.search(folded))


def personal_matter(text: str) -> str:
    """The sender's own administrative case (a bill, a decision, a certificate), or ""."""
    m = _PERSONAL.search(fold(text))
    return m.group(0) if m else ""
