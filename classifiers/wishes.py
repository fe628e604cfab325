"""Does a sentence wish, complain or ask about the future? Read from the grammar, not a phrase list.

Residents rarely write "proponuję". They write in the conditional mood ("przydałoby się",
"mogliby Państwo"), in modal and impersonal forms ("trzeba", "warto", "powinno się", "należy"),
in the imperative ("zróbcie"), about what is missing ("brakuje", "nie ma"), ask what will happen
("czy autobus będzie jeździł ...?", "chcę zapytać, czy ... będzie") or simply ask for it ("proszę o
program ...", "prosimy, żeby ..."; a paper, an answer or a one-off repair asked for is no wish).
Morfeusz tags these forms (``praet`` + the particle ``by``, ``pred``, ``winien``, ``impt``,
``bedzie``) whatever the verb; text typed without diacritics, which Morfeusz does not know, falls back
to the endings of the same forms. The past impersonal (``imps``: "zorganizowano", "zamknięto") tells what
happened, not what should: it counted as a modal form until a letter's context ("spotkanie zorganizowano
wczoraj") read as a wish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from classifiers.mailtext import fold, sentences
from classifiers.morfeusz import LOCK, morfeusz

__all__ = ["Form", "wish_forms"]

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_SENTENCES = 2000
_MODAL_PRED = {"trzeba", "warto", "można", "potrzeba", "należy", "wypada"}
_LACK_LEMMAS = {"brakować", "zabraknąć", "brak"}
# "Mogłabym przyjść w czwartek", "mógłbym podjechać po formularz": the writer offers an errand of their own, no wish
# (folded; read by the Morfeusz path and the no-diacritics path alike).
_OWN_ERRAND = (r"mogla?bym\s+(?:\w+\s+)?(?:przyjs|przyjecha|przyjezdz|podjecha|zajrz|wpas|odebra|przynies|dostarcz"
               r"|zadzwon|podesla|przesla|wysla|donies)")
# Text without diacritics: conditional endings (-łoby, -liby, -łbym ...), modal words, lack.
_ASCII_CONDITIONAL = re.compile(
    rf"\b(?!chcial)(?!{_OWN_ERRAND})\w{{2,}}(?:lo|la|ly|li|l)by(?:m|s|smy|scie)?\b|\b(?:by|bym|bysmy)\b"
    r"|\bchcial\w*by\w*[\s,]+(?:\w+\s+){0,3}?(?:zeby|aby)\b"
)
_ASCII_MODAL = re.compile(
    r"\b(?:trzeba|warto|mozna|nalezy|nalezaloby|powinn\w*|powinien|potrzeba|wypada)\b"
    r"|\b(?:gmina|wojt|urzad|ktos|panstwo)\s+(?:\w+\s+)?musi\w*\b"  # a demand addressed to the office
)
_ASCII_LACK = re.compile(r"\b(?:brakuje|brakowalo|brak|zabraklo)\b|\bnie ma\b")
_COMPLAINT = re.compile(
    r"\b(?:za|zbyt)\s+(?:malo|rzadko|drogo|daleko|wolno|ciasno|ciemno|glosno|krotk\w+|wysok\w+|niski\w*)\b"
    r"|\bnie da sie\b|\b(?:wciaz|ciagle|nadal|dalej)\s+(?:\w+\s+)?nie\b|\bod lat\b|\bniebezpieczn\w*"
    r"|\b(?:fataln|tragiczn|zaniedban|dziurawy|dziurawa|zniszczon)\w*"
    r"|^\W*(?:dlaczego|czemu|why|чому|чаму)\b"  # "why is it so?" complains, it does not ask for information
    # nobody acts, nothing comes of it; not a single one runs; no way to get there; in a sorry state
    r"|\bnikt\s+(?:\w+\s+){0,2}?nic\s+nie\b|\bnic\s+(?:\w+\s+){0,3}?nie\s+(?:robi|wynika|zmienia|dzieje)\w*"
    r"|\bnie\s+(?:\w+\s+)?(?:zaden|zadna|zadne|zadnego|zadnej)\b|\bnie\s+(?:mam|mamy|maja)\s+(?:czym|jak)\b"
    r"|\bw\s+(?:takim|fatalnym|oplakanym|strasznym|zlym|kiepskim|tragicznym)\s+stanie\b"
)
# A name or a title in quotation marks ("Fundacja „Przytul Łapę”", the draft's own words): not the writer's grammar.
_QUOTED = re.compile(r"„[^”\"\n]{1,80}[”\"]|\"[^\"\n]{1,80}\"|«[^»\n]{1,80}»")
# The third-person imperative: "niech gmina zrobi", "niech to zrobią porządnie".
_JUSSIVE = re.compile(r"\bniech(?:aj)?\s+\w+")
_HOPE = re.compile(r"\bmam\s+(?:wielka\s+)?nadzieje\b|\boby\b|\bmarze\s+o\b|\bi (?:hope|wish)\b|\bit would be\b")
# "Chcemy skatepark", "chcielibyśmy z powrotem posterunek": wanting a thing (a noun, not an infinitive of one's own
# errand: "chcę zapytać", "chcemy zapisać dziecko"), said for the writer and others.
_WANT_THING = re.compile(
    r"\b(?:chcemy|chcielibysmy|chcialybysmy|we want)\s+(?:z powrotem\s+|wreszcie\s+|w koncu\s+|tu\s+|tutaj\s+)?"
    r"(?!(?:tylko|jeszcze|bardzo|tez|rowniez|sie|was|pana|pania|panstwa|to|o|zeby|aby|by)\b)"
    r"(?:(?=(?:plac|palac)\b)|(?!\w+c\b))[a-z]\w{3,}"  # folded infinitives end in "c" ("zapisac"), "plac" too
)
# Wishes in the other languages of this mailbox (English, Ukrainian, Belarusian in Cyrillic and
# Łacinka): modal and conditional words and lacks, which Morfeusz cannot tag (requests: ``_OTHER_REQUEST``).
_OTHER_LANGUAGES = re.compile(
    r"\b(?:should|would|could|need(?:s|ed)?|there is no|there are no|lack\w*|missing)\b"
    r"|(?<!\w)(?:треба|потрібн\w*|потребу\w*|варто|слід|було б|хотіл\w*|бракує|немає|не вистачає"
    r"|трэба|патрэбн\w*|варта|было б|хацел\w*|няма|не хапае|би?\s+\w+(?:ла|ли|ло|в)|\w+(?:ла|ли|ло)\s+би?)(?!\w)"
    r"|\b(?:treba|patrebna|patrebny|varta|niama|chacieu|chaciela)\b",
    re.IGNORECASE,
)
# Asking outright in another language ("прошу додати", "просім паставіць", "please add"), and a sentence that opens
# with an infinitive, as a list of wishes does in Ukrainian and Belarusian ("Зробити автобус о 5:30", "Арганізаваць
# курсы"): requests, one form per word (they counted as a modal form too until 2026-12-07).
_OTHER_REQUEST = re.compile(
    r"(?<!\w)(?:прошу|просимо|просім|просим|будь ласка|калі ласка|kali [lł]aska|prosim|please)(?!\w)"
    r"|^\W*(?!(?:діти|мати|ти)\b)[а-яіїєґўё]{3,}(?:ти|ць)(?!\w)",
    re.IGNORECASE,
)
_OTHER_CONDITIONAL = re.compile(r"(?<!\w)(?:було б|было б|would|could|kab|by)(?!\w)", re.IGNORECASE)
# A request for something to be done: "proszę o program ...", "prosimy, żeby ...". Asking the office for a
# paper, an answer or a contact, or for a one-off intervention (a repair, a pick-up, "pilnie"), is a service
# request about a case, not a wish.
_REQUEST = re.compile(
    r"\b(?:prosze|prosimy|prosilbym|prosilabym|prosilibysmy)\b[\s,]+(?:\w+\s+)?(?:o\s+(?!(?:informacj|odpowiedz"
    r"|przeslan|wydani|kontakt|potwierdz|zaswiadcz|wyjasnien|udostepn|numer|termin|dane|interwencj|piln|napraw"
    r"|usunieci|odbior|odebrani|odlowieni|przywroceni|sprawdzeni|zwrot|korekt|zmiane terminu|zgloszeni|awari|kontrol"
    r"|przeprowadzeni\w* kontrol)\w*)\w+"
    r"|(?:zeby|aby|by)\b)"
)
# A request to do something, said with an infinitive: "prosimy ułożyć trasę tak, żeby ...", "proszę zostawić
# formularze u sołtysów". Asking the office to send, answer, check, repair or forward is a service request.
_REQUEST_INFINITIVE = re.compile(
    r"\b(?:prosze|prosimy|prosilbym|prosilabym|prosilibysmy)\b[\s,]+(?:\w+\s+)?(?!(?:przekaz|przesl|wysl|odpow"
    r"|potwierdz|udostepn|poinform|skontakt|kontakt|sprawdz|napraw|usun|odebr|odbier|zadzwon|oddzwon|wyjasn|wyda"
    r"|zwroc|uwzgledn|dolacz|przyj|rozpatrz|zapis|zarezerw|anul|skresl|podac|przedluz|zmieni|wypelni|pods|wezw)\w*)"
    r"\w{3,}(?:ac|ic|yc|ec|uc|sc|zc|lc)\b"
)
# A need stated outright: "potrzebna jest ścieżka rowerowa", "bardzo potrzebne byłyby ławki".
_NEEDED = re.compile(
    r"\bpotrzebn\w+\s+(?:\w+\s+)?(?:jest|sa|bylby|bylaby|byloby|bylyby|bedzie|beda)\b"
    r"|\b(?:jest|sa|bylby|bylaby|byloby|bylyby|bedzie|beda)\s+(?:\w+\s+)?potrzebn\w+"
)
# An indirect question about the future: "chcę zapytać, czy w przyszłym roku będzie dofinansowanie".
_ASKS_WHETHER = re.compile(r"\b(?:zapyta\w*|pytam\w*|pytanie\w*|dowiedziec|wiedziec)\b[^.!?]*?\bczy\b")
# Asking whether something could be set up is a wish put as a question ("Czy można zorganizować kursy?", "Чи можна
# організувати ...?", "Could the gmina open ...?"); asking whether one may do something oneself is not.
_CAN_IT_BE_DONE = re.compile(
    r"\bczy\s+(?:\w+\s+){0,3}?(?:mozna|da sie|daloby sie|dalo by sie|moglby|moglaby|mogloby|mogliby|moze|moga)\s+"
    r"(?:\w+\s+){0,2}?(?:zorganiz|uruchom|zbudow|wybudow|utworz|stworz|wprowadz|postawi|zamontow|przywroc|otworz"
    r"|wydluz|zwieksz|wyremont|dodac|zrobic)\w*"
    r"|(?<!\w)(?:чи|ці)\s+(?:\w+\s+){0,3}?(?:можна|можливо|магчыма|можа)\s+(?:\w+\s+){0,2}?(?:організ|зроб|відкри"
    r"|запуст|дода|збільш|побуду|створ|арганіз|зраб|адкры|ствар|пабуд)\w*"
    r"|\b(?:could|can) (?:the \w+|you|we|there be) (?:\w+ )?(?:organi[sz]e|open|build|add|create|start|set up|run)\b"
)
_FUTURE_WORDS = re.compile(
    r"\b(?:planuj\w*|planowan\w*|w przyszlosci|w kolejnych latach|do \d{4}|w ramach strategii)"
    # the same without diacritics (Morfeusz does not know "bedzie"), intent and hope in a question
    r"|\bbed(?:zie|a|ziemy|ziecie)\b|\bzamierza\w*|\bplany\b|\bw planach\b|\bspodziewa\w*|\bszans\w*|\bw koncu\b"
    r"|\bwreszcie\b|\bkiedys\b|\bprzewidzian\w*|\bprzewiduj\w*|\bw najblizszych latach\b|\bw najblizszym czasie\b"
    # Ukrainian, Belarusian (Cyrillic, Łacinka) and English
    r"|(?<!\w)(?:буде|будуть|будемо|будзе|будуць|будзем|плану\w*)(?!\w)|\b(?:budzie|buduc\w*|will|going to|planned)\b"
)


@dataclass(frozen=True)
class Form:
    """One wish-like form found: what kind and the words that show it."""

    kind: str  # conditional | modal | imperative | lack | hope | complaint | question | request
    words: str


@lru_cache(maxsize=50_000)
def _readings(word: str) -> tuple[tuple[str, str], ...]:
    """(lemma without suffix, full tag) of every Morfeusz reading of one word."""
    with LOCK:
        readings = morfeusz().analyse(word)
    return tuple((str(r[2][1]).split(":")[0], str(r[2][2])) for r in readings)


def _tags(word: str) -> frozenset[tuple[str, str]]:
    """(lemma, tag class) of every reading."""
    return frozenset((lemma, tag.split(":")[0]) for lemma, tag in _readings(word))


# "Chcę zapytać, czy ...": the asking is in the present, the plan it asks about need not be.
_ASKING_VERBS = frozenset({"chcieć", "pytać", "prosić", "wiedzieć"})


def _future(sentence: str) -> bool:
    """Does the sentence speak of the future ("będzie jeździł", "dojdzie", "powstanie")? A question
    in the present ("czy PSZOK jest otwarty?") asks for information, not about the plan. A perfective verb
    that is also read as a noun ("obejmie": "obejma", "powstanie") counts when no other verb in the sentence is
    in the present ("ile wynosi"), the asking itself aside."""
    homographs, present = False, False
    for word in _WORD.findall(sentence):
        readings = _readings(word)
        tags = [tag for _, tag in readings]
        if tags and (all(t.startswith("bedzie") for t in tags) or all(
                t.startswith("fin") and ":perf" in t for t in tags)):
            return True
        if any(t.startswith("fin") for t in tags) and all(
                (t.startswith("fin") and ":perf" in t) or t.startswith(("subst", "ger")) for t in tags):
            homographs = True
        if any(t.startswith("fin") and ":imperf" in t and lemma not in _ASKING_VERBS for lemma, t in readings):
            present = True
    return (homographs and not present) or bool(_FUTURE_WORDS.search(fold(sentence)))


_OWN_ERRAND_AT = re.compile(_OWN_ERRAND)


def _personal_request(tokens: list[str], i: int) -> bool:
    """"Chciałbym zapytać / zapisać / zgłosić": the conditional of a polite personal request; "mogłabym przyjść":
    an errand of the writer's own."""
    if _OWN_ERRAND_AT.match(fold(" ".join(tokens[i: i + 3]))):
        return True
    if not any(lemma == "chcieć" for lemma, _ in _tags(tokens[i])):
        return False
    return not any(t.lower() in {"żeby", "aby", "zeby", "by"} for t in tokens[i + 1: i + 5])


def _grammar_forms(sentence: str) -> list[Form]:
    found: list[Form] = []
    tokens = _WORD.findall(sentence)
    for i, word in enumerate(tokens):
        tags = _tags(word)
        classes = {t for _, t in tags}
        lemmas = {lemma.lower() for lemma, _ in tags}
        near = " ".join(tokens[max(0, i - 1): i + 2])
        if "praet" in classes and ("by", "part") in tags and not _personal_request(tokens, i):
            found.append(Form("conditional", word))
        elif word.lower() == "by" and i > 0 and (_tags(tokens[i - 1]) & {("trzeba", "pred"), ("warto", "pred")}):
            found.append(Form("conditional", near))
        if ("winien", "winien") in tags or word.lower() == "należy" or any(
                t == "pred" and lemma in _MODAL_PRED for lemma, t in tags):
            found.append(Form("modal", word))
        if classes == {"impt"} or ("impt" in classes and not classes & {"subst", "adj", "adv", "prep", "qub"}):
            found.append(Form("imperative", word))
        if lemmas & _LACK_LEMMAS or (word.lower() == "ma" and i > 0 and tokens[i - 1].lower() == "nie"):
            found.append(Form("lack", near))
    return found


def _ascii_forms(folded: str) -> list[Form]:
    found = []
    for kind, rx in (("conditional", _ASCII_CONDITIONAL), ("modal", _ASCII_MODAL), ("lack", _ASCII_LACK)):
        if m := rx.search(folded):
            found.append(Form(kind, m.group(0)))
    return found


def wish_forms(text: str) -> list[Form]:
    """Every wish, complaint or future-question form in the first MAX_SENTENCES sentences of ``text``,
    in order, one list (a letter of thousands of sentences shows its forms long before the end, and
    Morfeusz reads every word: 100,000 list lines took 1.3 s of a 3 s sort)."""
    found: list[Form] = []
    for sentence in islice(sentences(text), MAX_SENTENCES):
        sentence = _QUOTED.sub("\"\"", sentence)  # a name or a quoted passage is not the writer's own wish
        folded = fold(sentence)
        forms = _grammar_forms(sentence)
        kinds = {f.kind for f in forms}
        forms += [f for f in _ascii_forms(folded) if f.kind not in kinds]
        if sentence.rstrip().endswith("?"):  # "Ile można oddać?" asks; "Czy nie można by ...?" proposes
            # "Trzeba coś zrobić, może schronisko?": the clause before the question still wishes
            head = sentence.rsplit(",", 1)[0] if "," in sentence else ""
            forms = [f for f in forms if f.kind == "conditional" or (head and f.words in head
                                                                      and f.kind in {"modal", "lack"})]
        # in another language a question asks ("Які документи потрібно?") unless it is put in the conditional
        question = sentence.rstrip().endswith("?") and not _OTHER_CONDITIONAL.search(sentence)
        if not forms and not question and (m := _OTHER_LANGUAGES.search(sentence)):
            forms.append(Form("modal", m.group(0)))
        requested = any(f.kind == "request" for f in forms)
        if not question and not requested and (m := _OTHER_REQUEST.search(sentence.strip())):
            forms.append(Form("request", m.group(0)))
        if (m := _JUSSIVE.search(folded)) and "imperative" not in {f.kind for f in forms}:
            forms.append(Form("imperative", m.group(0)))
        if m := _HOPE.search(folded) or _WANT_THING.search(folded):
            forms.append(Form("hope", m.group(0)))
        if m := _COMPLAINT.search(folded):
            forms.append(Form("complaint", m.group(0)))
        if (sentence.rstrip().endswith("?") or _ASKS_WHETHER.search(folded)) and (
                _future(sentence) or _CAN_IT_BE_DONE.search(folded)):
            forms.append(Form("question", sentence.strip()[:60]))
        if m := _REQUEST.search(folded) or _REQUEST_INFINITIVE.search(folded):
            forms.append(Form("request", sentence[m.start() : m.end()]))
        if not sentence.rstrip().endswith("?") and (m := _NEEDED.search(folded)):
            forms.append(Form("modal", sentence[m.start() : m.end()]))
        found += forms
    return found
