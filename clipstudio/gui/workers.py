"""Background work: a QRunnable that calls one core function and reports through Qt signals.

The GUI thread never runs media work. Each task gets its own CancelToken; progress is thinned out
so a chatty core call cannot flood the event loop.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from clipstudio.core.errors import BadInputError, Cancelled
from clipstudio.core.progress import CancelToken, ProgressCallback

log = logging.getLogger(__name__)

# Progress reaches the GUI at most this often (seconds); more is invisible and costs event-loop time.
PROGRESS_INTERVAL_S = 0.05

# A task is a core call taking (progress, cancel) and returning a plain result.
TaskFunction = Callable[[ProgressCallback, CancelToken], Any]


class WorkerSignals(QObject):
    progress = Signal(float)
    finished = Signal(object)  # the core call's result
    # plain-words message, technical details, and whether it was the user's input (not our bug)
    failed = Signal(str, str, bool)
    cancelled = Signal()
    done = Signal()  # after any of the three above


class Worker(QRunnable):
    """Runs `function(progress, cancel)` on the thread pool."""

    def __init__(self, name: str, function: TaskFunction) -> None:
        super().__init__()
        self.name = name
        self.function = function
        self.cancel_token = CancelToken()
        self.signals = WorkerSignals()
        self._last_progress_at = 0.0
        self.setAutoDelete(False)  # the Python side keeps it alive until `done`

    def cancel(self) -> None:
        self.cancel_token.cancel()

    def _progress(self, fraction: float) -> None:
        now = time.monotonic()
        if fraction >= 1.0 or now - self._last_progress_at >= PROGRESS_INTERVAL_S:
            self._last_progress_at = now
            self.signals.progress.emit(float(fraction))

    def run(self) -> None:
        started = time.monotonic()
        try:
            result = self.function(self._progress, self.cancel_token)
        except Cancelled:
            self.signals.cancelled.emit()
        except BadInputError as exc:
            self.signals.failed.emit(_sentence(str(exc)), traceback.format_exc(), True)
        except Exception as exc:
            log.exception("task %s failed", self.name)
            self.signals.failed.emit(
                f"Something went wrong while {self.name[:1].lower()}{self.name[1:]}.",
                _details(exc),
                False,
            )
        else:
            # In the log a volunteer can send us, and what the frozen build's test looks for.
            log.info("task %s finished in %.1f s", self.name, time.monotonic() - started)
            self.signals.finished.emit(result)
        self.signals.done.emit()


def _sentence(text: str) -> str:
    text = text.strip().split("\n")[0]
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def _details(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))


class TaskRunner(QObject):
    """Starts workers on one pool and keeps them alive while they run."""

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self.running: set[Worker] = set()

    def start(self, worker: Worker) -> Worker:
        self.running.add(worker)
        worker.signals.done.connect(lambda: self.running.discard(worker))
        log.info("start task: %s", worker.name)
        self.pool.start(worker)
        return worker

    def cancel_all(self) -> None:
        for worker in list(self.running):
            worker.cancel()

    def wait(self, timeout_ms: int = 10_000) -> bool:
        return self.pool.waitForDone(timeout_ms)
