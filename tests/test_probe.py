"""Probe: what a clip really is, measured, for every kind of phone clip the factory makes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from clipstudio.core.errors import BadInputError
from clipstudio.core.media.probe import probe


def test_landscape_1080p(media):
    info = probe(media.landscape_1080p())
    assert info.video is not None and info.audio is not None
    assert (info.video.display_width, info.video.display_height) == (1920, 1080)
    assert info.video.orientation == "landscape"
    assert info.video.rotation == 0
    assert info.video.codec == "h264"
    assert info.video.real_frame_rate == pytest.approx(30, abs=0.01)
    assert not info.video.is_vfr and not info.video.is_hdr
    assert info.video.bit_depth == 8
    assert info.duration == pytest.approx(4.0, abs=0.1)
    assert info.audio.sample_rate == 48000


def test_portrait_source(media):
    info = probe(media.portrait_1080x1920())
    assert info.video.orientation == "portrait"
    assert (info.video.display_width, info.video.display_height) == (1080, 1920)


def test_rotation_metadata_makes_a_landscape_coding_portrait(media):
    info = probe(media.rotated_portrait())
    assert (info.video.coded_width, info.video.coded_height) == (640, 360)
    assert info.video.rotation == 90
    assert (info.video.display_width, info.video.display_height) == (360, 640)
    assert info.video.orientation == "portrait"


def test_hlg_hevc_is_hdr(media):
    info = probe(media.hlg_hevc())
    assert info.video.codec == "hevc"
    assert info.video.bit_depth == 10
    assert info.video.is_hdr and info.video.hdr_format == "hlg"
    assert info.video.color_primaries == "bt2020"


def test_vfr_measured_from_timestamps(media):
    info = probe(media.vfr())
    assert info.video.is_vfr
    # The header claims one rate; the median packet interval is the real one (60 fps base).
    assert info.video.real_frame_rate == pytest.approx(60, abs=0.5)
    assert info.video.avg_frame_rate < 50


def test_no_audio_and_audio_only_are_described(media):
    silent = probe(media.no_audio())
    assert silent.video is not None and silent.audio is None
    sound = probe(media.audio_only())
    assert sound.video is None and sound.audio is not None
    assert sound.duration == pytest.approx(3.0, abs=0.1)


def test_mono_audio(media):
    info = probe(media.mono())
    assert info.audio.channels == 1 and info.audio.sample_rate == 44100
    assert info.video.real_frame_rate == pytest.approx(25, abs=0.01)


def test_bad_files_raise_plain_errors(tmp_path):
    with pytest.raises(BadInputError, match="not found"):
        probe(tmp_path / "missing.mp4")
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(BadInputError, match="empty"):
        probe(empty)
    text = tmp_path / "notes.txt"
    text.write_text("not a video at all\n" * 20)
    with pytest.raises(BadInputError):
        probe(text)


def test_cli_probe_json(media):
    out = subprocess.run(
        [sys.executable, "-m", "clipstudio.cli", "probe", str(media.rotated_portrait()), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout)
    assert data["video"]["orientation"] == "portrait"
    assert data["video"]["rotation"] == 90
    assert data["audio"]["channels"] == 1
