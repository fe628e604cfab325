"""Messages and remarks written straight into the database (digest tests and the benchmark need many,
classified in a known way, faster than the pipeline makes them)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert

from storage.models import Message, Remark

MESSAGES = Message.metadata.tables["messages"]
REMARKS = Remark.metadata.tables["remarks"]


def seed(engine: Engine, remarks: list[dict[str, Any]], start_pk: int = 1) -> None:
    """Each dict: received_at, text, projects, and optionally remark_type, stance, late, restricted, author_name."""
    messages, rows = [], []
    for i, r in enumerate(remarks, start=start_pk):
        received: datetime = r["received_at"].astimezone(UTC)  # stored in UTC, as keep does
        messages.append(dict(id=i, sha256=hashlib.sha256(str(i).encode()).hexdigest(), size=100, source="seed",
                             received_at=received, kept_at=received, state="processed", kind="remark",
                             remark_count=1, late=r.get("late", False), reference=f"STR/2026/{i:04d}",
                             sender_email=f"osoba{i}@example.org", attachments=[], defects=[], backlog=False,
                             acknowledge=False, needs_glance=False))
        rows.append(dict(id=i, message_pk=i, ordinal=1, reference=f"STR/2026/{i:04d}", text=r["text"],
                         author_name=r.get("author_name"), projects=r["projects"],
                         remark_type=r.get("remark_type", "propozycja"), stance=r.get("stance"),
                         restricted=r.get("restricted", False), origin="body", fields={}, project_scores={},
                         remark_types=[], status="classified", review_reasons=[], evidence={},
                         created_at=received, updated_at=received))
    with engine.begin() as conn:
        for chunk in range(0, len(messages), 5000):
            conn.execute(insert(MESSAGES), messages[chunk:chunk + 5000])
            conn.execute(insert(REMARKS), rows[chunk:chunk + 5000])
