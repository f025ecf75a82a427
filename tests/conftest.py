"""Shared fixtures. Qt must never look for a display in tests (it aborts the run without one)."""

from __future__ import annotations

import faulthandler
import logging
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytest
from media import MediaFactory


@pytest.fixture(scope="session")
def media() -> MediaFactory:
    """The session's media factory; clips are cached in .media-cache/ across runs."""
    return MediaFactory()


@pytest.fixture(autouse=True)
def no_logs_gte_error(caplog: pytest.LogCaptureFixture):
    """A test fails when anything logs an error (PySceneDetect's fixture): an error in the log
    is a failure the user would see, even when the test's own assertions pass."""
    yield
    errors = [r for r in caplog.get_records("call") if r.levelno >= logging.ERROR]
    assert not errors, f"logged at ERROR or above: {[r.getMessage() for r in errors]}"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep autosaves, settings, logs and model caches of tests out of the real user's folders."""
    home = tmp_path_factory.getbasetemp() / "xdg"
    for var, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    # Tests never touch the network: the Hugging Face hub must not be asked for models.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


# A test that runs this long is stuck, not slow (the slowest, a random Whisper checkpoint, took
# 290 s on a machine loaded 4x): every thread's stack is printed and the run stops, so a freeze
# fails CI in minutes with its cause instead of running out its 90 minutes.
STUCK_TEST_S = 900


@pytest.fixture(autouse=True)
def _stuck_test_stops_the_run():
    faulthandler.dump_traceback_later(STUCK_TEST_S, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture(scope="session", autouse=True)
def _quiet_qt_player() -> None:
    """The window's player is kept as quiet as `clipstudio gui` keeps it (gui/quiet.py): its
    FFmpeg printed every opened file's stream dump into the test log between tests."""
    from clipstudio.gui.quiet import quiet_terminal

    quiet_terminal()


@pytest.fixture
def window(qtbot):
    """The app's window, built as the app builds it, shown; closed after the test."""
    from clipstudio.gui.app import create_window

    win = create_window()
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
    # Its undo steps hold the clips: a cycle Python's GC cannot see (test_gui.py caption_model).
    win.history.clear()
