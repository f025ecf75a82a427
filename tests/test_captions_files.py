"""Subtitle files: sidecar names, SRT/VTT/ASS round trips, and libass drawing user text literally
inside the safe area (frames rendered with ffmpeg's subtitles filter and measured)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from media import run_ffmpeg

from clipstudio.core.errors import BadInputError
from clipstudio.core.export.presets import PRESETS
from clipstudio.core.speech.subtitles import (
    escape_ass_text,
    read_subtitles,
    sidecar_path,
    write_ass,
    write_srt,
    write_vtt,
)
from clipstudio.core.speech.types import Caption, CaptionStyle
from clipstudio.core.vocabulary import CaptionLook, Shape
from clipstudio.resources import caption_font_file

TRICKY = Caption(1.0, 3.5, ("Vote {\\b0}now \\N not a break", '50% off: <b>us</b> & "them"'))


def test_sidecar_path_follows_facebook_naming() -> None:
    assert sidecar_path(Path("/out/my clip.mp4")) == Path("/out/my clip.en_GB.srt")
    assert sidecar_path(Path("a.mp4"), "en") == Path("a.en_GB.srt")
    assert sidecar_path(Path("a.mp4"), "fr_FR") == Path("a.fr_FR.srt")
    assert sidecar_path(Path("a.mp4"), "en-US") == Path("a.en_US.srt")
    assert sidecar_path(Path("a.mp4"), "de") == Path("a.de_DE.srt")
    with pytest.raises(BadInputError):
        sidecar_path(Path("a.mp4"), "xx")


@pytest.mark.parametrize("writer", [write_srt, write_vtt])
def test_srt_and_vtt_round_trip_text_exactly(tmp_path: Path, writer) -> None:
    # Cues that do not overlap: overlapping ones are repaired on reading (test_robustness).
    captions = [Caption(0.0, 0.75, ("First line",)), TRICKY, Caption(3661.5, 3663.0, ("Later",))]
    path = tmp_path / f"subs{'.srt' if writer is write_srt else '.vtt'}"
    writer(captions, path)
    text = path.read_text(encoding="utf-8")
    assert "01:01:01" in text  # hours written, not wrapped
    back = read_subtitles(path)
    assert [(c.start, c.end) for c in back] == [(c.start, c.end) for c in captions]
    assert back[0].lines == ("First line",)
    # Braces and backslashes are the user's text: kept (pysubs2 alone would drop "{\b0}").
    assert back[1].lines[0].startswith("Vote {\\b0}now")


def test_srt_format_is_what_facebook_reads(tmp_path: Path) -> None:
    path = tmp_path / "a.srt"
    write_srt([Caption(0.5, 2.0, ("Hello", "world")), Caption(2.0, 3.0, ("Bye",))], path)
    assert path.read_text(encoding="utf-8") == (
        "1\n00:00:00,500 --> 00:00:02,000\nHello\nworld\n\n2\n00:00:02,000 --> 00:00:03,000\nBye\n"
    )


def test_read_subtitles_bad_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInputError):
        read_subtitles(tmp_path / "missing.srt")


def test_ass_escapes_user_text_and_round_trips(tmp_path: Path) -> None:
    escaped = escape_ass_text("a {\\b1}b\\Nc\nd")
    assert "{" not in escaped.replace("\\{", "") and "}" not in escaped.replace("\\}", "")
    assert "\\N" in escaped and escaped.count("\\N") == 1  # only the real line break
    path = tmp_path / "a.ass"
    write_ass(
        [TRICKY], path, width=1920, height=1080, style=CaptionStyle(), preset=PRESETS[Shape.FEED]
    )
    content = path.read_text(encoding="utf-8")
    assert "PlayResX: 1920" in content and "PlayResY: 1080" in content
    assert "DejaVu Sans" in content
    assert read_subtitles(path)[0].lines == TRICKY.lines


# --- rendering with libass ---------------------------------------------------------------------

BACKGROUND = (0, 128, 0)  # pure green: caption pixels (white text, dark box) differ from it


def render_frame(ass: Path, width: int, height: int, out: Path, at: float = 2.0) -> np.ndarray:
    """One RGB frame of a green picture with `ass` burned in by ffmpeg's libass filter."""
    import av

    fonts = caption_font_file().parent
    run_ffmpeg([
        "-f", "lavfi", "-i", f"color=0x008000:size={width}x{height}:rate=10:d=4",
        "-vf", f"subtitles=filename={ass}:fontsdir={fonts}",
        "-ss", str(at), "-frames:v", "1", str(out),
    ])  # fmt: skip
    with av.open(str(out)) as container:
        frame = next(container.decode(video=0))
        return frame.to_ndarray(format="rgb24")


def ink(frame: np.ndarray) -> np.ndarray:
    """Pixels that are not the green background."""
    return np.abs(frame.astype(int) - np.array(BACKGROUND)).sum(axis=2) > 60


def bbox(mask: np.ndarray) -> tuple[int, int, int, int]:
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    assert len(rows), "nothing was drawn"
    return int(rows[0]), int(rows[-1]), int(cols[0]), int(cols[-1])


def white_text(frame: np.ndarray) -> np.ndarray:
    return (frame > 200).all(axis=2)


def test_libass_draws_override_tags_and_escapes_literally(tmp_path: Path) -> None:
    width, height = 640, 360
    literal = Caption(0.0, 4.0, ("x{\\fs150}y\\Nz",))
    plain = Caption(0.0, 4.0, ("xyz",))
    rows = {}
    for name, caption in (("literal", literal), ("plain", plain)):
        ass = tmp_path / f"{name}.ass"
        style = CaptionStyle(background=CaptionLook.OUTLINE)
        write_ass(
            [caption], ass, width=width, height=height, style=style, preset=PRESETS[Shape.FEED]
        )
        text = white_text(render_frame(ass, width, height, tmp_path / f"{name}.png"))
        rows[name] = bbox(text)
    top, bottom, left, right = rows["literal"]
    p_top, p_bottom, p_left, p_right = rows["plain"]
    # One line of ordinary-size text: \fs150 did not grow the font and \N did not add a line...
    assert bottom - top <= (p_bottom - p_top) * 1.5
    # ...and the tag's characters are on screen: the line is far wider than "xyz".
    assert (right - left) > 3 * (p_right - p_left)
