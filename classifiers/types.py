"""Remark type: pytanie, propozycja, poparcie, sprzeciw or uwaga (a general remark).

Rules on folded lemmas come first (27/30 in POLISH-NLP.md section 4, better than a textcat on
few examples); a staff-trained textcat takes over for a remark only when it is confident.
The cue lists are generic Polish verbs and particles of asking, proposing, supporting and
objecting, not phrases of any particular remark. Working on folded lemmas makes them match
``proponuję``/``proponuje``/``Proponujemy`` and ``popieram``/``poprzeć`` alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from classifiers.mailtext import fold, sentences
from classifiers.training import TrainedModel
from classifiers.wishes import wish_forms

PRIORITY = ("sprzeciw", "poparcie", "pytanie", "propozycja")
GENERAL_TYPE = "uwaga"

# Folded lemmas that mark a type on their own.
_LEMMAS = {
    "poparcie": {"popierac", "poprzec", "poparcie"},
    "sprzeciw": {"sprzeciwiac", "sprzeciw", "przeciwny", "przeciwko", "przeciw", "protestowac", "protest",
                 "wykreslic", "wykreslenie"},
    "propozycja": {"proponowac", "zaproponowac", "propozycja", "postulowac", "postulat", "wnosic",
                   "sugerowac", "prosic", "trzeba", "potrzebny", "powinien", "warto", "dopisac",
                   "uwzglednic", "dodac", "rozwazyc", "niech", "przydac", "wnioskowac", "zalecac"},
}
# Two-word cues on folded lemmas: (first, second).
_PAIRS = {"sprzeciw": {("nie", "zgadzac"), ("nie", "popierac"), ("jestem", "przeciw")}}
# Folded surface forms whose lemma is ambiguous without diacritics ("prosze" is also a noun form).
_SURFACE = {"propozycja": re.compile(r"\b(prosz[eę]|prosimy|proponuj\w*)\b", re.I)}
# Support said without "popieram" (folded text): "jestem za", "dobry pomysł", "dobrze, że", other languages.
_SUPPORT = re.compile(
    r"\b(?:jestem|jestesmy)\s+(?:calym sercem\s+|zdecydowanie\s+|jak najbardziej\s+)?za\b"
    r"(?!\s+(?:malo|duzo|krotk|dlug))"
    r"|\b(?:dobry|swietny|doskonaly|znakomity|trafiony|bardzo dobry)\s+pomysl|\b(?:bardzo\s+)?dobrze,?\s+ze\b"
    r"|\bciesz\w*\s+sie,?\s+ze\b|(?<!nie )\bzgadzam(?:y)? sie\b|\bpozytywnie\s+ocenia\w*"
    r"|\bi (?:fully |strongly )?support\b|\bwe (?:fully |strongly )?support\b|\bпідтриму\w*|\bпадтрымлiва\w*"
)
# A general remark next to a proposal: sentences that diagnose or judge the present state
# ("brakuje", "nie ma", "za mało", "problem", "uważam") before or beside what is asked for.
_OBSERVATION = re.compile(
    r"\b(brak\w*|nie ma\b|nie było|za mało|za malo|mało kto|problem\w*|niestety|uwazam|uważam|wrażeni\w*|"
    r"wrazeni\w*|niesprawiedliw\w*|pomini\w*|nie uwzględni\w*|nie uwzgledni\w*|kuleje|dolega\w*|"
    r"za krótk\w*|za krotk\w*|zbyt\b|bardzo ogóln\w*|bardzo ogoln\w*)",
    re.I,
)
OBSERVATIONS_FOR_UWAGA = 2
# Grammar forms of a wish (classifiers.wishes) that make a remark a proposal though no verb says so.
_WISH_KINDS = {"conditional", "modal", "imperative", "hope", "request"}
# A question: a question mark, or a sentence opened by an interrogative word.
# The blanks after the anchor exclude "\n" (a later "\n" is the anchor): "[.!\n]\s*" rescanned a run of newlines
# from each one of them (quadratic).
_QUESTION = re.compile(r"\?|(?:^|[.!\n])[^\S\n]*(czy|kiedy|gdzie|dlaczego|ile)\s", re.I)
# Asking without a question mark: "proszę o informację", "chciałbym wiedzieć", "interesuje mnie, czy".
_ASK = re.compile(
    r"\bprosz\w*\s+(?:\w+\s+)?o\s+(?:informacj|odpowiedz|wyjasnieni|wyjaśnieni|doprecyzowani|podani)\w*"
    r"|\bchcia\w*\s+(?:\w+\s+)?(?:zapyta\w*|wiedzie\w*|sie dowiedzie\w*|się dowiedzie\w*)|\bzapytuj\w*|\bpytam\b"
    r"|\binteresuje\s+(?:mnie|nas)\b|\bciekaw\w*\s+(?:mnie|nas|jestem|jestesmy|jesteśmy)\b"
    r"|\bnie wiem(?:y)?,?\s+(?:czy|kiedy|jak|gdzie|dlaczego)\b|\b(?:i|a|oraz)\s+czy\s"
    r"|\bi would like to know\b|\bcould you (?:tell|explain|clarify)\b"
    r"|\bхочу (?:дізнатися|запитати)|\bпрошу (?:пояснити|роз)",
    re.I,
)


@dataclass
class TypeDecision:
    """The remark's type, its 0..1 score, every type whose cue fired, and the cues."""

    type: str
    score: float
    all_types: list[str]
    evidence: dict[str, Any] = field(default_factory=dict)


class TypeClassifier:
    """Rules first; an optional trained model overrides them when confident (>= ``trust``)."""

    def __init__(self, nlp: Language, model: TrainedModel | None = None, trust: float = 0.8) -> None:
        self.nlp = nlp
        self.model = model
        self.trust = trust

    def cues(self, doc: Doc) -> dict[str, list[str]]:
        """Matched cue words per type."""
        found: dict[str, list[str]] = {}
        asks = [m.span() for m in _ASK.finditer(doc.text)]  # "proszę o informację" asks, it does not propose

        def asking(at: int) -> bool:
            return any(a <= at < b for a, b in asks)

        tokens = [t for t in doc if t.is_alpha]
        for i, tok in enumerate(tokens):
            for kind, lemmas in _LEMMAS.items():
                if asking(tok.idx):
                    continue
                if tok.norm_ in lemmas and not (kind != "sprzeciw" and i and tokens[i - 1].norm_ == "nie"):
                    found.setdefault(kind, []).append(tok.text)
            if i:
                pair = (tokens[i - 1].lower_, tok.norm_)
                for kind, pairs in _PAIRS.items():
                    if pair in pairs or (tokens[i - 1].norm_, tok.norm_) in pairs:
                        found.setdefault(kind, []).append(f"{tokens[i - 1].text} {tok.text}")
        for kind, pattern in _SURFACE.items():
            for m in pattern.finditer(doc.text):
                if m.group(0) not in found.get(kind, []) and not asking(m.start()):
                    found.setdefault(kind, []).append(m.group(0))
        support = [m.group(0) for m in _SUPPORT.finditer(fold(doc.text))]
        if support:
            found.setdefault("poparcie", []).extend(support)
        wishes, polite = self._wishes(doc.text)
        if wishes:
            found.setdefault("propozycja", []).extend(w for w in wishes if w not in found.get("propozycja", []))
        questions = [m.group(0).strip() for m in _QUESTION.finditer(doc.text)]
        questions += [m.group(0).strip() for m in _ASK.finditer(doc.text)]
        if questions and not (polite and polite >= sum(1 for q in questions if "?" in q)):
            found["pytanie"] = questions
        observations = [m.group(0) for m in _OBSERVATION.finditer(doc.text)]
        if len(observations) >= OBSERVATIONS_FOR_UWAGA:
            found[GENERAL_TYPE] = observations
        return found

    @staticmethod
    def _wishes(text: str) -> tuple[list[str], int]:
        """Implicit proposals read from the grammar (conditional, modal, imperative, hope), and how
        many questions are only polite requests ("Czy można by dodać ...?" proposes, it does not ask)."""
        words: list[str] = []
        polite = 0
        for sentence in sentences(text):
            forms = [f for f in wish_forms(sentence) if f.kind in _WISH_KINDS]
            words += [f.words for f in forms]
            if forms and sentence.rstrip().endswith("?") and any(f.kind == "conditional" for f in forms):
                polite += 1
        return words, polite

    def classify(self, text: str) -> TypeDecision:
        """Type of one remark."""
        doc = self.nlp(text)
        found = self.cues(doc)
        fired = [k for k in PRIORITY if k in found]
        kind = fired[0] if fired else GENERAL_TYPE
        score = min(0.95, 0.6 + 0.1 * len(found.get(kind, []))) if fired else 0.5
        evidence: dict[str, Any] = {"cues": found, "source": "rules"}
        if self.model is not None and self.model.types_nlp is not None:
            cats = self.model.predict_types([doc._.lemma_text])[0]
            best = max(cats, key=cats.__getitem__)
            evidence.update(model=cats, model_version=self.model.version)
            if cats[best] >= self.trust:
                kind, score, evidence["source"] = best, cats[best], "model"
                fired = fired if best in fired else [*fired, best]
        if GENERAL_TYPE in found and GENERAL_TYPE not in fired:
            fired = [*fired, GENERAL_TYPE]
        return TypeDecision(kind, round(score, 4), fired or [GENERAL_TYPE], evidence)
