"""`uwagi reprocess` (the real CLI) keeps everything a person did to remarks and to sorting."""

from __future__ import annotations

import email
import shutil

from sqlmodel import Session, col, select

from intake.jobs.context import Context
from review import decisions, reshape
from storage.models import Message, Remark
from storage.review import RemarkNote, RemarkOffice
from tests.conftest import DATA, Installation, config_text
from tests.mailmaker import make_mail


def _snapshot(engine) -> dict:
    with Session(engine) as session:
        remarks = {r.id: (r.message_pk, r.ordinal, r.reference, r.text, r.status, r.origin, tuple(r.projects))
                   for r in session.exec(select(Remark).order_by(col(Remark.id)))}
        msgs = {m.id: (m.kind, m.needs_glance, m.remark_count) for m in session.exec(select(Message))}
        notes = [(n.remark_id, n.text) for n in session.exec(select(RemarkNote))]
        office = [(o.remark_id, o.assigned_to, o.case_number) for o in session.exec(select(RemarkOffice))]
    return {"remarks": remarks, "messages": msgs, "notes": notes, "office": office}


def _by_message(engine) -> dict[str, list[Remark]]:
    with Session(engine) as session:
        out: dict[str, list[Remark]] = {}
        for remark, subject in session.exec(select(Remark, Message.subject).where(Remark.message_pk == Message.id)
                                            .order_by(col(Remark.ordinal))):
            out.setdefault(subject or "", []).append(remark)
        return out


def test_reprocess_keeps_every_staff_action(install: Installation) -> None:
    install.write_config(config_text(install.database_url, extra="[classification]\nembeddings = false\n"))
    install.run("init", check=True)
    folder = install.root / "mail"
    folder.mkdir()
    for name in ("m012.eml", "m007.eml", "m001.eml"):
        shutil.copy(DATA / "corpus" / name, folder / name)
    singles = ("Proponuję ścieżkę rowerową do Klukowa.", "Proponuję budowę chodnika przy szkole w Klukowie.")
    for n, body_text in enumerate(singles):
        (folder / f"single{n}.eml").write_bytes(make_mail(subject=f"Uwaga {n}", body=body_text,
                                                          sender=f"Osoba {n} <osoba{n}@example.org>"))
    body = (DATA / "corpus" / "m012.eml").read_bytes()
    plain = next(p for p in email.message_from_bytes(body).walk() if p.get_content_type() == "text/plain")
    text = plain.get_payload(decode=True)
    if text:  # the same multi-remark body again, for the merge
        again = text.decode("utf-8", "replace") + "\nDziękuję."
        (folder / "merge.eml").write_bytes(make_mail(subject="Do scalenia", body=again, sender="S <s@example.org>"))
    install.run("import", "--no-ack", str(folder), check=True)
    ctx = Context(install.settings(), install.engine())
    groups = _by_message(ctx.engine)
    multi = [rs for rs in groups.values() if len(rs) >= 2]
    single = [rs for rs in groups.values() if len(rs) == 1]
    assert len(multi) >= 2 and len(single) >= 2, {k: len(v) for k, v in groups.items()}
    split_me, merge_me = multi[0], multi[1]
    reshape.split(ctx, split_me[0].id, "Pierwsza część.\n---\nDruga część.", "ala")
    reshape.merge(ctx, merge_me[1].id, merge_me[0].id, "ala")
    decisions.not_a_remark(ctx, single[0][0].id, "ala")
    decisions.add_note(ctx, single[1][0].id, "Zadzwonić do mieszkańca.", "ala")
    decisions.assign(ctx, single[1][0].id, "ala", "ala")
    decisions.set_case(ctx, single[1][0].id, "ZS.6721.1.2026", "", "ala")
    with Session(ctx.engine) as session:
        others = [m for m in session.exec(select(Message).where(Message.remark_count == 0))]
    assert len(others) >= 2
    decisions.message_to_remarks(ctx, others[0].id, "Uwaga z przeglądu.\n---\nDruga z przeglądu.", "ala")
    decisions.dismiss(ctx, others[1].id, "ala")
    before = _snapshot(ctx.engine)

    install.run("reprocess", check=True)

    after = _snapshot(ctx.engine)
    assert after["remarks"] == before["remarks"]
    assert after["notes"] == before["notes"] and after["office"] == before["office"]
    assert after["messages"][others[0].id] == ("remark", False, 2)
    assert after["messages"][others[1].id][1] is False  # dismissed: not back in triage
    with Session(ctx.engine) as session:
        assert session.get(Remark, single[0][0].id).status == "not_remark"
        assert session.get(Remark, merge_me[1].id).status == "merged"
