"""Jinja2 subject/text/html triples per e-mail (healthchecks.io's habit): one folder per mail."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from reports.polish import date_time, form, long_date, period, plural

TEMPLATES = Path(__file__).parent / "templates"


@cache
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True,
                      autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False))
    env.filters.update(plural=lambda n, one, few, many: plural(int(n), one, few, many), long_date=long_date,
                       date_time=date_time, period=period,
                       form=lambda n, one, few, many: form(int(n), one, few, many))
    return env


def render(mail: str, **context: Any) -> tuple[str, str, str]:
    """(subject, text, html) of the named mail; the subject is one line."""
    env = _environment()
    subject = " ".join(env.get_template(f"{mail}/subject.txt").render(**context).split())
    text = env.get_template(f"{mail}/body.txt").render(**context)
    html = env.get_template(f"{mail}/body.html").render(**context)
    return subject, text, html
