"""Which rows belong to a consultation: its key, and for the default one also rows not yet assigned.

A message kept but not processed yet (or stored before there were several consultations and not
migrated) has no consultation; it counts as the default consultation's, as it always did.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_


@dataclass(frozen=True)
class Scope:
    """One consultation to filter by: its key, and whether it is the default (it owns NULL rows)."""

    key: str
    default: bool = True

    def where(self, column: Any) -> Any:
        return or_(column == self.key, column.is_(None)) if self.default else column == self.key
