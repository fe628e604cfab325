"""`uwagi eval`: classification quality on a labelled corpus, in a throw-away database.

The labelled e-mails go through exactly the pipeline the daemon runs (keep, parse, sort, split,
classify, group) in a temporary SQLite database; nothing is sent and the real database is not
touched. Scoring is `classifiers.evaluate`.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from intake.errors import UserError
from intake.jobs.context import Context, open_context
from intake.jobs.poll import import_files
from intake.processing import Progress
from intake.settings import Settings
from storage.models import Message, MessageCopy, Remark


def read_labels(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror})") from None
    labels = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UserError(f"{path}:{n}: not JSON ({exc.msg})") from None
        missing = {"file", "kind"} - set(record)
        if missing:
            raise UserError(f"{path}:{n}: missing {', '.join(sorted(missing))}")
        record.setdefault("remarks", 0)
        record.setdefault("projects", [])
        record.setdefault("types", [])
        labels.append(record)
    if not labels:
        raise UserError(f"{path}: no labels in the file")
    return labels


def predictions(ctx: Context, files: dict[str, Path]) -> list[dict[str, Any]]:
    """What the pipeline made of each labelled file, in the labels' format."""
    out = []
    with Session(ctx.engine) as session:
        for name, path in files.items():
            copy = session.exec(select(MessageCopy).where(MessageCopy.path == str(path.resolve()))).first()
            msg = session.get(Message, copy.message_pk) if copy else None
            if msg is None:
                out.append({"file": name, "kind": "other", "remarks": 0, "projects": [], "types": []})
                continue
            remarks = session.exec(select(Remark).where(Remark.message_pk == msg.id)).all()
            out.append({
                "file": name,
                "kind": msg.kind or "other",
                "remarks": len(remarks) if msg.kind == "remark" else 0,
                "projects": sorted({p for r in remarks for p in r.projects}),
                "types": sorted({t for r in remarks for t in (r.remark_types or [r.remark_type or ""]) if t}),
                "held": msg.hold_reason,
                "languages": [r.language or "?" for r in remarks] if msg.kind == "remark" else [],
            })
    return out


def run_eval(settings: Settings, labels_path: Path, mail_dir: Path | None,
             progress: Progress | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from classifiers.evaluate import evaluate

    labels = read_labels(labels_path)
    mail_dir = mail_dir or labels_path.parent / "mail"
    files = {rec["file"]: mail_dir / rec["file"] for rec in labels}
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        raise UserError(f"{missing[0]}: labelled file not found ({len(missing)} missing); check --mail")
    with tempfile.TemporaryDirectory(prefix="uwagi-eval-") as tmp:
        scratch = settings.model_copy(update={"database": settings.database.model_copy(
            update={"url": f"sqlite:///{Path(tmp) / 'eval.db'}"})})
        ctx = open_context(scratch, create=True)
        try:
            import_files(ctx, list(files.values()), acknowledge=False, progress=progress)
            predicted = predictions(ctx, files)
        finally:
            ctx.engine.dispose()
    return evaluate(labels, predicted), predicted
