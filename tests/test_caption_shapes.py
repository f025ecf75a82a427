"""Captions laid out per shape: the rule table, and libass frames measured against it (every
caption inside the shape's zone, lines as tall as the size rule, real speech fitting the lines)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from test_captions_files import bbox, ink, render_frame
from test_captions_layout import timed_words

from clipstudio.core.export.layout import (
    SHAPE_LAYOUTS,
    SIDECAR_RULES,
    caption_box,
    caption_rules,
    caption_text_width,
    shape_layout,
)
from clipstudio.core.export.presets import PRESETS
from clipstudio.core.speech.layout import build_captions, caption_problems
from clipstudio.core.speech.subtitles import write_ass
from clipstudio.core.speech.types import Caption, CaptionStyle
from clipstudio.core.vocabulary import CaptionLook, Shape

REAL_SPEECH = Path(__file__).resolve().parent.parent.parent / "shared/media/real/speech"


def reference_text() -> str:
    """Every reference transcript of the real speech, or a stand-in when the folder is absent."""
    path = REAL_SPEECH / "references.json"
    if not path.is_file():
        pytest.skip("no real speech in ../shared/media/real")
    return " ".join(json.loads(path.read_text(encoding="utf-8")).values())


def test_the_table_has_a_row_for_every_shape_and_keeps_to_its_sources() -> None:
    assert set(SHAPE_LAYOUTS) == set(Shape)
    reels = shape_layout(Shape.REELS)
    # Meta's Reels safe zone: top 14 %, bottom 35 %, 6 % a side.
    assert (reels.top, reels.bottom, reels.side) == (0.14, 0.35, 0.06)
    assert reels.font_fraction >= 0.04 and reels.max_lines == 3 and reels.chars_per_line <= 25
    # 16:9 keeps its broadcast look; the sidecar keeps 42 x 2 whatever the shape.
    feed = shape_layout(Shape.FEED)
    assert (feed.chars_per_line, feed.max_lines, feed.font_fraction) == (42, 2, 1 / 18)
    assert (SIDECAR_RULES.max_chars_per_line, SIDECAR_RULES.max_lines) == (42, 2)
    # Every shape shown at a phone's full width gets a bigger share of that width than 16:9.
    for shape in (Shape.SQUARE, Shape.PORTRAIT, Shape.REELS):
        preset = PRESETS[shape]
        size = caption_box(preset, preset.width, preset.height, CaptionStyle()).font_size
        assert size / preset.width > 1.5 * 60 / 1920, shape


def test_text_widths_match_what_libass_draws(tmp_path: Path) -> None:
    """The width the line rules measure is libass's: within 2 % on a real line."""
    line = "Wonderful weekend: we knocked on 400 doors"
    width, height = 1280, 360
    preset = PRESETS[Shape.FEED]
    style = CaptionStyle(background=CaptionLook.OUTLINE)
    box = caption_box(preset, width, height, style)
    ass = tmp_path / "w.ass"
    write_ass([Caption(0.0, 4.0, (line,))], ass, width=width, height=height, style=style,
              preset=preset)  # fmt: skip
    frame = render_frame(ass, width, height, tmp_path / "w.png")
    white = (frame > 200).all(axis=2)
    cols = np.flatnonzero(white.any(axis=0))
    drawn = (cols[-1] - cols[0] + 1) / box.font_size
    assert caption_text_width(line) == pytest.approx(drawn, rel=0.02)


@pytest.mark.parametrize("shape", list(Shape))
def test_real_speech_burned_on_each_shape_stays_in_its_zone(tmp_path: Path, shape: Shape) -> None:
    preset = PRESETS[shape]
    # Half the preset's size keeps libass fast; every rule is a share of the picture.
    width, height = preset.width // 2, preset.height // 2
    style = CaptionStyle()
    rules = caption_rules(preset, width, height, style)
    captions = build_captions(timed_words(reference_text()), rules)
    assert caption_problems(captions, rules) == []
    # The caption that takes most room: most lines, then the widest line.
    biggest = max(
        captions, key=lambda c: (len(c.lines), max(caption_text_width(t) for t in c.lines))
    )
    assert len(biggest.lines) == rules.max_lines
    box = caption_box(preset, width, height, style)
    ass = tmp_path / "c.ass"
    write_ass([Caption(0.0, 4.0, biggest.lines)], ass, width=width, height=height, style=style,
              preset=preset)  # fmt: skip
    frame = render_frame(ass, width, height, tmp_path / "c.png")
    top, bottom, left, right = bbox(ink(frame))
    x, y, w, h = box.zone
    assert x <= left and right < x + w and y <= top and bottom < y + h, (shape, box.zone)
    # The lower third's limit is above every row the caption drew.
    assert box.zone_top <= top


@pytest.mark.parametrize("shape", list(Shape))
def test_lines_are_as_tall_as_the_size_rule(tmp_path: Path, shape: Shape) -> None:
    """Measured on the pixels: the pitch from one line's capitals to the next line's."""
    preset = PRESETS[shape]
    width, height = preset.width // 2, preset.height // 2
    style = CaptionStyle(background=CaptionLook.OUTLINE)
    ass = tmp_path / "h.ass"
    write_ass([Caption(0.0, 4.0, ("HHH", "HHH"))], ass, width=width, height=height, style=style,
              preset=preset)  # fmt: skip
    white = (render_frame(ass, width, height, tmp_path / "h.png") > 200).all(axis=2)
    rows = np.flatnonzero(white.any(axis=1))
    gaps = np.flatnonzero(np.diff(rows) > 1)
    assert len(gaps) == 1, "two separate lines"
    second_top = rows[gaps[0] + 1]
    pitch = second_top - rows[0]
    assert pitch >= shape_layout(shape).font_fraction * height - 1, (shape, pitch)
    cap_height = rows[gaps[0]] - rows[0] + 1
    assert cap_height >= 0.55 * pitch  # capitals fill the line (DejaVu: 0.63), not a small face


@pytest.mark.parametrize("look", [CaptionLook.BOX, CaptionLook.HIGHLIGHT])
def test_the_box_darkens_the_picture_behind_it_without_hiding_it(
    tmp_path: Path, look: CaptionLook
) -> None:
    """A caption box is see-through: the picture behind the words is darkened enough for the
    text to read, not painted over with opaque black, and not left untouched."""
    width, height = 640, 360
    preset = PRESETS[Shape.FEED]
    style = CaptionStyle(background=look)
    ass = tmp_path / "box.ass"
    caption = Caption(0.0, 4.0, ("Wonderful weekend: we knocked", "on 400 doors"))
    write_ass([caption], ass, width=width, height=height, style=style, preset=preset)
    frame = render_frame(ass, width, height, tmp_path / "box.png")
    top, bottom, left, right = bbox(ink(frame))
    region = frame[top : bottom + 1, left : right + 1]
    behind = region[~(region > 120).any(axis=2)]  # neither the text nor its lit word
    green = float(np.median(behind[:, 1]))  # the picture is 0x008000: green 128
    assert 10 < green < 100, green
