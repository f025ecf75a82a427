"""Caption legibility by WCAG 2.x: relative luminance, contrast ratio, and the colours libass
paints (its see-through box is blended over the picture in sRGB values)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np  # loaded by luminance_of only: the window's theme reads this at start

RGB = tuple[float, float, float]  # 0-255 sRGB values

# WCAG 2.1 success criterion 1.4.3 (AA): text at least 4.5:1 against what is behind it.
MIN_TEXT_CONTRAST = 4.5
# The accent is lightened in steps of this share of the way to white until it reads on the box.
LIGHTEN_STEP = 0.05
WHITE: RGB = (255.0, 255.0, 255.0)
BLACK: RGB = (0.0, 0.0, 0.0)


def _linear(channel: float) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb: RGB) -> float:
    r, g, b = rgb
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def luminance_of(pixels: np.ndarray) -> np.ndarray:
    """Relative luminance of each RGB pixel of an (..., 3) array of 0-255 values."""
    import numpy as np

    c = np.asarray(pixels, dtype=float) / 255
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return np.asarray(linear @ np.array([0.2126, 0.7152, 0.0722]))


def ratio_of_luminances(a: float, b: float) -> float:
    high, low = max(a, b), min(a, b)
    return (high + 0.05) / (low + 0.05)


def contrast_ratio(a: RGB, b: RGB) -> float:
    return ratio_of_luminances(relative_luminance(a), relative_luminance(b))


def text_colour_on(background: str) -> str:
    """Black or white, whichever reads better on `background` (the window's accent buttons)."""
    rgb = hex_rgb(background)
    return "#000000" if contrast_ratio(rgb, BLACK) >= contrast_ratio(rgb, WHITE) else "#FFFFFF"


def hex_rgb(colour: str) -> RGB:
    """ "#RRGGBB" as an RGB triple."""
    value = colour.lstrip("#")
    return (float(int(value[0:2], 16)), float(int(value[2:4], 16)), float(int(value[4:6], 16)))


def rgb_hex(rgb: RGB) -> str:
    return "#" + "".join(f"{round(min(255.0, max(0.0, c))):02X}" for c in rgb)


def box_over(picture: RGB, opacity: float) -> RGB:
    """The colour of a black box of `opacity` drawn over `picture` (libass blends sRGB values)."""
    r, g, b = picture
    return (r * (1 - opacity), g * (1 - opacity), b * (1 - opacity))


def readable_on_box(colour: str, opacity: float) -> str:
    """`colour`, lightened towards white just enough to keep 4.5:1 against a black box of
    `opacity` over the brightest picture (white): the accent reads whatever is behind it."""
    lightest_box = box_over(WHITE, opacity)
    base = hex_rgb(colour)
    share = 0.0
    while share < 1.0:
        mixed = tuple(c + (255 - c) * share for c in base)
        candidate = (mixed[0], mixed[1], mixed[2])
        if contrast_ratio(candidate, lightest_box) >= MIN_TEXT_CONTRAST:
            return rgb_hex(candidate)
        share += LIGHTEN_STEP
    return rgb_hex(WHITE)
