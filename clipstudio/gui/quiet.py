"""What the terminal shows while the window runs: the app's own messages only, unless
`clipstudio gui --verbose`. Qt's multimedia stack is chatty (missing optional libraries,
"PulseAudioService: pa_context_connect() failed", FFmpeg's dump of every opened file): that
goes to the log file (Help › Open the log folder) instead, and real errors still reach both.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger("qt")

# Qt's own categories that report normal conditions as warnings (no pipewire, no VA-API, no
# hardware decoder): off unless --verbose.
QUIET_LOGGING_RULES = ";".join((
    "qt.multimedia.*=false",
    "qt.multimedia.ffmpeg.*=false",
    "qt.qpa.*.debug=false",
))  # fmt: skip
# FFmpeg's log levels (libavutil/log.h): errors only, so "Input #0, mov,mp4..." stays out.
AV_LOG_ERROR = 16


def quiet_terminal() -> None:
    """Before the QApplication exists: Qt's rules and FFmpeg's level, in this process."""
    os.environ.setdefault("QT_LOGGING_RULES", QUIET_LOGGING_RULES)
    if "QT_FFMPEG_DEBUG" not in os.environ:
        ffmpeg_errors_only()


def ffmpeg_errors_only() -> bool:
    """Set the log level of the FFmpeg Qt's player uses (its own copy, beside Qt's libraries;
    PyAV's is another and logs nothing by default). Returns whether it was found."""
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.LibrariesPath))
    for library in sorted(folder.glob("*avutil*")):
        try:
            avutil = ctypes.CDLL(str(library))
        except OSError:
            continue
        avutil.av_log_set_level(AV_LOG_ERROR)
        return True
    log.debug("no FFmpeg library beside Qt's in %s", folder)
    return False


def route_qt_messages() -> None:
    """Qt's messages into the log file; only its critical and fatal ones on the terminal too."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.DEBUG,
        QtMsgType.QtWarningMsg: logging.INFO,
        QtMsgType.QtCriticalMsg: logging.WARNING,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }

    def handler(kind: QtMsgType, context: object, message: str) -> None:
        level = levels.get(kind, logging.INFO)
        log.log(level, "%s", message)
        if level >= logging.WARNING:
            print(f"Qt: {message}", flush=True, file=sys.stderr)

    qInstallMessageHandler(handler)
