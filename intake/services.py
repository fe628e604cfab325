"""Shared, lazily built resources the stages need (limits, catalogue, language models)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from intake.parsing import ParseLimits
from intake.settings import Settings

MB = 1024 * 1024


@dataclass
class Services:
    settings: Settings
    actor: str = "pipeline"
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def parse_limits(self) -> ParseLimits:
        lim = self.settings.limits
        return ParseLimits(
            max_message_bytes=int(lim.max_message_mb * MB),
            max_attachment_bytes=int(lim.max_attachment_mb * MB),
            max_mime_depth=lim.max_mime_depth,
        )
