"""The window's look in both schemes (gui/theme.py), measured as contrast ratios: warning words
readable on either window, and the bevel shades (frames, palette(mid) boxes) dark in the dark
scheme. The xvfb tour (tests/test_gui_xvfb.py) takes the screenshots of both."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from clipstudio.core.export.contrast import contrast_ratio, hex_rgb
from clipstudio.gui import theme

ROLES = QPalette.ColorRole
# WCAG AA: body text 4.5:1.
TEXT_CONTRAST = 4.5


def _hex(palette: QPalette, role: QPalette.ColorRole) -> str:
    return palette.color(role).name()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_warning_words_are_readable_on_the_schemes_window(qtbot, scheme: str) -> None:
    app = QApplication.instance()
    palette = theme.palette_for(scheme, theme.DEFAULT_ACCENT)
    before = app.palette()
    app.setPalette(palette)
    try:
        warning = theme.warning_colour()
    finally:
        app.setPalette(before)
    assert warning == theme.WARNING_COLOURS[scheme]
    window = _hex(palette, ROLES.Window)
    assert contrast_ratio(hex_rgb(warning), hex_rgb(window)) >= TEXT_CONTRAST
    # The other scheme's red would not do (why there are two).
    other = theme.WARNING_COLOURS["dark" if scheme == "light" else "light"]
    assert contrast_ratio(hex_rgb(other), hex_rgb(window)) < TEXT_CONTRAST


def test_dark_schemes_bevel_shades_are_dark(qtbot) -> None:
    """Frames and palette(mid) boxes follow the window: a plain QPalette kept Qt's light
    shades, and the brand kit's end card box was pale grey with pale words on it."""
    palette = theme.palette_for("dark", theme.DEFAULT_ACCENT)
    window = palette.color(ROLES.Window)
    for role in (ROLES.Mid, ROLES.Dark, ROLES.Shadow, ROLES.Midlight):
        assert palette.color(role).lightness() < 110, (role, _hex(palette, role))
    assert palette.color(ROLES.Light).lightness() > window.lightness()  # the raised edge
    text = _hex(palette, ROLES.WindowText)
    assert contrast_ratio(hex_rgb(text), hex_rgb(_hex(palette, ROLES.Mid))) >= TEXT_CONTRAST
