"""Exception types, one per kind of failure the user can act on."""

from __future__ import annotations


class ClipStudioError(Exception):
    """Base class: every error the core raises on purpose."""


class BadInputError(ClipStudioError):
    """The user's file or request cannot be used (missing, not a video, bad range). CLI exit 2."""


class OutputExistsError(BadInputError):
    """The target exists and the user did not ask to overwrite it."""


class InternalError(ClipStudioError):
    """Something went wrong on our side (ffmpeg failed, validation failed). CLI exit 1."""


class FfmpegError(InternalError):
    """ffmpeg exited non-zero; the message carries the tail of its stderr."""

    def __init__(self, message: str, stderr_tail: str = "") -> None:
        super().__init__(f"{message}\n{stderr_tail}".rstrip())
        self.stderr_tail = stderr_tail


class ValidationError(InternalError):
    """The rendered file broke one of the export rules; it is never kept."""


class Cancelled(ClipStudioError):
    """The user cancelled long-running work."""


class Stopped(KeyboardInterrupt):
    """A signal asked this process to stop (SIGTERM, SIGHUP): unwound like Ctrl+C, so every
    `finally` removes its temp files and stops its ffmpeg. A KeyboardInterrupt, not an
    Exception, so no `except Exception` on the way can swallow it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
