"""`uwagi audit verify` and `uwagi audit head` through the real CLI."""

from __future__ import annotations

import re

from sqlmodel import Session

from tests.conftest import Installation
from tests.mailmaker import make_mail
from tests.reports.support import import_mail, prepared, sql
from tests.tamper import drop_append_only_guard


def test_verify_passes_then_names_the_tampered_row_and_exits_non_zero(install: Installation) -> None:
    prepared(install)
    import_mail(install, raws=[make_mail(subject=f"uwaga {n}") for n in range(3)])
    ok = install.run("audit", "verify")
    assert ok.returncode == 0 and "chain intact" in ok.stdout
    head = install.run("audit", "head", check=True).stdout.strip()
    assert re.fullmatch(r"[0-9a-f]{64}", head) and head in ok.stdout
    engine = install.engine()
    with Session(engine) as session:
        drop_append_only_guard(session)
    engine.dispose()
    sql(install, "UPDATE events SET actor = 'ktoś' WHERE id = 2")
    bad = install.run("audit", "verify")
    assert bad.returncode == 1 and "chain broken at event 2" in bad.stderr and "Traceback" not in bad.stderr
