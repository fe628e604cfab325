"""`uwagi run` with the mail jobs: two daemons on one database acknowledge a new remark once and,
coming back after the Monday send time was missed, send that week's digest once."""

from __future__ import annotations

import time
from datetime import date, timedelta

from tests.conftest import Installation, config_text
from tests.mailmaker import make_mail
from tests.outgoing.conftest import DIGEST, QUIET
from tests.smtpserver import SmtpServer
from tests.test_daemon import start_daemon, stop

REMARK = ("Proponuję, aby w projekcie ścieżek rowerowych uwzględnić połączenie Klukowa z Ciechanowcem "
          "wzdłuż rzeki Nurzec. Obecnie rowerzyści jeżdżą drogą wojewódzką, co jest niebezpieczne.")


def wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return predicate()


def test_two_daemons_send_one_acknowledgement_and_one_digest(install: Installation, smtp: SmtpServer) -> None:
    today = date.today()  # the consultation runs around today, so last week's digest is due now
    # ... whatever the day: the last scheduled send is always within 7 days, the longest grace (with the
    # default 6 days the test failed from Sunday 07:30 until the Monday send)
    consultation = f"[consultation]\nopens = {today - timedelta(days=21)}\ncloses = {today + timedelta(days=21)}\n"
    box = '[mailbox]\nsource = "maildir"\npath = "inbox"\npoll_interval = 5\n'
    extra = QUIET + DIGEST + "misfire_grace_hours = 168\n[delivery]\ninterval = 2\n" + consultation + smtp.config()
    install.write_config(config_text(install.database_url, mailbox=box, extra=extra))
    for sub in ("new", "cur", "tmp"):
        (install.root / "inbox" / sub).mkdir(parents=True, exist_ok=True)
    install.run("init", check=True)
    for sub in ("new", "cur"):
        for f in (install.root / "inbox" / sub).iterdir():
            f.unlink()  # init's examples: this test counts its own mail only
    daemons = [start_daemon(install) for _ in range(2)]
    try:
        assert wait_for(lambda: _watching(install), 60)  # from now on mail is new, not backlog
        time.sleep(1.5)
        (install.root / "inbox" / "new" / "1764000000.M1P1.host").write_bytes(
            make_mail(body=REMARK, sender="Ola <ola@example.org>"))
        digests = lambda: [r for r in smtp.received if "Zestawienie" in str(r.message["Subject"])]  # noqa: E731
        acks = lambda: [r for r in smtp.received if "Potwierdzenie" in str(r.message["Subject"])]  # noqa: E731
        assert wait_for(lambda: acks() and digests(), 60), _state(install)
        time.sleep(5)  # time for a duplicate to show, if there were one
    finally:
        codes = [stop(d) for d in daemons]
    assert codes == [0, 0]
    assert len(acks()) == 1 and acks()[0].recipients == ["ola@example.org"]
    assert len(digests()) == 1


def _state(install: Installation) -> str:
    from sqlmodel import Session, select

    from storage.models import Message
    from storage.outbox import OutboxMessage

    with Session(install.engine()) as session:
        messages = session.exec(select(Message.state, Message.kind, Message.backlog, Message.acknowledge)).all()
        rows = session.exec(select(OutboxMessage.key, OutboxMessage.status, OutboxMessage.last_error)).all()
    return f"messages {messages}; outbox {rows}"


def _watching(install: Installation) -> bool:
    from sqlmodel import Session, select

    from storage.models import MailboxState

    try:
        with Session(install.engine()) as session:
            return session.exec(select(MailboxState)).first() is not None
    except Exception:  # tables not created yet
        return False
