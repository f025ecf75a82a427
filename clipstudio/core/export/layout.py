"""Where things sit in the output frame: the safe area and the caption box.

One home for these numbers: the burned captions (ASS), the brand layers (which keep out of the
captions' way) and the window's preview all read them here, so the preview cannot drift from
the file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from clipstudio.core.export.presets import Preset
from clipstudio.core.speech.types import CaptionStyle
from clipstudio.core.vocabulary import CaptionPosition, Shape

Rect = tuple[int, int, int, int]  # x, y, width, height in output pixels

# Fonts are sized on the height of a 16:9 frame of the same width at most, so a 42-character
# line of DejaVu Sans Bold (about 0.62 em a character) fits square and vertical frames too.
REFERENCE_ASPECT = 16 / 9
# Outline thickness and box padding as a fraction of the font size (thick enough on bright skies).
OUTLINE_FRACTION = 0.08
BOX_PADDING_FRACTION = 0.18
# Space kept between the caption and the edge of the safe area, as a fraction of the height.
SAFE_GAP_FRACTION = 0.02
# Title-safe side margin, 5 % of the width each side (EBU/SMPTE action-safe is 3.5 %).
SIDE_MARGIN_FRACTION = 0.05
# Semi-transparent dark box behind the text: ASS alpha 0x60 = about 62 % opaque.
BOX_ALPHA = 0x60
# Top margins: Reels draws its header and camera button over the top ~1/7 of the frame; the
# 4:5 feed shows the page name just above the video, so a little more room there too.
TOP_MARGIN_FRACTION: dict[Shape, float] = {
    Shape.FEED: 0.05, Shape.SQUARE: 0.05, Shape.PORTRAIT: 0.06, Shape.REELS: 0.14,
}  # fmt: skip
# Captions: two lines of DejaVu Sans are about 2 x 1.17 em tall (ascent + descent).
CAPTION_LINE_HEIGHT_EM = 1.17
CAPTION_LINES = 2


@dataclass(frozen=True)
class CaptionBox:
    """Where burned captions go, in output pixels (libass PlayRes = the output size)."""

    font_size: int
    position: CaptionPosition
    margin_v: int  # from the frame's bottom (or top) edge to the text
    margin_side: int
    padding: float  # the box's padding around the text (kept clear in both looks)
    outline: float  # the outline's thickness (outline look)
    zone_top: int  # the highest row two lines of bottom captions reach


def caption_font_size(width: int, height: int, style: CaptionStyle) -> int:
    """Font size in pixels: size_fraction of the height of a 16:9 frame, or of the width's 16:9
    height on square and vertical frames, so a full line still fits."""
    return max(8, round(style.size_fraction * min(height, width / REFERENCE_ASPECT)))


def caption_box(preset: Preset, width: int, height: int, style: CaptionStyle) -> CaptionBox:
    size = caption_font_size(width, height, style)
    padding = size * BOX_PADDING_FRACTION
    if style.position is CaptionPosition.TOP:
        margin_v = math.ceil(SAFE_GAP_FRACTION * height + padding)
        zone_top = math.floor(height * (1 - preset.bottom_unsafe_fraction))
    else:
        # Clear of Facebook's UI band at the bottom, and of the box's own padding.
        margin_v = math.ceil(preset.bottom_unsafe_fraction * height + padding
                             + SAFE_GAP_FRACTION * height)  # fmt: skip
        text_height = CAPTION_LINES * CAPTION_LINE_HEIGHT_EM * size
        zone_top = math.floor(height - margin_v - text_height - padding)
    return CaptionBox(
        font_size=size,
        position=style.position,
        margin_v=margin_v,
        margin_side=round(width * SIDE_MARGIN_FRACTION),
        padding=padding,
        outline=size * OUTLINE_FRACTION,
        zone_top=zone_top,
    )


def safe_area(preset: Preset, width: int, height: int) -> Rect:
    """The part of the frame Facebook's own buttons and text never cover."""
    left = round(width * SIDE_MARGIN_FRACTION)
    top = round(height * TOP_MARGIN_FRACTION.get(preset.name, SIDE_MARGIN_FRACTION))
    bottom = math.floor(height * (1 - preset.bottom_unsafe_fraction))
    return (left, top, width - 2 * left, bottom - top)
