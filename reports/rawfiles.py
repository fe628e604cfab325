"""`export --raw DIR`: the original .eml files named by reference, for filing in the office's EZD."""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from reports.exports import Filters, Manifest, _record, actor_name, iter_messages
from storage.events import chain_head
from storage.models import RawMessage

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def safe_name(reference: str | None, pk: int) -> str:
    """STR/2026/0042 -> STR_2026_0042; no path separators, dots or control characters can get in."""
    stem = _UNSAFE.sub("_", reference or "").strip("._")[:80]
    return f"{stem}.eml" if stem else f"message-{pk}.eml"


def export_raw(engine: Engine, directory: Path, zone: ZoneInfo, flt: Filters, actor: str | None = None,
               only_remarks: bool = True) -> Manifest:
    """One file per message (a follow-up of the same case gets -2, -3 …); a MANIFEST.json lists them."""
    directory.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    with Session(engine) as session:
        head = chain_head(session)
        for m in iter_messages(session, flt):
            if only_remarks and m.kind != "remark":
                continue
            raw = session.get(RawMessage, m.id)
            if raw is None or m.id is None:
                continue
            name = _unique(safe_name(m.reference, m.id), files)
            tmp = directory / f".{name}.part"
            tmp.write_bytes(raw.raw)
            os.replace(tmp, directory / name)
            files[name] = hashlib.sha256(raw.raw).hexdigest()
            session.expunge(raw)
    listing = json.dumps(files, indent=2, sort_keys=True).encode()
    manifest = Manifest(file=str(directory.name), what="raw", format="eml", rows=len(files),
                        sha256=hashlib.sha256(listing).hexdigest(), chain_head=head, by=actor_name(actor),
                        at=datetime.now(zone).isoformat(), filters=flt.describe())
    (directory / "MANIFEST.json").write_text(json.dumps({**asdict(manifest), "files": files}, indent=2) + "\n",
                                             encoding="utf-8")
    _record(engine, manifest)
    return manifest


def _unique(name: str, taken: dict[str, str]) -> str:
    if name not in taken:
        return name
    stem, n = name.removesuffix(".eml"), 2
    while f"{stem}-{n}.eml" in taken:
        n += 1
    return f"{stem}-{n}.eml"
