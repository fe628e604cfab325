from classifiers.foldtable import fold as classifiers_fold
from review.queries import fold


def test_search_folding_matches_the_classifiers():
    text = "Zażółć GĘŚLĄ jaźń – Świetlica, ŁĄKA"
    assert fold(text) == classifiers_fold(text) == "zazolc gesla jazn – swietlica, laka"
