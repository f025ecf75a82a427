"""Photos and clips shown over the video (cutaways): what each one is, where it goes on the
timeline and how it fills the frame. The render lays them over the joined takes before the
captions and the brand layers, so those stay on top, and the speech carries on underneath.

A photo gets a slow zoom so it is not a frozen frame. The zoom is drawn in the render's own
graph (ffmpeg's perspective filter, sub-pixel), not in a separate clip: measured on a 4 s
1080p zoom of 10 %, the line being followed moved off a smooth path by 0.05 px rms (0.12 px at
most) for 3.0 s of CPU; zoompan's whole-pixel steps wobbled 0.61 px rms (1.5 px at most); a
moviepy clip drawn with Pillow was as smooth (0.045 px) but cost 8.6 s of CPU, wrote a file
the render then decoded again, and ran its own ffmpeg outside core/process.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from clipstudio.core.edit.plan import Cutaway, Fixes
from clipstudio.core.errors import BadInputError
from clipstudio.core.export.fit import Fit, FitMode, plan_fit
from clipstudio.core.export.presets import Preset
from clipstudio.core.media.probe import MediaInfo
from clipstudio.core.vocabulary import Fix, PortraitFill

# Files read as photos (Pillow); anything else is probed as a video clip.
PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff"})
# The slow zoom: 2 % a second (a Ken Burns move a viewer notices without watching it), at most
# 12 % however long the photo stays.
ZOOM_PER_S = 0.02
MAX_ZOOM = 0.12
# A cutaway fills the frame: a clip of another shape is cropped to it, never padded.
COVER = Fixes.of({Fix.PORTRAIT}, PortraitFill.CROP)


@dataclass(frozen=True)
class CutawayLayer:
    """One cutaway as the render lays it: from `start` (output seconds, on a frame) for
    `frames` output frames."""

    source: str
    start: float
    frames: int
    picture: Path | None = None  # a photo, drawn to the frame's size
    zoom: float = 0.0  # how much the photo grows over its time (0.04: 4 %)
    media: MediaInfo | None = None  # a clip
    fit: Fit | None = None


def is_photo(path: str | Path) -> bool:
    return Path(path).suffix.lower() in PHOTO_SUFFIXES


def lay_cutaway(
    cutaway: Cutaway,
    frame: Fit,
    preset: Preset,
    fps: Fraction,
    work: Path,
    index: int,
    media: MediaInfo | None,
) -> CutawayLayer:
    """A cutaway on the output's frame grid: a photo drawn to the frame (turned upright by its
    EXIF orientation, cropped to fill), a clip placed to fill it."""
    start_frame = round(cutaway.start * fps)
    frames = max(1, round(cutaway.end * fps) - start_frame)
    start = float(start_frame / fps)
    if media is None:
        picture = work / f"cutaway-{index}.png"
        draw_photo(Path(cutaway.source), frame.width, frame.height, picture)
        zoom = min(MAX_ZOOM, ZOOM_PER_S * cutaway.duration)
        return CutawayLayer(cutaway.source, start, frames, picture=picture, zoom=zoom)
    mode = plan_fit(media, preset, COVER).mode
    fit = Fit(mode if mode is FitMode.SCALE else FitMode.CROP, frame.width, frame.height)
    return CutawayLayer(cutaway.source, start, frames, media=media, fit=fit)


def draw_photo(source: Path, width: int, height: int, out: Path) -> None:
    """The photo upright (phones store it sideways with an EXIF turn), scaled to cover
    `width` x `height` and cropped to it about its centre, as an RGB PNG."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(source) as opened:
            photo = ImageOps.exif_transpose(opened).convert("RGB")
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        raise BadInputError(f"cannot read the photo {source.name}: {exc}") from None
    scale = max(width / photo.width, height / photo.height)
    size = (max(width, round(photo.width * scale)), max(height, round(photo.height * scale)))
    photo = photo.resize(size, Image.Resampling.LANCZOS)
    left, top = (size[0] - width) // 2, (size[1] - height) // 2
    photo.crop((left, top, left + width, top + height)).save(out, format="PNG")
