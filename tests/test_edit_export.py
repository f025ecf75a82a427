"""Editing through the real export: mistakes cut from the speech, takes of several clips joined
in sync, music ducked under the speech, photos and clips over it."""

from __future__ import annotations

from pathlib import Path

import pytest
from media import MediaFactory
from media_disfluency import FILLER_PARTS, mistakes_clip

from clipstudio.cli import main
from clipstudio.core.media.probe import probe
from clipstudio.core.speech.disfluency import is_filler
from clipstudio.core.speech.subtitles import read_subtitles


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
