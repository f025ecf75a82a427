"""Start the desktop app: logging, the QApplication, the main window, clips from the command line."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import time
from pathlib import Path

from clipstudio import __version__
from clipstudio.core.paths import log_dir

# Kept small: a volunteer's laptop is not a log server; a few runs' worth is enough to help them.
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3
# CLIPSTUDIO_SCREENSHOT=PATH: save a picture of the window once the clip is loaded, then quit
# (used by the Xvfb test and for documentation pictures).
SCREENSHOT_ENV = "CLIPSTUDIO_SCREENSHOT"
# CLIPSTUDIO_SCREENSHOT_TAB=checks|captions|export|post: which work panel the picture shows.
SCREENSHOT_TAB_ENV = "CLIPSTUDIO_SCREENSHOT_TAB"
# CLIPSTUDIO_SCREENSHOT_END_CARD=1: the picture shows the clip's end card in the preview.
SCREENSHOT_END_CARD_ENV = "CLIPSTUDIO_SCREENSHOT_END_CARD"
# CLIPSTUDIO_REPORT_READY=1: print "window ready <unix time>" once the window has painted, then
# quit (make bench times the frozen app's start with it; the frozen app cannot run a script).
REPORT_READY_ENV = "CLIPSTUDIO_REPORT_READY"
# Give up waiting for background work before a screenshot after this long.
SCREENSHOT_TIMEOUT_MS = 120_000
# Let the preview paint a frame after the last task finished.
SCREENSHOT_SETTLE_MS = 1500

_started = time.monotonic()


def setup_logging() -> Path:
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "clipstudio.log"
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if not any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def create_window(paths: list[str] | None = None, restore: bool = False):  # noqa: ANN201
    """The main window with the saved settings and brand kit, and `paths` opened (the
    QApplication must exist). The window is given both, so it never reads the user's files.
    `restore`: first reopen the clips open when the app was last closed (the real start does;
    tests ask for it). The look follows the kit's accent and the system's light or dark."""
    from clipstudio.gui.main_window import MainWindow
    from clipstudio.gui.settings import load_settings
    from clipstudio.gui.theme import apply_theme
    from clipstudio.gui.workspace import load_brand_kit

    settings = load_settings()
    kit, kit_problem = load_brand_kit()
    apply_theme(kit)
    window = MainWindow(settings, kit, kit_problem)
    if restore:
        window.restore_clips()
    if paths:
        window.add_clips(list(paths))
    return window


# Heavy core modules imported once on a worker right after the window shows: importing a C
# extension holds the GIL, so doing it before the user acts keeps clicks (export) stall-free.
WARM_UP_MODULES = (
    "av",
    "numpy",
    "clipstudio.core.media.probe",
    "clipstudio.core.media.preview",
    "clipstudio.core.export.render",
    "clipstudio.core.analysis.report",
    "clipstudio.core.speech.transcribe",
)


def warm_up_imports(window) -> None:  # noqa: ANN001
    """Import WARM_UP_MODULES in the background (missing optional ones are skipped)."""
    import importlib

    from clipstudio.gui.workers import Worker

    def load(progress, cancel) -> None:  # noqa: ANN001
        for name in WARM_UP_MODULES:
            if cancel.cancelled:
                return
            try:
                importlib.import_module(name)
            except ImportError:
                logging.getLogger(__name__).warning("warm-up: %s is not importable", name)

    window.tasks.start(Worker("Getting ready", load))


def app_icon():  # noqa: ANN201
    """The window and taskbar icon, from the committed PNG renders (no SVG plugin needed)."""
    from PySide6.QtGui import QIcon

    from clipstudio.resources import app_icon_files

    icon = QIcon()
    for path in app_icon_files():
        icon.addFile(str(path))
    return icon


def ensure_application():  # noqa: ANN201
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Clip Studio")
    app.setOrganizationName("clipstudio")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("clipstudio")
    app.setWindowIcon(app_icon())
    return app


def run_app(paths: list[str], verbose: bool = False) -> int:
    """Open the window with the clips open at the last close and `paths`, and run until it
    closes. Returns the exit status. Unless `verbose`, the terminal shows only the app's own
    messages (gui/quiet.py); everything is in the log file either way."""
    from clipstudio.gui.quiet import quiet_terminal, route_qt_messages
    from clipstudio.gui.theme import follow_system_scheme

    log_file = setup_logging()
    if verbose:
        logging.getLogger().addHandler(logging.StreamHandler())
    else:
        quiet_terminal()
    logging.getLogger(__name__).info("Clip Studio %s starting, log at %s", __version__, log_file)
    app = ensure_application()
    if not verbose:
        route_qt_messages()
    window = create_window(paths, restore=True)
    follow_system_scheme(lambda: window.workspace.brand_kit)
    window.show()
    if not os.environ.get(SCREENSHOT_ENV) and not os.environ.get(REPORT_READY_ENV):
        window.help.first_start()  # the three steps, on the very first start only
    warm_up_imports(window)
    logging.getLogger(__name__).info("window shown after %.2f s", time.monotonic() - _started)
    screenshot = os.environ.get(SCREENSHOT_ENV)
    if screenshot:
        _arm_screenshot(window, Path(screenshot))
    if os.environ.get(REPORT_READY_ENV):
        _report_ready(app)
    return int(app.exec())


def _report_ready(app) -> None:  # noqa: ANN001
    """Print the wall-clock time at which the shown window has painted, then quit."""
    from PySide6.QtCore import QTimer

    app.processEvents()
    print(f"window ready {time.time():.3f}", flush=True)
    QTimer.singleShot(0, app.quit)  # quit() before exec() would be ignored


def _arm_screenshot(window, path: Path) -> None:  # noqa: ANN001
    """Save `window.grab()` to `path` when every opened clip has finished loading, then quit."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    tab = os.environ.get(SCREENSHOT_TAB_ENV, "")
    names = {"checks": 0, "captions": 1, "export": 2, "post": 3}

    def shoot() -> None:
        if tab in names:
            window.tabs.setCurrentIndex(names[tab])
            QApplication.processEvents()
        path.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(path))
        logging.getLogger(__name__).info("screenshot saved to %s", path)
        QApplication.instance().quit()

    def all_loaded() -> bool:
        return all(not s.busy() for s in window.sessions)

    def poll() -> None:
        if all_loaded():
            timer.stop()
            QTimer.singleShot(SCREENSHOT_SETTLE_MS, prepare)

    def prepare() -> None:
        session = window.current
        if session is not None and session.captions.captions:
            window.seek(session.captions.captions[0].start + 0.5)  # a frame with a caption
        if os.environ.get(SCREENSHOT_END_CARD_ENV):
            window.brand_preview.preview_end_card()  # it stays up for its 2-4 s, longer than the settle time
        QTimer.singleShot(SCREENSHOT_SETTLE_MS, shoot)

    timer = QTimer(window)
    timer.setInterval(200)
    timer.timeout.connect(poll)
    timer.start()
    QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, shoot)
