"""Trained models on disk: one directory per version, and a CURRENT file naming the one in use."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake.errors import UserError
from intake.settings import Settings

if TYPE_CHECKING:  # the classifiers load only when a model is used
    from classifiers.training import TrainedModel


def models_dir(settings: Settings) -> Path:
    return settings.path(settings.paths.models)


def current_version(settings: Settings) -> str | None:
    pointer = models_dir(settings) / "CURRENT"
    if not pointer.exists():
        return None
    version = pointer.read_text(encoding="utf-8").strip()
    return version or None


def current_model(settings: Settings) -> TrainedModel | None:
    """The model in use, or None before the first training (rules + embeddings only)."""
    version = current_version(settings)
    if version is None:
        return None
    from classifiers.training import TrainedModel

    path = models_dir(settings) / version
    try:
        return TrainedModel.load(path)
    except Exception as exc:
        raise UserError(f"model {path} cannot be loaded ({exc}); retrain with 'uwagi train'") from None


def promote(settings: Settings, model: TrainedModel) -> Path:
    """Save a model under its version and make it current (atomic rename of the pointer)."""
    root = models_dir(settings)
    target = root / model.version
    if not target.exists():
        model.save(target)
    tmp = root / "CURRENT.tmp"
    tmp.write_text(model.version + "\n", encoding="utf-8")
    os.replace(tmp, root / "CURRENT")
    return target


SORT_MODEL = "sort_model.json"


def current_sort_model(settings: Settings) -> Any | None:
    """The sort model refitted by `uwagi train` (models/sort_model.json), or None: the shipped one."""
    path = models_dir(settings) / SORT_MODEL
    if not path.exists():
        return None
    from classifiers.sort_model import SortModel

    try:
        return SortModel.load(path)
    except Exception as exc:
        raise UserError(f"sort model {path} cannot be loaded ({exc}); retrain with 'uwagi train'") from None


def save_sort_model(settings: Settings, model: Any) -> Path:
    """Write the refitted sort model atomically (a half-written file is never read)."""
    root = models_dir(settings)
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / (SORT_MODEL + ".tmp")
    model.save(tmp)
    os.replace(tmp, root / SORT_MODEL)
    return root / SORT_MODEL
