"""Child processes die with the command that started them, however it ends (SIGKILL included).

Two guards, because each alone has a gap: the kernel's parent-death signal (PR_SET_PDEATHSIG) fires
when the forking *thread* exits and only for the direct parent; a watchdog thread polls whether
the command's process still exists and ends this one when it does not.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import threading
import time

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 1.0


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent goes (Linux; elsewhere a no-op)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def watch(owner_pid: int, seconds: float = WATCH_SECONDS) -> None:
    """End this process as soon as `owner_pid` is gone (a daemon thread; costs nothing while it lives)."""

    def loop() -> None:
        while True:
            if not _alive(owner_pid):
                os._exit(70)
            time.sleep(seconds)

    threading.Thread(target=loop, name="orphan-watch", daemon=True).start()


def guard(owner_pid: int) -> None:
    """Both guards, for a process forked on behalf of `owner_pid`."""
    die_with_parent()
    if not _alive(owner_pid):  # the owner died before the signal was armed
        os._exit(70)
    watch(owner_pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie still answers kill(0): its parent has not reaped it, but it is gone for our purpose
    with contextlib.suppress(OSError), open(f"/proc/{pid}/stat", "rb") as fh:
        return fh.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    return True


def forkserver_guard() -> None:
    """Imported in the fork server (see intake.forkserver_boot): it dies with the command too."""
    die_with_parent()
    if os.getppid() == 1:
        os._exit(70)
