"""Burned captions on every shape, measured on the decoded export: inside the shape's zone, lines
as tall as the size rule, the word highlight moving with the word timings, the lower third clear
of the captions; and the export's own caption check (zone, WCAG contrast) failing when it must."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import av
import numpy as np
import pytest
from media import MediaFactory
from plans import export
from test_branding import ACCENT, PRIMARY, full_kit, rgb

from clipstudio.core.branding.kit import Branding
from clipstudio.core.edit.plan import captions_on_timeline
from clipstudio.core.errors import ValidationError
from clipstudio.core.export.caption_check import (
    BurnedCaptions,
    Moment,
    caption_moments,
    check_burned_captions,
)
from clipstudio.core.export.contrast import (
    MIN_TEXT_CONTRAST,
    box_over,
    contrast_ratio,
    hex_rgb,
    readable_on_box,
)
from clipstudio.core.export.layout import CaptionBox, box_opacity, caption_box, shape_layout
from clipstudio.core.export.presets import PRESETS
from clipstudio.core.export.render import ExportResult, captions_to_burn
from clipstudio.core.speech.subtitles import highlight_spans, write_ass
from clipstudio.core.speech.types import Caption, CaptionStyle, CaptionWord
from clipstudio.core.vocabulary import CaptionLook, CaptionMode, Shape
from clipstudio.resources import caption_font_file

BACKGROUND = (40, 120, 200)  # a flat mid blue: the box, the accent and the lower third differ
SECONDS = 4.5
# Capitals only: every line's ink runs from the cap height to the baseline, so the distance
# from one line's top to the next is the line pitch libass gives the font size.
WORDS = "VOTE ON THURSDAY AND BRING A FRIEND WITH YOU TO THE LIBRARY".split()  # noqa: SIM905
WORD_S, GAP_S, FIRST_S = 0.3, 0.05, 0.3
COLOUR_TOLERANCE = 40
FRAME_TOLERANCE = 2  # the highlight may move up to two frames from the word's time


def spoken_caption() -> Caption:
    """One caption of timed words in source time (the layout re-breaks it for each shape)."""
    words, t = [], FIRST_S
    for text in WORDS:
        words.append(CaptionWord(text, round(t, 3), round(t + WORD_S, 3)))
        t += WORD_S + GAP_S
    return Caption(FIRST_S, round(t + 0.2, 3), (" ".join(WORDS),), tuple(words))


@pytest.fixture(scope="session")
def flat_clip(media: MediaFactory) -> Path:
    colour = "0x{:02X}{:02X}{:02X}".format(*BACKGROUND)
    return media.ffmpeg_clip("caption-flat", [
        "-f", "lavfi", "-i", f"color=c={colour}:size=960x540:rate=30:duration={SECONDS}",
        "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={SECONDS}",
        "-af", "volume=-12dB", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-shortest",
    ])  # fmt: skip


@dataclass
class Exported:
    result: ExportResult
    burned: list[Caption]  # the captions as burned, in output time
    box: CaptionBox
    frames: dict[float, np.ndarray]  # the frames shown at LOOK_AT_S and mid-caption
    # For every frame: its time and where the lit word's pixels are (None: no word lit).
    lit: list[tuple[float, tuple[float, float] | None]]
    fps: float


_exports: dict[Shape, Exported] = {}
# Times the zone test looks at: before the lower third is up, and while it is.
BEFORE_LOWER_THIRD_S, WITH_LOWER_THIRD_S = 0.3, 2.0


def highlighted_export(flat_clip: Path, tmp_path_factory: pytest.TempPathFactory, shape: Shape
                       ) -> Exported:  # fmt: skip
    """The highlight look on `shape` with a lower third, exported and decoded once per shape."""
    if shape not in _exports:
        kit = full_kit(logo_png=None, call_to_action="", imprint="", link="")
        out = tmp_path_factory.mktemp(f"captions-{shape}") / "out.mp4"
        style = CaptionStyle(background=CaptionLook.HIGHLIGHT)
        result = export(
            flat_clip,
            out,
            preset=shape,
            caption_mode=CaptionMode.BURN,
            captions=[spoken_caption()],
            style=style,
            branding=Branding.from_kit(kit, lower_third="Cllr Sarah Jones"),
        )
        burned = captions_to_burn(captions_on_timeline(result.plan.takes), result.plan,
                                  result.width, result.height)  # fmt: skip
        box = caption_box(PRESETS[shape], result.width, result.height, style)
        wanted = [
            BEFORE_LOWER_THIRD_S,
            WITH_LOWER_THIRD_S,
            *((c.start + c.end) / 2 for c in burned),
        ]
        lit_colour = hex_rgb(readable_on_box(ACCENT, box_opacity(CaptionLook.HIGHLIGHT)))
        frames, lit, times = {}, [], []
        with av.open(str(out)) as container:
            for frame in container.decode(video=0):
                picture = frame.to_ndarray(format="rgb24")
                times.append(float(frame.time))
                for t in [t for t in wanted if t not in frames and frame.time >= t - 1e-3]:
                    frames[t] = picture.astype(np.int16)
                # Below the lower third's limit only: its stripe is the accent colour too.
                band = picture[box.zone_top :].astype(np.int16)
                ys, xs = np.nonzero(near(band, lit_colour))
                centre = (float(xs.mean()), float(ys.mean())) if len(xs) > 20 else None
                lit.append((float(frame.time), centre))
        fps = 1 / float(np.median(np.diff(times)))
        _exports[shape] = Exported(result, burned, box, frames, lit, fps)
    return _exports[shape]


def near(
    frame: np.ndarray, colour: tuple[float, float, float], tolerance: int = COLOUR_TOLERANCE
) -> np.ndarray:
    return np.abs(frame - np.array(colour)).max(axis=2) < tolerance


def lower_third(frame: np.ndarray) -> np.ndarray:
    """The lower third's box: its plain colour, tightly (edges of the captions blend near it)."""
    return near(frame, tuple(rgb(PRIMARY)), tolerance=16)


def bbox(mask: np.ndarray) -> tuple[int, int, int, int]:
    """x, y, width, height of the True pixels."""
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    assert len(rows), "nothing found"
    return int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1)


def inside(rect: tuple[int, int, int, int], zone: tuple[int, int, int, int]) -> bool:
    x, y, w, h = rect
    return (
        zone[0] <= x and zone[1] <= y and x + w <= zone[0] + zone[2] and y + h <= zone[1] + zone[3]
    )


def caption_pixels(frame: np.ndarray) -> np.ndarray:
    """The highlight look's box over the flat picture, its white glyphs and its lit word."""
    box = box_over(BACKGROUND, box_opacity(CaptionLook.HIGHLIGHT))
    return near(frame, box) | near(frame, (255, 255, 255)) | near(frame, hex_rgb(ACCENT))


@pytest.mark.parametrize("shape", list(Shape))
def test_captions_stay_in_the_zone_at_the_rule_size_clear_of_the_lower_third(
    flat_clip: Path, tmp_path_factory: pytest.TempPathFactory, shape: Shape
) -> None:
    exported = highlighted_export(flat_clip, tmp_path_factory, shape)
    result = exported.result
    height = result.height
    passed = {rule.name for rule in result.validation.rules if rule.ok}
    assert "captions inside the caption zone" in passed
    assert any(name.startswith("caption contrast") for name in passed)
    box = exported.box
    assert (
        lower_third(exported.frames[BEFORE_LOWER_THIRD_S]).sum() < 20
    )  # not up yet: the caption alone
    for caption in exported.burned:
        frame = exported.frames[(caption.start + caption.end) / 2]
        found = caption_pixels(frame)
        found[: box.zone_top - 2 * height // 100] = False  # the lower third's white name
        where = bbox(found)
        assert inside(where, box.zone), (shape, where, box.zone)
        # Line pitch: from one line's capitals to the next line's (the font size).
        white = near(frame, (255, 255, 255)) & found
        rows = np.flatnonzero(white.any(axis=1))
        tops = [rows[0], *rows[1:][np.diff(rows) > 1]]
        assert len(tops) == len(caption.lines), (shape, caption.lines)
        if len(tops) > 1:
            pitch = min(np.diff(tops))
            assert pitch >= shape_layout(shape).font_fraction * height - 1, (shape, pitch)
    # The lower third, once up, sits above every caption pixel.
    frame = exported.frames[WITH_LOWER_THIRD_S]
    third = bbox(lower_third(frame))
    captions_top = min(bbox(caption_pixels(exported.frames[(c.start + c.end) / 2])
                            & (np.arange(height) >= box.zone_top)[:, None])[1]
                       for c in exported.burned)  # fmt: skip
    assert third[1] + third[3] <= captions_top, (shape, third, captions_top)
    assert inside(third, box.zone)


@pytest.mark.parametrize("shape", list(Shape))
def test_the_highlight_moves_from_word_to_word_with_the_word_timings(
    flat_clip: Path, tmp_path_factory: pytest.TempPathFactory, shape: Shape
) -> None:
    exported = highlighted_export(flat_clip, tmp_path_factory, shape)
    fps, centres = exported.fps, exported.lit
    expected = [(start, end, index, number) for number, caption in enumerate(exported.burned)
                for start, end, index in highlight_spans(caption)]  # fmt: skip
    seen_words = []
    for start, end, index, number in expected:
        # Frames well inside the span show one and the same lit place...
        inner = [
            c
            for t, c in centres
            if start + FRAME_TOLERANCE / fps <= t < end - FRAME_TOLERANCE / fps
        ]
        if index is None:
            assert all(c is None for c in inner), (shape, start, end)
            continue
        assert inner and all(c is not None for c in inner), (shape, start, index)
        places = np.array(inner)
        assert np.ptp(places, axis=0).max() <= 3, (shape, index)
        seen_words.append((start, tuple(places.mean(axis=0)), number))
    assert len(seen_words) == len(WORDS)
    # ...each word lights up within two frames of its start, in reading order.
    for (_, place, number), (_, following, then) in zip(seen_words, seen_words[1:], strict=False):
        assert place != following
        if then != number:
            continue  # the next caption starts again at its top line
        x, y = place
        assert following[1] > y + 1 or following[0] > x, (shape, place, following)
    for start, place, _ in seen_words:
        # The first frame, from half a second before, that lights this place.
        first = next(
            t
            for t, c in centres
            if t >= start - 0.5
            and c is not None
            and np.hypot(c[0] - place[0], c[1] - place[1]) <= 3
        )
        assert abs(first - start) <= FRAME_TOLERANCE / fps + 1e-3, (shape, start, first)


def test_an_accent_that_would_not_read_is_lightened_until_it_does() -> None:
    opacity = box_opacity(CaptionLook.HIGHLIGHT)
    lightest_box = box_over((255, 255, 255), opacity)
    assert readable_on_box(ACCENT, opacity) == ACCENT  # the default amber reads as it is
    navy = readable_on_box("#1D3557", opacity)
    assert navy != "#1D3557"
    assert contrast_ratio(hex_rgb(navy), lightest_box) >= MIN_TEXT_CONTRAST
    # Still the brand's hue: blue stays the strongest channel.
    r, g, b = hex_rgb(navy)
    assert b > r and b > g


def test_a_caption_outside_its_zone_or_hard_to_read_fails_the_check(
    flat_clip: Path, tmp_path: Path
) -> None:
    """The check on a real file: a zone that leaves the caption out, and a file with no caption
    burned at all (the check must see the missing glyphs, not trust the plan)."""
    preset = PRESETS[Shape.FEED]
    style = CaptionStyle(background=CaptionLook.BOX)
    caption = Caption(0.5, 3.5, ("VOTE ON THURSDAY",))
    ass = tmp_path / "c.ass"
    write_ass([caption], ass, width=960, height=540, style=style, preset=preset)
    zone = caption_box(preset, 960, 540, style).zone
    burned = BurnedCaptions(ass, caption_font_file().parent, zone, style.background,
                            caption_moments([caption], style.background, ACCENT, 30))  # fmt: skip
    # The clip without captions: what an export that lost its subtitles filter would be.
    missing = check_burned_captions(flat_clip, 960, 540, burned, None)
    assert [f.ok for f in missing] == [True, False]
    assert "hard to read" in missing[1].detail
    # The same ASS burned in passes; with a zone above it, the zone rule names where it is.
    from media import run_ffmpeg

    burnt = tmp_path / "burnt.mp4"
    run_ffmpeg(["-i", str(flat_clip), "-vf",
                f"subtitles=filename={ass}:fontsdir={caption_font_file().parent}",
                "-c:v", "libx264", "-preset", "ultrafast", "-an", str(burnt)])  # fmt: skip
    good = check_burned_captions(burnt, 960, 540, burned, None)
    assert all(f.ok for f in good), good
    ratio = float(good[1].detail.split(":")[0])
    assert ratio >= MIN_TEXT_CONTRAST
    high = replace(burned, zone=(zone[0], zone[1], zone[2], zone[3] // 2))
    outside = check_burned_captions(burnt, 960, 540, high, None)
    assert not outside[0].ok and "the caption spans" in outside[0].detail


def test_a_broken_caption_rule_stops_the_export_with_a_plain_message(
    flat_clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A caption the layout placed out of the zone is an error, never a file."""
    from clipstudio.core.export import render

    real = render._write_burned_captions

    def shrunk_zone(*args, **kwargs):
        burned = real(*args, **kwargs)
        x, y, w, h = burned.zone
        return replace(burned, zone=(x, y, w, h // 3))

    monkeypatch.setattr(render, "_write_burned_captions", shrunk_zone)
    out = tmp_path / "out.mp4"
    with pytest.raises(ValidationError, match="captions inside the caption zone: got at"):
        export(flat_clip, out, caption_mode=CaptionMode.BURN, captions=[spoken_caption()])
    assert not out.exists() and not list(tmp_path.glob(".*part*"))


def test_moments_are_few_and_land_on_a_lit_word() -> None:
    caption = replace(spoken_caption(), lines=(" ".join(WORDS[:6]), " ".join(WORDS[6:])))
    moments = caption_moments([caption], CaptionLook.HIGHLIGHT, ACCENT, 30)
    assert len(moments) == 1 and moments[0].colour == hex_rgb(ACCENT)
    lit = [w for w in caption.words if w.start <= moments[0].time < w.end]
    assert len(lit) == 1
    plain = caption_moments([caption] * 5, CaptionLook.BOX, ACCENT, 30)
    assert plain == (Moment(plain[0].time, (255.0, 255.0, 255.0)),)


def test_the_command_line_offers_every_caption_look(tmp_path: Path) -> None:
    from clipstudio.cli.commands import plan_from_args
    from clipstudio.cli.parser import build_parser

    parser = build_parser()
    base = ["export", str(tmp_path / "a.mp4"), "-o", str(tmp_path / "b.mp4"), "--no-imprint"]
    default = plan_from_args(parser.parse_args(base))
    assert default.captions.style.background is CaptionLook.BOX
    for look in CaptionLook:
        args = parser.parse_args([*base, "--caption-style", str(look)])
        assert plan_from_args(args).captions.style.background is look
    with pytest.raises(SystemExit) as exit_:
        parser.parse_args([*base, "--caption-style", "karaoke"])
    assert exit_.value.code == 2


@pytest.mark.parametrize("look", list(CaptionLook))
def test_every_look_passes_the_check_on_a_small_frame(
    flat_clip: Path, tmp_path: Path, look: CaptionLook
) -> None:
    """640x360 (a small phone source is never upscaled): the outline is under two pixels."""
    from media import run_ffmpeg

    width, height = 640, 360
    preset, style = PRESETS[Shape.FEED], CaptionStyle(background=look)
    caption = captions_to_burn([spoken_caption()], clip_plan_for(style), width, height)
    ass = tmp_path / "c.ass"
    write_ass(caption, ass, width=width, height=height, style=style, preset=preset)
    burnt = tmp_path / "burnt.mp4"
    run_ffmpeg(["-i", str(flat_clip), "-vf",
                f"scale={width}:{height},subtitles=filename={ass}:fontsdir={caption_font_file().parent}",
                "-c:v", "libx264", "-preset", "ultrafast", "-an", str(burnt)])  # fmt: skip
    lit = readable_on_box(ACCENT, box_opacity(look))
    burned = BurnedCaptions(ass, caption_font_file().parent,
                            caption_box(preset, width, height, style).zone, look,
                            caption_moments(caption, look, lit, 30))  # fmt: skip
    findings = check_burned_captions(burnt, width, height, burned, None)
    assert len(findings) == 2 and all(f.ok for f in findings), findings


def clip_plan_for(style: CaptionStyle):
    from plans import clip_plan

    return clip_plan("unused.mp4", caption_mode=CaptionMode.BURN, style=style)
