"""Run a long core call in a child process, with progress and cancellation as if it were local.

Why: PyAV decoding, Whisper and numpy hold the GIL for long stretches; in the GUI's process that
froze the window for 0.3-1.5 s at a time (measured with a 10 ms QTimer). In a child process they
cannot touch the GUI's event loop. Results and exceptions come back pickled, so the caller sees
the same dataclasses and the same exception types (BadInputError, Cancelled, FfmpegError...).
"""

from __future__ import annotations

import importlib
import inspect
import multiprocessing
import os
import pickle
import queue
import signal
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from clipstudio.core.errors import Cancelled, InternalError, Stopped
from clipstudio.core.process import bind_to_this_process, die_with_parent
from clipstudio.core.progress import CancelToken, ProgressCallback, no_progress

# Progress messages sent at most this often: more is invisible and costs pickling.
PROGRESS_INTERVAL_S = 0.05
# How often the parent looks for messages and for the user's cancel.
POLL_S = 0.05
# After a cancel request, the child gets this long to stop by itself (it stops its ffmpeg and
# removes temp files) before it is terminated.
CANCEL_GRACE_S = 5.0
# Unix niceness of the worker processes (0 normal .. 19 lowest).
BACKGROUND_NICENESS = 10
# A worker whose parent died has this long to clean up before it exits regardless.
ORPHAN_EXIT_S = 10.0
SIGNAL_EXIT_BASE = 128


def run_isolated(
    target: str,
    kwargs: dict[str, Any],
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Any:
    """Call `module:function` in a spawned child with `progress=` and `cancel=` added to
    `kwargs` when it takes them; return its result or raise its exception here."""
    context = multiprocessing.get_context("spawn")
    messages = context.Queue()
    # The cancel request is one shared byte, not a multiprocessing Event: Event.set() waits for
    # every process sleeping in Event.wait() to wake, and a child that had already exited (its
    # work done, its watcher thread killed mid-wait) never does, so a cancel that raced the
    # end of a task froze the window's worker thread for good (seen in the GUI tests: py-spy
    # showed run_isolated inside Condition.notify). A byte has no lock a dead child can hold.
    stop = stop_flag(context)
    child = context.Process(
        target=_child_main, args=(target, kwargs, messages, stop, os.getpid()), daemon=True
    )
    child.start()
    assert child.pid is not None
    bind_to_this_process(child.pid)  # Windows: the job object; Linux: the child binds itself
    progress = progress or no_progress
    cancel_sent_at: float | None = None
    try:
        while True:
            if cancel is not None and cancel.cancelled and cancel_sent_at is None:
                request_stop(stop)
                cancel_sent_at = time.monotonic()
            if cancel_sent_at is not None and time.monotonic() - cancel_sent_at > CANCEL_GRACE_S:
                child.terminate()
                raise Cancelled("cancelled")
            try:
                kind, payload = messages.get(timeout=POLL_S)
            except queue.Empty:
                if not child.is_alive() and messages.empty():
                    raise InternalError(
                        f"the background process stopped unexpectedly (exit code {child.exitcode})"
                    ) from None
                continue
            if kind == "progress":
                progress(payload)
            elif kind == "result":
                progress(1.0)
                return payload
            elif kind == "error":
                exception, details = payload
                if isinstance(exception, BaseException):
                    raise exception
                raise InternalError(details)
    finally:
        child.join(timeout=CANCEL_GRACE_S)
        if child.is_alive():
            child.terminate()
            child.join()
        messages.close()


def _child_main(
    target: str, kwargs: dict[str, Any], messages: Any, stop: Any, parent_pid: int
) -> None:
    # The window's process may die without a word (kill -9, a crash): the kernel then sends
    # this child SIGTERM (Linux; see process.py for the other systems), which unwinds the call
    # like a cancel, so its ffmpeg is stopped and its temp files removed.
    signal.signal(signal.SIGTERM, _stop_on_signal)
    die_with_parent(parent_pid, signal.SIGTERM)
    if hasattr(os, "nice"):
        # Background work yields the CPU to the window first: on two cores, five busy children
        # at normal priority kept the GUI thread waiting ~100 ms for a time slice. Its ffmpeg
        # processes inherit this; on an idle machine it costs nothing.
        os.nice(BACKGROUND_NICENESS)
    cancel = CancelToken()
    threading.Thread(target=watch_stop, args=(stop, cancel), daemon=True).start()
    last_sent = [0.0]

    def progress(fraction: float) -> None:
        now = time.monotonic()
        if fraction >= 1.0 or now - last_sent[0] >= PROGRESS_INTERVAL_S:
            last_sent[0] = now
            messages.put(("progress", float(fraction)))

    try:
        function = _resolve(target)
        accepts = inspect.signature(function).parameters
        extra = {"progress": progress, "cancel": cancel}
        result = function(**kwargs, **{k: v for k, v in extra.items() if k in accepts})
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent as it was
        details = traceback.format_exc()
        try:
            pickle.dumps(exc)  # Queue.put pickles later, in a thread: find out now
            messages.put(("error", (exc, details)))
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled: send its text
            messages.put(("error", (None, details)))
    else:
        messages.put(("result", result))
    messages.close()
    messages.join_thread()


def _stop_on_signal(signum: int, _frame: object) -> None:
    signal.signal(signum, signal.SIG_IGN)  # once: the clean-up it starts must finish
    # If the clean-up cannot finish (the parent's end of the queue is gone), leave anyway.
    deadline = threading.Timer(ORPHAN_EXIT_S, os._exit, args=(SIGNAL_EXIT_BASE + signum,))
    deadline.daemon = True
    deadline.start()
    raise Stopped(signum)


def stop_flag(context: Any) -> Any:
    """The parent's cancel request to one child (see run_isolated for why not an Event)."""
    return context.RawValue("b", 0)


def request_stop(stop: Any) -> None:
    """Never waits, whether the child is working, finished or killed."""
    stop.value = 1


def watch_stop(stop: Any, cancel: CancelToken) -> None:
    """In the child: turn the parent's request into a cancel of the running call."""
    while not stop.value:
        time.sleep(POLL_S)
    cancel.cancel()


def _resolve(target: str) -> Callable[..., Any]:
    module_name, _, function_name = target.partition(":")
    return getattr(importlib.import_module(module_name), function_name)
