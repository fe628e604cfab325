"""Sorting recall on unseen mail (issue 7): one test e-mail per failure class, and the new signals.

Every e-mail is written for these tests (none from a corpus or a blind set): a complaint or an
opinion that names no consultation, wishes in Ukrainian and English, a service request about the
sender's own case, mail naming the strategy for another purpose, scams no server flagged (an
extortion, a gift-card "CEO fraud"), and the cut calibration of the sort model.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from classifiers.sort_features import collective, individual, non_polish, notification, service_request
from classifiers.sort_model import C_GRID, choose_c, overrule_cut, shipped_model
from classifiers.sorting import sort_message
from tests.classifiers.conftest import _mail
from tests.classifiers.nlp_fixtures import catalogue, full_hints, nlp  # noqa: F401

DURING = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def full(full_hints):  # noqa: F811
    return full_hints


REMARKS = {
    "complaint_without_a_wish_form": (
        "rowerem do szkoły",
        "Dzieci z Lipnik jeżdżą rowerami do szkoły poboczem drogi powiatowej, tiry mijają je "
        "o włos. Rodzice boją się o nie każdego dnia.\nMieszkańcy Lipnik",
    ),
    "opinion_against": (
        "",
        "Jesteśmy przeciwni zamykaniu żłobka w Nowej Wsi. Młode rodziny nie będą miały gdzie zostawić dzieci.\n"
        "Rodzice z Nowej Wsi",
    ),
    "ukrainian_wish": (
        "Садочок",
        "Добрий день. У нашому селі немає ясел, матері не можуть повернутися на роботу. "
        "Потрібно відкрити ясла для дітей.\nНаталія",
    ),
    "english_wish": (
        "Cycling",
        "Hello, there is no safe way to cycle to the station, children and commuters ride on a busy road. "
        "A bicycle path along the river would help many families.\nTom",
    ),
}


@pytest.mark.parametrize("case", sorted(REMARKS))
def test_a_topical_remark_that_names_no_consultation_is_a_remark(full, case):
    subject, body = REMARKS[case]
    decision = sort_message(_mail(body, subject=subject, date=DURING), full)
    assert decision.kind == "remark", decision.reason
    assert decision.needs_review  # decided without a clear sign of the consultation


OTHERS = {
    "own_case_service": (
        "lampa przed domem",
        "Dzień dobry, od wczoraj nie świeci lampa przed domem przy ul. Polnej 7. Proszę o "
        "przekazanie zgłoszenia firmie.\nJerzy Wójcik",
    ),
    "press_enquiry": (
        "Pytanie z redakcji",
        "Dzień dobry, piszę z redakcji gazety powiatowej. Proszę o informację, kiedy rada "
        "przyjmie strategię i ile osób złożyło uwagi.\nDziennikarka Ewa Lis",
    ),
    "invitation": (
        "Zaproszenie",
        "Zapraszamy na konferencję o strategiach rozwoju gmin wiejskich, która odbędzie się w maju. "
        "Udział bezpłatny, rejestracja na stronie.\nFundacja Rozwoju Regionów",
    ),
}


@pytest.mark.parametrize("case", sorted(OTHERS))
def test_mail_for_another_purpose_or_the_senders_own_case_is_other(full, case):
    subject, body = OTHERS[case]
    decision = sort_message(_mail(body, subject=subject, date=DURING), full)
    assert decision.kind == "other", decision.reason


SCAMS = {
    "extortion": (
        "Twoje konto",
        "Mam dostęp do Twojego komputera i nagrałem Cię kamerą. Przelej 1200 USD w bitcoinach na "
        "podany portfel w ciągu 48 godzin, inaczej nagranie trafi do Twoich znajomych.",
    ),
    "gift_cards": (
        "Pilne",
        "I need you to buy four gift cards of 100 EUR today for a client. Send me the codes immediately "
        "and keep this between us, I will pay you back.",
    ),
}


@pytest.mark.parametrize("case", sorted(SCAMS))
def test_a_scam_without_a_server_flag_is_automatic(full, case):
    subject, body = SCAMS[case]
    decision = sort_message(_mail(body, subject=subject, date=DURING), full)
    assert decision.kind == "automatic" and decision.is_automatic_sender, decision.reason


def test_the_signals_read_the_community_the_own_case_and_the_language():
    assert collective("Dzieci i seniorzy z naszej wsi nie mają gdzie się spotkać.") >= 3
    assert collective("Proszę o sprawdzenie mojej faktury.") == 0
    assert individual("Proszę o sprawdzenie, ul. Polna 5, nr odbiorcy 1234")
    assert individual("Mieszkańcy potrzebują chodnika.") == ""
    assert individual("Wysłałam wniosek i nic.") and individual("Dostaliśmy wezwanie do zapłaty.")
    assert individual("Czy samotni starsi ludzie dostaliby opaski alarmowe?") == ""  # what others would get
    assert individual("Sąsiedzi dostali nowe pojemniki, a my nie.") == ""
    assert individual("W zeszłym tygodniu znów znalazłam psa przy drodze; potrzebne jest schronisko bliżej.") == ""
    assert service_request("Dzień dobry, ile kosztuje wynajem sali?")
    assert service_request("Przydałby się chodnik.") == ""
    # asking the way is a service request; a description's relative clause is not
    assert service_request("Dzień dobry,\ngdzie można odebrać worki na szkło?")
    assert service_request("Chciałbym zapytać, jak mogę zgłosić zmianę liczby osób.")
    assert service_request("Bank był jedynym miejscem, gdzie można zapłacić rachunki bez internetu.") == ""
    assert notification("Twoje zgłoszenie nr 2026/15 zostało zarejestrowane.")
    assert non_polish("Потрібно відкрити ясла для дітей.") and non_polish("We need a bus to the station, please.")
    assert not non_polish("Potrzebny jest autobus do stacji i chodnik.")


def test_the_overrule_cut_is_fitted_on_the_mail_the_rules_do_not_see():
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.3, 0.2, 0.95, 0.1])
    y = np.array([1, 1, 0, 1, 0, 0, 1, 0], dtype=float)
    unseen = np.array([True, True, True, True, True, True, False, False])
    cut = overrule_cut(p, y, unseen, fallback=0.95)
    assert 0.5 <= cut <= 0.95
    assert cut == 0.6  # the best F1 over the unseen rows: all three remarks in, one non-remark with them
    assert overrule_cut(p, y, np.zeros(8, dtype=bool), fallback=0.9) == 0.9


def test_the_regularisation_follows_the_one_standard_error_rule():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(120, 4))
    y = (x[:, 0] + rng.normal(scale=0.8, size=120) > 0).astype(float)
    c, losses = choose_c(x, y)
    assert c in C_GRID and losses[c] >= min(losses.values())
    assert c <= min(losses, key=lambda v: losses[v])  # never less regularised than the lowest loss


def test_the_shipped_model_overrules_the_rules_at_a_fitted_cut():
    model = shipped_model()
    assert model is not None and model.overrule is not None
    assert model.threshold <= model.overrule <= 0.95
