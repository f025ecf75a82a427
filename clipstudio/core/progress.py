"""Progress and cancellation shared by every long-running core call."""

from __future__ import annotations

import threading
from collections.abc import Callable

from clipstudio.core.errors import Cancelled

# Called with a fraction 0..1 of the work done. Never prints: the CLI draws a bar, the GUI a signal.
ProgressCallback = Callable[[float], None]


def no_progress(_fraction: float) -> None:
    """Default progress sink."""


class CancelToken:
    """Thread-safe flag the caller sets; long work polls it and raises Cancelled."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled("cancelled")

    def wait(self, timeout: float) -> bool:
        """Sleep up to `timeout` seconds; returns True early if cancelled."""
        return self._event.wait(timeout)


def scaled(progress: ProgressCallback, start: float, end: float) -> ProgressCallback:
    """Map a sub-task's 0..1 onto [start, end] of the parent's progress."""

    def report(fraction: float) -> None:
        progress(start + (end - start) * min(1.0, max(0.0, fraction)))

    return report
