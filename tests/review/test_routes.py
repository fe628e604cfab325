"""Every page and action for each role, through the real app (Starlette TestClient)."""

from __future__ import annotations

import time

import pytest
from sqlmodel import Session, col, select

from storage.models import Event, Message, Remark
from storage.review import RemarkNote, RemarkOffice
from tests.review.conftest import csrf_of, login
from tests.review.seed import PDF

PAGES = ["/kolejka", "/przeglad", "/pulpit", "/uczenie"]  # /konta: admin only, tested below


def _remark_pages(ids):
    h = ids["hostile"]
    return [f"/uwaga/{ids['r1']}", f"/uwaga/{h}/html", f"/uwaga/{h}/zalacznik/0"]


def _post(client, path, **data):
    token = csrf_of(client.get("/kolejka").text)
    return client.post(path, data={"csrf": token, **data}, follow_redirects=False)


def test_logged_out_sees_only_the_login_page(review, client_for):
    _ctx, ids = review
    client = client_for(None)
    for path in [*PAGES, "/konta", *_remark_pages(ids)]:
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/logowanie"), path
    for path in [f"/uwaga/{ids['r1']}/potwierdz", f"/przeglad/{ids['glance']}/odrzuc", "/uczenie/trenuj"]:
        assert client.post(path, data={"csrf": "x"}, follow_redirects=False).status_code == 401
    page = client.get("/logowanie")
    assert page.status_code == 200 and '<html lang="pl">' in page.text and "Zaloguj się" in page.text


def test_security_headers_on_every_response(review, client_for):
    client = client_for("ala")
    for path in ["/logowanie", "/kolejka", "/nie-ma-takiej", "/static/app.css"]:
        h = client.get(path).headers
        csp = h["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert h["x-content-type-options"] == "nosniff" and h["referrer-policy"] == "no-referrer", path
    cookie = client_for(None)
    r = login(cookie, "ala")
    set_cookie = r.headers["set-cookie"].lower()
    assert "httponly" in set_cookie and "samesite=strict" in set_cookie


@pytest.mark.parametrize("user", ["ala", "ewa", "admin"])
def test_every_page_opens_for_every_role(review, client_for, user):
    _ctx, ids = review
    client = client_for(user)
    for path in [*PAGES, *_remark_pages(ids), f"/uwaga/{ids['c0']}"]:
        assert client.get(path).status_code == 200, path


def test_wrong_password_then_rate_limit(review, client_for):
    client = client_for(None)
    r = login(client, "ala", "zle-haslo-123")
    assert r.status_code == 401 and "Nieprawidłowa nazwa użytkownika lub hasło" in r.text
    assert login(client, "nikt", "zle-haslo-123").status_code == 401
    for _ in range(5):
        login(client, "ala", "zle-haslo-123")
    r = login(client, "ala")
    assert r.status_code == 429 and "Zbyt wiele" in r.text


def test_csrf_is_required_and_logout_ends_the_session(review, client_for):
    _ctx, ids = review
    client = client_for("ala")
    r = client.post(f"/uwaga/{ids['r1']}/notatka", data={"text": "x"}, follow_redirects=False)
    assert r.status_code == 403
    r = client.post(f"/uwaga/{ids['r1']}/notatka", data={"text": "x", "csrf": "zly"}, follow_redirects=False)
    assert r.status_code == 403
    stolen = dict(client.cookies)
    assert _post(client, "/wyloguj").status_code == 303
    assert client.get("/kolejka", follow_redirects=False).status_code == 303
    replay = client_for(None)
    replay.cookies.update(stolen)  # a copy of the cookie taken before the logout is dead too
    assert replay.get("/kolejka", follow_redirects=False).status_code == 303


def test_disabled_account_loses_access_at_once(review, client_for):
    from review.accounts import set_active

    ctx, _ = review
    client = client_for("ala")
    set_active(ctx.engine, "ala", False)
    assert client.get("/kolejka", follow_redirects=False).status_code == 303
    assert login(client_for(None), "ala").status_code == 401


ACTIONS = [("potwierdz", {"projects": "P3.1", "remark_type": "pytanie"}), ("nie-uwaga", {}),
           ("stanowisko", {"stance": "uwzgledniona", "justification": "Tak."}),
           ("kampania", {"stance": "uwzgledniona", "justification": "Tak."}), ("przypisz", {"assigned_to": "ala"}),
           ("sprawa", {"case_number": "OR.152.1.2026", "ezd_id": "123"}), ("notatka", {"text": "notka"}),
           ("podziel", {"text": "a\n---\nb"}), ("scal", {"into": "2"})]


def test_auditor_cannot_change_anything(review, client_for):
    ctx, ids = review
    client = client_for("ewa")
    with Session(ctx.engine) as s:
        events_before = len(list(s.exec(select(Event.id))))
    for action, data in ACTIONS:
        assert _post(client, f"/uwaga/{ids['r1']}/{action}", **data).status_code == 403, action
    for action in ("uwagi", "odrzuc"):
        assert _post(client, f"/przeglad/{ids['glance']}/{action}", text="a").status_code == 403
    assert _post(client, "/uczenie/trenuj").status_code == 403
    with Session(ctx.engine) as s:
        assert len(list(s.exec(select(Event.id)))) == events_before
        assert s.get(Remark, ids["r1"]).status == "needs_review"
    page = client.get(f"/uwaga/{ids['r1']}").text
    assert "Zapisz i potwierdź" not in page and "Potwierdź" not in client.get("/kolejka").text.split("<table")[-1]


def _history(ctx, remark_id):
    with Session(ctx.engine) as s:
        return [(e.actor, e.action, e.before, e.after) for e in s.exec(
            select(Event).where(Event.entity == "remark", Event.entity_id == str(remark_id)).order_by(col(Event.id)))]


def test_staff_corrects_and_confirms_as_training_data(review, client_for):
    ctx, ids = review
    client = client_for("ala")
    r = _post(client, f"/uwaga/{ids['r1']}/potwierdz", projects=["P2.4", "P3.1"], remark_type="pytanie")
    assert r.status_code == 303
    with Session(ctx.engine) as s:
        remark = s.get(Remark, ids["r1"])
        assert remark.status == "confirmed" and remark.projects == ["P2.4", "P3.1"] and remark.confirmed_by == "ala"
    actor, action, before, _after = _history(ctx, ids["r1"])[-1]
    assert (actor, action) == ("ala", "remark.corrected") and before["projects"] == ["P2.4"]
    from intake.jobs.learning import confirmed_examples

    with Session(ctx.engine) as s:
        assert any(e.id == str(ids["r1"]) and e.remark_type == "pytanie" for e in confirmed_examples(s))
    page = client.get(f"/uwaga/{ids['r1']}").text
    assert "Zapisano projekty i typ uwagi" in page and "remark.corrected" in page


def test_confirm_from_the_queue_returns_to_the_queue(review, client_for):
    ctx, ids = review
    client = client_for("ala")
    r = _post(client, f"/uwaga/{ids['r4']}/potwierdz", projects="P4.1", remark_type="poparcie",
              back="/kolejka?status=needs_review")
    assert r.headers["location"] == "/kolejka?status=needs_review"
    assert _history(ctx, ids["r4"])[-1][1] == "remark.confirmed"
    bad = _post(client, f"/uwaga/{ids['r4']}/potwierdz", projects="P4.1", back="https://evil.example/")
    assert bad.headers["location"] == f"/uwaga/{ids['r4']}"


def test_stance_needs_a_justification_and_is_in_the_history(review, client_for):
    ctx, ids = review
    client = client_for("ala")
    _post(client, f"/uwaga/{ids['r2']}/stanowisko", stance="czesciowo", justification="  ")
    assert "Wpisz uzasadnienie" in client.get(f"/uwaga/{ids['r2']}").text
    _post(client, f"/uwaga/{ids['r2']}/stanowisko", stance="czesciowo", justification="Rowy w planie na 2027.")
    with Session(ctx.engine) as s:
        r = s.get(Remark, ids["r2"])
        assert (r.stance, r.justification) == ("czesciowo", "Rowy w planie na 2027.")
    assert _history(ctx, ids["r2"])[-1][:2] == ("ala", "remark.stance")


def test_answer_a_whole_campaign_at_once(review, client_for):
    ctx, ids = review
    client = client_for("ala")
    _post(client, f"/uwaga/{ids['c1']}/kampania", stance="nieuwzgledniona",
          justification="Szkoła nie jest w strategii.")
    with Session(ctx.engine) as s:
        stances = [s.get(Remark, ids[f"c{j}"]).stance for j in range(3)]
    assert stances == ["nieuwzgledniona"] * 3
    assert all(_history(ctx, ids[f"c{j}"])[-1][1] == "remark.stance" for j in range(3))


def test_assign_case_number_note_and_not_a_remark(review, client_for):
    ctx, ids = review
    client = client_for("admin")
    rid = ids["r3"]
    _post(client, f"/uwaga/{rid}/przypisz", assigned_to="ala")
    _post(client, f"/uwaga/{rid}/sprawa", case_number="OR.152.1.2026", ezd_id="EZD-77")
    _post(client, f"/uwaga/{rid}/notatka", text="Zapytać wydział <b>dróg</b>.")
    _post(client, f"/uwaga/{rid}/nie-uwaga")
    with Session(ctx.engine) as s:
        office = s.get(RemarkOffice, rid)
        assert (office.assigned_to, office.case_number, office.ezd_id) == ("ala", "OR.152.1.2026", "EZD-77")
        assert s.exec(select(RemarkNote.text).where(RemarkNote.remark_id == rid)).one().startswith("Zapytać")
        assert s.get(Remark, rid).status == "not_remark"
    assert [a for _, a, _, _ in _history(ctx, rid)] == ["remark.assigned", "remark.case", "remark.note",
                                                        "remark.not_a_remark"]
    page = client.get(f"/uwaga/{rid}").text
    assert "&lt;b&gt;dróg&lt;/b&gt;" in page and "<b>dróg</b>" not in page
    mine = client_for("ala").get("/kolejka?assigned=moje").text
    assert "STR/2026/0003" in mine and "STR/2026/0001" not in mine


def test_triage_turns_mail_into_remarks_or_dismisses_it(review, client_for):
    ctx, ids = review
    client = client_for("ala")
    page = client.get("/przeglad").text
    assert "Pytanie o strategię i fakturę" in page and "MIME nesting deeper than 20" in page
    assert "STR/2026/0020" in page  # the weak-evidence remark
    _post(client, f"/przeglad/{ids['glance']}/uwagi", text="Czy jest kanalizacja w Zalesiu?\n---\nI chodnik?")
    _post(client, f"/przeglad/{ids['held']}/odrzuc")
    with Session(ctx.engine) as s:
        made = list(s.exec(select(Remark).where(Remark.message_pk == ids["glance"]).order_by(col(Remark.ordinal))))
        assert [r.text for r in made] == ["Czy jest kanalizacja w Zalesiu?", "I chodnik?"]
        assert all(r.status == "needs_review" and r.reference.endswith(("/1", "/2")) for r in made)
        glance, held = s.get(Message, ids["glance"]), s.get(Message, ids["held"])
        assert (glance.kind, glance.needs_glance) == ("remark", False) and held.state == "processed"
        actions = set(s.exec(select(Event.action).where(Event.entity == "message")))
    assert {"message.resorted", "message.dismissed"} <= actions
    page = client.get("/przeglad").text
    assert "Pytanie o strategię i fakturę" not in page and "MIME nesting" not in page
    assert "kanalizacja" in client.get("/kolejka?q=kanalizacja").text


def _refs(html):
    import re

    return set(re.findall(r"data-open>(STR/2026/\d{4})", html))


def test_queue_filters_search_sort_and_counts(review, client_for):
    _ctx, _ids = review
    client = client_for("ala")
    everything = client.get("/kolejka").text
    assert len(_refs(everything)) == 9 and "9 uwag" in everything
    assert everything.index("STR/2026/0001") < everything.index("STR/2026/0002")  # needs review first
    assert everything.index("STR/2026/0004") < everything.index("STR/2026/0002")
    assert _refs(client.get("/kolejka?q=swietlic").text) == {"STR/2026/0001", "STR/2026/0020"}
    assert _refs(client.get("/kolejka?q=ŻABIKOWIE").text) == {"STR/2026/0003"}
    assert _refs(client.get("/kolejka?q=STR/2026/0002").text) == {"STR/2026/0002"}
    assert _refs(client.get("/kolejka?q=100%25").text) == set()
    assert _refs(client.get("/kolejka?goal=C3").text) == {"STR/2026/0002", "STR/2026/0003", "STR/2026/0005"}
    assert _refs(client.get("/kolejka?project=P4.1").text) == {"STR/2026/0004"}
    assert _refs(client.get("/kolejka?type=pytanie").text) == {"STR/2026/0003"}
    assert _refs(client.get("/kolejka?late=tak").text) == {"STR/2026/0005"}
    assert len(_refs(client.get("/kolejka?campaign=tak").text)) == 3
    assert _refs(client.get("/kolejka?sender=zly@").text) == {"STR/2026/0020"}
    assert len(_refs(client.get("/kolejka?od=2026-11-17&do=2026-11-17").text)) == 3
    filtered = client.get("/kolejka?status=needs_review").text
    assert len(_refs(filtered)) == 4 and "do sprawdzenia: 4" in filtered and "sklasyfikowana: 5" in filtered
    newest = client.get("/kolejka?sort=najnowsze").text
    assert newest.index("STR/2026/0020") < newest.index("STR/2026/0001")
    assert "4 uwagi" in filtered and "1 uwaga" in client.get("/kolejka?late=tak").text


def test_queue_pages(review, client_for, monkeypatch):
    from review import queries

    monkeypatch.setattr(queries, "PAGE_SIZE", 4)
    client = client_for("ala")
    first, third = client.get("/kolejka").text, client.get("/kolejka?page=3").text
    assert "strona 1 z 3" in first and 'rel="next"' in first and len(_refs(first)) == 4
    assert len(_refs(third)) == 1 and 'rel="prev"' in third
    assert "strona 3 z 3" in client.get("/kolejka?page=99").text


def test_remark_page_marks_the_deciding_words_and_escapes_mail(review, client_for):
    _ctx, ids = review
    client = client_for("ala")
    page = client.get(f"/uwaga/{ids['r1']}").text
    assert '<mark title="P2.4: świetlica">Świetlica' in page and "świetlic wiejskich<span" in page
    hostile = client.get(f"/uwaga/{ids['hostile']}").text
    assert "<script>alert" not in hostile and 'sandbox=""' in hostile
    assert "Inne uwagi z tej wiadomości" in hostile and "Wcześniejsze uwagi tego nadawcy" in hostile
    campaign = client.get(f"/uwaga/{ids['c2']}").text
    assert "Kampania (3 uwagi)" in campaign and "Zapisz dla całej kampanii (3)" in campaign


def test_html_mail_is_sanitised_under_a_strict_csp(review, client_for):
    _ctx, ids = review
    r = client_for("ala").get(f"/uwaga/{ids['hostile']}/html")
    body = r.text.lower()
    for bad in ("<script", "onerror", "onload", "javascript:", "<img", "<iframe", "<style", "style=", "<link",
                "<meta http-equiv", "<object", "<embed", "<form", "<svg"):
        assert bad not in body, bad
    assert "świetlicy" in r.text
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp and "script-src" not in csp


def test_attachment_downloads_with_a_safe_name(review, client_for):
    _ctx, ids = review
    client = client_for("ewa")
    r = client.get(f"/uwaga/{ids['hostile']}/zalacznik/0")
    assert r.content == PDF and r.headers["content-type"] == "application/octet-stream"
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("attachment;") and "/" not in disposition.split("filename*=")[0]
    assert "filename*=UTF-8''uwagi%20z%C5%82a_.pdf" in disposition
    assert client.get(f"/uwaga/{ids['hostile']}/zalacznik/5").status_code == 404
    assert client.get(f"/uwaga/{ids['r1']}/html").status_code == 404


def test_dashboard_and_learning_panel(review, client_for):
    client = client_for("ewa")
    dash = client.get("/pulpit").text
    assert "Razem 9 uwag" in dash and "w tym po terminie: 1" in dash and "2026-11-16" in dash
    learning = client.get("/uczenie").text
    assert "nie był jeszcze trenowany" in learning and "Trenuj teraz" not in learning
    assert "Trenuj teraz" in client_for("admin").get("/uczenie").text


def test_learning_panel_shows_the_last_training_against_no_model(review, client_for):
    """The last training's held-out scores beside the previous model's and the rules' alone, and the
    weights cross-validation gave the learned signals."""
    from storage.db import session_scope
    from storage.events import append_event

    ctx, _ids = review
    with session_scope(ctx.engine) as session:
        append_event(session, actor="train", action="model.switched", entity="model", entity_id="tc-test",
                     before={"version": None, "scores": None, "rules_only": {"micro_f1": 0.5, "macro_f1": 0.25}},
                     after={"version": "tc-test", "scores": {"micro_f1": 0.75, "macro_f1": 0.5}, "examples": 8,
                            "held_out": 2, "learned_weights": {"neighbours": 0.3, "textcat": 0.0,
                                                               "cv": {"folds": 5}},
                            "label_bias": {"P1.3": -0.42, "P2.2": 0.18}})
    page = client_for("ewa").get("/uczenie").text
    assert "nowy model włączony" in page and "Bez modelu (reguły i osadzenia)" in page
    assert "0.750" in page and "0.250" in page
    assert "podobne potwierdzone uwagi ×0,3" in page and "klasyfikator słów ×0" in page
    assert "P1.3 -0,42, P2.2 +0,18" in page  # each project's learned shift, most lowered first


def test_admin_asks_for_training_the_daemon_runs_it(review, client_for):
    """The web process only records the request (once, with who asked); it waits until the daemon's
    job claims and runs it, and the page shows queued, then the outcome."""
    from intake.jobs.learning import run_training_request
    from storage.review import TrainingRequest

    ctx, _ids = review
    assert _post(client_for("ala"), "/uczenie/trenuj").status_code == 403
    admin = client_for("admin")
    assert _post(admin, "/uczenie/trenuj").status_code == 303
    page = admin.get("/uczenie").text
    assert "Zlecono trening" in page and "czeka w kolejce" in page and "uwagi run" in page
    assert "Trenuj teraz" not in page  # one open request at a time
    assert _post(admin, "/uczenie/trenuj").status_code == 303
    assert "już zlecony" in admin.get("/uczenie").text
    time.sleep(0.5)
    with Session(ctx.engine) as s:
        rows = list(s.exec(select(TrainingRequest)))
        events = list(s.exec(select(Event).where(Event.action == "training.requested")))
    assert [(r.requested_by, r.status) for r in rows] == [("admin", "queued")]  # nothing ran in the web process
    assert [e.actor for e in events] == ["admin"]
    assert run_training_request(ctx, "host:1:1") == rows[0].id
    assert run_training_request(ctx, "host:1:1") is None  # exactly once
    page = admin.get("/uczenie").text
    assert "nieudany" in page and "Nie wytrenowano" in page  # fewer than 5 confirmed remarks in the seed
    assert "Trenuj teraz" in page
    with Session(ctx.engine) as s:
        row = s.exec(select(TrainingRequest)).one()
        assert (row.status, row.open_slot, row.claimed_by) == ("failed", None, "host:1:1")
        assert s.exec(select(Event).where(Event.action == "training.finished")).one().after["status"] == "failed"


def test_split_and_merge(review, client_for):
    ctx, ids = review
    client = client_for("ala")
    rid = ids["r1"]
    _post(client, f"/uwaga/{rid}/podziel", text="Świetlica wymaga remontu.\n---\nProsimy o ujęcie świetlic.")
    with Session(ctx.engine) as s:
        parts = list(s.exec(select(Remark).where(Remark.message_pk == s.get(Remark, rid).message_pk)
                            .order_by(col(Remark.ordinal))))
    assert [p.text for p in parts] == ["Świetlica wymaga remontu.", "Prosimy o ujęcie świetlic."]
    assert [p.reference for p in parts] == ["STR/2026/0001/1", "STR/2026/0001/2"]
    assert "Podzielono na 2 uwagi" in client.get(f"/uwaga/{rid}").text
    assert "STR/2026/0001/2" in client.get("/kolejka?q=ujecie").text
    _post(client, f"/uwaga/{parts[1].id}/scal", into=str(rid))
    with Session(ctx.engine) as s:
        assert s.get(Remark, rid).text == "Świetlica wymaga remontu.\n\nProsimy o ujęcie świetlic."
        assert s.get(Remark, parts[1].id).status == "merged"
    assert [a for _, a, _, _ in _history(ctx, rid)] == ["remark.split", "remark.merged"]
    _post(client, f"/uwaga/{rid}/scal", into=str(ids["r2"]))
    assert "tylko uwagi z tej samej wiadomości" in client.get(f"/uwaga/{rid}").text


def test_learning_panel_shows_scores_against_the_previous_model(review, client_for):
    from storage.db import session_scope
    from storage.events import append_event

    ctx, _ = review
    with session_scope(ctx.engine) as s:
        append_event(s, actor="nightly", action="model.switched", entity="model", entity_id="m2",
                     before={"version": "m1", "scores": {"micro_f1": 0.701, "type_accuracy": 0.6}},
                     after={"version": "m2", "scores": {"micro_f1": 0.812, "type_accuracy": 0.65}, "examples": 40,
                            "held_out": 10})
    page = client_for("ewa").get("/uczenie").text
    assert "nowy model włączony" in page and "0.812" in page and "0.701" in page and "projekty (F1 mikro)" in page
    assert "Uczono na 40 uwagach" in page


def test_pages_in_priority_order_match_one_long_list(review, client_for, monkeypatch):
    import re

    from review import queries

    client = client_for("ala")
    whole = re.findall(r"data-open>(STR/2026/\d{4})", client.get("/kolejka").text)
    monkeypatch.setattr(queries, "PAGE_SIZE", 3)
    paged = [ref for n in (1, 2, 3) for ref in re.findall(r"data-open>(STR/2026/\d{4})",
                                                           client.get(f"/kolejka?page={n}").text)]
    assert paged == whole and len(whole) == 9


def test_admin_manages_accounts_others_cannot(review, client_for):
    ctx, _ = review
    for user in ("ala", "ewa"):
        client = client_for(user)
        assert client.get("/konta").status_code == 403
        assert _post(client, "/konta/dodaj", username="x", password="dlugie-haslo-1", role="admin").status_code == 403
        assert "/konta" not in client.get("/kolejka").text
    admin = client_for("admin")
    assert "Ala Nowak" in admin.get("/konta").text
    _post(admin, "/konta/dodaj", username="Ola", password="dlugie-haslo-1", role="auditor", full_name="Ola K")
    assert "Dodano konto ola" in admin.get("/konta").text
    _post(admin, "/konta/dodaj", username="ola", password="dlugie-haslo-1", role="auditor")
    assert "Takie konto już istnieje" in admin.get("/konta").text
    _post(admin, "/konta/dodaj", username="jan", password="krotkie", role="staff")
    assert "Hasło jest za krótkie" in admin.get("/konta").text
    assert login(client_for(None), "ola", "dlugie-haslo-1").status_code == 303
    _post(admin, "/konta/wylacz", username="ola")
    assert login(client_for(None), "ola", "dlugie-haslo-1").status_code == 401
    _post(admin, "/konta/wylacz", username="admin")
    assert "Nie można wyłączyć własnego konta" in admin.get("/konta").text
    with Session(ctx.engine) as s:
        assert {(e.actor, e.action) for e in s.exec(select(Event).where(Event.entity == "user"))} >= {
            ("admin", "user.added"), ("admin", "user.disabled")}


def test_mail_content_is_escaped_everywhere(review, client_for):
    ctx, ids = review
    evil = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    with Session(ctx.engine) as s:
        remark = s.get(Remark, ids["r2"])
        remark.text, remark.author_name = f"Drogi {evil}", evil
        msg = s.get(Message, remark.message_pk)
        msg.subject, msg.body_text = evil, evil
        s.add_all([remark, msg])
        s.commit()
    client = client_for("ala")
    for path in ("/kolejka", f"/uwaga/{ids['r2']}", f"/uwaga/{ids['r2']}/nie-ma"):
        page = client.get(path).text
        assert "<script>alert" not in page and "<img src=x" not in page, path
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in client.get(f"/uwaga/{ids['r2']}").text
