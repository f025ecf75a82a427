"""The export's caption check: every burned caption inside the shape's caption zone and the
picture, and readable (WCAG 1.4.3: 4.5:1 against its box or outline), measured on the file.

Cheap by design: a few moments (the first caption, the one with most lines, the widest, and in
the highlight look a lit word), each looked at twice. libass draws the same captions over plain
black and plain white at those moments, which shows exactly which pixels are the caption's
(box, outline, shadow, glyphs) wherever they landed; the exported frames at the same moments
then give the colours the viewer really sees there: the glyphs against the box over the picture.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from clipstudio.core.export.contrast import (
    MIN_TEXT_CONTRAST,
    RGB,
    WHITE,
    hex_rgb,
    luminance_of,
    ratio_of_luminances,
)
from clipstudio.core.export.layout import Rect, caption_text_width
from clipstudio.core.progress import CancelToken
from clipstudio.core.speech.types import Caption
from clipstudio.core.vocabulary import CaptionLook

# A pixel belongs to the caption when either plain render differs from its background by more.
FOOTPRINT_THRESHOLD = 12
# A glyph's core: the render shows the text colour within this on both backgrounds...
GLYPH_TOLERANCE = 40
# ...and so do its neighbours this far away (4:2:0 chroma and anti-aliasing smear the edges).
GLYPH_CORE_RADIUS = 1
# Box or outline pixels are this far from any glyph pixel.
BACKING_GAP = 2
# Glyph colours are read as their median; the backing behind as its brightest tenth (the part a
# white glyph stands out from least).
BACKING_PERCENTILE = 90
# An outline pixel is opaque black: darker than this even on the white render.
OUTLINE_DARK = 60
# At most this many captions are looked at.
MAX_MOMENTS = 3
# The frame rate assumed when a stream does not say (only to find the frame at a time).
DEFAULT_FPS = 30


@dataclass(frozen=True)
class Moment:
    """A time a caption is on screen and the colour its (lit) glyphs are drawn in."""

    time: float
    colour: RGB


@dataclass(frozen=True)
class BurnedCaptions:
    """What the render burned in, for the check: the ASS it used and where captions may go."""

    ass: Path
    fonts_dir: Path
    zone: Rect
    look: CaptionLook
    moments: tuple[Moment, ...]


@dataclass(frozen=True)
class CaptionFinding:
    name: str
    ok: bool
    detail: str


def caption_moments(
    captions: Sequence[Caption], look: CaptionLook, highlight: str, fps: float
) -> tuple[Moment, ...]:
    """A few moments worth looking at, each on a frame boundary of the output: the first
    caption, the one with the most lines and the widest (mid-caption), and with the highlight
    look the middle of its longest word (lit in `highlight`)."""
    shown = [c for c in captions if c.lines and c.end > c.start]
    if not shown:
        return ()
    picks = [
        shown[0],
        max(shown, key=lambda c: len(c.lines)),
        max(shown, key=lambda c: max(caption_text_width(line) for line in c.lines)),
    ]
    moments: list[Moment] = []
    for caption in dict.fromkeys(picks):
        time, colour = (caption.start + caption.end) / 2, WHITE
        if look.highlights_words and caption.has_word_timings:
            # The longest word: glyphs thick and many enough to read colours off.
            word = max(caption.words, key=lambda w: (len(w.text), w.end - w.start))
            time, colour = (word.start + word.end) / 2, hex_rgb(highlight)
        # The middle of the frame that shows `time`, so rounding never lands on a neighbour.
        frame = int(time * fps)
        moments.append(Moment(round((frame + 0.5) / fps, 4), colour))
    return tuple(moments[:MAX_MOMENTS])


def check_burned_captions(
    video: Path, width: int, height: int, burned: BurnedCaptions, cancel: CancelToken | None
) -> list[CaptionFinding]:
    """One finding for the zone and one for the contrast, each naming the worst moment."""
    if not burned.moments:
        return []
    times = [m.time for m in burned.moments]
    with tempfile.TemporaryDirectory(prefix="clipstudio-captions-") as work:
        plain = _plain_renders(burned, width, height, times, Path(work), cancel)
    exported = _frames_at(video, times)
    outside: list[str] = []
    worst: tuple[float, str] | None = None
    for moment, (on_black, on_white), frame in zip(burned.moments, plain, exported, strict=True):
        footprint = _footprint(on_black, on_white)
        if not footprint.any():
            continue
        where = _bbox(footprint)
        if not _inside(where, burned.zone):
            outside.append(f"at {moment.time:.2f} s the caption spans {_describe(where)}")
        ratio = _contrast(frame, on_black, on_white, footprint, moment.colour, burned.look.boxed)
        if worst is None or ratio < worst[0]:
            worst = (ratio, f"{ratio:.1f}:1 at {moment.time:.2f} s")
    findings = [
        CaptionFinding(
            "captions inside the caption zone",
            not outside,
            "; ".join(outside) or f"zone {_describe(burned.zone)}",
        )
    ]
    if worst is not None:
        findings.append(
            CaptionFinding(
                f"caption contrast at least {MIN_TEXT_CONTRAST:g}:1 (WCAG 1.4.3)",
                worst[0] >= MIN_TEXT_CONTRAST,
                worst[1] if worst[0] >= MIN_TEXT_CONTRAST else f"captions hard to read: {worst[1]}",
            )
        )
    return findings


def _plain_renders(
    burned: BurnedCaptions,
    width: int,
    height: int,
    times: list[float],
    work: Path,
    cancel: CancelToken | None,
) -> list[tuple[np.ndarray, np.ndarray]]:
    from PIL import Image

    from clipstudio.core.export.ffmpeg import caption_footprint_command
    from clipstudio.core.process import run_process

    pattern = work / "moment-%03d.png"
    command = caption_footprint_command(burned.ass, burned.fonts_dir, width, height, times, pattern)
    run_process(command, description="caption check", cancel=cancel)
    renders = []
    for index in range(len(times)):
        with Image.open(work / f"moment-{index + 1:03d}.png") as image:
            both = np.asarray(image.convert("RGB")).astype(np.int16)
        renders.append((both[:height], both[height:]))
    return renders


def _frames_at(video: Path, times: list[float]) -> list[np.ndarray]:
    """The exported frames shown at `times` (seeking to the keyframe before each)."""
    import av

    frames: list[np.ndarray] = []
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        tick = stream.time_base or Fraction(1, 90_000)
        for time in times:
            container.seek(int(time / tick), stream=stream, backward=True)
            half_frame = 0.5 / float(stream.average_rate or DEFAULT_FPS)
            picture = None
            for frame in container.decode(stream):
                picture = frame
                if frame.time is not None and frame.time >= time - half_frame:
                    break
            if picture is None:
                raise ValueError(f"no frame at {time:.2f} s")
            frames.append(picture.to_ndarray(format="rgb24").astype(np.int16))
    return frames


def _footprint(on_black: np.ndarray, on_white: np.ndarray) -> np.ndarray:
    return (on_black.max(axis=2) > FOOTPRINT_THRESHOLD) | (
        on_white.min(axis=2) < 255 - FOOTPRINT_THRESHOLD
    )


def _spread(mask: np.ndarray, radius: int) -> np.ndarray:
    """`mask` grown by `radius` pixels (a square neighbourhood)."""
    grown = mask.copy()
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            grown |= np.roll(np.roll(mask, dy, axis=0), dx, axis=1)
    return grown


def _contrast(
    frame: np.ndarray,
    on_black: np.ndarray,
    on_white: np.ndarray,
    footprint: np.ndarray,
    colour: RGB,
    boxed: bool,
) -> float:
    """Glyphs in `colour` against the box or outline right around them, in the exported frame."""
    target = np.array(colour, dtype=np.int16)
    # Glyphs are opaque: the same on both renders, and not the outline's black.
    opaque = np.abs(on_black - on_white).max(axis=2) < GLYPH_TOLERANCE
    glyphs = opaque & (on_black.max(axis=2) >= OUTLINE_DARK)
    lit = glyphs & (np.abs(on_black - target).max(axis=2) < GLYPH_TOLERANCE)
    core = lit & ~_spread(~lit, GLYPH_CORE_RADIUS)
    if not core.any():
        core = lit  # strokes too thin to have a core on a small frame
    if boxed:
        backing = footprint & ~_spread(glyphs, BACKING_GAP)
        percentile = BACKING_PERCENTILE
    else:
        # The outline itself: opaque black on both renders (its soft edge and the see-through
        # shadow are not what the glyph is read against). It is only a pixel or two thick on a
        # small frame, so it is read as its median, which the glyphs' smear cannot move.
        backing = footprint & ~glyphs & (on_white.max(axis=2) < OUTLINE_DARK)
        percentile = 50
    if not core.any() or not backing.any():
        return 1.0
    text = float(np.median(luminance_of(frame[core])))
    behind = float(np.percentile(luminance_of(frame[backing]), percentile))
    return ratio_of_luminances(text, behind)


def _bbox(mask: np.ndarray) -> Rect:
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    return (int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1))


def _inside(rect: Rect, zone: Rect) -> bool:
    x, y, w, h = rect
    zx, zy, zw, zh = zone
    return zx <= x and zy <= y and x + w <= zx + zw and y + h <= zy + zh


def _describe(rect: Rect) -> str:
    x, y, w, h = rect
    return f"x {x}-{x + w}, y {y}-{y + h}"
