"""Sorting mail that never names the consultation, and mail that names it for another purpose.

Every e-mail here is written for the test (none comes from the corpus); the topics come from the
test catalogue of nlp_fixtures (bicycle paths, nurseries, water and sewers, solar panels).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from classifiers.matching import KeywordMatcher
from classifiers.sorting import sort_message
from classifiers.wishes import wish_forms
from tests.classifiers.conftest import HINTS, _mail
from tests.classifiers.nlp_fixtures import catalogue, nlp  # noqa: F401

DURING = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def topical(nlp, catalogue):  # noqa: F811
    matcher = KeywordMatcher(catalogue, nlp)
    period = (datetime(2026, 11, 13, tzinfo=UTC), datetime(2026, 12, 11, 23, 0, tzinfo=UTC))
    return replace(HINTS, topics=matcher.topics, period=period)


WISHES = {
    "conditional": ("Droga do Lipnik", "Przydałaby się w końcu ścieżka rowerowa do Lipnik, dzieci jeżdżą "
                    "do szkoły poboczem między tirami."),
    "conditional_without_diacritics": ("zlobek", "Dzien dobry, przydalby sie zlobek w naszej wsi, mlode mamy "
                                       "nie maja gdzie zostawic dzieci jak wracaja do pracy."),
    "question_about_the_future": ("Pytanie", "Czy kanalizacja dojdzie w końcu do ulicy Leśnej? Od lat "
                                  "czekamy i szamba się przelewają."),
    "what_is_missing": ("Nowa Wieś", "Brakuje przedszkola w Nowej Wsi, rodzice wożą dzieci 15 km."),
    "modal": ("fotowoltaika", "Na dachu remizy powinna być fotowoltaika, prąd dla świetlicy byłby tańszy."),
    "imperative": ("rowery", "Zróbcie wreszcie ścieżkę rowerową wzdłuż rzeki!"),
    "request": ("przedszkole", "Bardzo proszę o nowe przedszkole w Nowej Wsi, rodzice wożą dzieci codziennie "
                "piętnaście kilometrów."),
    "request_without_diacritics": ("kanalizacja", "Prosze zeby kanalizacja doszla tez do ulicy Polnej, szamba "
                                   "sie przelewaja po kazdym deszczu."),
}


@pytest.mark.parametrize("case", sorted(WISHES))
def test_a_topical_wish_that_names_no_consultation_is_a_remark_for_review(topical, case):
    subject, body = WISHES[case]
    decision = sort_message(_mail(body, subject=subject, date=DURING), topical)
    assert decision.kind == "remark", decision.reason
    assert decision.needs_review
    assert "names no consultation" in decision.reason and "'" in decision.reason


def test_the_same_wish_after_the_consultation_is_other_but_flagged(topical):
    subject, body = WISHES["conditional"]
    decision = sort_message(_mail(body, subject=subject, date=datetime(2027, 3, 1, tzinfo=UTC)), topical)
    assert (decision.kind, decision.needs_glance) == ("other", True)


OTHER_PURPOSES = {
    "personal_bill": ("Korekta", "Proszę o korektę faktury za kanalizację, odczyt wodomierza był zły, "
                      "powinno być 40 m3. Nr odbiorcy 5521."),
    "press_enquiry": ("Pytanie redakcji", "Dzień dobry, przygotowuję artykuł dla tygodnika o strategii "
                      "partnerstwa. Prosimy o krótki komentarz wójta, czy ścieżki rowerowe będą budowane?"),
    "public_information": ("Wniosek", "Na podstawie art. 2 ust. 1 ustawy o dostępie do informacji publicznej "
                           "wnoszę o udostępnienie umowy na opracowanie strategii wraz z kosztami."),
    "invitation": ("Zaproszenie", "Zapraszamy na konferencję o strategiach rozwoju gmin i fotowoltaice, "
                   "która odbędzie się 3 grudnia w Białymstoku."),
    "offer": ("Oferta", "Nasza firma specjalizuje się w montażu fotowoltaiki. Przygotujemy ofertę "
              "dla gminy w ramach strategii, z rabatem 10%."),
}


@pytest.mark.parametrize("case", sorted(OTHER_PURPOSES))
def test_mail_for_another_purpose_is_other_with_a_glance(topical, case):
    subject, body = OTHER_PURPOSES[case]
    decision = sort_message(_mail(body, subject=subject, date=DURING), topical)
    assert (decision.kind, decision.needs_glance) == ("other", True), decision.reason


def test_mail_without_topic_or_wish_stays_plain_other(topical):
    decision = sort_message(_mail("W załączeniu przesyłam podpisaną umowę najmu sali.", subject="Umowa",
                                  date=DURING), topical)
    assert (decision.kind, decision.needs_glance) == ("other", False)


@pytest.mark.parametrize(("text", "kind"), [
    ("Przydałoby się oświetlenie.", "conditional"), ("Trzeba by to naprawić.", "modal"),
    ("Brakuje chodnika.", "lack"), ("Czy autobus będzie jeździł w soboty?", "question"),
    ("Powinno się to zmienić.", "modal"), ("Mam nadzieję, że coś się zmieni.", "hope"),
    ("Przydaloby sie cos zrobic", "conditional"), ("Autobus jeździ za rzadko.", "complaint"),
    ("Chcialabym, zeby gmina pomogla starszym.", "conditional"), ("Dlaczego tu nie ma chodnika?", "complaint"),
    ("Gmina musi cos z tym zrobic.", "modal"),
    # a need said outright, and a request with an infinitive
    ("Potrzebna jest sciezka rowerowa wzdluz drogi do Wysokiego.", "modal"),
    ("Bardzo potrzebne byłyby ławki przy przystanku.", "modal"),
    ("Prosimy ułożyć rozkład tak, żeby dzieci nie czekały godzinę.", "request"),
    # complaints said as plain description: nobody acts, not a single one runs, no way to get there, a sorry state
    ("Przepust pod drogą jest zapchany, a zarząd dróg nic z tym nie robi.", "complaint"),
    ("Od jesieni do Rutek nie kursuje żaden bus.", "complaint"),
    ("Na zajęcia do Zambrowa nie mamy czym dojechać.", "complaint"),
    ("Boisko przy szkole jest w fatalnym stanie.", "complaint"),
])
def test_wish_forms_are_read_from_the_grammar(text, kind):
    assert kind in {f.kind for f in wish_forms(text)}


@pytest.mark.parametrize("text", ["Dzień dobry, z poważaniem Jan Nowak.", "Mieszkam w Klukowie od 20 lat.",
                                  "W załączeniu przesyłam zdjęcia.",
                                  # the past impersonal tells what happened, not what should
                                  "Zebranie wiejskie zorganizowano w piątek o 10:00.",
                                  "W zeszłym roku zamknięto pocztę w Rutkach."])
def test_plain_statements_show_no_wish(text):
    assert wish_forms(text) == []


SPAM = {
    "prize": ("Gratulacje!!!", "Gratulacje! Wygrałeś nowy smartfon. Kliknij link http://bit.ly/3xYzPl i odbierz "
              "nagrodę w ciągu 24 godzin."),
    "parcel": ("Twoja przesyłka", "Twoja paczka została wstrzymana w sortowni. Dopłata 1,99 zł. Kliknij: "
               "https://dostawa-paczki.xyz/pl/oplata"),
    "seo": ("Więcej klientów dla gminy", "Pozycjonowanie stron urzędów – tylko dziś -50%! Twoja strona w top 10 "
            "Google. Jeśli nie chcesz wiadomości, wypisz się."),
}


@pytest.mark.parametrize("case", sorted(SPAM))
def test_polish_spam_without_server_flags_is_automatic(topical, case):
    subject, body = SPAM[case]
    decision = sort_message(_mail(body, subject=subject, date=DURING, sender_email="promo@mailer-x.pl"), topical)
    assert decision.kind == "automatic", decision.reason


ENQUIRIES = {
    "present_tense_question": ("Rowery", "Czy wypożyczalnia rowerów przy ścieżce rowerowej jest czynna w "
                               "niedzielę? Ile kosztuje godzina?"),
    "polite_personal_request": ("Żłobek", "Chciałabym zapytać, czy są jeszcze wolne miejsca w żłobku od "
                                "stycznia dla rocznego dziecka."),
    "question_with_a_modal": ("Woda", "Gdzie można zgłosić awarię wodociągu w nocy?"),
}


@pytest.mark.parametrize("case", sorted(ENQUIRIES))
def test_an_information_enquiry_on_a_topic_is_not_a_remark(topical, case):
    subject, body = ENQUIRIES[case]
    decision = sort_message(_mail(body, subject=subject, date=DURING), topical)
    assert decision.kind == "other", decision.reason


UNNAMED_MORE = {
    "why_question": ("rowery", "czemu u nas nie ma zadnej sciezki rowerowej? dzieci jezdza do szkoly poboczem"),
    "demand_to_the_office": ("Kanalizacja", "Szamba sie przelewaja na calej ulicy, gmina musi w koncu zrobic "
                             "kanalizacje."),
}


@pytest.mark.parametrize("case", sorted(UNNAMED_MORE))
def test_a_why_question_or_a_demand_on_a_topic_is_a_remark_for_review(topical, case):
    subject, body = UNNAMED_MORE[case]
    decision = sort_message(_mail(body, subject=subject, date=DURING), topical)
    assert decision.kind == "remark" and decision.needs_review, decision.reason


MEETINGS = {
    "village_meeting": ("Zebranie", "Zapraszamy na zebranie wiejskie w sobote o 17, w programie prezentacja "
                        "strategii Partnerstwa i fundusz solecki."),
    "asks_for_a_meeting": ("Spotkanie", "Czy moglibysmy umowic spotkanie z wojtem w przyszlym tygodniu w sprawie "
                           "wspolpracy przy strategii?"),
}


@pytest.mark.parametrize("case", sorted(MEETINGS))
def test_mail_about_a_meeting_that_names_the_strategy_is_other_with_a_glance(topical, case):
    subject, body = MEETINGS[case]
    decision = sort_message(_mail(body, subject=subject, date=DURING), topical)
    assert decision.kind == "other" and decision.needs_glance, decision.reason


NAMES_IT_FOR_ANOTHER_PURPOSE = {
    "thesis": ("Praca magisterska", "Dzien dobry, jestem studentka i pisze prace magisterska o strategiach "
               "terytorialnych. Czy moglabym przeprowadzic wywiad o strategii Partnerstwa?"),
    "letter_of_support": ("List", "Nasze stowarzyszenie sklada wniosek grantowy. Prosimy o list poparcia od "
                          "Gminy, projekt wpisuje sie w strategie Partnerstwa."),
    "contractor": ("Oferta", "Nasza pracownia chcialaby wziac udzial w przetargach na projekty ze strategii, "
                   "w zalaczeniu portfolio."),
    "partners_business": ("Rada Partnerstwa", "Przesylam porzadek obrad Rady Partnerstwa w sprawie strategii. "
                          "Prosze o potwierdzenie obecnosci."),
}


@pytest.mark.parametrize("case", sorted(NAMES_IT_FOR_ANOTHER_PURPOSE))
def test_naming_the_strategy_for_another_purpose_is_other_with_a_glance(topical, case):
    subject, body = NAMES_IT_FOR_ANOTHER_PURPOSE[case]
    decision = sort_message(_mail(body, subject=subject, date=DURING), topical)
    assert decision.kind == "other" and decision.needs_glance, decision.reason


def test_a_remark_citing_the_minutes_of_a_meeting_stays_a_remark(topical):
    body = ("Proponuje, zeby strategia uwzglednila postulaty z protokolu z zebrania wiejskiego: wiecej autobusow "
            "do Zambrowa i sciezka rowerowa.")
    assert sort_message(_mail(body, subject="uwagi do strategii", date=DURING), topical).kind == "remark"


def test_a_request_for_a_paper_or_a_one_off_intervention_is_no_wish():
    for text in ("Proszę o przesłanie zaświadczenia o niezaleganiu z opłatą za wodę.",
                 "Proszę o pilne odłowienie psa, który od rana chodzi po ulicy.",
                 "Uprzejmie proszę o informację, kiedy będzie odczyt wodomierza.",
                 "Proszę przesłać mi kopię decyzji w sprawie podziału działki.",
                 "Proszę sprawdzić, czy moja deklaracja dotarła.",
                 "Czy do wniosku potrzebny jest podpis obojga małżonków?"):
        assert not [f for f in wish_forms(text) if f.kind == "request"], text
    assert [f.kind for f in wish_forms("Prosimy, żeby autobus jeździł też w soboty.") if f.kind == "request"]


def test_an_indirect_question_about_the_future_is_a_question_form():
    text = "Chciałbym zapytać, czy w przyszłym roku będzie dofinansowanie do paneli na dachach domów."
    assert [f.kind for f in wish_forms(text)] == ["question"]
    assert not wish_forms("Chciałbym zapytać, czy urząd jest dziś otwarty do szesnastej.")


@pytest.mark.parametrize("text", [
    # a perfective verb that Morfeusz also reads as a noun ("obejmie": "obejma")
    "Chcę zapytać, czy program dopłat obejmie też małe gospodarstwa z Rutek.",
    # wanting to know, a plan said with a participle, "someday"
    "Chciałabym wiedzieć, czy przy szkole będą kiedyś stojaki na rowery.",
    "Czy w najbliższym czasie jest przewidziany remont świetlicy w Gródku?",
    # asking whether something could be set up proposes it
    "Czy można by zorganizować zajęcia z angielskiego dla dorosłych w bibliotece?",
    "Чи можна організувати гурток шахів для дітей у школі?",
])
def test_a_question_about_what_will_or_could_be_done_is_a_question_form(text):
    assert "question" in {f.kind for f in wish_forms(text)}


@pytest.mark.parametrize("text", [
    "Jeśli tak, to ile wynosi opłata i na jaki rachunek wpłacić?",  # "wynosi": perfective and imperfective
    "Czy mogę złożyć deklarację przez internet?",  # what I may do myself
    "Czy sekretariat jest czynny w piątek?",
])
def test_a_question_about_the_present_or_ones_own_steps_is_no_question_form(text):
    assert "question" not in {f.kind for f in wish_forms(text)}


def test_belarusian_lacinka_names_the_strategy_and_asks_politely():
    from classifiers.sorting import ConsultationHints
    from classifiers.topic import cues

    text = "Pračytaŭ prajekt stratehii. Kali łaska, zrabicie ŭ Kulešach pierachody dla dziaciej."
    assert any(c.what.startswith("mentions the strategy") for c in cues(text, ConsultationHints()))
    assert "request" in {f.kind for f in wish_forms("Kali łaska, dadajcie viačerni aŭtobus da Vysokaha.")}
