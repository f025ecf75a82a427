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
# The window's size on first start (gui/settings.py FIRST_WINDOW_SIZE).
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
    # A first start: no window geometry remembered from other tests, and no autosaved project
    # of the same clip left by the offscreen GUI tests (_run_app gives fresh config/data dirs).
    _run_app(clip, shot, xvfb_display, tmp_path, CLIPSTUDIO_SCREENSHOT_TAB="captions")
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


def _run_app(clip: Path, shot: Path, display: str, tmp_path: Path, **extra: str) -> None:
    env = dict(os.environ)
    env.update(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        CLIPSTUDIO_SCREENSHOT=str(shot),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        **extra,
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


def _colour_share(image, colour: tuple[int, int, int], box: tuple[int, int, int, int]) -> float:  # noqa: ANN001
    """Share of the pixels in `box` (x, y, w, h) within a few levels of `colour`."""
    x0, y0, width, height = box
    hits = total = 0
    for x in range(x0, x0 + width, 3):
        for y in range(y0, y0 + height, 3):
            pixel = image.pixelColor(x, y)
            total += 1
            hits += all(
                abs(a - b) <= 12
                for a, b in zip((pixel.red(), pixel.green(), pixel.blue()), colour, strict=True)
            )
    return hits / max(1, total)


def test_branded_preview_screenshots(
    xvfb_display: str,
    media,  # noqa: ANN001
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The real window with a brand kit: logo and name strip over the video, then the end card."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage, QPainter

    from clipstudio.core.branding.imprint import IMPRINT_EXAMPLE
    from clipstudio.core.branding.kit import BrandKit, save_brand_kit
    from clipstudio.core.edit.project import (
        ClipBranding,
        new_project,
        project_file_for,
        save_project,
    )

    clip = gui_speech_clip(media)
    logo = QImage(240, 240, QImage.Format.Format_ARGB32)
    logo.fill(QColor(0, 0, 0, 0))
    painter = QPainter(logo)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#FFD100"))
    painter.drawEllipse(10, 10, 220, 220)
    painter.fillRect(80, 80, 80, 80, QColor("#C8102E"))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    logo.save(buffer, "PNG")
    kit = BrandKit(
        name="North Ward",
        primary_colour="#C8102E",
        accent_colour="#FFD100",
        logo_png=bytes(data.data()),
        imprint=IMPRINT_EXAMPLE,
        call_to_action="Vote Sarah Jones on 7 May",
        link="northward.example.org",
    )
    ARTIFACTS.mkdir(exist_ok=True)
    shots = {}
    for name, extra in (
        ("gui-branded-preview.png", {"CLIPSTUDIO_SCREENSHOT_TAB": "export"}),
        ("gui-branded-end-card.png", {"CLIPSTUDIO_SCREENSHOT_TAB": "export",
                                      "CLIPSTUDIO_SCREENSHOT_END_CARD": "1"}),
    ):  # fmt: skip
        home = tmp_path / name
        config = home / "config" / "clipstudio"
        config.mkdir(parents=True)
        save_brand_kit(kit, config / "brand-kit.json")
        # The speaker's name is per clip: it comes from the clip's autosave.
        monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
        project = new_project(clip).with_changes(
            branding=ClipBranding(
                lower_third="Cllr Sarah Jones, Labour candidate for North Ward",
                end_card_seconds=4.0,
            )
        )
        save_project(project, project_file_for(clip))
        shot = ARTIFACTS / name
        shot.unlink(missing_ok=True)
        _run_app(clip, shot, xvfb_display, home, **extra)
        shots[name] = QImage(str(shot))

    preview = shots["gui-branded-preview.png"]
    card = shots["gui-branded-end-card.png"]
    assert (preview.width(), preview.height()) == WINDOW_SIZE
    # The end card fills the preview frame in the kit's main colour; the video frame does not.
    centre = (WINDOW_SIZE[0] // 2 - 260, WINDOW_SIZE[1] // 4, 200, 120)
    assert _colour_share(card, (0xC8, 0x10, 0x2E), centre) > 0.6
    assert _colour_share(preview, (0xC8, 0x10, 0x2E), centre) < 0.2
    # The name strip (main colour) shows over the video in the lower left of the preview.
    lower_left = (260, WINDOW_SIZE[1] // 2 - 40, 260, 200)
    assert _colour_share(preview, (0xC8, 0x10, 0x2E), lower_left) > 0.02
