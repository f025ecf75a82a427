"""Branded exports, measured on the decoded file: the logo, the lower third in its seconds, the
end card for its exact length at the end, no captions on it, the time limit, hostile text."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import pyloudnorm
import pytest
from PIL import Image
from plans import export
from test_branding import ACCENT, PRIMARY, full_kit, rgb

from clipstudio.core.branding.kit import Branding
from clipstudio.core.branding.layers import BrandLayers, layer_opacity, render_layers
from clipstudio.core.edit.plan import Segment
from clipstudio.core.errors import BadInputError
from clipstudio.core.export import ffmpeg
from clipstudio.core.export.presets import PRESETS
from clipstudio.core.export.render import ExportResult
from clipstudio.core.speech.types import CaptionStyle

NAME = "Cllr Sarah Jones, Labour candidate for North Ward"
CARD_SECONDS = 3.0
SOURCE_SECONDS = 9.0
CAPTION = "1\n00:00:00,000 --> 00:00:30,000\nVOTE FOR THE LIBRARY\n"


@dataclass
class Decoded:
    times: np.ndarray  # seconds of each frame
    card_share: np.ndarray  # share of each frame's pixels in the primary colour
    frames: dict[float, tuple[float, np.ndarray]]  # asked time -> (frame time, RGB picture)


def decode(path: Path, at: list[float]) -> Decoded:
    """One pass over the file: per-frame share of primary-coloured pixels, and the frames
    shown at the `at` times (the first frame whose timestamp reaches each)."""
    primary = rgb(PRIMARY).astype(np.int16)
    times, shares, frames = [], [], {}
    wanted = sorted(at)
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            picture = frame.to_ndarray(format="rgb24")
            times.append(frame.time)
            sampled = picture[::4, ::4].astype(np.int16)  # every 16th pixel: plenty for a share
            shares.append(float((np.abs(sampled - primary).max(axis=2) < 14).mean()))
            while wanted and frame.time >= wanted[0] - 1e-3:
                frames[wanted.pop(0)] = (frame.time, picture.astype(float))
    assert not wanted, f"no frames at {wanted}"
    return Decoded(np.array(times), np.array(shares), frames)


def box(picture: np.ndarray, rect: tuple[int, int, int, int]) -> np.ndarray:
    x, y, w, h = rect
    return picture[y : y + h, x : x + w]


def png_rgb(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("RGB")).astype(float)


def box_background(art: np.ndarray, radius: int = 2) -> np.ndarray:
    """Pixels of the lower-third picture in the plain box colour, away from text and edges by
    `radius` (4:2:0 chroma smears colours over two pixels)."""
    plain = np.abs(art - rgb(PRIMARY)).max(axis=2) < 1
    padded = np.pad(plain, radius, constant_values=False)
    windows = np.lib.stride_tricks.sliding_window_view(padded, (2 * radius + 1,) * 2)
    return windows.all(axis=(2, 3))


def png_rgba(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("RGBA")).astype(float)


@dataclass
class Pair:
    result: ExportResult
    layers: BrandLayers
    branded: Decoded
    plain: Decoded
    main: float


SAMPLE_TIMES = [0.7, 1.5, 2.5, 3.5, 4.5, 6.5, 8.0]


@pytest.fixture(scope="module")
def pair(media, tmp_path_factory) -> Pair:
    """The same 640x360 clip with burned captions, exported plain and with every brand part."""
    folder = tmp_path_factory.mktemp("branded")
    source = media.marked_clip("brand640", 640, 360, SOURCE_SECONDS)
    srt = folder / "captions.srt"
    srt.write_text(CAPTION, encoding="utf-8")
    branding = Branding.from_kit(full_kit(), lower_third=NAME, end_card_seconds=CARD_SECONDS)
    result = export(source, folder / "branded.mp4", caption_mode="burn", subtitles=srt,
                    branding=branding)  # fmt: skip
    export(source, folder / "plain.mp4", caption_mode="burn", subtitles=srt)
    main = result.plan.kept_duration
    layers = render_layers(branding, 640, 360, PRESETS["feed"], main, caption_style=CaptionStyle())
    end = result.duration
    at = [*SAMPLE_TIMES, main - 0.5, end - CARD_SECONDS + 0.1, end - 0.05]
    return Pair(result, layers, decode(folder / "branded.mp4", at),
                decode(folder / "plain.mp4", [t for t in at if t < main]), main)  # fmt: skip


def test_branded_export_is_valid_and_as_long_as_clip_plus_card(pair: Pair) -> None:
    assert pair.result.validation.ok, pair.result.validation.failures
    # The kept part is a whole number of output frames (joins are frame-accurate).
    assert pair.main == pytest.approx(SOURCE_SECONDS, abs=1 / 29.97)
    assert pair.result.duration == pytest.approx(SOURCE_SECONDS + CARD_SECONDS, abs=0.05)
    rules = {rule.name for rule in pair.result.validation.rules}
    planned = f"duration {pair.main + CARD_SECONDS:.2f} s as planned (clip and end card)"
    assert planned in rules


def test_end_card_fills_exactly_the_last_seconds(pair: Pair) -> None:
    fps = 1 / np.median(np.diff(pair.branded.times))
    is_card = pair.branded.card_share > 0.8
    card_frames = np.flatnonzero(is_card)
    # One unbroken run of card frames that reaches the last frame...
    assert card_frames[-1] == len(is_card) - 1
    assert np.all(np.diff(card_frames) == 1)
    # ...lasting the set duration to within two frames, starting where the clip ends.
    assert len(card_frames) / fps == pytest.approx(CARD_SECONDS, abs=2 / fps)
    assert pair.branded.times[card_frames[0]] == pytest.approx(pair.main, abs=2 / fps)
    assert pair.branded.card_share[: card_frames[0] - 15].max() < 0.05  # none in the clip


def test_end_card_text_is_where_render_layers_drew_it(pair: Pair) -> None:
    _, last = pair.branded.frames[pair.result.duration - 0.05]
    primary = rgb(PRIMARY)
    for name in ("call_to_action", "link", "imprint", "logo"):
        region = box(last, pair.layers.end_card_boxes[name])
        ink = (np.abs(region - primary).max(axis=2) > 60).mean()
        assert ink > 0.1, name
    left, top, _, _ = pair.layers.safe_area
    margin = last[:, 4 : left - 4]  # nothing is drawn outside the safe area
    assert (np.abs(margin - primary).max(axis=2) < 14).mean() > 0.98
    # The whole card is the picture render_layers made, so no captions were burned on it.
    assert pair.layers.end_card is not None
    expected = png_rgb(pair.layers.end_card)
    assert np.abs(last - expected).mean() < 2.5
    lower_band = slice(int(0.6 * last.shape[0]), None)
    assert np.abs(last[lower_band] - expected[lower_band]).mean() < 3


def test_captions_are_burned_on_the_clip(pair: Pair) -> None:
    """The card-equals-its-picture check above means something: the captions were burned into
    the clip (their white letters; testsrc2 has no white near the bottom centre)."""
    band = (slice(int(360 * 0.8), int(360 * 0.95)), slice(200, 440))
    for frames in (pair.plain.frames, pair.branded.frames):
        _, frame = frames[2.5]
        assert (frame[band].min(axis=2) > 220).mean() > 0.05


def test_lower_third_is_there_in_its_seconds_and_gone_after(pair: Pair) -> None:
    layer = pair.layers.lower_third
    assert layer is not None
    background = box_background(png_rgba(layer.png)[:, :, :3])
    for t in (1.5, 2.5, 3.5, 4.5):
        _, frame = pair.branded.frames[t]
        region = box(frame, layer.rect)
        assert (np.abs(region - rgb(PRIMARY)).max(axis=2) < 14)[background].mean() > 0.9, t
        stripe = region[:, 1:3]
        assert np.abs(stripe - rgb(ACCENT)).max(axis=2).mean() < 25, t
    _, after = pair.branded.frames[6.5]
    _, plain_after = pair.plain.frames[6.5]
    assert np.abs(box(after, layer.rect) - box(plain_after, layer.rect)).mean() < 3


def test_lower_third_fade_matches_layer_opacity(pair: Pair) -> None:
    """The preview's layer_opacity predicts the export's blend mid-fade."""
    layer = pair.layers.lower_third
    assert layer is not None
    background = box_background(png_rgba(layer.png)[:, :, :3])
    frame_time, frame = pair.branded.frames[0.7]
    _, plain = pair.plain.frames[0.7]
    shown, under = box(frame, layer.rect)[background], box(plain, layer.rect)[background]
    towards = rgb(PRIMARY) - under
    alpha = float(((shown - under) * towards).sum() / (towards * towards).sum())
    expected = layer_opacity(layer, frame_time)
    assert 0.2 < expected < 0.8  # really mid-fade
    assert alpha == pytest.approx(expected, abs=0.12)


def test_logo_sits_in_its_corner_with_its_transparency(pair: Pair) -> None:
    logo = pair.layers.logo
    assert logo is not None
    x, y, w, h = logo.rect
    assert x + w > 640 * 0.8 and y < 360 * 0.2  # top-right
    _, frame = pair.branded.frames[3.5]
    _, plain = pair.plain.frames[3.5]
    disc = frame[y + h // 2 - 2 : y + h // 2 + 3, x + w // 2 - 2 : x + w // 2 + 3]
    assert np.abs(disc - np.array([0, 68, 255])).max(axis=2).mean() < 25
    corner = (slice(y, y + 4), slice(x, x + 4))  # transparent: the picture shows through
    assert np.abs(frame[corner] - plain[corner]).mean() < 6


def test_speech_is_normalised_and_the_card_is_silent(pair: Pair) -> None:
    with av.open(str(pair.result.output)) as container:
        stream = container.streams.audio[0]
        audio = np.concatenate([f.to_ndarray() for f in container.decode(stream)], axis=1).T
        rate = stream.codec_context.sample_rate
    under_card = audio[int((pair.main + 0.1) * rate) :]
    assert np.abs(under_card).max() < 1e-3
    assert pyloudnorm.Meter(rate).integrated_loudness(audio) == pytest.approx(-14, abs=1)
    assert pair.result.validation.loudness_lufs == pytest.approx(-14, abs=1)


def test_long_source_is_trimmed_so_clip_and_card_stay_under_a_minute(media, tmp_path) -> None:
    branding = Branding.from_kit(full_kit(logo_png=None), end_card_seconds=4.0)
    # 70 s of tiny silent picture: the trim is a plain cut at the limit, and cheap to render.
    source = media.ffmpeg_clip("long-tiny", [
        "-f", "lavfi", "-i", "testsrc2=size=192x108:rate=24", "-t", "70",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
    ])  # fmt: skip
    result = export(source, tmp_path / "l.mp4", branding=branding)
    assert result.validation.ok
    assert 50 < result.duration < 60
    assert result.plan.kept_duration + 4.0 < 60 - 0.05
    decoded = decode(result.output, [result.duration - 3.9, result.duration - 0.05])
    assert all(decoded.card_share[-int(3.9 * 24) :] > 0.8)  # the last seconds are the card


def test_kept_parts_plus_card_over_the_limit_say_how_much_to_cut(media, tmp_path) -> None:
    branding = Branding.from_kit(full_kit(), end_card_seconds=4.0)
    with pytest.raises(BadInputError, match=r"cut 1\.1 s more"):
        export(media.long_with_pauses(), tmp_path / "x.mp4", branding=branding,
               segments=[Segment(0, 30), Segment(35, 62)])  # fmt: skip
    with pytest.raises(BadInputError, match="no time for the clip"):
        export(media.mono(), tmp_path / "y.mp4", max_duration=4.5, branding=branding)
    assert list(tmp_path.iterdir()) == []


HOSTILE = (
    "Jo's \"best\": 100% %{pts} \\N \\\\ {\\b1} ;,[x]=y 'a' 🎉👍🏽👨‍👩‍👧 café Zoë — مرحبا שלום\n"
    "second line: ${HOME} $(rm -rf) `x` %s %d"
)


def test_hostile_text_never_reaches_ffmpeg_and_renders(media, tmp_path, monkeypatch) -> None:
    commands: list[list[str]] = []
    original = ffmpeg.render_command

    def recording(spec: ffmpeg.RenderSpec) -> list[str]:
        commands.append(original(spec))
        return commands[-1]

    monkeypatch.setattr(ffmpeg, "render_command", recording)
    folder = tmp_path / "100% {x}: it's"  # the work files' names are ours, the output's not
    folder.mkdir()
    branding = Branding.from_kit(
        full_kit(), lower_third=HOSTILE, call_to_action=HOSTILE + " " + "long " * 80,
        link="%{pts}:\\{}'\"🎉", imprint="Promoted by Jo \"J\" O'Neil: 100% {x} \\ 🎉 on behalf"
        " of Zoë Ñ, both at 1 High St, Town, AB1 2CD",
    )  # fmt: skip
    source = media.no_audio()
    result = export(source, folder / "out.mp4", branding=branding)
    assert result.validation.ok
    (command,) = commands
    for word in ("Jo's", "%{pts}", "مرحبا", "Zoë", "rm -rf"):
        assert not any(word in argument for argument in command), word
    main = result.plan.kept_duration
    layers = render_layers(branding, 640, 360, PRESETS["feed"], main)
    assert layers.lower_third is not None and layers.end_card is not None
    decoded = decode(result.output, [1.5, result.duration - 0.05])
    _, last = decoded.frames[result.duration - 0.05]
    assert np.abs(last - png_rgb(layers.end_card)).mean() < 2.5  # our drawing, text and all
    _, during = decoded.frames[1.5]
    art = png_rgb(layers.lower_third.png)
    assert np.abs(box(during, layers.lower_third.rect) - art).mean() < 12
