"""One look for the whole window: Qt's Fusion style, light or dark as the system is, the brand
kit's accent colour for selections and the primary button, and type large enough to read on a
cheap laptop screen. Re-applied when the system switches between light and dark, and when the
brand kit changes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from clipstudio.core.branding.kit import BrandKit
from clipstudio.core.export.contrast import contrast_ratio, hex_rgb, text_colour_on

# Clip Studio's own accent while there is no brand kit: the kit's default highlight colour.
DEFAULT_ACCENT = BrandKit().accent_colour
# Body text at least this size (points): Fusion's 9 pt default is small on a 1366x768 panel.
MIN_POINT_SIZE = 10.0
# An accent is used for selected text and focus only when it stands out this much from the
# window's background (WCAG's 3:1 for interface parts); else Clip Studio's blue is used there.
MIN_ACCENT_CONTRAST = 3.0
FALLBACK_HIGHLIGHT = {"light": "#1F5FAD", "dark": "#5B9BE6"}
# Warning words (no imprint, over the minute, too many characters): 4.5:1 or more on the
# scheme's window (WCAG AA for text); the light scheme's red is 2.8:1 on the dark window.
WARNING_COLOURS = {"light": "#c0392b", "dark": "#ff7b6b"}
# Fusion's palettes, lightly tuned: (window, base, alternate base, text, button, placeholder).
SCHEMES = {
    "light": ("#F3F4F6", "#FFFFFF", "#EEF0F3", "#1B1F24", "#E9EBEE", "#6B7280"),
    "dark": ("#23262B", "#1A1C20", "#2A2E34", "#E8EAED", "#30343A", "#9AA0A6"),
}


def system_scheme() -> str:
    """ "dark" when the desktop asks for dark windows, else "light"."""
    hints = QGuiApplication.styleHints()
    return "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"


def warning_colour() -> str:
    """The warning red for the scheme in use, read off the application's window colour."""
    app = QApplication.instance()
    window = (
        app.palette().color(QPalette.ColorRole.Window) if isinstance(app, QApplication) else None
    )
    dark = window is not None and window.lightness() < 128
    return WARNING_COLOURS["dark" if dark else "light"]


def palette_for(scheme: str, accent: str) -> QPalette:
    window, base, alternate, text, button, placeholder = SCHEMES[scheme]
    highlight = accent
    if contrast_ratio(hex_rgb(accent), hex_rgb(window)) < MIN_ACCENT_CONTRAST:
        highlight = FALLBACK_HIGHLIGHT[scheme]
    # From the button and window colours, so Qt works out the bevel shades (Light, Midlight,
    # Mid, Dark, Shadow) to match: a plain QPalette kept light ones, and the dark scheme's
    # frames and palette(mid) backgrounds came out pale grey (the brand kit's end card box).
    palette = QPalette(QColor(button), QColor(window))
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, window), (roles.Base, base), (roles.AlternateBase, alternate),
        (roles.WindowText, text), (roles.Text, text), (roles.ButtonText, text),
        (roles.Button, button), (roles.ToolTipBase, base), (roles.ToolTipText, text),
        (roles.PlaceholderText, placeholder), (roles.Highlight, highlight),
        (roles.HighlightedText, text_colour_on(highlight)), (roles.Link, highlight),
        (roles.Accent, accent),
    ):  # fmt: skip
        palette.setColor(role, QColor(colour))
    disabled = QColor(placeholder)
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def style_sheet(accent: str) -> str:
    """The primary button ("Make the video") in the accent; the finding cards rounded."""
    text = text_colour_on(accent)
    return (
        f"QPushButton#PrimaryButton {{ background: {accent}; color: {text};"
        " font-weight: bold; border: none; border-radius: 6px; padding: 6px 18px; }"
        "QPushButton#PrimaryButton:hover { background: palette(highlight); }"
        "QPushButton#PrimaryButton:disabled { background: palette(button);"
        " color: palette(placeholder-text); }"
        "QFrame#FindingCard { border-radius: 6px; }"
    )


def apply_theme(kit: BrandKit | None = None) -> str:
    """Style the running application for the system's scheme and `kit`'s accent; returns the
    scheme used."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    accent = kit.accent_colour if kit is not None else DEFAULT_ACCENT
    scheme = system_scheme()
    app.setStyle("Fusion")
    app.setPalette(palette_for(scheme, accent))
    app.setStyleSheet(style_sheet(accent))
    font = QFont(app.font())
    if font.pointSizeF() < MIN_POINT_SIZE:
        font.setPointSizeF(MIN_POINT_SIZE)
        app.setFont(font)
    return scheme


def follow_system_scheme(kit_source: Callable[[], BrandKit | None]) -> None:
    """Re-apply when the desktop switches between light and dark. `kit_source()` gives the
    brand kit in use then."""
    hints = QGuiApplication.styleHints()
    hints.colorSchemeChanged.connect(lambda _scheme: apply_theme(kit_source()))
