"""Render the app icon's SVG master into PNG sizes, a Windows .ico and a macOS .icns.

Run `make icons` after editing assets/icons/clipstudio.svg. The renders are committed, so neither
the app nor a build needs Qt's SVG module or this script: the window uses the PNGs, PyInstaller
the .ico (Windows) or .icns (macOS), and the Linux .desktop file the 256 px PNG.
Each size is drawn from the vector (not scaled down from 512 px), so 16 px stays crisp.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from clipstudio.resources import APP_ICON_SIZES, APP_ICON_SVG, icons_dir

# Windows shell sizes (Explorer, taskbar, Alt+Tab); 256 is the largest an .ico holds.
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# macOS icon family: 16..512 points at 1x and 2x, so 1024 px is drawn for the .icns only.
ICNS_EXTRA_SIZES = (1024,)


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    """The SVG drawn at `size` x `size` pixels on a transparent background, as a Pillow image."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return Image.open(io.BytesIO(bytes(data))).convert("RGBA")


def make_icons(folder: Path) -> list[Path]:
    """Write clipstudio-<size>.png, clipstudio.ico and clipstudio.icns into `folder`."""
    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(folder / APP_ICON_SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {folder / APP_ICON_SVG}")
    images = {size: render(renderer, size) for size in (*APP_ICON_SIZES, *ICNS_EXTRA_SIZES)}
    written = []
    for size in APP_ICON_SIZES:
        path = folder / f"clipstudio-{size}.png"
        images[size].save(path, optimize=True)
        written.append(path)
    ico = folder / "clipstudio.ico"
    largest_ico = max(ICO_SIZES)
    images[largest_ico].save(
        ico,
        sizes=[(size, size) for size in ICO_SIZES],
        append_images=[images[size] for size in ICO_SIZES if size != largest_ico],
    )
    written.append(ico)
    icns = folder / "clipstudio.icns"
    images[1024].save(icns, append_images=[images[size] for size in APP_ICON_SIZES])
    written.append(icns)
    return written


if __name__ == "__main__":
    for path in make_icons(icons_dir()):
        print(f"wrote {path} ({path.stat().st_size} bytes)")
