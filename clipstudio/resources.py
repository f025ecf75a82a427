"""Where the bundled assets live, in a source checkout and in a frozen build."""

from __future__ import annotations

import sys
from pathlib import Path


def assets_dir() -> Path:
    """The `assets/` folder: beside the package in a checkout, or in PyInstaller's bundle dir."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "assets"
    return Path(__file__).resolve().parent.parent / "assets"


def caption_font_file() -> Path:
    """The open-licence font burned captions use, so they look the same on every OS."""
    return assets_dir() / "fonts" / "DejaVuSans-Bold.ttf"


CAPTION_FONT_NAME = "DejaVu Sans"
