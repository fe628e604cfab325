"""The queue's search through the trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL): the same
answers as scanning the folded texts, Polish with or without diacritics, short queries, and the index
following every change (split, merge, deletion, erasure)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from review.queries import sync_search
from storage import review as search
from storage.db import session_scope
from storage.erasure import forget
from storage.models import Remark
from storage.review import RemarkSearch, refresh_search, search_ids, search_text
from tests.review.seed import _message

WORDS = [
    "świetlica",
    "remont",
    "drogi",
    "Żabików",
    "łąka",
    "ul.",
    "100%",
    "a_b",
    '"cytat"',
    "AND",
    "OR",
    "NOT",
    "*",
    "(",
    ")",
    ":",
    "^",
    "-minus",
]


def _add(session: Session, n: int, body: str, name: str = "Jan Kowalski", email: str | None = None) -> int:
    msg = _message(
        n,
        datetime(2026, 11, 20, tzinfo=UTC),
        body_text=body,
        sender_name=name,
        sender_email=email or f"osoba{n}@example.pl",
    )
    session.add(msg)
    session.flush()
    remark = Remark(
        message_pk=msg.id,
        reference=msg.reference,
        author_name=name,
        author_email=msg.sender_email,
        text=body,
        projects=["P1.1"],
        status="classified",
    )
    session.add(remark)
    session.flush()
    return remark.id or 0


def _found(session: Session, q: str) -> set[int]:
    return set(session.scalars(search_ids(session, q)))


def _scanned(session: Session, q: str) -> set[int]:
    needle = search_text(q)
    return {i for i, folded in session.execute(select(RemarkSearch.remark_id, RemarkSearch.folded)) if needle in folded}


def test_the_index_is_there_and_used(review):
    ctx, _ = review
    with Session(ctx.engine) as s:
        sql = str(search_ids(s, "swietlica").compile(ctx.engine))
        if ctx.engine.dialect.name == "sqlite":
            assert "MATCH" in sql
            assert s.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'remark_fts'")).scalar() == 1
        else:
            assert (
                s.execute(
                    text("SELECT count(*) FROM pg_indexes WHERE indexname = :n AND schemaname = current_schema()"),
                    {"n": search.TRGM_INDEX},
                ).scalar()
                == 1
            )


def test_polish_with_or_without_diacritics_across_lines_and_short(review):
    ctx, _ = review
    with session_scope(ctx.engine) as s:
        rid = _add(s, 100, "Prosimy o REMONT Świetlicy\nw  Żabikowie.", name="Żaneta Łęcka")
    with Session(ctx.engine) as s:
        sync_search(s, force=True)
        for q in (
            "swietlicy w zabikowie",
            "ŚWIETLICY W ŻABIKOWIE",
            "remont świetlicy",
            "zaneta lecka",
            "łęck",
            "ab",
            "ż",
            "osoba100@example",
        ):
            assert rid in _found(s, q), q
        assert rid not in _found(s, "świetlica remont")


@pytest.mark.parametrize("bulk", [False, True])
def test_the_index_answers_as_a_scan_would(review, monkeypatch, bulk):
    ctx, _ = review
    if bulk:  # a catch-up of many rows rebuilds the FTS5 index
        monkeypatch.setattr(search, "BULK", 10)
    rnd = random.Random(8)
    with session_scope(ctx.engine) as s:
        for n in range(100, 160):
            _add(s, n, " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 12))))
    with Session(ctx.engine) as s:
        sync_search(s, force=True)
        queries = [
            *WORDS,
            "a",
            "%",
            "_",
            "\\",
            '"',
            "świetlica remont",
            "remont drogi",
            "ul. 100%",
            'a_b "cyt',
            "* (",
            "and or",
            "'",
            "ica rem",
            "żabików łąka ul",
        ]
        for q in queries:
            assert _found(s, q) == _scanned(s, q), q


def test_the_index_follows_edits_deletions_and_erasure(review):
    ctx, _ = review
    with session_scope(ctx.engine) as s:
        rid = _add(s, 100, "Budowa kanalizacji w Zalesiu.", name="Zofia Wrzosek", email="zofia@example.pl")
        gone = _add(s, 101, "Kanalizacja w Zalesiu też u nas.")
    with Session(ctx.engine) as s:
        sync_search(s, force=True)
        assert _found(s, "kanalizac") >= {rid, gone}
    with session_scope(ctx.engine) as s:  # a split or merge changes the text
        remark = s.get(Remark, rid)
        remark.text = "Oświetlenie ulicy Polnej."
        refresh_search(s, remark)
    with session_scope(ctx.engine) as s:
        s.delete(s.get(Remark, gone))
    with Session(ctx.engine) as s:
        assert _found(s, "kanalizac") & {rid, gone} == set()
        assert rid in _found(s, "oswietlenie ulicy") and rid in _found(s, "wrzosek")
    with session_scope(ctx.engine) as s:
        forget(s, "zofia@example.pl", actor="test")
    with Session(ctx.engine) as s:
        assert _found(s, "wrzosek") == set() and _found(s, "zofia@") == set()
        assert _found(s, "wrzosek") == _scanned(s, "wrzosek")


def test_without_the_index_the_search_scans(review, monkeypatch):
    """An SQLite without FTS5 (or PostgreSQL without pg_trgm) answers the same, only slower."""
    ctx, _ = review
    with Session(ctx.engine) as s:
        sync_search(s, force=True)
        indexed = _found(s, "swietlic")
        monkeypatch.setattr(search, "_fts_ready", lambda _session: False)
        assert _found(s, "swietlic") == indexed and indexed
        if ctx.engine.dialect.name == "postgresql":  # the index path (LIKE) and the scan (strpos) agree
            monkeypatch.setattr(search, "_planned_through_index", lambda _session, _pattern, _needle="": True)
            assert "LIKE" in str(search_ids(s, "swietlic").compile(ctx.engine))
            assert _found(s, "swietlic") == indexed


def test_a_search_counts_and_pages_all_its_matches(review):
    """A search counts every match per status and pages them in the queue's order (needing review
    first, then by id; or as sorted), in one statement; a page past the end shows the last one."""
    from zoneinfo import ZoneInfo

    from review.queries import PAGE_SIZE, Filters, queue_page

    ctx, _ = review
    statuses = ["classified", "needs_review", "confirmed", "classified"]
    with session_scope(ctx.engine) as s:
        ids = {st: [] for st in statuses}
        for n in range(1, PAGE_SIZE + 31):
            rid = _add(s, 500 + n, f"Uwaga {n}: przepompownia przy ulicy Ostrożnej.")
            s.get(Remark, rid).status = statuses[n % 4]
            ids[statuses[n % 4]].append(rid)
        _add(s, 999, "Coś zupełnie innego.")
    expected = {st: len(v) for st, v in ids.items()}
    in_order = ids["needs_review"] + ids["classified"] + ids["confirmed"]
    zone = ZoneInfo("Europe/Warsaw")
    with Session(ctx.engine) as s:
        sync_search(s, force=True)
        first = queue_page(s, Filters(q="przepompownia przy ulicy ostroznej"), {}, zone, "test")
        assert first.by_status == expected and first.total == PAGE_SIZE + 30 and first.pages == 2
        assert [r.id for r, _ in first.rows] == in_order[:PAGE_SIZE]
        last = queue_page(s, Filters(q="przepompownia przy ulicy ostroznej", page=9), {}, zone, "test")
        assert [r.id for r, _ in last.rows] == in_order[PAGE_SIZE:] and last.by_status == expected
        only = queue_page(s, Filters(q="przepompownia przy ulicy ostroznej", status="confirmed"), {}, zone, "test")
        assert [r.id for r, _ in only.rows] == ids["confirmed"] and only.total == expected["confirmed"]
        assert only.by_status == expected  # the other statuses' counts stay visible
        by_ref = queue_page(s, Filters(q="przepompownia przy ulicy ostroznej", sort="sygnatura"), {}, zone, "test")
        refs = [r.reference for r, _ in by_ref.rows]
        assert refs == sorted(refs)
        assert queue_page(s, Filters(q="nic takiego"), {}, zone, "test").total == 0
