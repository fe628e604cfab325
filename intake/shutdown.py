"""SIGTERM and SIGINT ask a running command to stop after its current batch (nothing half-done).

The fetch checks `STOP` between batches (each batch is kept with its watermark in one
transaction) and the runner stops claiming, lets the workers finish their message and stores it.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

STOP = threading.Event()


def stopping() -> bool:
    return STOP.is_set()


def install() -> None:
    """Turn SIGTERM/SIGINT into a stop request (main thread only); a second SIGINT interrupts."""

    def request(signum: int, _frame: FrameType | None) -> None:
        if signum == signal.SIGINT and STOP.is_set():
            raise KeyboardInterrupt
        STOP.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, request)
        signal.signal(signal.SIGINT, request)
