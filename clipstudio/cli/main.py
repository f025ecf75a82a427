"""Command line entry point: parse, run the command, map the core's errors to exit codes.

Exit status: 0 done, 1 internal failure (with ffmpeg's own words), 2 bad input or usage,
130 cancelled (Ctrl+C), 143 stopped by SIGTERM, 129 by SIGHUP (the terminal was closed). Every
failure is one `error:` line on stderr; a stopped run cleans up as a cancelled one does.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence

from clipstudio.cli.commands import HANDLERS
from clipstudio.cli.parser import build_parser
from clipstudio.core.errors import BadInputError, Cancelled, ClipStudioError, Stopped

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_CANCELLED = 0, 1, 2, 130
# POSIX shells report death by signal N as 128 + N; a run stopped by one exits the same way.
SIGNAL_EXIT_BASE = 128
# Signals that stop a run the way Ctrl+C does (SIGHUP: the terminal window was closed).
STOP_SIGNALS = {
    name: words
    for name, words in (("SIGTERM", "stopped (asked to quit)"),
                        ("SIGHUP", "stopped (the terminal was closed)"))
    if hasattr(signal, name)
}  # fmt: skip
# OS errors the user can act on (a full or read-only disk, permissions): bad input, exit 2.
USER_OS_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}

log = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        argv = ["gui"]  # `clipstudio` alone opens the window
    try:
        args = build_parser().parse_args(argv)
    except SystemExit:  # --help, --version or a usage error: stdout may still fail
        if not _flushed():
            raise SystemExit(EXIT_BAD_INPUT) from None
        raise
    if args.handler == "gui":
        return int(HANDLERS[args.handler](args) or EXIT_OK)  # Qt handles its own signals
    with _signals_stop_the_run():
        return _run(args)


def _run(args: object) -> int:
    try:
        code = int(HANDLERS[args.handler](args) or EXIT_OK)  # type: ignore[attr-defined]
        return code if _flushed() else EXIT_BAD_INPUT
    except Stopped as exc:
        name = signal.Signals(exc.signum).name
        _error(STOP_SIGNALS.get(name, "stopped"))
        return SIGNAL_EXIT_BASE + exc.signum
    except BadInputError as exc:
        _error(str(exc))
        return EXIT_BAD_INPUT
    except (Cancelled, KeyboardInterrupt):
        _error("cancelled")
        return EXIT_CANCELLED
    except ClipStudioError as exc:
        _error(f"internal failure: {exc}")
        return EXIT_INTERNAL
    except OSError as exc:
        from clipstudio.core.files import plain_os_error

        log.debug("unexpected OS error", exc_info=True)
        _error(plain_os_error(exc, exc.filename if exc.filename is not None else "the output"))
        return EXIT_BAD_INPUT if exc.errno in USER_OS_ERRORS else EXIT_INTERNAL


def _flushed() -> bool:
    """Flush stdout now, so a full disk or a closed pipe behind it is one `error:` line here
    rather than the interpreter's traceback at exit."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError) as exc:
        from clipstudio.core.files import plain_os_error

        words = plain_os_error(exc, "the output") if isinstance(exc, OSError) else str(exc)
        _error(f"could not write the output: {words}")
        return False
    return True


def _error(message: str) -> None:
    """The one `error:` line; the first line only, so a message can never become a page."""
    with contextlib.suppress(OSError, ValueError):  # stderr itself may be gone (SIGHUP)
        print(f"error: {message}", file=sys.stderr, flush=True)
    _silence_stdout()


def _silence_stdout() -> None:
    """After a write to stdout failed (a full disk, a closed pipe), point it at the null device
    so the interpreter's own flush at exit adds no second message."""
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
        return
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


@contextlib.contextmanager
def _signals_stop_the_run() -> Iterator[None]:
    """SIGTERM and SIGHUP raise Stopped in the main thread (as Ctrl+C raises
    KeyboardInterrupt); later ones are ignored so the clean-up they started can finish."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread (tests call main())
        return
    previous = {signal.SIGINT: signal.getsignal(signal.SIGINT)}

    def stop(signum: int, _frame: object) -> None:
        for name in STOP_SIGNALS:
            signal.signal(getattr(signal, name), signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise Stopped(signum)

    for name in STOP_SIGNALS:
        number = getattr(signal, name)
        previous[number] = signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
