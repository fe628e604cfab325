"""`uwagi users add|list|disable` through the real CLI in a child process."""

from __future__ import annotations

import os
import subprocess
import sys


def test_users_add_list_disable(install):
    install.run("init", check=True)

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "intake", *args], cwd=install.root, input=stdin, text=True,
                              capture_output=True, env={**os.environ, "UWAGI_CONFIG": str(install.config)},
                              timeout=120)

    add = run("users", "add", "Ala", "--role", "staff", "--name", "Ala Nowak", "--password-stdin",
              stdin="dlugie-haslo-1\n")
    assert add.returncode == 0, add.stderr
    assert "user ala added with role staff" in add.stdout
    short = run("users", "add", "bob", "--password-stdin", stdin="krotkie\n")
    assert short.returncode == 1 and "too short" in short.stderr and "Traceback" not in short.stderr
    listed = run("users", "list").stdout
    assert "ala" in listed and "staff" in listed and "active" in listed
    assert run("users", "disable", "ala").returncode == 0
    assert "disabled" in run("users", "list").stdout


def test_add_user_refuses_bad_input(review):
    import pytest

    from intake.errors import UserError
    from review.accounts import add_user, set_active

    ctx, _ = review
    for args, message in [(("bob", "dlugie-haslo-1", "boss"), "unknown role"),
                          (("ala", "dlugie-haslo-1", "staff"), "already exists"),
                          (("a b", "dlugie-haslo-1", "staff"), "without spaces")]:
        with pytest.raises(UserError, match=message):
            add_user(ctx.engine, *args)
    with pytest.raises(UserError, match="no user"):
        set_active(ctx.engine, "nobody", False)


def _wait_for(url: str, proc: subprocess.Popen, seconds: float = 60) -> int:
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return int(r.status)
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    return 0


def test_serve_and_run_answer_on_the_configured_port(install):
    import socket

    from tests.conftest import config_text

    for command in ("serve", "run"):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        install.write_config(config_text(install.database_url, extra=f'\n[review]\nport = {port}\n'))
        if command == "serve":
            install.run("init", check=True)
            for mail in (install.root / "inbox").rglob("*"):  # no mail: the daemon loads no language model
                if mail.is_file():
                    mail.unlink()
        proc = subprocess.Popen([sys.executable, "-m", "intake", command], cwd=install.root, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env={**os.environ, "UWAGI_CONFIG": str(install.config)})
        try:
            status = _wait_for(f"http://127.0.0.1:{port}/logowanie", proc)
        finally:
            proc.terminate()
            _, stderr = proc.communicate(timeout=120)  # a busy machine may be finishing a job
        assert status == 200, f"{command}: {stderr[-2000:]}"
