"""Two matters in prose: "Druga sprawa ...", "Ponadto proponuję ..." split; one remark's elaboration does not.

Every text is written for the test, in several voices, with and without diacritics.
"""

from __future__ import annotations

import pytest

from classifiers.prosesplit import split_by_markers
from classifiers.splitting import split_remarks
from tests.classifiers.conftest import _mail

TWO = {
    "sentence_in_one_paragraph": "Autobus do Zambrowa powinien jezdzic tez w soboty, mlodzi nie maja jak dojechac "
                                 "do pracy. Druga sprawa to kanalizacja, ktorej brakuje na naszej ulicy od lat.",
    "paragraph_ponadto": "Brakuje chodnika przy drodze do szkoly, dzieci chodza poboczem.\n\n"
                         "Ponadto proponuję, żeby świetlica była otwarta dłużej, bo młodzież nie ma gdzie się podziać.",
    "third_matter_no_diacritics": "W Lipnikach od lat nie ma swietlicy, mlodziez siedzi na przystanku.\n\n"
                                  "Trzecia sprawa: przydalby sie wiekszy parking przy szkole dla rodzicow.",
    "ukrainian": "Потрібен автобус до Замброва також у суботу, бо ми працюємо у вихідні.\n\n"
                 "Ще одне: у школі бракує уроків польської мови для дітей мігрантів, просимо про це подумати.",
}


@pytest.mark.parametrize("case", sorted(TWO))
def test_another_matter_in_prose_is_a_remark_of_its_own(case):
    parts = split_remarks(_mail(TWO[case]))
    assert len(parts) == 2, [p.text for p in parts]


ONE = {
    "context_then_wish": "Mieszkam w Nowej Wsi od 30 lat, pracuje w Zambrowie.\n\nPrzydalby sie autobus "
                         "w soboty, bo teraz jezdze z sasiadem.",
    "elaboration": "Proponuję centrum wsparcia dla firm w każdej gminie.\n\nKonkretnie: dyżury doradców, pomoc "
                   "przy dotacjach i przetargach, bo dla małej firmy to największa bariera.",
    "ponadto_without_a_point": "Popieram budowe hali sportowej przy szkole.\n\nPonadto mieszkam tu od urodzenia.",
}


@pytest.mark.parametrize("case", sorted(ONE))
def test_context_and_elaboration_stay_one_remark(case):
    assert split_by_markers(ONE[case]) == []
    assert len(split_remarks(_mail(ONE[case]))) == 1
