"""The one place that runs external processes: progress, cancellation, stderr kept for errors."""

from __future__ import annotations

import collections
import logging
import shlex
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from clipstudio.core.errors import Cancelled, FfmpegError
from clipstudio.core.progress import CancelToken, ProgressCallback

log = logging.getLogger(__name__)
# How many stderr lines to quote when a process fails: enough for ffmpeg's real complaint.
STDERR_TAIL_LINES = 25
# How often the cancel token is polled; cancellation must stop the process within a second.
CANCEL_POLL_S = 0.1
# After terminate(), how long to wait before kill().
TERMINATE_GRACE_S = 0.5


@dataclass(frozen=True)
class ProcessResult:
    returncode: int
    stderr: str
    elapsed: float


class EtaClock:
    """Turns fractions of work done into seconds remaining (straight-line, from the start)."""

    def __init__(self) -> None:
        self.started = time.monotonic()

    def remaining(self, fraction: float) -> float | None:
        if fraction <= 0.01:
            return None
        elapsed = time.monotonic() - self.started
        return max(0.0, elapsed / fraction - elapsed)


def run_process(
    args: Sequence[str],
    *,
    description: str,
    on_stdout_line: Callable[[str], None] | None = None,
    cancel: CancelToken | None = None,
    check: bool = True,
) -> ProcessResult:
    """Run `args` (a list, never a shell string). stdout lines go to `on_stdout_line`.

    Raises Cancelled (after the process is gone) when `cancel` fires, FfmpegError with the stderr
    tail when the exit status is non-zero and `check` is set.
    """
    started = time.monotonic()
    stderr_lines: collections.deque[str] = collections.deque()
    log.debug("%s: running %s", description, shlex.join(args))
    try:
        proc = subprocess.Popen(
            list(args),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
    except OSError as exc:
        raise FfmpegError(f"{description}: could not start {args[0]}: {exc}") from exc

    def pump_stderr() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            stderr_lines.append(line.rstrip("\n"))

    def pump_stdout() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if on_stdout_line is not None:
                on_stdout_line(line.rstrip("\n"))

    readers = [threading.Thread(target=pump_stderr, daemon=True)]
    readers.append(threading.Thread(target=pump_stdout, daemon=True))
    for reader in readers:
        reader.start()
    cancelled = False
    while True:
        try:
            proc.wait(timeout=CANCEL_POLL_S)
            break
        except subprocess.TimeoutExpired:
            if cancel is not None and cancel.cancelled:
                cancelled = True
                _stop(proc)
                break
    for reader in readers:
        reader.join(timeout=5)
    stderr = "\n".join(stderr_lines)
    result = ProcessResult(proc.returncode, stderr, time.monotonic() - started)
    if cancelled:
        raise Cancelled(f"{description}: cancelled")
    if check and proc.returncode != 0:
        tail = "\n".join(list(stderr_lines)[-STDERR_TAIL_LINES:])
        raise FfmpegError(f"{description} failed (exit status {proc.returncode}):", tail)
    return result


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=TERMINATE_GRACE_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def progress_parser(
    total_seconds: float, progress: ProgressCallback | None
) -> Callable[[str], None]:
    """A stdout-line handler for ffmpeg's `-progress pipe:1` key=value stream."""

    furthest = 0.0

    def handle(line: str) -> None:
        nonlocal furthest
        if progress is None or total_seconds <= 0:
            return
        key, _, value = line.partition("=")
        if key == "out_time_us" and value.strip().lstrip("-").isdigit():
            # ffmpeg's out_time follows whichever stream it muxed last and can step back a
            # little (seen once in a full run: the bar went backwards); a bar only goes forward.
            furthest = max(furthest, min(1.0, int(value) / 1e6 / total_seconds))
            progress(furthest)
        elif key == "progress" and value.strip() == "end":
            furthest = 1.0
            progress(1.0)

    return handle
