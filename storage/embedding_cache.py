"""Embedding vectors by text hash, so that each distinct remark text is embedded once ever.

A campaign of 300,000 near-identical e-mails, a reprocess, or a second instance must not pay
the encoder again for a text already seen. The key (SHA-256 of model version, side and the
normalised text) is computed by ``classifiers.embeddings``; this table only stores the vector
as float32 bytes. Insertions ignore keys another worker stored meanwhile.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np
import numpy.typing as npt
from sqlalchemy import DateTime, Engine, LargeBinary, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Field, SQLModel

from storage.models import utcnow

Vector = npt.NDArray[np.float32]
_CHUNK = 500  # keys per IN (...) query: below every database's parameter limit


class EmbeddingVector(SQLModel, table=True):
    """One embedded text: its key and the float32 vector."""

    __tablename__ = "embedding_cache"

    key: str = Field(primary_key=True, max_length=64)
    vector: bytes = Field(sa_type=LargeBinary)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime(timezone=True))


class DatabaseVectorStore:
    """``classifiers.embeddings.VectorStore`` on our database (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get_many(self, keys: Sequence[str]) -> dict[str, Vector]:
        table = EmbeddingVector.__table__  # type: ignore[attr-defined]
        out: dict[str, Vector] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(keys), _CHUNK):
                rows = conn.execute(select(table.c.key, table.c.vector).where(table.c.key.in_(keys[i:i + _CHUNK])))
                for key, blob in rows:
                    out[key] = np.frombuffer(bytes(blob), dtype=np.float32).copy()
        return out

    def put_many(self, vectors: Mapping[str, Vector]) -> None:
        if not vectors:
            return
        table = EmbeddingVector.__table__  # type: ignore[attr-defined]
        insert = pg_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        now = utcnow()
        rows = [{"key": k, "vector": np.asarray(v, dtype=np.float32).tobytes(), "created_at": now}
                for k, v in vectors.items()]
        with self.engine.begin() as conn:
            for i in range(0, len(rows), _CHUNK):
                conn.execute(insert(table).values(rows[i:i + _CHUNK]).on_conflict_do_nothing(index_elements=["key"]))
