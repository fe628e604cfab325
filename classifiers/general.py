"""Is a remark about the document or the consultation itself (OGOLNA), whatever projects it names?

Residents judge the draft as a whole (its data are old, its language is hard, it is too general,
it has no summary or maps) and the consultation (too short, badly announced, online only). Such a
sentence pairs a word for the document or the procedure with a judgement of its quality. Both
lists are generic Polish (folded), not phrases of any e-mail; the label is added next to the
projects the remark also names.
"""

from __future__ import annotations

import re

from classifiers.mailtext import fold, sentences

__all__ = ["document_remark"]

# How remarks are sent in: "składanie uwag", "uwagi można składać ...".
_SUBMITTING_WORDS = r"skladani\w* uwag\w*|uwag\w*\s+(?:mozna|nalezy)\s+(?:skladac|zglaszac|przesylac|wysylac)"
_SUBJECT = re.compile(
    r"\b(?:dokument\w*|strategi\w*|diagnoz\w*|konsultacj\w*|dane|danych|danymi|jezyk\w*|ankiet\w*|formularz\w*"
    r"|spotkani\w* konsultacyjn\w*|termin\w*|czas\w* na uwagi|ogloszeni\w*|wskaznik\w*|cel\w* strategiczn\w*"
    rf"|wizj\w*|tekst\w*|zapis\w*|tabel\w*|map\w*|rozdzial\w*|analiz\w*|swot|{_SUBMITTING_WORDS})\b"
)
_JUDGEMENT = re.compile(
    r"\bnieaktualn\w*|\bprzestarzal\w*|\bsprzed\s+(?:\w+\s+)?(?:lat|\d{4})|\bdan\w*\s+(?:\w+\s+)?z\s+(?:19|20)\d\d"
    r"|\b(?:liczb|statystyk|danych|dane)\w*\s+(?:\w+\s+){0,2}?z\s+(?:19|20)\d\d"
    r"|\bniezrozumial\w*"
    r"|\bnieczyteln\w*|\btrudn\w*\s+(?:do\s+(?:zrozumienia|czytania)|jezyk)|\b(?:zbyt|za|bardzo)\s+(?:ogoln|dlug|krotk"
    r"|trudn|malo czasu|skomplikowan|urzedow)\w*|\bogolnikow\w*|\blakoniczn\w*|\bzargon\w*|\bbelkot\w*"
    r"|\burzednicz\w*\s+(?:\w+\s+)?jezyk|\bjezyk\w*\s+(?:\w+\s+)?urzedow|\blist\w*\s+(?:poboznych\s+)?zyczen"
    r"|\bpobozn\w*\s+zyczen|\bslogan\w*|\bfrazes\w*|\bpust\w*\s+slow\w*|\bbez\s+konkret\w*|\bmalo\s+konkret\w*"
    r"|\b(?:nikt|malo kto|niewiele osob)\s+(?:\w+\s+)?(?:nie\s+)?(?:wiedzia|slysza|przeczyta|zrozumi)\w*"
    r"|\bnie ma\s+(?:\w+\s+)?(?:wersji|streszczeni|konkret|kwot|harmonogram|wskaznik)"
    r"|\b(?:brak\w*|nie zawiera\w*|zabrak\w*|pomini\w*)\s+(?:\w+\s+)?(?:streszczeni|wersji|map|danych|wskaznik"
    r"|harmonogram|budzet|zrodel finansowania|konkret|kwot|terminow|kosztow|priorytet|odpowiedzialn"
    r"|informacj\w* o (?:konsultacj|spotkani))"
    r"|\bslabo\s+(?:\w+\s+)?(?:rozpropagow|naglosni|ogloszon|poinformowan)|\bnaglosni\w*"
    r"|\bnie wszyscy\s+(?:\w+\s+)?internet"
    r"|\btylko\s+(?:przez internet|online|elektronicznie|na stronie|mailem|e-mailem|mailowo"
    r"|droga elektroniczna)|\bbez\s+(?:wersji papierowej|streszczenia|map)"
    r"|\bw godzinach\s+(?:pracy|porannych|przedpoludniowych)|\b(?:kiedy|gdy)\s+(?:\w+\s+)?ludzie\s+(?:sa w\s+)?prac"
    r"|\bpomija\w*\s+(?:\w+\s+)?(?:nasz|mieszkan|wies|wsi|gmin)|\bnie uwzglednia\w*\s+(?:\w+\s+)?(?:danych|sytuacji)"
)
# The same judgement in English, Ukrainian and Belarusian (Cyrillic and Łacinka): the document, hard to read,
# without a map or a summary, only in Polish, wanted in other languages.
_FOREIGN_SUBJECT = re.compile(
    r"\b(?:document|draft|strategy|consultation)\b|(?<!\w)(?:документ|стратегі|проєкт|проект|консультаці|дакумент"
    r"|стратэгі|праект|кансультацы)\w*|\b(?:dakument|stratehi|prajekt|kansultacy)\w*"
)
_FOREIGN_JUDGEMENT = re.compile(
    r"\bhard to (?:read|understand|see|follow)\b|\bdifficult to\b|\btoo (?:long|general|vague|technical)\b"
    r"|\bno (?:map|maps|summary|version|translation)\b|\bonly in polish\b|\bin other languages\b"
    r"|\btranslat(?:e|ed|ion|ions)\b|\bon a (?:phone|mobile)\b"
    r"|(?<!\w)(?:важко|складно|цяжка)\s+(?:\w+\s+)?(?:зрозуміти|читати|зразумець|чытаць)|(?<!\w)(?:незрозуміл|незразумел)\w*"
    r"|(?<!\w)(?:тільки|лише|толькі)\s+(?:польською|па-польску)|(?<!\w)(?:переклад|пераклад)(?:у|ом|и|ы)?(?!\w)"
    r"|(?<!\w)(?:іншими мовами|на іншых мовах)(?!\w)"
    r"|\bnie zrazumie\w*|\bciazka\b|\bpieraklad(?:u|am|y)?\b|\bna insych movach\b"
)
# The draft judged as a whole: an opinion on all of it, for or against adopting it, as it stands.
_WHOLE = re.compile(r"\b(?:strategi\w*|dokument\w*|projekt\w*\s+strategi\w*)\b")
_WHOLE_JUDGEMENT = re.compile(
    r"\b(?:pozytywn|negatywn|przychyln)\w*\s+(?:\w+\s+)?opini\w*|\b(?:pozytywnie|negatywnie)\s+opiniuj\w*"
    r"|\b(?:w|jako)\s+calosc\w*|\bw\s+(?:obecnym|tym|takim)\s+ksztalcie|\bw\s+(?:obecnej|tej|takiej)\s+(?:formie|postaci)"
    r"|\b(?:przeciw\w*|sprzeciw\w*|popier\w*|glosuj\w*|opowiada\w*\s+sie)\s+(?:\w+\s+){0,2}?(?:przyjeci|uchwaleni)\w*"
    r"|\bnic\s+konkretn\w*"
    r"|\b(?:popier|poprzec|akceptuj|odrzuc|krytykuj|oceniam)\w*\s+(?:\w+\s+)?cal(?:a|y|e|osc)\s+(?:te[jn]?\s+|t[ae]\s+)?"
    r"(?:strategi|dokument|projekt)\w*|\bcal(?:a|y)\s+(?:ta\s+|ten\s+)?(?:strategia|dokument|projekt)\s+(?:jest|to)\b"
)
# The consultation's own procedure: a question why it is run so, or a complaint about it, judges it.
_PROCEDURE = re.compile(
    r"\b(?:konsultacj\w*|spotkani\w* konsultacyjn\w*|ankiet\w*|formularz\w*|ogloszeni\w* o konsultacj\w*)\b"
)
_PROCEDURE_JUDGEMENT = re.compile(
    r"\bdlaczego\b|\bczemu\b|\bnie rozumiem\b|\bniewygodn\w*|\bza pozno\b|\bnikt\b|\bfikcj\w*|\bpozorn\w*"
    r"|\bna pokaz\b|\bdla picu\b|\bformalnosc\w*|\bzle\s+(?:\w+\s+)?(?:zorganizowan|przygotowan|ogloszon|prowadzon)\w*"
)
# A wish about how the consultation is run, anywhere in a remark that speaks of it: another meeting at another
# hour, more time, paper forms.
_SUBMITTING = re.compile(rf"\b(?:{_SUBMITTING_WORDS})")
_PROCEDURE_WISH = re.compile(
    r"\b(?:drugie|dodatkowe|kolejne|jeszcze jedno|inne)\s+spotkani\w*|\bspotkani\w*\s+(?:\w+\s+)?(?:wieczorem"
    r"|w sobote|po poludniu|w weekend|po pracy|w godzinach popoludniowych)|\b(?:przedluz|wydluz)\w*\s+(?:\w+\s+)?"
    r"(?:termin|konsultacj|czas)|\bpapierow\w*\s+(?:\w+\s+)?(?:formularz|wersj|ankiet)\w*"
    r"|\b(?:formularz|ankiet|wersj)\w*\s+papierow\w*"
)


def document_remark(text: str) -> str:
    """The sentence (shortened) that judges the document or the consultation, or ""."""
    for sentence in sentences(text):
        folded = fold(sentence)
        if _SUBJECT.search(folded) and (m := _JUDGEMENT.search(folded)):
            return f"{m.group(0)} ({sentence.strip()[:60]})"
        if _WHOLE.search(folded) and (m := _WHOLE_JUDGEMENT.search(folded)):
            return f"{m.group(0)} ({sentence.strip()[:60]})"
        if _PROCEDURE.search(folded) and (m := _PROCEDURE_JUDGEMENT.search(folded)):
            return f"{m.group(0)} ({sentence.strip()[:60]})"
        if _FOREIGN_SUBJECT.search(folded) and (m := _FOREIGN_JUDGEMENT.search(folded)):
            return f"{m.group(0)} ({sentence.strip()[:60]})"
    folded = fold(text)
    if (_PROCEDURE.search(folded) or _SUBMITTING.search(folded)) and (m := _PROCEDURE_WISH.search(folded)):
        return f"{m.group(0)} (about the consultation)"
    return ""
