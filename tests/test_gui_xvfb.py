"""The real app as a subprocess on a real X server (Xvfb): it opens a clip and saves a screenshot."""

from __future__ import annotations

import json
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
# A window manager puts a title bar and borders on the window and maximises it as a desktop
# would; make test installs Debian's openbox (Makefile).
WINDOW_MANAGER = shutil.which("openbox")
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


def _start_xvfb(size: tuple[int, int]) -> tuple[subprocess.Popen, str]:
    number = _free_display()
    server = subprocess.Popen(
        [XVFB, f":{number}", "-screen", "0", f"{size[0]}x{size[1]}x24", "-nolisten", "tcp"],
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
    return server, f":{number}"


@pytest.fixture
def xvfb_display():
    server, display = _start_xvfb(SCREEN)
    yield display
    server.terminate()
    server.wait(timeout=10)


def test_real_window_screenshot(xvfb_display: str, media, tmp_path: Path) -> None:
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


def _colour_share(image, colour: tuple[int, int, int], box: tuple[int, int, int, int]) -> float:
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
    media,
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


# The laptops volunteers have (1366x768, the commonest; 1280x720), and a HiDPI screen at 200 %.
SCREENS = {
    "1366x768": ((1366, 768), "1"),
    "1280x720": ((1280, 720), "1"),
    "hidpi-2732x1536": ((2732, 1536), "2"),
}


def _run_with_window_manager(
    size: tuple[int, int], scale: str, tmp_path: Path, script: list[str]
) -> subprocess.CompletedProcess:
    """Run `script` (a Python file and its arguments) on a fresh X server of `size` with
    openbox managing it, scaled by `scale`, with a first start's empty settings."""
    server, display = _start_xvfb(size)
    manager = subprocess.Popen([str(WINDOW_MANAGER)], env={**os.environ, "DISPLAY": display},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        time.sleep(0.5)  # the window manager takes over the screen before the window maps
        env = dict(os.environ)
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", QT_SCALE_FACTOR=scale,
                   XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
                   XDG_STATE_HOME=str(tmp_path / "state"),
                   PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]))  # fmt: skip
        ARTIFACTS.mkdir(exist_ok=True)
        return subprocess.run([sys.executable, *script], env=env, cwd=ROOT, capture_output=True,
                              text=True, timeout=600)  # fmt: skip
    finally:
        manager.terminate()
        manager.wait(timeout=10)
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.skipif(WINDOW_MANAGER is None, reason="no window manager (openbox) installed")
@pytest.mark.parametrize("screen", list(SCREENS))
def test_window_and_every_control_fit_the_screen(screen: str, media, tmp_path: Path) -> None:
    """A real window with a window manager: after opening a clip, and after an export started
    with Ctrl+E typed in the imprint field, the window and every control of every tab are on
    the screen (scrolled into view inside their panel). Screenshots: test-artifacts/."""
    size, scale = SCREENS[screen]
    proc = _run_with_window_manager(
        size, scale, tmp_path,
        [str(ROOT / "tests" / "xvfb_window.py"), str(gui_speech_clip(media)), str(ARTIFACTS),
         f"gui-fit-{screen}"],
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads((ARTIFACTS / f"gui-fit-{screen}-report.json").read_text("utf-8"))
    assert report["active"] and report["loaded"]
    # Ctrl+E pressed in the imprint field started the export (a line edit used to eat it).
    assert report["export_started"] and report["exported"], report
    assert report["summary"].startswith("Ready for Facebook: "), report["summary"]
    for stage in ("opened", "exported"):
        seen = report[stage]
        width, height = seen["available"]
        x, y, frame_w, frame_h = seen["frame"]
        # At 200 % an odd number of device pixels in the frame rounds up by one logical pixel.
        slack = 1 if seen["scale"] > 1 else 0
        assert x >= 0 and y >= 0, seen
        assert x + frame_w <= width + slack and y + frame_h <= height + slack, seen
        assert seen["window_min"][0] <= width and seen["window_min"][1] <= height, seen
        assert seen["misfits"] == [], seen["misfits"]
        # No button or one-line label narrower than its words ("Faceboo...ed 16:9" once).
        assert seen["cut_off"] == [], seen["cut_off"]


@pytest.mark.skipif(WINDOW_MANAGER is None, reason="no window manager (openbox) installed")
@pytest.mark.parametrize(("screen", "scheme"), [("1366x768", "light"), ("1280x720", "dark")])
def test_first_look_dialogs_fit_and_follow_the_scheme(
    screen: str,
    scheme: str,
    media,
    tmp_path: Path,
) -> None:
    """The empty window, the first-run welcome, the Help pages, About and the brand kit
    editor on a laptop's screen, light or dark as the desktop is: every dialog fits the
    screen, and the window's colours are the scheme's; an upright clip's preview shows its
    blurred fill on the real screen. Screenshots: test-artifacts/."""
    from PySide6.QtGui import QImage

    prefix = f"gui-tour-{screen}-{scheme}"
    proc = _run_with_window_manager(
        SCREENS[screen][0], "1", tmp_path,
        [str(ROOT / "tests" / "xvfb_tour.py"), str(gui_speech_clip(media)),
         str(media.marked_clip("upright360x640", 360, 640, 4.0)), str(ARTIFACTS), prefix, scheme],
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads((ARTIFACTS / f"{prefix}-report.json").read_text("utf-8"))
    assert report["active"] and report["loaded"] and report["scheme"] == scheme
    assert set(report["dialogs"]) == {"welcome", "guide", "shortcuts", "about", "brand-kit"}
    left, top, width, height = report["available"]
    for name, (x, y, w, h) in report["dialogs"].items():
        assert x >= left and y >= top and x + w <= left + width and y + h <= top + height, (
            name, report["dialogs"][name], report["available"])  # fmt: skip
    # The upright clip's preview on the real screen: its sides are the blurred fill, not bars.
    shot = QImage(str(ARTIFACTS / f"{prefix}-upright-brightened.png"))
    x, y, width, height = report["preview_frame"]
    side = [shot.pixelColor(x + width // 20, y + row).lightness() for row in range(5, height, 5)]
    assert sum(side) / len(side) > 40, side
    # The panels' background is the scheme's: dark grey in the dark, near white in the light.
    empty = QImage(str(ARTIFACTS / f"{prefix}-empty.png"))
    window_colour = empty.pixelColor(empty.width() - 20, empty.height() // 2).lightness()
    assert (window_colour < 80) if scheme == "dark" else (window_colour > 200), window_colour
