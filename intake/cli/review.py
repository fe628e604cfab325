"""The staff web UI: `uwagi serve`, and its accounts: `uwagi users add|list|disable`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from intake.cli.base import app, out, settings
from intake.errors import UserError

if TYPE_CHECKING:
    import uvicorn

    from intake.jobs import Context

users_app = typer.Typer(no_args_is_help=True, help="Accounts of the review web UI (roles staff, auditor, admin).")
app.add_typer(users_app, name="users")


def ui_server(ctx: Context, log_level: str = "warning") -> uvicorn.Server:
    """The UI on [review] host/port; built (and imported) in the calling thread."""
    import uvicorn

    from review.app import create_app

    cfg = ctx.settings.review
    return uvicorn.Server(uvicorn.Config(create_app(ctx), host=cfg.host, port=cfg.port, log_level=log_level,
                                         server_header=False, proxy_headers=False))


def ui_address(ctx: Context) -> str:
    cfg = ctx.settings.review
    return cfg.base_url or f"http://{cfg.host}:{cfg.port}/"


@app.command()
def serve() -> None:
    """Only the review web UI (on [review] host and port)."""
    from intake import jobs

    ctx = jobs.open_context(settings(required=False), create=True)
    out.print(f"review UI at {ui_address(ctx)} (Ctrl-C stops it)")
    ui_server(ctx).run()


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise UserError("no password on standard input; pipe one line with the password")
        return line.rstrip("\r\n")
    first: str = typer.prompt("Password", hide_input=True)
    if typer.prompt("Repeat the password", hide_input=True) != first:
        raise UserError("the passwords differ; run the command again")
    return first


@users_app.command("add")
def users_add(username: str,
              role: Annotated[str, typer.Option("--role", help="staff, auditor or admin")] = "staff",
              name: Annotated[str, typer.Option("--name", help="full name shown in the UI")] = "",
              password_stdin: Annotated[bool, typer.Option("--password-stdin",
                                                           help="read the password from standard input")] = False,
              ) -> None:
    """Add an account; the password is asked for (or read from stdin) and stored as an argon2 hash."""
    from intake import jobs
    from review.accounts import add_user

    password = _password(password_stdin)
    add_user(jobs.open_context(settings(required=False), create=True).engine, username, password, role, name)
    out.print(f"user {username.strip().lower()} added with role {role}")


@users_app.command("list")
def users_list() -> None:
    """The accounts, their roles and whether they may sign in."""
    from intake import jobs
    from review.accounts import list_users

    users = list_users(jobs.open_context(settings(required=False)).engine)
    if not users:
        out.print("no users yet; add one with 'uwagi users add NAME --role admin'")
    for u in users:
        last = u.last_login_at.isoformat(timespec="minutes") if u.last_login_at else "never"
        out.print(f"{u.username}\t{u.role}\t{'active' if u.active else 'disabled'}\tlast login {last}\t{u.full_name}")


@users_app.command("disable")
def users_disable(username: str) -> None:
    """Stop an account from signing in (its sessions end at the next request); history is kept."""
    from intake import jobs
    from review.accounts import set_active

    set_active(jobs.open_context(settings(required=False)).engine, username, False)
    out.print(f"user {username} disabled")


def start_ui_thread(ctx: Context) -> None:
    """`uwagi run`: the UI beside the scheduler, in a daemon thread (ends with the process)."""
    import threading

    threading.Thread(target=ui_server(ctx).run, name="review-ui", daemon=True).start()
    out.print(f"review UI at {ui_address(ctx)}")
