"""Build a large IMAP mailbox on a private Dovecot for intake benchmarks.

Why write files instead of APPEND: APPEND over one IMAP connection ran at ~420 msg/s here
(10,000 messages ~24 s); writing Maildir files into ``cur/`` before Dovecot first sees
the folder takes about a second and Dovecot indexes them on the first SELECT.  Copies of
the 120 sample e-mails are cycled, each with a unique Message-ID so they are distinct.

    .venv/bin/python bench/imap_mailbox.py --count 10000 --state-dir var/bench/dovecot
    .venv/bin/python bench/imap_mailbox.py --state-dir var/bench/dovecot --stop
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import sys
import time
from email.utils import parsedate_to_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.imapserver import PrivateDovecot

_REPO = Path(__file__).resolve().parents[1]
CORPUS = next((p for p in (_REPO.parent / "shared" / "corpus" / "mail", _REPO / "tests" / "data" / "corpus")
               if p.is_dir()), _REPO / "tests" / "data" / "corpus")
_MSGID = re.compile(rb"^message-id:.*\n(?:[ \t].*\n)*", re.IGNORECASE | re.MULTILINE)
_DATE = re.compile(rb"^date:[ \t]*(.*)$", re.IGNORECASE | re.MULTILINE)


def load_samples(corpus: Path = CORPUS) -> list[tuple[str, bytes, bytes, float]]:
    """(stem, header-without-Message-ID, body, Date timestamp) per sample, LF line endings
    (Dovecot's own Maildir storage format: it stores LF and serves CRLF)."""
    out = []
    for path in sorted(corpus.glob("*.eml")):
        raw = path.read_bytes().replace(b"\r\n", b"\n")
        head, _, body = raw.partition(b"\n\n")
        head = _MSGID.sub(b"", head + b"\n")
        try:
            m = _DATE.search(head)
            ts = parsedate_to_datetime(m.group(1).decode("ascii", "replace").strip()).timestamp()
        except (AttributeError, TypeError, ValueError):
            ts = time.time()
        out.append((path.stem, head, b"\n" + body, ts))
    if not out:
        raise SystemExit(f"no *.eml samples in {corpus}")
    return out


def write_maildir(cur: Path, count: int, uid: int, gid: int) -> int:
    """Write ``count`` messages straight into ``cur/`` (unseen); returns bytes written."""
    samples = load_samples()
    host, pid, now, total = socket.gethostname().replace("/", "_").replace(":", "_"), os.getpid(), \
        int(time.time()), 0
    for i in range(count):
        stem, head, body, ts = samples[i % len(samples)]
        msgid = f"Message-ID: <bench.{i:06d}.{stem}@bench.uwagi.invalid>\n".encode()
        data = msgid + head + body
        vsize = len(data) + data.count(b"\n")  # size as served with CRLF
        name = f"{now}.M{i}P{pid}.{host},S={len(data)},W={vsize}:2,"
        fd = os.open(cur / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, data)
            os.fchown(fd, uid, gid)
        finally:
            os.close(fd)
        mtime = ts + i // len(samples)  # INTERNALDATE: the sample's Date, copies 1 s apart
        os.utime(cur / name, (mtime, mtime))
        total += len(data)
    return total


def build(state_dir: Path, count: int, rebuild: bool = False) -> PrivateDovecot:
    srv = PrivateDovecot(state_dir)
    if srv.running() and not rebuild:
        srv.start()  # attach
        with srv.client() as c:
            if c.folder_status("INBOX", [b"MESSAGES"])[b"MESSAGES"] == count:
                print(f"# reusing running instance with {count} messages", file=sys.stderr)
                return srv
    srv.stop()
    shutil.rmtree(srv.maildir, ignore_errors=True)
    srv.prepare()
    t0 = time.perf_counter()
    size = write_maildir(srv.maildir / "cur", count, srv.uid, srv.gid)
    t1 = time.perf_counter()
    srv.start()
    t2 = time.perf_counter()
    with srv.client() as c:
        exists = c.select_folder("INBOX", readonly=True)[b"EXISTS"]
        t3 = time.perf_counter()
        uids = c.search()  # imapclient 4.1 fetch() rejects "1:*" (ValueError): pass UIDs
        for k in range(0, len(uids), 2000):  # chunks stay under imap_max_line_length (64k)
            c.fetch(uids[k:k + 2000], ["FLAGS", "RFC822.SIZE", "INTERNALDATE"])
        t4 = time.perf_counter()
    if exists != count:
        raise SystemExit(f"expected {count} messages, server shows {exists}\n{srv.log_tail()}")
    print(f"# wrote {count} files ({size / 1e6:.1f} MB) in {t1 - t0:.2f}s; dovecot start "
          f"{t2 - t1:.2f}s; first SELECT (indexing) {t3 - t2:.2f}s; SEARCH+FETCH FLAGS/SIZE/DATE "
          f"{t4 - t3:.2f}s; total {t4 - t0:.2f}s", file=sys.stderr)
    return srv


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--state-dir", type=Path, default=Path("var/bench/dovecot"))
    ap.add_argument("--rebuild", action="store_true", help="rebuild even if a running instance matches")
    ap.add_argument("--stop", action="store_true", help="stop the instance in --state-dir and exit")
    args = ap.parse_args(argv)
    if args.stop:
        PrivateDovecot(args.state_dir).stop()
        print(f"# stopped {args.state_dir}", file=sys.stderr)
        return 0
    srv = build(args.state_dir, args.count, args.rebuild)
    print(f"IMAP_HOST={srv.host}\nIMAP_PORT={srv.port}\nIMAP_USER={srv.user}\nIMAP_PASS={srv.password}\n"
          f"MAILDIR={srv.maildir}\nDOVECOT_DIR={srv.state_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
