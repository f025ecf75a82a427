"""Where the source picture goes in the output frame: size and placement, as plain numbers.

Geometry only, no PyAV and no ffmpeg: the window asks the same question for its preview, and
importing this must not load the decoders into the window's process.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING

from clipstudio.core.vocabulary import Fix, PortraitFill

if TYPE_CHECKING:
    from clipstudio.core.edit.plan import Fixes
    from clipstudio.core.export.presets import Preset
    from clipstudio.core.media.probe import MediaInfo

# Where a crop cuts, as the share of the overhang taken off the left and off the top: centred
# across; down the picture a third above and two thirds below (the guide puts the head near the
# top of the frame). ffmpeg.py's crop and the preview's placement both read these.
CROP_LEFT_SHARE = Fraction(1, 2)
CROP_TOP_SHARE = Fraction(1, 3)
# Aspect ratios closer than this are treated as equal (1080x1920 vs 9:16 rounding, 1366x768).
ASPECT_TOLERANCE = 0.02


class FitMode(StrEnum):
    SCALE = "scale"  # same shape: scaled
    CROP = "crop"  # filled, the overhang cut (sides, or top and bottom)
    BLUR = "blur"  # the picture whole over a blurred copy filling the frame
    PAD = "pad"  # the picture whole between black bars


@dataclass(frozen=True)
class Fit:
    """How the source picture is placed in the preset frame."""

    mode: FitMode
    width: int
    height: int
    # The source was smaller than the platform's minimum for this shape and is enlarged to it.
    upscaled: bool = False


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def _even_down(value: float) -> int:
    return max(2, int(value // 2) * 2)


def plan_fit(media: MediaInfo, preset: Preset, fixes: Fixes) -> Fit:
    """Output size and placement. A small source gives a smaller frame of the preset's shape
    (Facebook upscales on playback better than we can add detail), except where the shape has a
    platform minimum (Reels: 540x960): then it is enlarged to that minimum and no further."""
    assert media.video is not None
    source_w, source_h = media.video.display_width, media.video.display_height
    source_aspect = source_w / source_h
    if abs(source_aspect / preset.aspect - 1) < ASPECT_TOLERANCE:
        mode, scale = FitMode.SCALE, min(1.0, source_h / preset.height)
    elif source_aspect > preset.aspect:
        # Wider than the frame (landscape into square/portrait/reels): fill, cut the sides.
        mode, scale = FitMode.CROP, min(1.0, source_h / preset.height)
    elif Fix.PORTRAIT not in fixes:
        mode, scale = FitMode.PAD, min(1.0, source_h / preset.height)
    elif fixes.portrait_fill is PortraitFill.CROP:
        # Narrower (portrait into feed) and the user chose to fill: cut top and bottom.
        mode, scale = FitMode.CROP, min(1.0, source_w / preset.width)
    else:
        mode, scale = FitMode.BLUR, min(1.0, source_h / preset.height)
    minimum = preset.min_height / preset.height
    if scale < minimum:
        return Fit(mode, _even(preset.width * minimum), _even(preset.height * minimum), True)
    width, height = _even(preset.width * scale), _even(preset.height * scale)
    if mode is FitMode.SCALE:
        # The same shape is never made bigger than the source: rounding to even numbers made a
        # 1281x721 source 1282x720, a picture wider than the one it came from.
        width, height = min(width, _even_down(source_w)), min(height, _even_down(source_h))
    return Fit(mode, width, height)


def plan_fits(
    media: Sequence[MediaInfo], preset: Preset, fixes: Fixes
) -> tuple[Fit, dict[str, Fit]]:
    """One output frame for several sources, and where each one's picture goes in it. The frame
    is the largest any source would make on its own (so the best clip is never made smaller to
    match a poorer one); each source keeps its own placement (scaled, cropped, over a blurred
    copy) at that size."""
    fits = {info.path: plan_fit(info, preset, fixes) for info in media}
    frame = max(fits.values(), key=lambda fit: fit.width * fit.height)
    return frame, {
        path: Fit(fit.mode, frame.width, frame.height, frame.upscaled) for path, fit in fits.items()
    }


@dataclass(frozen=True)
class Placement:
    """Where a picture lands in the output frame, in output pixels; a crop overhangs the frame."""

    x: float
    y: float
    width: float
    height: float


def picture_placement(fit: Fit, source_width: int, source_height: int) -> Placement:
    """Where the source picture goes in the fitted frame, as ffmpeg.py's graph puts it: scaled
    to the frame, inside it between bars (pad), over it cut by the crop shares (crop), or whole
    at the frame's height over the blurred fill (blur)."""
    width, height = fit.width, fit.height
    if fit.mode is FitMode.SCALE or source_width <= 0 or source_height <= 0:
        return Placement(0.0, 0.0, float(width), float(height))
    if fit.mode is FitMode.BLUR:
        shown = source_width * height / source_height
        return Placement((width - shown) / 2, 0.0, shown, float(height))
    inside = fit.mode is FitMode.PAD
    scale = (min if inside else max)(width / source_width, height / source_height)
    shown_w, shown_h = source_width * scale, source_height * scale
    if inside:
        return Placement((width - shown_w) / 2, (height - shown_h) / 2, shown_w, shown_h)
    return Placement(-(shown_w - width) * float(CROP_LEFT_SHARE),
                     -(shown_h - height) * float(CROP_TOP_SHARE), shown_w, shown_h)  # fmt: skip


def fill_placement(fit: Fit, source_width: int, source_height: int) -> Placement:
    """Where the blurred copy behind an upright picture goes: covering the frame, centred (the
    background's crop in ffmpeg.py is ffmpeg's default, the middle)."""
    width, height = fit.width, fit.height
    scale = max(width / max(1, source_width), height / max(1, source_height))
    shown_w, shown_h = source_width * scale, source_height * scale
    return Placement((width - shown_w) / 2, (height - shown_h) / 2, shown_w, shown_h)
