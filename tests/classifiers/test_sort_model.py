"""The weighed sorting (issue 7): a calibrated logistic regression over all signals, deterministic.

The e-mails are written for these tests (none from a corpus), one per failure class the issue
names: wishes that name nothing, questions about the future typed without diacritics, wishes in
Ukrainian and English, mail that names the strategy for another purpose, scam without a flag.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from classifiers.sort_model import SortModel, _fit, shipped_model, shipped_scam_model, train_sort_model
from classifiers.sorting import FEATURES, SCAM_FEATURES, read_evidence, sort_message
from classifiers.wishes import wish_forms
from tests.classifiers.conftest import HINTS, _mail
from tests.classifiers.nlp_fixtures import catalogue, full_hints, nlp  # noqa: F401

DURING = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def full(full_hints):  # noqa: F811
    return full_hints


def _data(seed: int = 7, n: int = 80) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, size=(n, 5)).astype(float)
    x[:, 4] = rng.normal(size=n)
    y = ((x[:, 0] + x[:, 1] - x[:, 2] + 0.5 * x[:, 4] + rng.normal(scale=0.7, size=n)) > 0.6).astype(float)
    return x, y


def test_training_is_deterministic():
    x, y = _data()
    names = ("a", "b", "c", "d", "e")
    assert train_sort_model(x, y, names).to_json() == train_sort_model(x.copy(), y.copy(), names).to_json()


def test_the_fit_is_scikit_learns_logistic_regression():
    from sklearn.linear_model import LogisticRegression

    x, y = _data()
    mean, scale, coef, bias = _fit(x, y, 0.3)
    ref = LogisticRegression(C=0.3, tol=1e-10, max_iter=10_000).fit((x - mean) / scale, y)
    assert np.allclose(coef, ref.coef_[0], atol=1e-4) and abs(bias - ref.intercept_[0]) < 1e-4


def test_the_shipped_model_refits_to_itself_from_its_stored_rows():
    shipped = shipped_model()
    assert shipped is not None and shipped.features == FEATURES
    assert shipped.train_x is not None and shipped.train_y is not None
    refit = train_sort_model(shipped.train_x, shipped.train_y, shipped.features)
    assert refit.version == shipped.version
    assert SortModel.from_json(shipped.to_json()).version == shipped.version
    at = shipped.cv["at_threshold"]
    # out-of-fold, reported by bench/fit_sort_model.py; the extra set holds hard negatives on purpose
    # (mail naming the strategy for another purpose), so the floor is below the product's goal of 0.97. Requests
    # ("proszę o ...", "prosimy, żeby ...") as a wish form moved one training e-mail (out-of-fold recall 0.953 ->
    # 0.945) while the hold-out's recall rose 0.876 -> 0.897.
    assert at["precision"] >= 0.92 and at["recall"] >= 0.94
    scam = shipped_scam_model()
    assert scam is not None and scam.features == SCAM_FEATURES
    assert scam.train_x is not None and scam.train_y is not None
    assert train_sort_model(scam.train_x, scam.train_y, scam.features).version == scam.version


def test_the_reason_names_the_evidence_that_decided(full):
    decision = sort_message(
        _mail("Uwagi do strategii: proponuję ścieżkę rowerową do Lipnik.", subject="uwagi", date=DURING), full
    )
    assert decision.kind == "remark" and decision.reason.startswith("weighed p=")
    assert "uwagi do strategii" in decision.reason or "proponuj" in decision.reason


def test_a_future_question_without_diacritics_is_a_remark_for_review(full):
    mail = _mail(
        "dzien dobry, czy bedzie w koncu kanalizacja na ulicy Lesnej? szamba sie przelewaja",
        subject="kanalizacja",
        date=DURING,
    )
    assert [f.kind for f in wish_forms(mail.new_text or mail.body_text)] == ["question"]
    decision = sort_message(mail, full)
    assert (decision.kind, decision.needs_review) == ("remark", True), decision.reason


def test_a_wish_before_a_question_is_still_a_wish():
    forms = wish_forms("Trzeba cos zrobic z ta droga, moze sciezka rowerowa wzdluz rzeki?")
    assert [f.kind for f in forms] == ["modal"]
    assert wish_forms("Ile można oddać za darmo?") == []


@pytest.mark.parametrize(
    "text",
    [
        "Дуже прошу додати хоча б один вечірній автобус до міста.",
        "Нам потрібні безкоштовні курси польської мови для дорослих.",
        "It would be great to have a late bus, we need it to get to work.",
        "Kali laska, treba zrabic scieżku dla rovaraŭ.",
    ],
)
def test_wishes_in_the_other_languages_of_the_mailbox_are_seen(text):
    assert wish_forms(text), text


def test_naming_the_strategy_for_a_press_enquiry_is_other_but_flagged(full):
    mail = _mail(
        "Dzień dobry, przygotowuję artykuł o konsultacjach strategii terytorialnej. Proszę o krótki "
        "komentarz: ile uwag wpłynęło?\\nRedakcja Tygodnika",
        subject="Prośba o komentarz",
        date=DURING,
    )
    decision = sort_message(mail, full)
    assert (decision.kind, decision.needs_glance) == ("other", True), decision.reason


def test_a_scam_without_a_server_flag_is_automatic(full):
    mail = _mail(
        "Szanowny Kliencie, Twoja przesyłka została wstrzymana, dopłata 3,99 zł. Kliknij w link w ciągu "
        "24 godzin: http://paczka-info.xyz/pay",
        subject="Przesyłka wstrzymana",
        date=DURING,
    )
    decision = sort_message(mail, full)
    assert decision.kind == "automatic" and decision.is_automatic_sender, decision.reason


def test_a_signal_the_caller_cannot_give_reads_as_the_average(full):
    mail = _mail("Przydałaby się ścieżka rowerowa do Lipnik.", subject="rowery", date=DURING)
    _, with_signals = read_evidence(mail, full)
    _, without = read_evidence(mail, HINTS)
    assert with_signals.values["topic"] == 1.0 and without.values["topic"] is None
    model = shipped_model()
    assert model is not None
    assert model.vector(without.values)[FEATURES.index("topic")] == pytest.approx(model.mean[FEATURES.index("topic")])


@pytest.mark.parametrize("text", ["Чи буде в гміні клуб для літніх людей?", "Я живу тут разом із двома дітьми.",
                                  "Дзеці і ўся наша в\u0451ска чакаюць аўтобуса."])
def test_ukrainian_and_belarusian_community_words_are_read_in_folded_text(text):
    """Folding turns "й" into "и" and "ё" into "е": the community words are written so that they still match."""
    from classifiers.sort_features import collective

    assert collective(text) >= 1


def test_belarusian_thanks_and_ukrainian_pronouns_survive_folding():
    from classifiers.mailtext import fold
    from classifiers.prosesplit import _ANAPHOR, _THANKS

    assert _THANKS.match(fold("Дзякуй за ўвагу."))
    assert _ANAPHOR.search(fold("Її треба відремонтувати"))


@pytest.mark.parametrize(("text", "case"), [
    ("Od tygodnia nie świeci lampa naprzeciwko mojego domu, Rutki Duże 23 (słup przy bramie).", "Rutki Duże 23"),
    ("Śmieciarka znów nie przyjechała (Kostry 20 i 22). Worki stoją przy drodze.", "Kostry 20 i 22"),
    ("Proszę o ścieżkę rowerową do szkoły.\n\nJan Nowak, Rutki 4\n", ""),
    ("W ramach Celu 2, projekt o szlakach warto rozszerzyć.", ""),
    ("Autobus do Zambrowa jeździ 3 razy dziennie.", ""),
])
def test_a_village_address_with_a_house_number_in_a_sentence_is_the_senders_own_case(text, case):
    """One property's address in the letter's own sentences marks a case; a signature line or a part of the
    document does not."""
    from classifiers.sort_features import individual

    assert individual(text) == case


def test_a_repair_asked_for_at_one_house_is_other(full_hints):  # noqa: F811
    body = ("Dzień dobry,\n\nzgłaszam, że od tygodnia cieknie wodociąg przy drodze naprzeciwko mojego domu, Rutki "
            "Duże 23 (przy bramie). Woda stoi na poboczu. Proszę o przekazanie zgłoszenia do firmy, która naprawia "
            "sieć.")
    decision = sort_message(_mail(body, subject="lampa", date=datetime(2026, 11, 24, 10, 30, tzinfo=UTC),
                                  sender_email="k.nowak@poczta.example"), full_hints)
    assert decision.kind == "other", decision.reason


@pytest.mark.parametrize(("text", "personal"), [("Dostałem rachunek za wodę i jest dwa razy wyższy.", True),
                                                ("Na jaki rachunek mam wpłacić opłatę?", True),
                                                ("Rachunki za prąd w szkole płacimy przecież wszyscy.", False),
                                                ("Spółdzielnia energetyczna obniżyłaby rachunki mieszkańców.", False)])
def test_ones_own_bill_is_a_personal_matter_and_everybodys_bills_are_not(text, personal):
    """The singular names one bill, one account; "rachunki" in the plural is everybody's cost of energy."""
    from classifiers.purposes import personal_matter

    assert bool(personal_matter(text)) is personal
