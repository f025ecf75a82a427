"""The branded pictures of an export: logo, lower third and end card, drawn once with Pillow.

One renderer for the export and the GUI preview, so both show the same pixels. All user text
(names, call to action, link, imprint) is drawn here from the bundled TTF fonts into PNG images;
ffmpeg only overlays those images by file name, so no user text ever enters an ffmpeg filter
graph and no quote, colon, percent sign, backslash or brace can break one.

Placement (all inside the preset's safe area):
- logo: in the kit's corner, at most 1/8 of the short side tall (1/4 wide), aspect kept; a
  bottom-corner logo sits above the caption zone.
- lower third: lower-left, its bottom edge above the zone two burned caption lines can take
  (captions sit bottom-centre above Facebook's UI band), so the two never overlap.
- end card: full frame in the primary colour; logo at the top, the call to action large in the
  middle, the link in the accent colour, and the imprint at the bottom of the safe area with a
  cap height of at least 2.2 % of the frame height (24 px at 1080p), wrapped, never shrunk below.
"""

from __future__ import annotations

import functools
import io
import math
import re
import tempfile
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from clipstudio.core.branding.imprint import UK_POSTCODE
from clipstudio.core.branding.kit import (
    FADE_S,
    LOWER_THIRD_DURATION_S,
    LOWER_THIRD_START_S,
    MAX_LOGO_SIDE,
    Branding,
    font_file,
)
from clipstudio.core.errors import BadInputError, FfmpegError
from clipstudio.core.export.layout import Rect, caption_box, safe_area
from clipstudio.core.export.presets import Preset
from clipstudio.core.speech.types import CaptionStyle

# Gap between stacked elements and above the caption zone, as a fraction of the frame height.
GAP_FRACTION = 0.02
# Logo: at most this share of the short side tall, twice that wide.
LOGO_HEIGHT_FRACTION = 1 / 8
# Lower third: text size as a share of the short side; the second line (role) is smaller.
LOWER_THIRD_TEXT_FRACTION = 0.045
LOWER_THIRD_ROLE_SCALE = 0.8
LOWER_THIRD_MIN_SCALE = 0.7  # shrink this far to fit before wrapping or cutting
# Landscape lower thirds stop at 70 % of the width: a banner across the whole frame hides the
# speaker's gestures; on tall frames the whole safe width is used.
LOWER_THIRD_MAX_WIDTH_LANDSCAPE = 0.70
# End card text sizes, as a share of the short side.
CTA_TEXT_FRACTION = 0.085
CTA_MAX_LINES = 3
CTA_MIN_SCALE = 0.5
LINK_TEXT_FRACTION = 0.05
LOGO_CARD_HEIGHT_FRACTION = 0.2  # of the frame height
# Imprint legibility, our own floor: cap height at least 2.2 % of the frame height (24 px at
# 1080p, about the size of Facebook's own caption text on a phone). The Electoral Commission's
# statutory guidance wants the imprint to be part of the material itself, so it must be readable
# in the picture; an imprint nobody can read tells voters nothing.
IMPRINT_MIN_CAP_FRACTION = 0.022
IMPRINT_MAX_HEIGHT_FRACTION = 0.4  # of the safe area; a longer imprint cannot be shown legibly
LINE_SPACING = 1.2  # line pitch as a multiple of the font size
ELLIPSIS = "\u2026"
VARIATION_SELECTORS = "\ufe0e\ufe0f"  # text/emoji presentation: meaningless once emoji are gone


@dataclass(frozen=True)
class Layer:
    """One picture overlaid on the main part of the export."""

    png: bytes  # RGBA PNG, already at its size in output pixels
    x: int  # top-left in the output frame
    y: int
    start: float | None = None  # output-timeline seconds it appears (None: whole main part)
    end: float | None = None
    fade: float = 0.0  # seconds of fade in and out

    @property
    def size(self) -> tuple[int, int]:
        with Image.open(io.BytesIO(self.png)) as image:
            return image.size

    @property
    def rect(self) -> Rect:
        width, height = self.size
        return (self.x, self.y, width, height)


@dataclass(frozen=True)
class BrandLayers:
    width: int
    height: int
    logo: Layer | None
    lower_third: Layer | None
    end_card: bytes | None  # full-frame opaque PNG (width x height)
    end_card_seconds: float  # 0 when there is no end card
    # Where each part of the end card was drawn ("logo", "call_to_action", "link", "imprint"),
    # for tests and for the GUI to outline them.
    end_card_boxes: dict[str, Rect] = field(default_factory=dict)
    imprint_font_px: int = 0  # font size the imprint was drawn at (0: no imprint)
    safe_area: Rect = (0, 0, 0, 0)


def layer_opacity(layer: Layer, t: float) -> float:
    """Opacity 0..1 of `layer` at output time `t`: linear fades, as ffmpeg's fade filter draws."""
    if layer.start is None or layer.end is None:
        return 1.0
    if t < layer.start or t > layer.end:
        return 0.0
    if layer.fade <= 0:
        return 1.0
    return max(0.0, min(1.0, (t - layer.start) / layer.fade, (layer.end - t) / layer.fade))


def render_layers(
    branding: Branding,
    width: int,
    height: int,
    preset: Preset,
    main_duration: float,
    *,
    caption_style: CaptionStyle | None = None,
) -> BrandLayers:
    """Draw every branded part for a `width` x `height` export whose main part (before the end
    card) lasts `main_duration` s. Raises BadInputError when the imprint cannot be shown
    legibly (far too long for the frame)."""
    kit = branding.kit
    safe = safe_area(preset, width, height)
    gap = max(2, round(GAP_FRACTION * height))
    captions = caption_box(preset, width, height, caption_style or CaptionStyle())
    bottom_limit = min(safe[1] + safe[3], captions.zone_top)
    bottom_limit -= gap

    logo = None
    if branding.has_logo:
        assert kit.logo_png is not None
        short = min(width, height)
        picture = _scaled_logo(kit.logo_png, 2 * short * LOGO_HEIGHT_FRACTION,
                               short * LOGO_HEIGHT_FRACTION)  # fmt: skip
        x = safe[0] if kit.logo_corner.endswith("left") else safe[0] + safe[2] - picture.width
        y = safe[1] if kit.logo_corner.startswith("top") else bottom_limit - picture.height
        logo = Layer(_png(picture), x, y)

    lower_third = None
    end = min(LOWER_THIRD_START_S + LOWER_THIRD_DURATION_S, main_duration)
    name = drawable_text(branding.lower_third, kit.font)
    if name and end - LOWER_THIRD_START_S >= 2 * FADE_S + 0.5:
        picture = _lower_third_picture(name, branding, width, height, safe)
        bottom = bottom_limit
        if logo is not None and kit.logo_corner.startswith("bottom"):
            logo_x, logo_y, logo_w, _ = logo.rect
            if safe[0] < logo_x + logo_w and logo_x < safe[0] + picture.width:
                bottom = logo_y - gap  # stack above a bottom logo it would otherwise cover
        lower_third = Layer(_png(picture), safe[0], max(safe[1], bottom - picture.height),
                            start=LOWER_THIRD_START_S, end=end, fade=FADE_S)  # fmt: skip

    end_card, imprint_px = None, 0
    boxes: dict[str, Rect] = {}
    if branding.has_end_card:
        card, boxes, imprint_px = _end_card(branding, width, height, safe, gap)
        end_card = _png(card)
    return BrandLayers(
        width=width,
        height=height,
        logo=logo,
        lower_third=lower_third,
        end_card=end_card,
        end_card_seconds=branding.end_card_duration,
        end_card_boxes=boxes,
        imprint_font_px=imprint_px,
        safe_area=safe,
    )


# --- text ---------------------------------------------------------------------------------------


@functools.cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_file(name)), max(4, size))


@functools.cache
def _has_glyph(name: str, char: str) -> bool:
    """Whether the font draws `char` (a missing glyph renders as the font's .notdef box)."""
    font = _font(name, 32)
    missing = font.getmask("\U0010fffd")  # a private-use code point no font covers
    mask = font.getmask(char)
    return not (mask.size == missing.size and bytes(mask) == bytes(missing))


def drawable_text(text: str, font_name: str) -> str:
    """`text` with what the font cannot draw removed: emoji the font lacks (and the joiners and
    variation selectors that belonged to them), control characters; tabs become spaces.
    Newlines are kept: they are the user's line breaks."""
    out: list[str] = []
    dropped = False  # the last base character was dropped: drop its marks and joiners too
    for char in text.replace("\r\n", "\n").replace("\t", " "):
        category = unicodedata.category(char)
        if char == "\n":
            out.append(char)
            dropped = False
        elif char in VARIATION_SELECTORS or (category in ("Mn", "Me", "Cf") and dropped):
            continue
        elif category == "Cf":
            out.append(char)  # direction marks, joiners: shaping hints with no ink of their own
        elif category in ("Cc", "Cs", "Co", "Cn") or not _has_glyph(font_name, char):
            dropped = True
        else:
            out.append(char)
            dropped = dropped and category.startswith("M")
    lines = (re.sub(r"[ \u00a0]{2,}", " ", line).strip() for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line)


def _width(font: ImageFont.FreeTypeFont, text: str) -> float:
    """Room `text` needs: its advance plus, on both sides, any ink that overhangs it (a "J"
    reaching left, an italic-ish tail), so centred text never pokes out of its area."""
    advance = font.getlength(text)
    left, _, right, _ = font.getbbox(text, anchor="ls")
    return advance + 2 * max(0.0, -left, right - advance)


def _reserve(font: ImageFont.FreeTypeFont) -> float:
    """Room kept for overhanging ink while wrapping by advance width (cheap to measure); lines
    are checked with `_width` afterwards. DejaVu's Latin overhangs stay under 0.05 em a side."""
    return 0.1 * font.size


def _wrap(
    text: str, font: ImageFont.FreeTypeFont, max_width: float, stop_after: int | None = None
) -> list[str]:
    """Greedy word wrap; a word wider than the line is broken between characters. Stops once
    it has more than `stop_after` lines (the caller only needs to know it does not fit)."""
    max_width -= _reserve(font)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            if stop_after is not None and len(lines) > stop_after:
                return lines
            candidate = f"{current} {word}" if current else word
            if font.getlength(candidate) <= max_width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            for char in word:
                if current and font.getlength(current + char) > max_width:
                    lines.append(current)
                    current = ""
                current += char
        if current:
            lines.append(current)
    return lines


def _ellipsised(text: str, font: ImageFont.FreeTypeFont, max_width: float) -> str:
    if _width(font, text) <= max_width:
        return text
    while text and font.getlength(text.rstrip() + ELLIPSIS) > max_width - _reserve(font):
        text = text[:-1]
    while text and _width(font, text.rstrip() + ELLIPSIS) > max_width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def _fit(
    text: str,
    font_name: str,
    size: int,
    min_size: int,
    max_width: float,
    max_lines: int,
    max_height: float | None = None,
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size from `size` down to `min_size` at which `text` wraps into `max_lines`
    (and `max_height`); at `min_size` the last line that fits is cut with an ellipsis."""
    current = size
    while True:
        font = _font(font_name, current)
        limit = max_lines
        if max_height is not None:
            room = (max_height - _block_height(font, 1)) // _line_pitch(font)
            limit = max(1, min(max_lines, 1 + int(room)))
        lines = _wrap(text, font, max_width, stop_after=limit)
        if len(lines) <= limit and all(_width(font, line) <= max_width for line in lines):
            return font, lines
        if current <= min_size:
            kept = lines[:limit]
            if len(lines) > limit:
                kept[-1] = f"{kept[-1]} {lines[limit]}"
            return font, [_ellipsised(line, font, max_width) for line in kept]
        current = max(min_size, math.floor(current * 0.94))


def _line_pitch(font: ImageFont.FreeTypeFont) -> int:
    return round(font.size * LINE_SPACING)


def _draw_lines(
    draw: ImageDraw.ImageDraw,
    lines: list[str],
    font: ImageFont.FreeTypeFont,
    *,
    top: int,
    centre_x: float | None,
    left: int,
    fill: str,
) -> Rect:
    """Draw lines from `top` (first line's top = top of its ascender); returns the ink box."""
    ascent, _ = font.getmetrics()
    boxes = []
    for index, line in enumerate(lines):
        baseline = top + ascent + index * _line_pitch(font)
        if centre_x is not None:
            position, anchor = (centre_x, baseline), "ms"
        else:
            position, anchor = (left, baseline), "ls"
        draw.text(position, line, font=font, fill=fill, anchor=anchor)
        boxes.append(draw.textbbox(position, line, font=font, anchor=anchor))
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[2] for b in boxes)
    y1 = max(b[3] for b in boxes)
    return (int(x0), int(y0), int(math.ceil(x1 - x0)), int(math.ceil(y1 - y0)))


def _block_height(font: ImageFont.FreeTypeFont, line_count: int) -> int:
    ascent, descent = font.getmetrics()
    return ascent + descent + (line_count - 1) * _line_pitch(font)


# --- pictures -----------------------------------------------------------------------------------


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)  # small pictures: speed over size
    return buffer.getvalue()


def _scaled_logo(logo_png: bytes, max_width: float, max_height: float) -> Image.Image:
    try:
        with Image.open(io.BytesIO(logo_png)) as source:
            logo = source.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        raise BadInputError("the brand kit logo is damaged: import the logo again") from None
    scale = min(max_width / logo.width, max_height / logo.height)
    size = (max(1, round(logo.width * scale)), max(1, round(logo.height * scale)))
    return logo.resize(size, Image.Resampling.LANCZOS)


def _lower_third_picture(
    text: str, branding: Branding, width: int, height: int, safe: Rect
) -> Image.Image:
    """Primary-colour box, accent stripe on the left, name (and role) in the kit's font."""
    kit = branding.kit
    short = min(width, height)
    size = max(8, round(short * LOWER_THIRD_TEXT_FRACTION))
    max_box = safe[2] if width <= height else min(safe[2], width * LOWER_THIRD_MAX_WIDTH_LANDSCAPE)
    stripe = max(2, round(size * 0.25))
    pad_x, pad_y = round(size * 0.5), round(size * 0.3)
    text_width = max_box - stripe - 2 * pad_x
    min_size = max(6, math.floor(size * LOWER_THIRD_MIN_SCALE))

    blocks: list[tuple[ImageFont.FreeTypeFont, list[str]]] = []
    parts: list[str] = []
    if "\n" in text:
        first, rest = text.split("\n", 1)
        parts = [first, rest.replace("\n", " ")]
    elif ", " in text and _width(_font(kit.font, size), text) > text_width:
        parts = [part.strip() for part in text.split(", ", 1)]  # "Name, role": two lines
    if len(parts) == 2 and all(parts):
        blocks.append(_fit(parts[0], kit.font, size, min_size, text_width, 1))
        role_size = round(size * LOWER_THIRD_ROLE_SCALE)
        role_min = max(6, math.floor(role_size * LOWER_THIRD_MIN_SCALE))
        blocks.append(_fit(parts[1], kit.font, role_size, role_min, text_width, 1))
    else:
        blocks.append(_fit(text, kit.font, size, min_size, text_width, 2))

    heights = [_block_height(font, len(lines)) for font, lines in blocks]
    ink_width = max(_width(font, line) for font, lines in blocks for line in lines)
    box_w = math.ceil(stripe + 2 * pad_x + ink_width)
    box_h = sum(heights) + 2 * pad_y + round(size * 0.15) * (len(blocks) - 1)
    image = Image.new("RGBA", (box_w, box_h), kit.primary_colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, stripe - 1, box_h - 1), fill=kit.accent_colour)
    top = pad_y
    for (font, lines), block_height in zip(blocks, heights, strict=True):
        _draw_lines(draw, lines, font, top=top, centre_x=None, left=stripe + pad_x,
                    fill=kit.text_colour)  # fmt: skip
        top += block_height + round(size * 0.15)
    return image


def imprint_lines(imprint: str, font: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """The imprint wrapped to the card, never splitting a postcode ("AB1" and "2CD" on two
    lines read as two things): its space becomes a no-break space."""
    kept_whole = UK_POSTCODE.sub(lambda match: match.group(0).replace(" ", "\u00a0"), imprint)
    return _wrap(kept_whole, font, max_width)


def _imprint_font(font_name: str, height: int) -> ImageFont.FreeTypeFont:
    """The smallest size whose capital H is at least IMPRINT_MIN_CAP_FRACTION of the height."""
    target = IMPRINT_MIN_CAP_FRACTION * height
    size = max(6, math.floor(target / 0.75))
    while True:
        font = _font(font_name, size)
        left, top, right, bottom = font.getbbox("H", anchor="ls")
        if bottom - top >= target:
            return font
        size += 1


def _end_card(
    branding: Branding, width: int, height: int, safe: Rect, gap: int
) -> tuple[Image.Image, dict[str, Rect], int]:
    kit = branding.kit
    image = Image.new("RGBA", (width, height), kit.primary_colour)
    draw = ImageDraw.Draw(image)
    boxes: dict[str, Rect] = {}
    short = min(width, height)
    left, top, safe_w, safe_h = safe
    bottom = top + safe_h
    centre_x = left + safe_w / 2

    imprint_px = 0
    imprint = drawable_text(branding.imprint, kit.font)
    if branding.imprint.strip() and not imprint:
        raise BadInputError("the imprint has no letters that can be shown: write it out in words")
    if imprint:
        font = _imprint_font(kit.font, height)
        lines = imprint_lines(imprint, font, safe_w)
        block = _block_height(font, len(lines))
        if block > IMPRINT_MAX_HEIGHT_FRACTION * safe_h:
            raise BadInputError(
                f"the imprint is too long to show legibly on a {width}x{height} end card"
                f" ({len(branding.imprint)} characters): give the promoter's name and address"
                " only"
            )
        bottom -= block
        boxes["imprint"] = _draw_lines(draw, lines, font, top=bottom, centre_x=centre_x,
                                       left=left, fill=kit.text_colour)  # fmt: skip
        imprint_px = round(font.size)
        bottom -= 2 * gap

    link = drawable_text(branding.link, kit.font).replace("\n", " ")
    if link:
        size = max(8, round(short * LINK_TEXT_FRACTION))
        font, lines = _fit(link, kit.font, size, max(6, size // 2), safe_w, 1)
        bottom -= _block_height(font, 1)
        boxes["link"] = _draw_lines(draw, lines, font, top=bottom, centre_x=centre_x,
                                    left=left, fill=kit.accent_colour)  # fmt: skip
        bottom -= gap

    if branding.has_logo:
        assert kit.logo_png is not None
        logo = _scaled_logo(kit.logo_png, safe_w / 2, LOGO_CARD_HEIGHT_FRACTION * height)
        x = round(centre_x - logo.width / 2)
        image.alpha_composite(logo, (x, top))
        boxes["logo"] = (x, top, logo.width, logo.height)
        top += logo.height + gap

    cta = drawable_text(branding.call_to_action, kit.font)
    if cta:
        size = max(8, round(short * CTA_TEXT_FRACTION))
        min_size = max(6, math.floor(size * CTA_MIN_SCALE))
        room = bottom - top
        font, lines = _fit(cta, kit.font, size, min_size, safe_w, CTA_MAX_LINES, room)
        block = _block_height(font, len(lines))
        cta_top = top + max(0, (room - block) // 2)
        boxes["call_to_action"] = _draw_lines(draw, lines, font, top=cta_top,
                                              centre_x=centre_x, left=left,
                                              fill=kit.text_colour)  # fmt: skip
    return image.convert("RGB"), boxes, imprint_px


# --- logo import --------------------------------------------------------------------------------

MAX_LOGO_FILE_BYTES = 20_000_000  # a logo is a small picture; refuse to decode a huge file
# Pixels a logo may have before decoding: 40 MP is 160 MB as RGBA, already far past any logo
# (a 12000 x 12000 PNG of 17 kB decoded to 576 MB); Pillow's own bomb guard starts at 89 MP.
MAX_LOGO_PIXELS = 40_000_000
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".svg")


def import_logo(path: Path) -> bytes:
    """A logo file (PNG, JPEG, WebP or SVG) as a PNG with alpha, longest side <= MAX_LOGO_SIDE.
    SVG is rasterised by the bundled ffmpeg's librsvg decoder at the largest size allowed."""
    from clipstudio.core.files import check_readable

    path = Path(path)
    check_readable(path, "logo picture")
    if path.suffix.lower() not in LOGO_SUFFIXES:
        raise BadInputError(f"{path.name}: a logo must be a PNG, JPEG, WebP or SVG file")
    size = path.stat().st_size
    if size > MAX_LOGO_FILE_BYTES:
        raise BadInputError(f"{path.name} is {size // 1_000_000} MB: too big for a logo")
    if path.suffix.lower() == ".svg":
        return _import_svg(path)
    too_big = (
        f"{path.name} is too big for a logo (at most {MAX_LOGO_PIXELS // 1_000_000} million pixels)"
    )
    with warnings.catch_warnings():
        # Pillow only warns between 89 and 179 million pixels: here that is a refusal too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as source:
                if source.width * source.height > MAX_LOGO_PIXELS:
                    raise BadInputError(f"{too_big}: it is {source.width}x{source.height}")
                # draft() lets a big JPEG decode at a fraction of its size (shown small anyway).
                source.draft("RGB", (MAX_LOGO_SIDE, MAX_LOGO_SIDE))
                source.load()
                logo = source.convert("RGBA")
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise BadInputError(too_big) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise BadInputError(f"{path.name} is not a picture Clip Studio can read") from None
    logo.thumbnail((MAX_LOGO_SIDE, MAX_LOGO_SIDE), Image.Resampling.LANCZOS)
    return _png_optimised(logo)


def _import_svg(path: Path) -> bytes:
    from clipstudio.core.export import ffmpeg
    from clipstudio.core.process import run_process

    with tempfile.TemporaryDirectory(prefix="clipstudio-logo-") as folder:
        target = Path(folder) / "logo.png"
        try:
            run_process(ffmpeg.rasterise_svg_command(path, target, MAX_LOGO_SIDE),
                        description="reading the SVG logo")  # fmt: skip
            with Image.open(target) as raster:
                logo = raster.convert("RGBA")
        except (FfmpegError, OSError, UnidentifiedImageError):
            raise BadInputError(f"{path.name} is not an SVG picture Clip Studio can read") from None
    logo.thumbnail((MAX_LOGO_SIDE, MAX_LOGO_SIDE), Image.Resampling.LANCZOS)
    return _png_optimised(logo)


def _png_optimised(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)  # the logo travels inside the kit file
    return buffer.getvalue()
