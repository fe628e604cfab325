"""Several consultations in one installation: each message belongs to one (by address, by date, by
text), with its own references, lateness, catalogue, exports, report and retention."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import format_datetime

from docx import Document

from intake.consultations import assign
from intake.settings import parse_settings
from tests.conftest import Installation, config_text
from tests.mailmaker import make_mail
from tests.reports.support import FAST, import_mail, jsonl, sql

BUDGET_CATALOGUE = """
[[goal]]
id = "B1"
title = "Rekreacja i sport"

[[project]]
id = "BO1"
goal = "B1"
title = "Teren rekreacyjny przy szkole"
summary = "Nowy plac zabaw dla dzieci przy szkole w Klukowie: huśtawki, zjeżdżalnia, piaskownica."
keywords = ["plac zabaw", "placu zabaw", "huśtawka", "huśtawki", "zjeżdżalnia", "piaskownica", "dla dzieci"]

[[project]]
id = "BO2"
goal = "B1"
title = "Sprzęt do ćwiczeń na powietrzu"
summary = "Urządzenia do ćwiczeń na świeżym powietrzu przy boisku."
keywords = ["siłownia plenerowa", "siłowni plenerowej", "siłownia pod chmurką", "ćwiczenia", "boisko"]
"""

# In the past (a delivery date in the future is not believed): the strategy runs 1-31 Mar 2025, the
# budget 20 Mar - 31 May 2025 (they overlap 20-31 Mar).
CONSULTATIONS = """
[consultation]
opens = 2025-03-01
closes = 2025-03-31
addresses = ["strategia@klukowo.pl"]

[consultations.budzet]
name = "Konsultacje budżetu obywatelskiego Gminy Klukowo na 2026 r."
opens = 2025-03-20
closes = 2025-05-31
reference_prefix = "BO"
catalogue = "budzet.toml"
addresses = ["budzet@klukowo.pl"]
subject_tags = ["[BO]"]
legal_basis = "uchwała Rady Gminy Klukowo w sprawie budżetu obywatelskiego"
"""

BIKE = "Proponuję ścieżkę rowerową z Klukowa do Wysokiego Mazowieckiego, wzdłuż drogi powiatowej."
PLAYGROUND = "Proponuję nowy plac zabaw dla dzieci przy szkole: huśtawki i zjeżdżalnia, bo obecny jest zniszczony."


def mail(subject: str, body: str, when: str, to: str = "ug@klukowo.pl", sender: str = "jan@example.org") -> bytes:
    moment = datetime.fromisoformat(when).replace(tzinfo=UTC)
    raw = make_mail(subject=subject, body=body, sender=f"Jan Nowak <{sender}>", date=moment)
    raw = raw.replace(b"To: ug@klukowo.pl", f"To: {to}".encode())
    return f"Received: from mx.example.org by mail.klukowo.pl; {format_datetime(moment)}\n".encode() + raw


def two_consultations(install: Installation) -> Installation:
    (install.root / "budzet.toml").write_text(BUDGET_CATALOGUE, encoding="utf-8")
    install.write_config(config_text(install.database_url, extra=FAST + CONSULTATIONS))
    install.run("init", check=True)
    return install


MAIL = {  # by sender
    # by address: sent to the budget's address while only the strategy runs
    "a@example.org": mail("Uwagi do projektu", PLAYGROUND, "2025-03-10T10:00:00", to="budzet@klukowo.pl",
                          sender="a@example.org"),
    # by date: to the office's general address while only the strategy runs
    "b@example.org": mail("Uwagi do strategii", BIKE, "2025-03-05T10:00:00", sender="b@example.org"),
    "c@example.org": mail("Uwagi do strategii", BIKE + " Drugi list.", "2025-03-06T10:00:00", sender="c@example.org"),
    # by date: only the budget runs
    "d@example.org": mail("Uwagi do projektu", PLAYGROUND, "2025-05-05T10:00:00", sender="d@example.org"),
    # after both closed: the catalogue that fits the text decides; late for the budget
    "e@example.org": mail("Uwagi do projektu", PLAYGROUND + " Plac zabaw i piaskownica są potrzebne.",
                          "2025-06-10T10:00:00", sender="e@example.org"),
    # sent to the strategy's own address after the strategy closed: late for the strategy
    "f@example.org": mail("Uwagi do strategii", BIKE, "2025-04-15T10:00:00", to="strategia@klukowo.pl",
                          sender="f@example.org"),
    # a subject tag while both run
    "g@example.org": mail("[BO] Uwagi do projektu", "Proponuję siłownię plenerową przy boisku.",
                          "2025-03-25T10:00:00", sender="g@example.org"),
}


def by_sender(rows: list[dict]) -> dict[str, dict]:
    return {r["sender_email"]: r for r in rows}


def stored(install: Installation) -> tuple[dict[str, tuple], list[tuple]]:
    from sqlalchemy import text

    engine = install.engine()
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT sender_email, consultation, reference, late, kind FROM messages")).all()
        remarks = conn.execute(text("SELECT r.reference, r.consultation, m.consultation FROM remarks r "
                                    "JOIN messages m ON m.id = r.message_pk")).all()
    engine.dispose()
    return {s: (c, ref, bool(late), kind) for s, c, ref, late, kind in rows}, [tuple(r) for r in remarks]


def test_mail_is_assigned_per_consultation_with_its_own_references_and_lateness(install: Installation) -> None:
    two_consultations(install)
    import_mail(install, raws=list(MAIL.values()))
    got, remarks = stored(install)
    assert all(kind == "remark" for *_, kind in got.values()), got
    expected = {"a": ("budzet", False),  # by address
                "b": ("strategia", False), "c": ("strategia", False),  # by date
                "g": ("budzet", False),  # by subject tag
                "f": ("strategia", True),  # by address, late for the strategy
                "d": ("budzet", False),  # by date: still open for the budget
                "e": ("budzet", True)}  # by text, after both closed: late
    assert {s.split("@")[0]: (c, late) for s, (c, ref, late, kind) in got.items()} == expected
    # each consultation numbers its own cases, in the order they were processed
    refs = {c: sorted(ref for c2, ref, *_ in got.values() if c2 == c) for c in ("strategia", "budzet")}
    assert refs == {"strategia": [f"STR/2025/000{n}" for n in (1, 2, 3)],
                    "budzet": [f"BO/2025/000{n}" for n in (1, 2, 3, 4)]}
    assert remarks and all(r_key == m_key for _, r_key, m_key in remarks)  # a remark is its message's
    assert all(ref.startswith("BO/" if key == "budzet" else "STR/") for ref, key, _ in remarks)


def test_exports_and_reports_hold_only_their_consultations_remarks(install: Installation) -> None:
    two_consultations(install)
    import_mail(install, raws=list(MAIL.values()))
    strategy = jsonl(install)  # no --consultation: the default one
    budget = jsonl(install, "--consultation", "budzet")
    everything = jsonl(install, "--consultation", "all")
    assert {r["reference"][:3] for r in strategy} == {"STR"} and len(strategy) == 3
    assert {r["reference"][:2] for r in budget} == {"BO"} and len(budget) == 4
    assert len(everything) == 7
    assert {r["reference"][:2] for r in jsonl(install, "--what", "messages", "--consultation", "budzet")} == {"BO"}
    # the budget's catalogue classified the budget's remarks
    assert {p for r in budget for p in r["projects"]} <= {"BO1", "BO2", "OGOLNA", "POZA"}
    assert any("BO1" in r["projects"] for r in budget)
    assert not any(p.startswith("BO") for r in strategy for p in r["projects"])

    out = install.root / "bo.docx"
    proc = install.run("report", "--consultation", "budzet", "--output", str(out), check=True)
    assert "4 remark(s)" in proc.stderr and "1 late" in proc.stderr
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "budżetu obywatelskiego" in text and "Strategii Terytorialnej" not in text
    assert "ścieżkę rowerową" not in text and "plac zabaw" in text
    proc = install.run("report", "--output", str(install.root / "str.docx"), check=True)
    assert "3 remark(s)" in proc.stderr and "1 late" in proc.stderr

    listing = install.run("consultations", check=True).stdout
    lines = {line.split()[0]: line.split() for line in listing.splitlines()[1:]}
    assert lines["strategia"][1] == "(default)" and lines["strategia"][2] == "STR"
    assert lines["budzet"][1] == "BO" and lines["budzet"][4:6] == ["4", "4"]

    # the digest of the week 24-30 March 2025: the budget's (a on 10 Mar, g on 25 Mar), the strategy's (b, c)
    for key, name, new in (("budzet", "budżetu obywatelskiego", "1 nowa uwaga"),
                           ("strategia", "Strategii Terytorialnej", "0 nowych uwag")):
        target = install.root / f"digest-{key}.html"
        install.run("digest", "--preview", str(target), "--week", "2025-W13", "--consultation", key, check=True)
        digest = target.with_suffix(".txt").read_text(encoding="utf-8")
        assert name in digest and f"W tym tygodniu: {new}" in digest
        assert "Razem od początku konsultacji: 2 uwagi" in digest
        assert ("BO1 Teren rekreacyjny" in digest) == (key == "budzet")

    bad = install.run("export", "--consultation", "plan")
    assert bad.returncode == 2 and "no such consultation" in bad.stderr and bad.stderr.count("\n") == 1


def test_retention_follows_each_consultations_own_closing_day(install: Installation) -> None:
    two_consultations(install)
    import_mail(install, raws=[MAIL["b@example.org"], MAIL["d@example.org"]])
    # each consultation's catalogue is replaced on its own: the strategy's load ignores BO1 links,
    # the budget's relinks its remarks through aliases
    before = jsonl(install, "--consultation", "budzet")[0]["projects"]
    assert "BO1" in before
    install.run("catalogue", "load", str(install.root / "projects.toml"), "--no-rescore", check=True)
    renamed = install.root / "budzet2.toml"
    renamed.write_text(BUDGET_CATALOGUE.replace('id = "BO1"', 'id = "BO9"\naliases = ["BO1"]'), encoding="utf-8")
    install.run("catalogue", "load", "--consultation", "budzet", str(renamed), "--no-rescore", check=True)
    assert jsonl(install, "--consultation", "budzet")[0]["projects"] == ["BO9" if p == "BO1" else p for p in before]
    assert "BO9" in (install.root / "budzet.toml").read_text(encoding="utf-8")
    from intake.jobs.context import Context
    from intake.jobs.retention import run_retention

    ctx = Context(install.settings(), install.engine())
    # past the strategy's retention date (31 Mar 2025 + 1826 days), before the budget's (31 May 2025 + 1826)
    result = run_retention(ctx, now=datetime(2030, 4, 15, tzinfo=UTC))
    assert result.consultations["strategia"][0] and not result.consultations["budzet"][0]
    assert result.consultations["strategia"][2] == 1 and result.consultations["budzet"][2] == 0
    senders = {r["reference"][:2]: r["sender_email"] for r in jsonl(install, "--what", "messages",
                                                                       "--consultation", "all")}
    assert senders["ST"] != "b@example.org" and senders["BO"] == "d@example.org"
    ctx.engine.dispose()


def test_an_old_database_is_backfilled_and_single_config_keeps_working(install: Installation) -> None:
    from tests.reports.support import prepared

    prepared(install)
    import_mail(install, raws=[MAIL["b@example.org"], MAIL["a@example.org"]])
    got, remarks = stored(install)
    assert {c for c, *_ in got.values()} == {"strategia"} and {k for _, k, _ in remarks} == {"strategia"}
    sql(install, "UPDATE remarks SET consultation = NULL")
    sql(install, "UPDATE messages SET consultation = NULL")
    # NULL (stored before consultations had keys) counts as the default consultation's
    assert len(jsonl(install)) == 2
    listing = install.run("consultations", check=True).stdout.splitlines()
    assert len(listing) == 2 and listing[1].split()[:2] == ["strategia", "(default)"]
    install.run("reprocess", check=True)
    assert all(r["reference"].startswith("STR/") for r in jsonl(install))


def test_config_mistakes_are_one_line_and_exit_2(install: Installation) -> None:
    (install.root / "budzet.toml").write_text(BUDGET_CATALOGUE, encoding="utf-8")
    cases = {
        "reference_prefix": CONSULTATIONS.replace('reference_prefix = "BO"', 'reference_prefix = "STR"'),
        "catalogue: required": CONSULTATIONS.replace('catalogue = "budzet.toml"\n', ""),
        "unknown key": CONSULTATIONS + "colour = 1\n",
        "already belongs": CONSULTATIONS.replace('["budzet@klukowo.pl"]', '["strategia@klukowo.pl"]'),
    }
    for expected, extra in cases.items():
        install.write_config(config_text(install.database_url, extra=FAST + extra))
        proc = install.run("doctor")
        assert proc.returncode == 2, expected
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "[consultations.budzet]" in lines[0] and expected in lines[0], lines
    install.write_config(config_text(install.database_url, extra=FAST + CONSULTATIONS.replace("budzet.toml",
                                                                                                "brak.toml")))
    install.run("init", check=True)
    proc = install.run("doctor")
    assert proc.returncode == 2 and "brak.toml not found" in proc.stdout + proc.stderr
    assert "[consultations.budzet] catalogue" in proc.stdout + proc.stderr


def test_assignment_rules_in_order() -> None:
    import tomllib
    from pathlib import Path

    settings = parse_settings(tomllib.loads(CONSULTATIONS), Path("config.toml"))

    def key(when: str, to: str = "ug@klukowo.pl", subject: str = "x", fit=None) -> tuple[str, bool]:
        raw = mail(subject, "tekst", when, to=to)
        found = assign(settings, datetime.fromisoformat(when).replace(tzinfo=UTC), raw=raw, fit=fit)
        return found.key, found.uncertain

    assert key("2025-03-25T10:00:00", to="budzet@klukowo.pl") == ("budzet", False)  # address beats date
    assert key("2025-05-05T10:00:00", to="strategia@klukowo.pl") == ("strategia", False)
    assert key("2025-03-10T10:00:00") == ("strategia", False)  # the only one open
    assert key("2025-05-05T10:00:00") == ("budzet", False)
    assert key("2025-03-31T21:30:00") == ("strategia", True)  # 23:30 in Warsaw on 31 Mar: both still open
    assert key("2025-03-31T22:30:00") == ("budzet", False)  # 00:30 on 1 Apr in Warsaw: the strategy closed
    assert key("2025-03-25T10:00:00", subject="[bo] boisko") == ("budzet", False)  # a tag, any case
    assert key("2025-03-25T10:00:00", subject="Re: BO/2025/0001") == ("budzet", False)  # our reference
    # both open: without a text comparison the default is kept, marked uncertain
    assert key("2025-03-25T10:00:00") == ("strategia", True)
    assert key("2025-03-25T10:00:00", fit=lambda keys, text: {"strategia": 0.2, "budzet": 0.9}) == ("budzet", False)
    assert key("2025-03-25T10:00:00", fit=lambda keys, text: {"strategia": 0.5, "budzet": 0.55}) == ("budzet", True)
    single = parse_settings({}, Path("config.toml"))
    assert assign(single, datetime(2030, 1, 1, tzinfo=UTC)).key == "strategia"


def test_uncertain_consultation_sends_the_remark_to_review(install: Installation) -> None:
    two_consultations(install)
    # both open on 5 December, sent to the general address, and the text fits neither catalogue well
    import_mail(install, raws=[mail("Uwagi do projektu", "Proponuję, żeby wszystko było lepiej zrobione.",
                                    "2025-03-25T10:00:00")])
    rows = jsonl(install, "--consultation", "all", "--what", "messages")
    assert len(rows) == 1
    remarks = jsonl(install, "--consultation", "all")
    for r in remarks:
        assert r["status"] == "needs_review"
    engine = install.engine()
    with engine.connect() as conn:
        from sqlalchemy import text

        reasons = [json.loads(v) if isinstance(v, str) else v
                   for (v,) in conn.execute(text("SELECT review_reasons FROM remarks"))]
    engine.dispose()
    assert all(any("consultation uncertain" in x for x in rs) for rs in reasons)


def test_a_campaign_stays_within_its_consultation(install: Installation) -> None:
    """The same letter sent to both consultations is two campaigns, each answered in its own."""
    two_consultations(install)
    letter = (PLAYGROUND + " Dzieci z naszej wsi nie mają gdzie się bawić po lekcjach, a rodzice od lat "
              "proszą o bezpieczne miejsce przy szkole, z ogrodzeniem i ławkami dla opiekunów.")
    raws = [mail("Uwagi do projektu", letter, "2025-03-25T10:00:00", to=f"{box}@klukowo.pl",
                 sender=f"{who}@example.org")
            for who, box in (("a", "budzet"), ("b", "budzet"), ("c", "strategia"), ("d", "strategia"))]
    import_mail(install, raws=raws)
    from sqlalchemy import text

    engine = install.engine()
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT campaign, consultation FROM remarks")).all()
    engine.dispose()
    campaigns: dict[str, set[str]] = {}
    for campaign, key in rows:
        assert campaign, rows  # every copy is in a campaign
        campaigns.setdefault(campaign, set()).add(key)
    assert sorted(map(sorted, campaigns.values())) == [["budzet"], ["strategia"]]
