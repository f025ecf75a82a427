"""The one place that runs external processes: progress, cancellation, stderr kept for errors."""

from __future__ import annotations

import collections
import contextlib
import ctypes
import logging
import os
import shlex
import signal
import subprocess
import sys
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
# After terminate(), how long to wait before kill(): ffmpeg checks for SIGTERM between frames,
# and a frame that libass spends minutes on (300 000 overlapping cues) never gets there.
TERMINATE_GRACE_S = 0.5
# Linux prctl(2) option: the signal a child receives when the thread that started it dies.
PR_SET_PDEATHSIG = 1


# --- children die with their parent -----------------------------------------------------------
# Linux: each child is put in its own process group (so stopping it reaches anything it
# started) and asks the kernel, with prctl(PR_SET_PDEATHSIG), for SIGKILL when its parent dies,
# even by kill -9. Windows: every child is assigned to one job object created with
# JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE; the job closes when this process ends, however it ends,
# and takes the children (and theirs) with it. macOS has neither: the child gets its own process
# group, which every exit path this process sees (Ctrl+C, SIGTERM, SIGHUP, an exception) kills;
# a kill -9 of this process leaves it to run out (the closest equivalent, kqueue's NOTE_EXIT,
# needs a watcher process of its own). Tested here: Linux.

_libc_prctl = None
if sys.platform.startswith("linux"):
    with contextlib.suppress(OSError, AttributeError):
        _libc_prctl = ctypes.CDLL(None, use_errno=True).prctl


def die_with_parent(parent_pid: int, death_signal: int = signal.SIGKILL) -> None:
    """In a child (Linux): ask for `death_signal` when the parent dies; if it already has
    (the parent went between fork and here), go now. Elsewhere: nothing."""
    if _libc_prctl is None:
        return
    _libc_prctl(PR_SET_PDEATHSIG, int(death_signal), 0, 0, 0)
    if os.getppid() != parent_pid:
        os.kill(os.getpid(), death_signal)


def _child_preexec(parent_pid: int) -> Callable[[], None]:
    def preexec() -> None:  # runs in the forked child before exec: keep it tiny
        die_with_parent(parent_pid)

    return preexec


_windows_job: int | None = None


def bind_to_this_process(pid: int) -> None:
    """Windows: put process `pid` in this process's kill-on-close job. Elsewhere: nothing
    (Linux children bind themselves with die_with_parent)."""
    if sys.platform != "win32":
        return
    global _windows_job
    kernel32 = ctypes.windll.kernel32
    if _windows_job is None:
        _windows_job = _new_kill_on_close_job(kernel32)
    handle = kernel32.OpenProcess(0x0001 | 0x0100, False, pid)  # TERMINATE | SET_QUOTA
    if handle:
        kernel32.AssignProcessToJobObject(_windows_job, handle)
        kernel32.CloseHandle(handle)


def _new_kill_on_close_job(kernel32: object) -> int:
    """A job object whose processes are all killed when its last handle (ours) closes."""

    class BasicLimits(ctypes.Structure):
        _fields_ = [
            ("PerProcessUserTimeLimit", ctypes.c_int64),
            ("PerJobUserTimeLimit", ctypes.c_int64),
            ("LimitFlags", ctypes.c_uint32),
            ("MinimumWorkingSetSize", ctypes.c_size_t),
            ("MaximumWorkingSetSize", ctypes.c_size_t),
            ("ActiveProcessLimit", ctypes.c_uint32),
            ("Affinity", ctypes.c_size_t),
            ("PriorityClass", ctypes.c_uint32),
            ("SchedulingClass", ctypes.c_uint32),
        ]

    class ExtendedLimits(ctypes.Structure):
        _fields_ = [
            ("BasicLimitInformation", BasicLimits),
            ("IoInfo", ctypes.c_uint64 * 6),
            ("ProcessMemoryLimit", ctypes.c_size_t),
            ("JobMemoryLimit", ctypes.c_size_t),
            ("PeakProcessMemoryUsed", ctypes.c_size_t),
            ("PeakJobMemoryUsed", ctypes.c_size_t),
        ]

    job = kernel32.CreateJobObjectW(None, None)  # type: ignore[attr-defined]
    limits = ExtendedLimits()
    limits.BasicLimitInformation.LimitFlags = 0x2000  # JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
    kernel32.SetInformationJobObject(  # type: ignore[attr-defined]
        job,
        9,
        ctypes.byref(limits),
        ctypes.sizeof(limits),  # JobObjectExtendedLimitInformation
    )
    return int(job)


def _spawn_options() -> dict[str, object]:
    """Popen options that tie a child's life to ours (see above)."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    options: dict[str, object] = {"process_group": 0}
    if _libc_prctl is not None:
        options["preexec_fn"] = _child_preexec(os.getpid())
    return options


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
            **_spawn_options(),  # type: ignore[call-overload]
        )
    except OSError as exc:
        raise FfmpegError(f"{description}: could not start {args[0]}: {exc}") from exc
    bind_to_this_process(proc.pid)

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
    try:
        while True:
            try:
                proc.wait(timeout=CANCEL_POLL_S)
                break
            except subprocess.TimeoutExpired:
                if cancel is not None and cancel.cancelled:
                    cancelled = True
                    _stop(proc)
                    break
    except BaseException:
        # Ctrl+C, SIGTERM or SIGHUP turned into an exception while we waited: the process
        # must not run on without us (it rendered for 35 s after a kill -TERM once).
        _stop(proc)
        raise
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
    """SIGTERM to the child's process group, SIGKILL after the grace; on Windows terminate()."""
    _signal_group(proc, signal.SIGTERM)
    try:
        proc.wait(timeout=TERMINATE_GRACE_S)
    except subprocess.TimeoutExpired:
        _signal_group(proc, getattr(signal, "SIGKILL", signal.SIGTERM))
        proc.wait()


def _signal_group(proc: subprocess.Popen[str], signum: int) -> None:
    if proc.poll() is not None:
        return  # reaped: its pid may already be someone else's
    if sys.platform == "win32":
        proc.terminate()
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signum)


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
