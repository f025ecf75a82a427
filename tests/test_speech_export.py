"""Captions through the real export: burned where speech is, nothing while nobody speaks,
Facebook's sidecar name, and output folders with awkward names."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest
from media import MediaFactory
from media_speech import SpeechClip, phrase_clip
from plans import export

from clipstudio.core.edit.plan import Segment
from clipstudio.core.speech.layout import build_captions
from clipstudio.core.speech.subtitles import read_subtitles
from clipstudio.core.speech.transcribe import get_transcriber
from clipstudio.core.speech.types import Caption, Transcript

NASTY_FOLDER = 'Ça m\'a dit: "vote" [final] (v2) {x} 100%'


@pytest.fixture(scope="session")
def spoken(media: MediaFactory) -> tuple[SpeechClip, Transcript, list[Caption]]:
    clip = phrase_clip(media, ["Vote on Thursday.", "Bring a friend with you."], gap=2.0)
    transcript = get_transcriber().transcribe(clip.path)
    return clip, transcript, build_captions(transcript.words)


@functools.cache
def _export(clip: SpeechClip, transcript: Transcript, mode: str, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    output = folder / "campaign clip.mp4"
    export(
        clip.path,
        output,
        caption_mode=mode,
        captions=build_captions(transcript.words),
        segments=[Segment(0.0, round(clip.duration - 0.1, 2))],  # whole clip, no auto-trim
        overwrite=True,
    )
    return output


def frames_at(path: Path, times: list[float]) -> list[np.ndarray]:
    """RGB frames nearest each time (decoding forward once)."""
    import av

    wanted = sorted(times)
    found: dict[float, np.ndarray] = {}
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            t = float(frame.pts * stream.time_base)
            for target in wanted:
                if target not in found and t >= target:
                    found[target] = frame.to_ndarray(format="rgb24")
            if len(found) == len(wanted):
                break
    return [found[t] for t in times]


# A pixel counts as drawn on when it differs this much (of 255) from the caption-free export;
# x264's drift between two encodes of the same picture stays far below it.
DRAWN_LEVEL = 48


def caption_area_difference(a: np.ndarray, b: np.ndarray) -> float:
    """Percent of pixels in the bottom third (where captions sit) that something was drawn on."""
    height = a.shape[0]
    area = slice(height * 2 // 3, height)
    changed = np.abs(a[area].astype(int) - b[area].astype(int)).max(axis=2) > DRAWN_LEVEL
    return 100.0 * float(changed.mean())


def test_burned_captions_show_while_speaking_and_never_in_silence(spoken, tmp_path_factory) -> None:
    clip, transcript, captions = spoken
    base = tmp_path_factory.mktemp("burn")
    burned = _export(clip, transcript, "burn", base / "burn")
    plain = _export(clip, transcript, "none", base / "none")
    during = [(c.start + c.end) / 2 for c in captions]
    silent = [0.5, (captions[0].end + captions[1].start) / 2, clip.duration - 0.4]
    times = during + silent
    with_captions = frames_at(burned, times)
    without = frames_at(plain, times)
    differences = [
        caption_area_difference(a, b) for a, b in zip(with_captions, without, strict=True)
    ]
    for t, difference in zip(during, differences[: len(during)], strict=True):
        assert difference > 1.0, f"no caption drawn at {t:.2f} s ({difference:.2f})"
    for t, difference in zip(silent, differences[len(during) :], strict=True):
        assert difference < 0.5, f"something drawn in silence at {t:.2f} s ({difference:.2f})"
    # The caption is in the lower part of the frame, not over the speaker's face.
    top = with_captions[0][: with_captions[0].shape[0] // 2]
    upper_changed = np.abs(top.astype(int) - without[0][: top.shape[0]].astype(int)) > DRAWN_LEVEL
    assert float(upper_changed.mean()) < 0.001


def test_sidecar_srt_is_named_for_facebook_and_holds_the_captions(spoken, tmp_path: Path) -> None:
    clip, transcript, captions = spoken
    output = _export(clip, transcript, "srt", tmp_path / "srt")
    sidecar = output.with_name("campaign clip.en_GB.srt")
    assert sidecar.is_file()
    back = read_subtitles(sidecar)
    assert [c.lines for c in back] == [c.lines for c in captions]
    for got, want in zip(back, captions, strict=True):
        assert got.start == pytest.approx(want.start, abs=0.002)


def test_export_into_a_folder_with_an_awkward_name(spoken, tmp_path: Path) -> None:
    clip, transcript, captions = spoken
    folder = tmp_path / NASTY_FOLDER
    output = _export(clip, transcript, "both", folder)
    assert output.is_file() and output.with_name("campaign clip.en_GB.srt").is_file()
    plain = _export(clip, transcript, "none", tmp_path / "plain")
    t = (captions[0].start + captions[0].end) / 2
    burned_frame, plain_frame = frames_at(output, [t])[0], frames_at(plain, [t])[0]
    assert caption_area_difference(burned_frame, plain_frame) > 1.0
