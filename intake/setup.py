"""`uwagi init`: a working installation on embedded defaults in one step."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from intake.errors import UserError
from intake.settings import load_settings
from intake.sources.local import is_maildir
from storage.db import mask_url


def default_config_text() -> str:
    return resources.files("intake").joinpath("config.default.toml").read_text(encoding="utf-8")


def seed_maildir(maildir: Path) -> int:
    """Create the Maildir and put the example e-mails in new/ (only into an empty one)."""
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    if any((maildir / "new").iterdir()) or any((maildir / "cur").iterdir()):
        return 0
    examples = sorted((p for p in resources.files("intake").joinpath("examples").iterdir()
                       if p.name.endswith(".eml")), key=lambda p: p.name)
    for n, example in enumerate(examples, 1):
        (maildir / "new" / f"1763000000.example{n}.uwagi").write_bytes(example.read_bytes())
    return len(examples)


def initialise(config: Path) -> Iterator[str]:
    from intake.jobs import open_context

    if config.exists():
        yield f"{config}: exists, left as it is"
    else:
        try:
            config.parent.mkdir(parents=True, exist_ok=True)
            config.write_text(default_config_text(), encoding="utf-8")
        except OSError as exc:
            raise UserError(f"{config}: cannot write ({exc.strerror})") from None
        yield f"{config}: written with the defaults; edit it to point at the real mailbox"
    settings = load_settings(config)
    catalogue = settings.catalogue_path
    if not catalogue.exists():
        packaged = resources.files("intake").joinpath("projects.default.toml")
        catalogue.write_bytes(packaged.read_bytes())
        yield f"{catalogue}: written (the reconstructed catalogue; replace it with the real list)"
    ctx = open_context(settings, create=True)
    yield f"database ready: {mask_url(settings.database.url)}"
    if settings.mailbox.source == "maildir":
        inbox = settings.path(settings.mailbox.path)
        if inbox.exists() and not is_maildir(inbox):
            raise UserError(f"{inbox}: exists but is not a Maildir; check [mailbox] path")
        seeded = seed_maildir(inbox)
        yield f"{inbox}: Maildir ready" + (f", seeded with {seeded} example e-mails" if seeded else "")
    settings.path(settings.paths.outbox).mkdir(parents=True, exist_ok=True)
    ctx.engine.dispose()
    yield "next: 'uwagi poll --once' for one cycle, 'uwagi run' for the daemon, 'uwagi doctor' to check"



