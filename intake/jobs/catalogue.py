"""`uwagi catalogue load FILE`: replace the goals and projects without losing remark links.

Ids are stable keys. A project renamed or merged in the new list names its old id under
`aliases`, and every stored remark linked to the old id is relinked to the new one (confirmed
remarks too: their meaning does not change). An old id that disappears without an alias is
refused while remarks still point at it, so no link is silently dropped.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlmodel import select

from intake.errors import UserError
from intake.jobs.context import Context
from storage.db import session_scope
from storage.events import append_event
from storage.models import Remark, utcnow


@dataclass
class CatalogueReport:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    relinked: int = 0
    rescored: int = 0
    backup: Path | None = None


def load_catalogue_file(ctx: Context, path: Path, rescore: bool = True, actor: str = "admin",
                        consultation: str | None = None) -> CatalogueReport:
    """Replace one consultation's catalogue (default: the [consultation] one); only its remarks are
    checked and relinked (another consultation's remarks name another catalogue's projects)."""
    from classifiers.catalogue import RESERVED, CatalogueError, load_catalogue
    from intake.consultations import scope_of

    try:
        new = load_catalogue(path)
    except CatalogueError as exc:
        raise UserError(str(exc)) from None
    scope = scope_of(ctx.settings, consultation)
    target = ctx.settings.catalogue_path_of(scope.key)
    old_ids: set[str] = set()
    if target.exists():
        try:
            old_ids = set(load_catalogue(target).ids)
        except CatalogueError:
            old_ids = set()
    report = CatalogueReport(added=sorted(set(new.ids) - old_ids))

    def resolve(pid: str) -> str | None:
        try:
            return new.resolve(pid)
        except KeyError:
            return None

    with session_scope(ctx.engine) as session:
        remarks = list(session.exec(select(Remark).where(scope.where(Remark.consultation))))
        orphans = sorted({p for r in remarks for p in r.projects if p not in RESERVED and resolve(p) is None})
        if orphans:
            raise UserError(f"{path}: remarks are linked to {', '.join(orphans)}, which the new catalogue "
                            f"neither keeps nor lists under 'aliases'; add them as aliases of their successor")
        report.removed = sorted(old_ids - set(new.ids))
        for remark in remarks:
            relinked = list(dict.fromkeys(resolve(p) or p for p in remark.projects))
            if relinked != remark.projects:
                assert remark.id is not None  # a stored remark
                append_event(session, actor=actor, action="remark.relinked", entity="remark", entity_id=remark.id,
                             before={"projects": remark.projects}, after={"projects": relinked})
                remark.projects, remark.updated_at = relinked, utcnow()
                session.add(remark)
                report.relinked += 1
        if target.exists():
            report.backup = target.with_name(f"{target.stem}.{datetime.now():%Y%m%d-%H%M%S}{target.suffix}")
            shutil.copy2(target, report.backup)
        if path.resolve() != target.resolve():
            shutil.copyfile(path, target)
        append_event(session, actor=actor, action="catalogue.loaded", entity="catalogue", entity_id=target.name,
                     after={"consultation": scope.key, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                            "projects": new.ids,
                            "added": report.added, "removed": report.removed, "relinked": report.relinked})
    if rescore:
        from intake.jobs.learning import rescore_unconfirmed

        report.rescored = rescore_unconfirmed(ctx, actor=actor)
    return report
