"""Where things sit in the output frame: the caption zone, the caption box and the line rules,
one table row per shape.

One home for these numbers: the burned captions (ASS), the caption layout (line length and
count), the brand layers (which keep out of the captions' way), the export's caption check and
the window's preview all read them here, so the preview cannot drift from the file.

Sources for the table (see SHAPE_LAYOUTS):
- Meta's ads guide for Reels 9:16: keep the top 14 %, the bottom 35 % and 6 % at each side clear
  of text and logos (the account name, the post text and the buttons cover them).
- Instagram's feed guide for 4:5 keeps 64 px of 1080 (about 6 %) clear on every side; Facebook's
  feed player draws its progress bar and sound button over the bottom edge.
- BBC subtitle guidelines: lines of about 68 % of the width in 16:9; for vertical video shorter
  lines (about 25 characters at 90 % of the width), up to 3 lines, at a bigger relative size.
- Netflix Timed Text Style Guide: 42 characters a line, 2 lines, for 16:9.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from clipstudio.core.export.presets import Preset
from clipstudio.core.speech.types import (
    MAX_SIZE_SCALE,
    MIN_SIZE_SCALE,
    CaptionStyle,
    LayoutRules,
)
from clipstudio.core.vocabulary import CaptionLook, CaptionPosition, Shape

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

Rect = tuple[int, int, int, int]  # x, y, width, height in output pixels


@dataclass(frozen=True)
class ShapeLayout:
    """How captions are laid out on one shape: lines, size and the zone they must stay in."""

    chars_per_line: int
    max_lines: int
    # The ASS font size as a fraction of the picture height. libass sets a line's pitch (ascent
    # + descent) to the font size: measured 100 px a line at size 100 with DejaVu Sans Bold.
    font_fraction: float
    # The zone captions, logo and lower third stay inside: bands kept clear at the top and the
    # bottom (fractions of the height) and at each side (fraction of the width).
    top: float
    bottom: float
    side: float


# fmt: off
SHAPE_LAYOUTS: dict[Shape, ShapeLayout] = {
    # 16:9 keeps the look it always had: Netflix's 42 x 2 at 1/18 of the height (60 px at 1080p,
    # between Apple's 5 % and TTML's 1/15); the feed player covers little of a wide video.
    Shape.FEED: ShapeLayout(42, 2, 1 / 18, top=0.05, bottom=0.06, side=0.05),
    # Square and 4:5 play in the feed at the phone's full width, as Reels do: sized between the
    # 16:9 look and the Reels size, 6 % clear at the sides and top (Instagram's 64 px of 1080),
    # 8 % at the bottom for the player's progress bar and sound button. A square is short, so
    # two lines; 4:5 is narrow enough to want the BBC's vertical three lines.
    Shape.SQUARE: ShapeLayout(28, 2, 0.06, top=0.06, bottom=0.08, side=0.06),
    Shape.PORTRAIT: ShapeLayout(25, 3, 0.052, top=0.06, bottom=0.08, side=0.06),
    # Reels: Meta's safe zone; the BBC's vertical lines; a line is 4 % of the height (77 px of
    # 1920, the same share of a phone's width as 7 % of it) where 16:9's rule gave 1.8 %.
    Shape.REELS: ShapeLayout(25, 3, 0.04, top=0.14, bottom=0.35, side=0.06),
}
# fmt: on

# The sidecar .srt keeps broadcast rules whatever the shape: Facebook draws it itself, at its
# own size, and Netflix's 42 x 2 is what its player is made for.
SIDECAR_RULES = LayoutRules()

# Outline thickness and box padding as a fraction of the font size (thick enough on bright skies).
OUTLINE_FRACTION = 0.08
BOX_PADDING_FRACTION = 0.18
# The outline look's drop shadow, as a fraction of the font size.
SHADOW_FRACTION = 0.04
# Space kept between the caption and the edge of its zone, as a fraction of the height.
SAFE_GAP_FRACTION = 0.02
# Semi-transparent dark box behind the text: ASS alpha 0x60 = about 62 % opaque (white text on
# it over a white picture: 6.2:1).
BOX_ALPHA = 0x60
# The word highlight's box is darker, 0x30 = about 81 % opaque, so a brand's accent colour keeps
# WCAG's 4.5:1 over any picture without being bleached (the default amber: 6.3:1 over white).
HIGHLIGHT_BOX_ALPHA = 0x30
# A line's height as a multiple of the font size (libass: ascent + descent, measured 1.0).
CAPTION_LINE_HEIGHT = 1.0
# Smallest font libass should be asked for (tiny test frames).
MIN_FONT_PX = 8


def box_alpha(look: CaptionLook) -> int:
    return HIGHLIGHT_BOX_ALPHA if look.highlights_words else BOX_ALPHA


def box_opacity(look: CaptionLook) -> float:
    return 1 - box_alpha(look) / 255


def shape_layout(shape: Shape) -> ShapeLayout:
    return SHAPE_LAYOUTS[shape]


@dataclass(frozen=True)
class CaptionBox:
    """Where burned captions go, in output pixels (libass PlayRes = the output size)."""

    font_size: int
    position: CaptionPosition
    margin_v: int  # from the frame's bottom (or top) edge to the text
    margin_side: int
    padding: float  # the box's padding around the text (kept clear in both looks)
    outline: float  # the outline's thickness (outline look)
    zone: Rect  # where every caption pixel (box, outline, shadow) must stay
    zone_top: int  # the highest row max_lines lines of bottom captions reach
    max_lines: int

    @property
    def ink_reach(self) -> float:
        """How far the caption's pixels reach past its glyphs: the box padding or the outline."""
        return max(self.padding, self.outline + self.font_size * SHADOW_FRACTION)

    @property
    def text_width(self) -> float:
        """The widest line the zone holds, in pixels of text (box padding kept inside)."""
        return self.zone[2] - 2 * self.ink_reach


def caption_font_size(shape: Shape, height: int, style: CaptionStyle) -> int:
    """Font size in pixels: the shape's share of the height, times the user's scale."""
    scale = min(MAX_SIZE_SCALE, max(MIN_SIZE_SCALE, style.size_scale))
    size = shape_layout(shape).font_fraction * height * scale
    return max(MIN_FONT_PX, round(size))


def caption_zone(shape: Shape, width: int, height: int) -> Rect:
    """The part of the frame captions and brand layers stay in (clear of the app's own UI)."""
    rules = shape_layout(shape)
    left = round(width * rules.side)
    top = round(height * rules.top)
    bottom = math.floor(height * (1 - rules.bottom))
    return (left, top, width - 2 * left, bottom - top)


def caption_box(preset: Preset, width: int, height: int, style: CaptionStyle) -> CaptionBox:
    rules = shape_layout(preset.name)
    size = caption_font_size(preset.name, height, style)
    padding = size * BOX_PADDING_FRACTION
    zone = caption_zone(preset.name, width, height)
    gap = SAFE_GAP_FRACTION * height
    reach = max(padding, size * (OUTLINE_FRACTION + SHADOW_FRACTION))
    block = rules.max_lines * CAPTION_LINE_HEIGHT * size
    if style.position is CaptionPosition.TOP:
        margin_v = math.ceil(zone[1] + gap + reach)
        zone_top = zone[1] + zone[3]  # nothing below the zone's bottom
    else:
        margin_v = math.ceil(height - (zone[1] + zone[3]) + gap + reach)
        # A pixel more for libass's rounding of the box (measured: one row above on 540 px).
        zone_top = math.floor(height - margin_v - block - reach) - 1
    return CaptionBox(
        font_size=size,
        position=style.position,
        margin_v=margin_v,
        margin_side=zone[0],
        padding=padding,
        outline=size * OUTLINE_FRACTION,
        zone=zone,
        zone_top=zone_top,
        max_lines=rules.max_lines,
    )


def caption_rules(preset: Preset, width: int, height: int, style: CaptionStyle) -> LayoutRules:
    """The line rules of burned captions on this shape: its line length and count, and lines no
    wider than the zone at the font size the style gives (measured with the caption font)."""
    rules = shape_layout(preset.name)
    box = caption_box(preset, width, height, style)
    return LayoutRules(
        max_chars_per_line=rules.chars_per_line,
        max_lines=rules.max_lines,
        max_line_width=box.text_width / box.font_size,
    )


def safe_area(preset: Preset, width: int, height: int) -> Rect:
    """The part of the frame Facebook's own buttons and text never cover (the caption zone)."""
    return caption_zone(preset.name, width, height)


@functools.cache
def _caption_font() -> tuple[FreeTypeFont, float]:
    from PIL import ImageFont

    from clipstudio.resources import caption_font_file

    font = ImageFont.truetype(str(caption_font_file()), 1000)
    ascent, descent = font.getmetrics()
    return font, float(ascent + descent)


@functools.lru_cache(maxsize=8192)
def caption_text_width(text: str) -> float:
    """Width of `text` in the caption font, in units of the ASS font size (libass sizes the
    font so that ascent + descent is the size: measured within 1 % of libass's own lines)."""
    font, line = _caption_font()
    return float(font.getlength(text)) / line
