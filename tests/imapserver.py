"""A private, loopback-only Dovecot IMAP server for tests and benchmarks.

Why: the intake service polls a real IMAP mailbox, and UID/UIDVALIDITY/flag semantics are
only trustworthy against a real server.  Each instance has its own config, base_dir, pid
file, log and Maildir under ``state_dir`` and never touches the system dovecot service.
Dovecot refuses to serve mail as uid 0, so mail is owned by an unprivileged OS account
(created with ``useradd --system`` on first use; needs root).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from imapclient import IMAPClient

_APPENDUID = re.compile(rb"APPENDUID \d+ (\d+)")


def dovecot_available() -> bool:
    """True when the Debian ``dovecot`` binary (dovecot-imapd) is installed."""
    return shutil.which("dovecot") is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pid_alive(pid: int) -> bool:
    """Running and not a zombie (PID 1 in some containers reaps daemons only lazily)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


def _make_traversable(path: Path) -> None:
    """Add o+x to ``path`` and its ancestors so the mail/auth users can reach it (e.g. 0700
    pytest temp dirs).  Only the search bit is added; nothing becomes listable."""
    for p in (path, *path.parents):
        mode = p.stat().st_mode
        if not mode & 0o001:
            os.chmod(p, (mode & 0o7777) | 0o001)


def ensure_os_user(name: str, home: Path) -> tuple[int, int]:
    """(uid, gid) of ``name``; creates a system account if missing.  Concurrent useradd
    calls (xdist workers, parallel sessions) were seen to create two accounts, so serialise."""
    with open("/tmp/.uwagi-useradd.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            pw = pwd.getpwnam(name)
        except KeyError:
            proc = subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir", str(home),
                                   "--shell", "/usr/sbin/nologin", name], capture_output=True, text=True)
            if proc.returncode not in (0, 9):  # 9: already exists (made by a process not using this lock)
                raise RuntimeError(f"cannot create OS user {name!r}: {proc.stderr.strip()}") from None
            pw = pwd.getpwnam(name)
    return pw.pw_uid, pw.pw_gid


class PrivateDovecot:
    """One Dovecot instance serving a single IMAP user from ``state_dir/home/Maildir``."""

    host = "127.0.0.1"

    def __init__(self, state_dir: Path | str, user: str = "ug", password: str = "ugpass",
                 os_user: str = "ugmail", tls: bool = False) -> None:
        self.state_dir = Path(state_dir).absolute()
        self.user, self.password, self.os_user, self.tls = user, password, os_user, tls
        self.port: int | None = None
        self.tls_port: int | None = None  # implicit TLS; STARTTLS works on .port when tls=True
        self.conf = self.state_dir / "dovecot.conf"
        self.pidfile = self.state_dir / "run" / "master.pid"
        self.logfile = self.state_dir / "log" / "dovecot.log"
        self.home = self.state_dir / "home"
        self.maildir = self.home / "Maildir"
        self._info = self.state_dir / "instance.json"
        self.start_warnings = ""  # dovecot's stderr at start (config warnings)

    def pid(self) -> int | None:
        with contextlib.suppress(OSError, ValueError):
            pid = int(self.pidfile.read_text().strip())
            return pid if _pid_alive(pid) else None
        return None

    def running(self) -> bool:
        return self.pid() is not None

    def prepare(self) -> None:
        """Create the OS user, directories and Maildir skeleton (no server start)."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.uid, self.gid = ensure_os_user(self.os_user, self.home)
        for sub in ("home/Maildir/cur", "home/Maildir/new", "home/Maildir/tmp", "log", "state"):
            (self.state_dir / sub).mkdir(parents=True, exist_ok=True)
        for root, dirs, files in os.walk(self.home):
            for n in (*dirs, *files):
                os.lchown(os.path.join(root, n), self.uid, self.gid)
        os.chown(self.home, self.uid, self.gid)
        os.chmod(self.home, 0o711)
        _make_traversable(self.state_dir)
        users = self.state_dir / "users"
        users.write_text(f"{self.user}:{{PLAIN}}{self.password}\n")
        os.chmod(users, 0o640)
        shutil.chown(users, group="dovecot")  # the auth process runs as dovecot

    def start(self, timeout: float = 10.0) -> PrivateDovecot:
        """Start (or attach to an already running instance in ``state_dir``)."""
        if self.running() and self._info.exists():
            info = json.loads(self._info.read_text())
            self.port, self.tls_port = info["port"], info.get("tls_port")
            self.uid, self.gid = ensure_os_user(self.os_user, self.home)
            return self
        self.prepare()
        if self.port is None:  # keep the port across stop()/start()
            self.port = _free_port()
            self.tls_port = _free_port() if self.tls else None
        self._write_conf()
        # The daemon inherits stdio: a pipe here would never reach EOF, so use a file.
        errfile = self.state_dir / "log" / "start.err"
        with open(errfile, "wb") as err:
            rc = subprocess.run(["dovecot", "-c", str(self.conf)], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err).returncode
        self.start_warnings = errfile.read_text(errors="replace").strip()
        if rc != 0:
            raise RuntimeError(f"dovecot failed to start: {self.start_warnings}\n{self.log_tail()}")
        self._info.write_text(json.dumps({"port": self.port, "tls_port": self.tls_port}))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.running() and self._listening(self.port):
                return self
            time.sleep(0.05)
        raise RuntimeError(f"dovecot did not come up on port {self.port}\n{self.log_tail()}")

    def stop(self, timeout: float = 10.0) -> None:
        pid = self.pid()
        if pid is None:
            return
        # = `dovecot stop`, minus its wait for the zombie to be reaped (seconds here; exit ~1 s)
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _pid_alive(pid) or (self.port and self._listening(self.port)):
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                break
            time.sleep(0.02)

    def __enter__(self) -> PrivateDovecot:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log_tail(self, n: int = 30) -> str:
        lines = self.logfile.read_text(errors="replace").splitlines() if self.logfile.exists() else []
        return "\n".join(lines[-n:])

    def _listening(self, port: int) -> bool:
        with socket.socket() as s:
            s.settimeout(0.5)
            return s.connect_ex((self.host, port)) == 0

    def _tls_conf(self) -> str:
        if not self.tls:
            return "ssl = no\n"
        cert, key = self.state_dir / "cert.pem", self.state_dir / "key.pem"
        if not cert.exists():
            subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                            "ec_paramgen_curve:prime256v1", "-nodes", "-days", "30", "-subj", "/CN=127.0.0.1",
                            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key),
                            "-out", str(cert)], check=True, capture_output=True)
            os.chmod(key, 0o600)
        return f"ssl = yes\nssl_cert = <{cert}\nssl_key = <{key}\nssl_dh = </usr/share/dovecot/dh.pem\n"

    def _write_conf(self) -> None:
        d = self.state_dir
        self.conf.write_text(f"""base_dir = {d}/run
state_dir = {d}/state
log_path = {self.logfile}
protocols = imap
listen = 127.0.0.1
{self._tls_conf()}disable_plaintext_auth = no
auth_mechanisms = plain login
login_trusted_networks = 127.0.0.0/8
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = {self.uid}
last_valid_uid = {self.uid}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = .
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/users
}}
userdb {{
  driver = static
  args = uid={self.uid} gid={self.gid} home={self.home}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.tls_port or 0}
  }}
}}
protocol imap {{
  mail_max_userip_connections = 100
}}
""")

    def client(self, tls: bool = False, starttls: bool = False, timeout: float = 30.0) -> IMAPClient:
        """A logged-in IMAPClient (plain by default; ``tls``: implicit TLS on ``tls_port``)."""
        ctx = ssl.create_default_context()
        ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
        if tls:
            c = IMAPClient(self.host, self.tls_port, ssl=True, ssl_context=ctx, timeout=timeout)
        else:
            c = IMAPClient(self.host, self.port, ssl=False, timeout=timeout)
            if starttls:
                c.starttls(ctx)
        c.login(self.user, self.password)
        return c

    def append(self, raw: bytes, folder: str = "INBOX", flags: Iterable = (),
               msg_time: datetime | None = None) -> int:
        """APPEND one message and return its UID (from the UIDPLUS APPENDUID response)."""
        with self.client() as c:
            resp = c.append(folder, raw, flags=tuple(flags), msg_time=msg_time)
        if not (m := _APPENDUID.search(resp if isinstance(resp, bytes) else str(resp).encode())):
            raise RuntimeError(f"no APPENDUID in {resp!r}")
        return int(m.group(1))

    def flags_of_all(self, folder: str = "INBOX") -> dict[int, tuple]:
        with self.client() as c:
            c.select_folder(folder, readonly=True)
            uids = c.search()
            return {uid: d[b"FLAGS"] for uid, d in c.fetch(uids, ["FLAGS"]).items()} if uids else {}

    def uids(self, folder: str = "INBOX") -> list[int]:
        with self.client() as c:
            c.select_folder(folder, readonly=True)
            return sorted(c.search())

    def uidvalidity(self, folder: str = "INBOX") -> int:
        with self.client() as c:
            return c.folder_status(folder, [b"UIDVALIDITY"])[b"UIDVALIDITY"]

    def create_folder(self, name: str) -> None:
        with self.client() as c:
            if not c.folder_exists(name):
                c.create_folder(name)

    def clear(self) -> None:
        """Empty INBOX and delete every other folder: a clean mailbox for the next test."""
        with self.client() as c:
            for name in sorted((f[2] for f in c.list_folders()), key=len, reverse=True):  # children first
                if name.upper() != "INBOX":
                    c.delete_folder(name)
            c.select_folder("INBOX")
            if c.search():  # silent: imapclient 4.1 rejects ranges when it parses the reply
                c.add_flags("1:*", [b"\\Deleted"], silent=True)
                c.expunge()

    def reset_uidvalidity(self, folder: str = "INBOX") -> tuple[int, int]:
        """Make the server present a new UIDVALIDITY for the same messages (as after a server
        migration/restore): stop, drop the uidlist and index files, start.  Returns (old, new)."""
        old = self.uidvalidity(folder)
        self.stop()
        fdir = self.maildir if folder.upper() == "INBOX" else self.maildir / f".{folder}"
        for f in fdir.iterdir():
            if f.is_file() and (f.name == "dovecot-uidlist" or f.name.startswith("dovecot.index")):
                f.unlink()
        self.start()
        new = self.uidvalidity(folder)
        if new == old:
            raise RuntimeError(f"UIDVALIDITY did not change ({old})")
        return old, new
