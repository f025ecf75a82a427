"""The picture fixes' numbers: the brighten curve, the blurred fill behind an upright picture and
the flicker window. export/ffmpeg.py writes its filters from these, and the window's preview
draws its cheap copies of the same fixes from them (and from the helpers here), so the two are
set in one place. Plain numbers; no ffmpeg, no Qt.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

# Blurred background for portrait-in-landscape: strong blur and a darker tone keep the eye on
# the real picture (the look Facebook's own uploader and most editors use). boxblur's radius in
# output pixels, applied BACKGROUND_BLUR_PASSES times (ffmpeg's "power"), then eq's brightness.
BACKGROUND_BLUR_RADIUS = 30
BACKGROUND_BLUR_PASSES = 2
BACKGROUND_DARKEN = -0.12
# Brighten fix: a curves lift of shadows and mids that leaves highlights alone. The steepest
# slope is 2.1, so dark-area noise is amplified at most 2.1x (a gamma of 2 would give far more).
# Measured: a clip two stops under (mean luma 24) comes out at the check's threshold or above;
# a gentler curve (slope 1.6) left it at 39, still "too dark".
BRIGHTEN_CURVE = "0/0 0.1/0.21 0.3/0.48 0.6/0.76 1/1"
# Deflicker: a moving average over 7 frames removes mains/fluorescent beating at phone rates.
DEFLICKER_FRAMES = 7

Point = tuple[float, float]


def curve_points(curve: str = BRIGHTEN_CURVE) -> tuple[Point, ...]:
    """ffmpeg's "x/y x/y ..." curve as (x, y) pairs on the 0-1 scale."""
    pairs = (point.split("/") for point in curve.split())
    return tuple((float(x), float(y)) for x, y in pairs)


def self_screen_opacity(points: Sequence[Point]) -> float:
    """How strongly to draw a picture over itself in "screen" mode to follow the curve.

    Screening a level x over itself gives 2x - x^2; at opacity a that is x + a*x*(1 - x), a lift
    of shadows and mids that keeps black and white, the curve's own shape. The opacity is the
    least-squares fit through the curve's points: what the preview can draw with no per-pixel
    work of its own."""
    bends = [(x * (1 - x), y - x) for x, y in points]
    denominator = sum(g * g for g, _ in bends)
    return sum(g * d for g, d in bends) / denominator if denominator else 0.0


def self_screen_level(x: float, opacity: float) -> float:
    """The level the preview's screen blend gives level `x` (0-1)."""
    return x + opacity * x * (1 - x)


def box_blur_sigma(radius: float = BACKGROUND_BLUR_RADIUS,
                   passes: int = BACKGROUND_BLUR_PASSES) -> float:  # fmt: skip
    """The spread (standard deviation, pixels) of `passes` box blurs of `radius`: a box of
    width 2r+1 has variance ((2r+1)^2 - 1) / 12, and passes add their variances."""
    width = 2 * radius + 1
    return math.sqrt(passes * (width * width - 1) / 12)


# eq's brightness moves the luma codes by 256 per unit (measured: -0.12 took 32 codes off, -0.25
# 65, -0.5 126), and limited range has 219 codes from black to white.
EQ_BRIGHTNESS_CODES = 256
LIMITED_RANGE_CODES = 219
# boxblur's chroma radius is the luma's, counted in the chroma planes' pixels: 4:2:0 chroma is
# half the size each way, so colours spread twice as far as light and shade.
CHROMA_BLUR_SCALE = 2


def darkened_level(x: float, darken: float = BACKGROUND_DARKEN) -> float:
    """eq's brightness on a level (0-1, black to white): moved by `darken` in eq's units, then
    held to the range (measured on ffmpeg's output within 0.01 for white)."""
    return min(1.0, max(0.0, x + darken * EQ_BRIGHTNESS_CODES / LIMITED_RANGE_CODES))


def deflicker_gain(recent_means: Sequence[float], current: float) -> float:
    """The gain that brings a frame's mean level to the power mean of the last DEFLICKER_FRAMES
    frames' (ffmpeg's deflicker in its "pm" mode, the export's: the exponent is the window's
    size, so brighter frames count for more). The export's window is around the frame; the
    preview passes the frames it has shown, this one last."""
    window = [level for level in list(recent_means)[-DEFLICKER_FRAMES:] if level > 0]
    if not window or current <= 0:
        return 1.0
    # Scaled by the largest level first: 235**7 is fine in floats, but the sum need not be.
    top = max(window)
    power = sum((level / top) ** DEFLICKER_FRAMES for level in window) / len(window)
    return top * power ** (1 / DEFLICKER_FRAMES) / current
