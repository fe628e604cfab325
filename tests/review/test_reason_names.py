"""Every reason the pipeline gives for sending a remark to review reads in Polish in the UI."""

from __future__ import annotations

from intake.consultations import UNCERTAIN
from review.web import reason_name

CODES = ("low_confidence", "no_signal", "weak_topic", "outside_topic", "uncertain_score", "signals_disagree",
         "generic_word_only:P1.1", "model_disagrees:P2.3", "sorted as a remark on weak evidence",
         "context_of_remark", UNCERTAIN)


def test_every_review_reason_has_a_polish_name():
    for code in CODES:
        assert reason_name(code) != code, code
    assert reason_name("generic_word_only:P1.1").endswith("(P1.1)")
