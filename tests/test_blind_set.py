"""The blind labelled sets (tests/data/blind/ and blind2/, written from SPEC.md and the catalogue by other sessions).

blind/ has been scored (aggregates only) while tuning; blind2/ is the hold-out nobody tuned against.

Whoever tunes the classifiers never reads its texts: this test looks only at aggregates, and its failure
message drops the per-file ``misses`` (they name files). The floors are regression floors a little under
the figures reached (last on 2026-12-06, e0a3bb4); the goals of issue 7 are higher and not all met yet:
remark precision/recall >= 0.97/0.97, automatic 100 %, projects micro/macro F1 >= 0.85/0.80, remark counts
exact >= 90 %, types micro F1 >= 0.80.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import DATA, Installation

# Reached (weighed sorting, 2026-12-06): remark P/R 0.953/0.945, automatic 0.950, projects 0.769/0.768,
# counts 0.758, types 0.821; prose points split inside a paragraph (h/split): counts 0.797, types 0.827;
# sort features, overrule cut and scam model (h/sortrec): remark P/R 0.953/0.961, projects 0.771/0.770,
# counts 0.812, types 0.834; merged with the project changes (h/proj): projects 0.775/0.772; requests as a wish
# form ("proszę o ...", "prosimy, żeby ...") and prose points split: remark P/R 0.939/0.961, projects 0.770/0.767,
# counts 0.820, types 0.830 (two more other e-mails read as remarks; on blind2 and bench/data/splitdev recall rose);
# a weak label that leads the others clearly is named rather than POZA: projects 0.772/0.767.
# 2026-12-06 (evening: the catalogue's everyday words, POZA from words outside it, e0a3bb4): remark P/R 0.954/0.977,
# automatic 0.975, projects 0.803/0.810, counts 0.844, types 0.837.
FLOORS_BLIND = {
    ("remark", "precision"): 0.93,
    ("remark", "recall"): 0.95,
    ("automatic_recognised",): 0.94,
    ("projects", "micro_f1"): 0.78,
    ("projects", "macro_f1"): 0.78,
    ("remark_count_accuracy",): 0.82,
    ("types", "micro_f1"): 0.81,
}
# The hold-out, 2026-12-02: remark P/R 0.940/0.804, automatic 0.964, projects 0.686/0.677, counts 0.660,
# types 0.747; 2026-12-06 (weighed sorting): 0.942/0.835, 0.964, 0.700/0.694, 0.691, 0.770;
# 2026-12-06 (h/sortrec, checked once): 0.955/0.876, 0.964, 0.694/0.689, 0.753, 0.798; all merged
# (sorting, splitting, projects): 0.955/0.876, 0.964, 0.724/0.716, 0.753, 0.798; 2026-12-06 (prose points without
# a number: "Poza tym" inside a paragraph, a new subject in a new paragraph, needs said of a group): 0.955/0.876,
# 0.964, 0.733/0.724, 0.784, 0.798 (blind: counts 0.812 -> 0.820, the rest unchanged); requests as a wish form:
# 0.935/0.897, 0.964, 0.742/0.735, 0.804, 0.798; weak leading label named: projects 0.749/0.742; 2026-12-06 evening
# (e0a3bb4): 0.958/0.948, 0.964, 0.850/0.843, 0.845, 0.837.
FLOORS_BLIND2 = {
    ("remark", "precision"): 0.93,
    ("remark", "recall"): 0.92,
    ("automatic_recognised",): 0.94,
    ("projects", "micro_f1"): 0.82,
    ("projects", "macro_f1"): 0.81,
    ("remark_count_accuracy",): 0.82,
    ("types", "micro_f1"): 0.81,
}


@pytest.mark.slow
@pytest.mark.parametrize(("folder", "floors"), [("blind", FLOORS_BLIND), ("blind2", FLOORS_BLIND2)])
def test_eval_on_the_blind_sets_stays_above_their_regression_floors(install: Installation, folder: str,
                                                                    floors: dict) -> None:
    labels = DATA / folder / "labels.jsonl"
    if not labels.exists():
        pytest.skip("blind set not available")
    proc = install.run("eval", str(labels), "--json", timeout=900, check=True)
    result = json.loads(proc.stdout)
    result.pop("misses", None)  # names files: never shown to whoever tunes the classifiers
    report = json.dumps(result, indent=1)
    for path, floor in floors.items():
        value = result
        for key in path:
            value = value[key]
        assert value >= floor, f"{'.'.join(path)} {value:.3f} < {floor}\n{report}"
