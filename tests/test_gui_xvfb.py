"""The real app as a subprocess on a real X server (Xvfb): it opens a clip and saves a screenshot."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from gui_media import gui_speech_clip

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
XVFB = shutil.which("Xvfb") or "/usr/bin/Xvfb"
SCREEN = (1600, 1000)
# The window's size on first start (MainWindow._restore_geometry).
WINDOW_SIZE = (1360, 820)

pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(not Path(XVFB).exists(), reason="Xvfb is not installed"),
]


def _free_display() -> int:
    for number in range(90, 190):
        if (
            not Path(f"/tmp/.X{number}-lock").exists()
            and not Path(f"/tmp/.X11-unix/X{number}").exists()
        ):
            return number
    pytest.skip("no free X display number")


@pytest.fixture
def xvfb_display():  # noqa: ANN201
    number = _free_display()
    server = subprocess.Popen(
        [XVFB, f":{number}", "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket = Path(f"/tmp/.X11-unix/X{number}")
    deadline = time.monotonic() + 10
    while not socket.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    if not socket.exists():
        server.kill()
        pytest.skip("Xvfb did not start")
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


def test_real_window_screenshot(xvfb_display: str, media, tmp_path: Path) -> None:  # noqa: ANN001
    from PySide6.QtGui import QImage

    clip = gui_speech_clip(media)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "gui-window.png"
    shot.unlink(missing_ok=True)
    env = dict(os.environ)
    env.update(
        DISPLAY=xvfb_display,
        QT_QPA_PLATFORM="xcb",
        CLIPSTUDIO_SCREENSHOT=str(shot),
        CLIPSTUDIO_SCREENSHOT_TAB="captions",
        # A first start: no window geometry remembered from other tests.
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        # ...and no autosaved project of the same clip left by the offscreen GUI tests.
        XDG_DATA_HOME=str(tmp_path / "data"),
    )
    proc = subprocess.run(
        [sys.executable, "-m", "clipstudio.cli", "gui", str(clip)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert shot.exists(), proc.stderr[-3000:]
    image = QImage(str(shot))
    assert (image.width(), image.height()) == WINDOW_SIZE
    # Not blank: a real window has many colours (text, thumbnail, waveform, the video frame).
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 200
    # The preview shows the clip's picture (testsrc2 is colourful), not a black box.
    centre = image.pixelColor(image.width() // 2 - 100, image.height() // 3)
    assert max(centre.red(), centre.green(), centre.blue()) > 40
