"""Editing through the real export: mistakes cut from the speech, takes of several clips joined
in sync, music ducked under the speech, photos and clips over it."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from media import MediaFactory
from media_disfluency import FILLER_PARTS, mistakes_clip
from media_sync import beep_onsets, flashing, white_frames

from clipstudio.cli import main
from clipstudio.core.edit.plan import CaptionTrack, EditPlan, Take
from clipstudio.core.export import ffmpeg
from clipstudio.core.export.render import ExportJob, export_clip
from clipstudio.core.media.probe import probe
from clipstudio.core.speech.disfluency import is_filler
from clipstudio.core.speech.subtitles import read_subtitles
from clipstudio.core.vocabulary import CaptionMode, Trim


def test_remove_fillers_cuts_them_from_picture_sound_and_captions(
    media: MediaFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clip = mistakes_clip(media, FILLER_PARTS)
    out = tmp_path / "clean.mp4"
    code = main(["export", str(clip.path), "-o", str(out), "--remove-fillers", "--captions",
                 "srt", "--no-imprint", "--quiet"])  # fmt: skip
    assert code == 0
    said = capsys.readouterr().err
    assert 'cut "um" and "er": 6 cut' in said
    words = [w for c in read_subtitles(out.with_name("clean.en_GB.srt")) for w in c.tokens]
    assert words and not [w for w in words if is_filler(w)]
    assert "Thursday." in words and "listening." in words
    # Six fillers of 0.2-0.3 s and a pause each: the video is shorter by at least their voice.
    fillers_voice = sum(
        off - on
        for (_, _, mistake), on, off in zip(FILLER_PARTS, clip.onsets, clip.offsets, strict=True)
        if mistake
    )
    assert probe(out).duration < clip.duration - fillers_voice


def test_takes_of_several_clips_join_frame_accurate_and_in_sync(
    media: MediaFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five takes of three clips (two sizes, 30 and 25 fps, 16:9 and 4:3), one clip cut twice:
    every flash lands on the frame the takes' lengths put it on, every beep within 3 ms of
    its flash's time, across every join."""
    small, large = flashing(media, "640x360", 30, 0.5), flashing(media, "1280x720", 30, 0.3)
    old = flashing(media, "640x480", 25, 0.52)
    takes = [(small, 0.2, 1.8), (large, 1.1, 2.4), (small, 2.1, 2.9), (small, 3.2, 4.6),
             (old, 0.9, 2.0)]  # fmt: skip
    commands: list[list[str]] = []
    original = ffmpeg.render_command
    monkeypatch.setattr(ffmpeg, "render_command", lambda spec: commands.append(original(spec))
                        or commands[-1])  # fmt: skip
    out = tmp_path / "joined.mp4"
    plan = EditPlan(
        takes=tuple(Take(str(path), start, end, ()) for path, start, end in takes),
        trim=Trim.EXACT,
        captions=CaptionTrack(mode=CaptionMode.NONE),
    )
    result = export_clip(plan, ExportJob(output=out))
    assert result.validation.ok and (result.width, result.height) == (1280, 720)
    (command,) = commands  # one render pass
    assert command.count("-i") == 4  # the two takes of `small` in a row share one input
    # Where each flash must land: its take's first frame on the timeline (the frame counts of
    # the takes before it, at the output's own rate) plus its place in the take.
    rate = Fraction(probe(out).video.real_frame_rate).limit_denominator(1001)
    flashes = {small: (0.5, 1.5, 2.5, 3.5, 4.5), large: (0.3, 1.3, 2.3), old: (1.52,)}
    expected_frames, expected_beeps, first = [], [], 0
    for path, start, end in takes:
        start = float(round(start * rate) / rate)  # on the output's frame grid
        for at in flashes[path]:
            if start <= at < end:
                expected_frames.append(first + round((at - start) * rate))
                expected_beeps.append(first / rate + at - start)
        first += round((end - start) * rate)
    assert white_frames(out) == expected_frames
    assert beep_onsets(out) == pytest.approx(expected_beeps, abs=0.003)
    assert probe(out).duration == pytest.approx(first / rate, abs=0.03)


def test_export_joins_the_clips_given_in_order_and_refuses_a_range_for_several(
    media: MediaFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = flashing(media, "640x360", 30, 0.5), flashing(media, "1280x720", 30, 0.3)
    out = tmp_path / "two.mp4"
    code = main(["export", str(first), str(second), "-o", str(out), "--captions", "none",
                 "--no-imprint", "--quiet"])  # fmt: skip
    assert code == 0
    assert probe(out).duration == pytest.approx(probe(first).duration + probe(second).duration,
                                                abs=0.05)  # fmt: skip
    assert white_frames(out)[:2] == [15, 45]  # the first clip first
    capsys.readouterr()
    code = main(["export", str(first), str(second), "-o", str(tmp_path / "x.mp4"), "--start",
                 "1", "--no-imprint"])  # fmt: skip
    assert code == 2
    assert capsys.readouterr().err.strip() == "error: --start goes with a single clip, not 2"
