"""The catalogue of strategic goals and projects, read from ``projects.toml``.

The catalogue is configuration: the office will replace the invented projects with the real
list, so stored remarks keep their link through stable ids or an ``aliases`` list (a renamed or
merged project lists its old ids there; :meth:`Catalogue.resolve` maps old ids to the current
one). Extra keys (``invented``, ``source``, ``kind`` ...) are tolerated and kept in ``extra``.

A project's ``keywords`` are the planners' words; its optional ``everyday`` list holds the words residents
use for the same things ("eternit", "ciśnienie wody", "PKS"). Both are matched in remarks, but only the
keywords join the project's description: a passage padded with colloquial words drifts from what the
project means, and the embedding signal compares remarks with that passage.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GENERAL = "OGOLNA"  # the strategy as a whole, or the consultation itself
OUTSIDE = "POZA"  # sent as a remark, but about nothing in the strategy
RESERVED = frozenset({GENERAL, OUTSIDE})
_GENERAL_DEFAULT = Path(__file__).parent / "data" / "general.toml"
_OUTSIDE_DEFAULT = Path(__file__).parent / "data" / "outside.toml"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class CatalogueError(ValueError):
    """A catalogue that cannot be used; the message names the project and the key."""


@dataclass(frozen=True)
class Goal:
    """A strategic goal (cel strategiczny)."""

    id: str
    title: str
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Project:
    """A project of the strategy; ``keywords`` are the planners' phrases, ``everyday`` the residents' words for the
    same things (both matched in any inflection)."""

    id: str
    goal: str
    title: str
    summary: str = ""
    keywords: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    everyday: tuple[str, ...] = ()

    @property
    def phrases(self) -> tuple[str, ...]:
        """Everything the keyword matcher looks for: the planners' keywords, then the residents' words."""
        return (*self.keywords, *self.everyday)

    @property
    def description(self) -> str:
        """Title, summary and keywords as one passage (what the embedding signal compares to; ``everyday`` words
        stay out of it)."""
        return f"{self.title}. {self.summary} {', '.join(self.keywords)}".strip()


@dataclass(frozen=True)
class Catalogue:
    """Goals and projects, in file order."""

    goals: tuple[Goal, ...]
    projects: tuple[Project, ...]
    meta: dict[str, Any] = field(default_factory=dict, compare=False)
    # What OGOLNA means (keywords, description); from [general] or classifiers/data/general.toml.
    general: Project | None = None
    # Matters the strategy does not cover (POZA's keywords); from [outside] or classifiers/data/outside.toml.
    outside: Project | None = None

    @property
    def ids(self) -> list[str]:
        """Project ids in catalogue order."""
        return [p.id for p in self.projects]

    def project(self, project_id: str) -> Project:
        """The project with this id or alias; KeyError if unknown."""
        current = self.resolve(project_id)
        for p in self.projects:
            if p.id == current:
                return p
        raise KeyError(project_id)

    def resolve(self, project_id: str) -> str:
        """Current id for an id or alias (OGOLNA/POZA pass through); KeyError if unknown."""
        if project_id in RESERVED:
            return project_id
        for p in self.projects:
            if project_id == p.id or project_id in p.aliases:
                return p.id
        raise KeyError(project_id)


def _text(where: str, table: dict[str, Any], key: str, required: bool = True) -> str:
    value = table.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise CatalogueError(f"{where}: key '{key}' must be a non-empty string")
    return value.strip()


def _strings(where: str, table: dict[str, Any], key: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise CatalogueError(f"{where}: key '{key}' must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def parse_catalogue(data: dict[str, Any]) -> Catalogue:
    """Build and validate a catalogue from parsed TOML (``[[goal]]`` and ``[[project]]`` tables)."""
    goals: list[Goal] = []
    for i, g in enumerate(data.get("goal", [])):
        where = f"goal #{i + 1}"
        gid = _text(where, g, "id")
        goals.append(Goal(gid, _text(f"goal {gid}", g, "title"), {k: v for k, v in g.items()
                                                                  if k not in {"id", "title"}}))
    goal_ids = {g.id for g in goals}
    if len(goal_ids) != len(goals):
        raise CatalogueError("goal: key 'id' is duplicated")
    projects: list[Project] = []
    seen: set[str] = set()
    raw = data.get("project", [])
    if not isinstance(raw, list) or not raw:
        raise CatalogueError("catalogue: key 'project' must hold at least one [[project]]")
    for i, p in enumerate(raw):
        pid = _text(f"project #{i + 1}", p, "id")
        where = f"project {pid}"
        if not _ID.match(pid) or pid in RESERVED:
            raise CatalogueError(f"{where}: key 'id' must be letters/digits/._- and not OGOLNA/POZA")
        goal = _text(where, p, "goal")
        if goals and goal not in goal_ids:
            raise CatalogueError(f"{where}: key 'goal' names unknown goal {goal!r}")
        aliases = _strings(where, p, "aliases")
        for name in (pid, *aliases):
            if name in seen:
                raise CatalogueError(f"{where}: key 'aliases' reuses id {name!r}")
            seen.add(name)
        known = {"id", "goal", "title", "summary", "keywords", "aliases", "everyday"}
        projects.append(Project(pid, goal, _text(where, p, "title"), _text(where, p, "summary", False),
                                _strings(where, p, "keywords"), aliases,
                                {k: v for k, v in p.items() if k not in known}, _strings(where, p, "everyday")))
    general, outside = (_reserved_table(data, key, default, label) for key, default, label in
                        (("general", _GENERAL_DEFAULT, GENERAL), ("outside", _OUTSIDE_DEFAULT, OUTSIDE)))
    return Catalogue(tuple(goals), tuple(projects), dict(data.get("meta", {})), general, outside)


def _reserved_table(data: dict[str, Any], key: str, default: Path, label: str) -> Project:
    """The [general] or [outside] table (OGOLNA's or POZA's words), else the generic one shipped beside this
    module."""
    table = data.get(key)
    if table is None:
        table = tomllib.loads(default.read_text(encoding="utf-8"))
    if not isinstance(table, dict):
        raise CatalogueError(f"{key}: must be a table with title, summary and keywords")
    return Project(label, "", _text(key, table, "title"), _text(key, table, "summary", False),
                   _strings(key, table, "keywords"))


def load_catalogue(path: str | Path) -> Catalogue:
    """Read ``projects.toml``; raises :class:`CatalogueError` with a one-line reason."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(f"catalogue {path}: cannot read ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"catalogue {path}: not valid TOML ({exc})") from exc
    return parse_catalogue(data)
