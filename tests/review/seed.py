"""A small, realistic review database made directly (no pipeline run): remarks with evidence, a campaign,
a hostile HTML e-mail with an attachment, held and set-aside mail, and the three roles."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from intake.jobs.context import Context
from intake.settings import parse_settings
from review.accounts import add_user
from storage.db import make_engine, migrate, session_scope
from storage.models import Message, RawMessage, Remark

REPO = Path(__file__).resolve().parents[2]
PASSWORDS = {"admin": "haslo-admina-1", "ala": "haslo-ali-123", "ewa": "haslo-ewy-1234"}
PDF = b"%PDF-1.4\n% uwagi test\n"
HOSTILE_HTML = """<html><head><style>body{background:url(http://127.0.0.1:9/css-bg.png)} p{color:red}</style>
<script>alert('script')</script><link rel="stylesheet" href="http://127.0.0.1:9/x.css">
<meta http-equiv="refresh" content="0;url=http://127.0.0.1:9/refresh"></head>
<body onload="alert('onload')"><p>Proszę o remont <b>świetlicy</b> w Klukowie.</p>
<img src="http://127.0.0.1:9/remote.png" onerror="alert('onerror')" alt="x">
<a href="javascript:alert('link')" id="js">kliknij</a> <a href="http://127.0.0.1:9/page">strona</a>
<iframe src="http://127.0.0.1:9/frame"></iframe><svg onload="alert('svg')"></svg>
<form action="http://127.0.0.1:9/form"><input name="x"></form>
<div style="position:fixed;top:0;left:0;width:100%;height:100%;background:url(http://127.0.0.1:9/div.png)">nakładka</div>
<object data="http://127.0.0.1:9/obj"></object><embed src="http://127.0.0.1:9/embed">
</body></html>"""


def hostile_raw() -> bytes:
    pdf64 = base64.b64encode(PDF).decode()
    return f"""From: Jan Zly <zly@example.com>
To: ug@klukowo.pl
Subject: =?utf-8?q?Uwaga_do_strategii_=E2=80=93_=C5=9Bwietlica?=
Date: Mon, 16 Nov 2026 10:00:00 +0100
Message-ID: <hostile@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="B"

--B
Content-Type: multipart/alternative; boundary="A"

--A
Content-Type: text/plain; charset=utf-8

Proszę o remont świetlicy w Klukowie.
--A
Content-Type: text/html; charset=utf-8

{HOSTILE_HTML}
--A--
--B
Content-Type: application/pdf; name="uwagi.pdf"
Content-Disposition: attachment; filename="../../etc/uwagi zła\\".pdf"
Content-Transfer-Encoding: base64

{pdf64}
--B--
""".replace("\n", "\r\n").encode()


REMARKS = [
    # text, projects, scores, type, status, keyword spans (phrase, project)
    ("Świetlica w Klukowie wymaga remontu dachu i ogrzewania. Prosimy o ujęcie świetlic wiejskich w projekcie.",
     ["P2.4"], {"P2.4": 0.75, "P3.1": 0.33}, "propozycja", "needs_review", [("Świetlica", "P2.4"),
                                                                            ("świetlic wiejskich", "P2.4")]),
    ("Rowy melioracyjne przy drodze do Kuleszek są zarośnięte; woda stoi na polach.",
     ["P3.3"], {"P3.3": 0.98}, "propozycja", "classified", [("Rowy melioracyjne", "P3.3")]),
    ("Czy oświetlenie uliczne w Żabikowie zostanie wymienione na LED?",
     ["P3.2"], {"P3.2": 0.91}, "pytanie", "classified", [("oświetlenie uliczne", "P3.2")]),
    ("Popieram budowę ścieżki rowerowej między gminami.",
     ["P4.1"], {"P4.1": 0.62}, "poparcie", "needs_review", [("ścieżki rowerowej", "P4.1")]),
    ("Jestem przeciw farmie wiatrowej blisko domów.",
     ["P3.4"], {"P3.4": 0.55}, "sprzeciw", "needs_review", []),
]
CAMPAIGN_TEXT = "Żądamy utrzymania szkoły w Gródku. Szkoła jest potrzebna dzieciom z okolicznych wsi."


def _message(n: int, received: datetime, **values: object) -> Message:
    data: dict[str, object] = dict(sha256=hashlib.sha256(f"m{n}".encode()).hexdigest(), size=100, source="test",
                                   received_at=received, state="processed", kind="remark",
                                   sender_email=f"osoba{n}@example.pl", sender_name=f"Osoba {n}",
                                   subject=f"Uwagi do strategii {n}", body_text="", reference=f"STR/2026/{n:04d}")
    data.update(values)
    return Message(**data)  # type: ignore[arg-type]


def _spans(text: str, words: list[tuple[str, str]]) -> dict[str, object]:
    keywords: dict[str, list[dict[str, object]]] = {}
    for phrase, project in words:
        start = text.find(phrase)
        keywords.setdefault(project, []).append({"phrase": phrase.lower(), "text": phrase, "start": start,
                                                 "end": start + len(phrase), "weight": 1.0})
    return {"keywords": keywords, "type": {"score": 0.7, "cues": {"propozycja": ["Prosimy"]}, "source": "rules"}}


def seed(session) -> dict[str, int]:
    """Insert the set; returns ids the tests refer to."""
    base = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    ids: dict[str, int] = {}
    for i, (text, projects, scores, kind, status, words) in enumerate(REMARKS, start=1):
        msg = _message(i, base + timedelta(hours=i), body_text=text, late=(i == 5))
        session.add(msg)
        session.flush()
        remark = Remark(message_pk=msg.id, reference=msg.reference, author_name=msg.sender_name,
                        author_email=msg.sender_email, text=text, projects=projects, project_scores=scores,
                        remark_type=kind, remark_types=[kind], status=status, evidence=_spans(text, words),
                        review_reasons=["uncertain_score"] if status == "needs_review" else [])
        session.add(remark)
        session.flush()
        ids[f"r{i}"] = remark.id
    for j in range(3):
        msg = _message(10 + j, base + timedelta(days=1, hours=j), body_text=CAMPAIGN_TEXT)
        session.add(msg)
        session.flush()
        remark = Remark(message_pk=msg.id, reference=msg.reference, author_name=msg.sender_name,
                        author_email=msg.sender_email, text=CAMPAIGN_TEXT, projects=["P2.1"],
                        project_scores={"P2.1": 0.8}, remark_type="sprzeciw", remark_types=["sprzeciw"],
                        status="classified", campaign="camp-1")
        session.add(remark)
        session.flush()
        ids[f"c{j}"] = remark.id
    raw = hostile_raw()
    msg = _message(20, base + timedelta(days=2), body_text="Proszę o remont świetlicy w Klukowie.",
                   sender_email="zly@example.com", sender_name="Jan Zły", sha256=hashlib.sha256(raw).hexdigest(),
                   attachments=[{"filename": '../../etc/uwagi zła".pdf', "content_type": "application/pdf",
                                 "size": len(PDF), "sha256": hashlib.sha256(PDF).hexdigest()}])
    session.add(msg)
    session.flush()
    session.add(RawMessage(message_pk=msg.id, raw=raw))
    remark = Remark(message_pk=msg.id, reference=msg.reference, author_email="zly@example.com", author_name="Jan Zły",
                    text="Proszę o remont świetlicy w Klukowie.", projects=["P2.4"], project_scores={"P2.4": 0.7},
                    remark_type="propozycja", remark_types=["propozycja"], status="needs_review",
                    review_reasons=["sorted as a remark on weak evidence"])
    session.add(remark)
    session.flush()
    ids["hostile"] = remark.id
    glance = _message(30, base + timedelta(days=3), kind="other", needs_glance=True, reference=None,
                      kind_reason="looks like office mail", subject="Pytanie o strategię i fakturę",
                      body_text="Dzień dobry, przy okazji faktury: czy w strategii jest kanalizacja w Zalesiu?",
                      new_text="Czy w strategii jest kanalizacja w Zalesiu?")
    held = _message(31, base + timedelta(days=3, hours=1), state="held", kind=None, reference=None,
                    hold_stage="parse", hold_reason="MIME nesting deeper than 20", body_text="")
    session.add_all([glance, held])
    session.flush()
    ids.update(glance=glance.id or 0, held=held.id or 0)
    return ids


def make_context(database_url: str, root: Path) -> tuple[Context, dict[str, int]]:
    settings = parse_settings({"catalogue": str(REPO / "projects.toml"), "database": {"url": database_url},
                               "paths": {"models": str(root / "models"), "outbox": str(root / "outbox"),
                                         "cache": str(REPO / "var" / "cache")},
                               "classification": {"embeddings": False}}, root / "config.toml")
    engine = make_engine(database_url)
    migrate(engine)
    with session_scope(engine) as session:
        ids = seed(session)
    for username, role, name in (("admin", "admin", "Administrator"), ("ala", "staff", "Ala Nowak"),
                                 ("ewa", "auditor", "Ewa Audyt")):
        add_user(engine, username, PASSWORDS[username], role, name)
    return Context(settings, engine), ids
