"""Reference throughput: how fast mbsync (isync) copies the same mailbox to a local Maildir.

Why: gives the intake's IMAP fetch rate a yardstick from a mature C client on the same
machine and server.  ``Sync Pull`` + BODY.PEEK means mbsync never sets \\Seen on the server;
``--check-flags`` verifies that.

    .venv/bin/python bench/mbsync_reference.py --state-dir var/bench/dovecot
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.imapserver import PrivateDovecot


def write_config(host: str, port: int, user: str, password: str, workdir: Path,
                 fsync: bool = True) -> Path:
    """An isync 1.4 config pulling INBOX from the server into ``workdir/maildir``.
    ``fsync=False`` drops mbsync's per-message fsync, which dominates its run time here."""
    near = workdir / "maildir"
    conf = workdir / "mbsyncrc"
    conf.write_text(f"""FSync {"yes" if fsync else "no"}

IMAPAccount far
Host {host}
Port {port}
User {user}
Pass "{password}"
SSLType None
AuthMechs LOGIN PLAIN

IMAPStore far
Account far

MaildirStore near
Path {near}/
Inbox {near}/INBOX
SubFolders Verbatim

Channel pull
Far :far:
Near :near:
Patterns INBOX
Sync Pull
Create Near
Expunge None
SyncState *
""")
    os.chmod(conf, 0o600)
    return conf


def mbsync_rate(host: str, port: int, user: str, password: str,
                workdir: Path | str, fsync: bool = True) -> tuple[int, float, float]:
    """Copy the mailbox from scratch with ``mbsync -a``; returns (messages, seconds, msg/s)."""
    workdir = Path(workdir).absolute()
    shutil.rmtree(workdir, ignore_errors=True)
    (workdir / "maildir").mkdir(parents=True)  # mbsync needs the store root to exist
    conf = write_config(host, port, user, password, workdir, fsync)
    t0 = time.perf_counter()
    proc = subprocess.run(["mbsync", "-q", "-c", str(conf), "-a"], capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"mbsync failed ({proc.returncode}): {proc.stderr.strip()}")
    inbox = workdir / "maildir" / "INBOX"
    messages = sum(1 for sub in ("cur", "new") for _ in (inbox / sub).iterdir())
    return messages, seconds, messages / seconds if seconds else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--state-dir", type=Path, default=Path("var/bench/dovecot"),
                    help="a running instance built by bench/imap_mailbox.py")
    ap.add_argument("--workdir", type=Path, default=Path("var/bench/mbsync"))
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--no-fsync", dest="fsync", action="store_false", help="mbsync FSync no")
    ap.add_argument("--no-check-flags", dest="check_flags", action="store_false")
    args = ap.parse_args(argv)
    if shutil.which("mbsync") is None:
        raise SystemExit("mbsync not found (apt-get install isync)")
    srv = PrivateDovecot(args.state_dir)
    if not srv.running():
        raise SystemExit(f"no running Dovecot in {args.state_dir}: run bench/imap_mailbox.py first")
    srv.start()  # attach: reads the port
    for _ in range(args.runs):
        n, secs, rate = mbsync_rate(srv.host, srv.port, srv.user, srv.password, args.workdir, args.fsync)
        print(f"mbsync (FSync {'yes' if args.fsync else 'no'}): {n} messages in {secs:.2f}s "
              f"= {rate:,.0f} msg/s")
    if args.check_flags:
        seen = sum(b"\\Seen" in f for f in srv.flags_of_all().values())
        print(f"server messages with \\Seen after mbsync: {seen}")
        if seen:
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
