"""Export: every rule of a Facebook-ready file, asserted on measured output."""

from __future__ import annotations

import threading
from pathlib import Path

import av
import numpy as np
import pyloudnorm
import pytest
from media import frame_at, run_ffmpeg
from plans import export

from clipstudio.core.errors import BadInputError, Cancelled, OutputExistsError
from clipstudio.core.export.validate import _moov_first
from clipstudio.core.media.probe import probe
from clipstudio.core.progress import CancelToken
from clipstudio.core.vocabulary import Fix


def decoded_audio(path: Path) -> tuple[np.ndarray, int]:
    """(samples x channels float32, rate)."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        chunks = [f.to_ndarray() for f in container.decode(stream)]
        rate = stream.codec_context.sample_rate
    planar = np.concatenate(chunks, axis=1)  # fltp: channels x samples
    return planar.T.astype(np.float32), rate


def is_white(pixel: np.ndarray) -> bool:
    return bool(np.all(pixel > 200))


def corner_marker(frame: np.ndarray, x0: int = 0, x1: int | None = None) -> dict[str, bool]:
    """Which corners of the picture area [x0, x1) carry the white marker."""
    x1 = frame.shape[1] if x1 is None else x1
    h = frame.shape[0]
    d = max(3, h // 40)
    return {
        "top_left": is_white(frame[d, x0 + d]),
        "top_right": is_white(frame[d, x1 - 1 - d]),
        "bottom_left": is_white(frame[h - 1 - d, x0 + d]),
        "bottom_right": is_white(frame[h - 1 - d, x1 - 1 - d]),
    }


def test_landscape_feed_keeps_everything_right(media, tmp_path):
    out = tmp_path / "feed.mp4"
    result = export(media.landscape_1080p(), out)
    assert result.validation.ok
    info = probe(out)
    assert (info.video.display_width, info.video.display_height) == (1920, 1080)
    assert info.video.profile == "High" and info.video.pix_fmt == "yuv420p"
    assert info.audio.codec == "aac" and info.audio.channels == 2
    assert info.audio.sample_rate == 48000
    assert corner_marker(frame_at(out, 1.0)) == {
        "top_left": True, "top_right": False, "bottom_left": False, "bottom_right": False,
    }  # fmt: skip
    # Loudness measured independently of the export's own validation (pyloudnorm, BS.1770).
    samples, rate = decoded_audio(out)
    loudness = pyloudnorm.Meter(rate).integrated_loudness(samples)
    assert loudness == pytest.approx(-14.0, abs=1.0)
    assert 20 * np.log10(np.max(np.abs(samples))) <= -1.0
    assert _moov_first(out)
    assert list(tmp_path.iterdir()) == [out]  # no temporary files left behind


def test_rotated_phone_clip_comes_out_upright_over_blurred_background(media, tmp_path):
    out = tmp_path / "rotated.mp4"
    export(media.rotated_portrait(), out)
    info = probe(out)
    assert info.video.rotation == 0  # no rotation flag written
    # 360x640 portrait into 16:9 without upscaling: 640 lines, 1138 wide.
    assert (info.video.display_width, info.video.display_height) == (1138, 640)
    frame = frame_at(out, 1.0)
    left = (1138 - 360) // 2
    assert corner_marker(frame, left, left + 360) == {
        "top_left": True, "top_right": False, "bottom_left": False, "bottom_right": False,
    }  # fmt: skip
    # No black bars: the sides carry a blurred, darkened copy of the picture.
    side = frame[:, : left - 4].astype(float)
    assert side.mean() > 25
    assert np.abs(np.diff(side, axis=1)).mean() < 4  # blurred: neighbouring pixels alike


def test_rotated_clip_to_reels_fills_the_frame_upright(media, tmp_path):
    out = tmp_path / "reels.mp4"
    result = export(media.rotated_portrait(), out, preset="reels")
    info = probe(out)
    # 360x640 is under Meta's Reels minimum: enlarged to 540x960 and no further, and said.
    assert (info.video.display_width, info.video.display_height) == (540, 960)
    assert any("540x960" in line for line in result.log)
    assert corner_marker(frame_at(out, 1.0))["top_left"]


@pytest.mark.parametrize(
    ("preset", "size"),
    [("square", (1080, 1080)), ("portrait", (864, 1080)), ("reels", (608, 1080))],
)
def test_landscape_to_taller_presets_is_centre_cropped(media, tmp_path, preset, size):
    out = tmp_path / f"{preset}.mp4"
    export(media.landscape_1080p(seconds=2.0), out, preset=preset)
    info = probe(out)
    assert (info.video.display_width, info.video.display_height) == size
    frame = frame_at(out, 0.5)
    # The marker sat in the source's far left: a centre crop cuts it away.
    assert not any(corner_marker(frame).values())


def test_portrait_source_crop_option_fills_feed_frame(media, tmp_path):
    out = tmp_path / "crop.mp4"
    export(media.portrait_1080x1920(seconds=2.0), out, portrait="crop")
    info = probe(out)
    # Filling 16:9 from a 1080-wide picture without upscaling gives 1080x608.
    assert (info.video.display_width, info.video.display_height) == (1080, 608)
    frame = frame_at(out, 0.5).astype(float)
    assert frame[:, :200].std() > 20  # real picture to the edges, not a blur or a bar


def test_small_source_is_not_upscaled(media, tmp_path):
    out = tmp_path / "small.mp4"
    export(media.p720(seconds=2.0), out)
    info = probe(out)
    assert (info.video.display_width, info.video.display_height) == (1280, 720)


def hue_saturation(frame: np.ndarray) -> float:
    rgb = frame.reshape(-1, 3).astype(float)
    high, low = rgb.max(axis=1), rgb.min(axis=1)
    return float(np.mean((high - low) / np.maximum(high, 1)))


def test_hlg_hdr_becomes_sdr_bt709_and_not_washed_out(media, tmp_path):
    out = tmp_path / "hlg.mp4"
    export(media.hlg_hevc(), out)
    info = probe(out)
    assert not info.video.is_hdr
    assert info.video.color_transfer == "bt709" and info.video.bit_depth == 8
    # A plain format conversion that ignores HLG (what a naive tool does) as the reference.
    naive = tmp_path / "naive.mp4"
    run_ffmpeg(["-i", str(media.hlg_hevc()), "-vf", "format=yuv420p", "-c:v", "libx264",
                "-t", "1.5", str(naive)])  # fmt: skip
    tone_mapped = hue_saturation(frame_at(out, 1.0))
    washed = hue_saturation(frame_at(naive, 1.0))
    assert tone_mapped > 0.6
    assert tone_mapped > washed + 0.05


def test_vfr_source_becomes_constant_rate(media, tmp_path):
    out = tmp_path / "cfr.mp4"
    export(media.vfr(), out)
    info = probe(out)
    assert not info.video.is_vfr
    assert info.video.real_frame_rate == pytest.approx(60, abs=0.1)
    assert info.duration == pytest.approx(4.0, abs=0.1)


def flash_time(path: Path) -> float:
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            if frame.to_ndarray(format="gray").mean() > 128:
                return float(frame.time)
    raise AssertionError("no flash")


def beep_time(path: Path) -> float:
    samples, rate = decoded_audio(path)
    envelope = np.abs(samples[:, 0])
    return float(np.argmax(envelope > 0.3 * envelope.max()) / rate)


@pytest.mark.parametrize("variable_rate", [False, True])
def test_flash_and_beep_stay_in_sync_after_a_cut(media, tmp_path, variable_rate):
    source = media.flash_and_beep()
    if variable_rate:
        source = media.ffmpeg_clip(
            "sync_vfr",
            ["-i", str(source), "-vf", "select='not(eq(mod(n\\,4)\\,1))'", "-fps_mode", "vfr",
             "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "copy"],
        )  # fmt: skip
        assert probe(source).video.is_vfr
    out = tmp_path / "sync.mp4"
    export(source, out, start=0.5)
    fps = probe(out).video.real_frame_rate
    flash, beep = flash_time(out), beep_time(out)
    assert flash == pytest.approx(1.5, abs=1.5 / fps + 1e-3)
    assert abs(flash - beep) <= 1 / fps + 1e-3


def test_no_audio_gets_a_silent_stereo_track(media, tmp_path):
    out = tmp_path / "silent.mp4"
    result = export(media.no_audio(), out)
    info = probe(out)
    assert info.audio is not None and info.audio.channels == 2
    samples, _ = decoded_audio(out)
    assert np.max(np.abs(samples)) < 1e-4
    assert result.validation.ok


def test_mono_is_on_both_channels(media, tmp_path):
    out = tmp_path / "mono.mp4"
    export(media.mono(), out)
    samples, rate = decoded_audio(out)
    assert rate == 48000 and samples.shape[1] == 2
    # Identical up to AAC's joint-stereo coding error (well under 1 % of the signal).
    assert np.max(np.abs(samples[:, 0] - samples[:, 1])) < 0.01 * np.max(np.abs(samples))
    assert probe(out).video.real_frame_rate == pytest.approx(25, abs=0.01)


def test_long_clip_is_trimmed_under_a_minute_at_a_pause(media, tmp_path):
    out = tmp_path / "long.mp4"
    result = export(media.long_with_pauses(), out)
    duration = probe(out).duration
    assert duration < 60.0
    assert duration > 50.0  # cut at the LAST pause before the limit, not the first
    segment = result.plan.takes[0].segment
    # Leading silence (2 s) dropped, keeping a 0.15 s margin before the first sound.
    assert segment.start == pytest.approx(2.0 - 0.15, abs=0.1)
    # The cut sits in a pause: tone bursts run 3 s on, 1 s off from t=2 s.
    assert (segment.end - 2.0) % 4.0 == pytest.approx(3.15, abs=0.15)


def test_explicit_range_is_frame_accurate(media, tmp_path):
    out = tmp_path / "range.mp4"
    export(media.landscape_1080p(), out, start=0.5, end=2.0)
    info = probe(out)
    assert info.video.duration == pytest.approx(1.5, abs=1 / 30 + 1e-3)
    assert info.video.frame_count == 45


def test_max_duration_option(media, tmp_path):
    out = tmp_path / "short.mp4"
    export(media.landscape_1080p(), out, max_duration=2.0)
    assert probe(out).duration < 2.0


def test_refuses_overwrite_and_source(media, tmp_path):
    source = media.mono()
    out = tmp_path / "exists.mp4"
    out.write_bytes(b"keep me")
    with pytest.raises(OutputExistsError):
        export(source, out)
    assert out.read_bytes() == b"keep me"
    with pytest.raises(BadInputError, match="would overwrite"):
        export(source, source, overwrite=True)
    export(source, out, overwrite=True)
    assert probe(out).video is not None


def test_cancel_stops_quickly_and_leaves_nothing(media, tmp_path):
    out = tmp_path / "cancelled.mp4"
    token = CancelToken()
    timer = threading.Timer(1.0, token.cancel)
    timer.start()
    with pytest.raises(Cancelled):
        export(media.long_with_pauses(), out, fix=[Fix.STABILISE], cancel=token)
    timer.cancel()
    assert list(tmp_path.iterdir()) == []


def test_progress_reaches_one_and_never_goes_back(media, tmp_path):
    seen: list[float] = []
    export(media.landscape_1080p(), tmp_path / "p.mp4", progress=seen.append)
    assert seen[-1] == 1.0
    assert all(b >= a - 1e-9 for a, b in zip(seen, seen[1:], strict=False))
    assert len(seen) > 3


def test_progress_parser_never_steps_back() -> None:
    """ffmpeg's out_time follows the stream muxed last and can step back; the bar must not."""
    from clipstudio.core.process import progress_parser

    seen: list[float] = []
    handle = progress_parser(10.0, seen.append)
    for line in ["out_time_us=-23000", "out_time_us=N/A", "out_time_us=4000000",
                 "out_time_us=3960000", "frame=120", "out_time_us=12000000", "progress=end"]:  # fmt: skip
        handle(line)
    assert seen == [0.0, 0.4, 0.4, 1.0, 1.0]


def test_non_faststart_file_is_detected(media, tmp_path):
    plain = tmp_path / "plain.mp4"
    run_ffmpeg(["-i", str(media.mono()), "-c", "copy", str(plain)])
    assert not _moov_first(plain)


def test_burned_captions_survive_a_nasty_temp_path(media, tmp_path, monkeypatch):
    """The ASS file handed to libass lives in the temp dir: give it spaces, quotes, colons,
    brackets, commas and non-ASCII letters, and check the caption is really drawn."""
    import tempfile

    nasty = tmp_path / "tmp it's [a]: b, c; ñ"
    nasty.mkdir()
    monkeypatch.setenv("TMPDIR", str(nasty))
    monkeypatch.setattr(tempfile, "tempdir", None)
    srt = tmp_path / "edited.srt"
    srt.write_text("1\n00:00:00,500 --> 00:00:02,500\nVOTE {\\b1} TODAY\n", encoding="utf-8")
    plain, burned = tmp_path / "plain.mp4", tmp_path / "burned.mp4"
    export(media.mono(), plain)
    export(media.mono(), burned, caption_mode="burn", subtitles=srt)
    h = probe(burned).video.display_height
    lower = slice(int(h * 0.7), h)
    during = np.abs(frame_at(burned, 1.5)[lower].astype(int) - frame_at(plain, 1.5)[lower]).mean()
    after = np.abs(frame_at(burned, 2.8)[lower].astype(int) - frame_at(plain, 2.8)[lower]).mean()
    assert during > 5 * max(after, 0.5)
    assert list(nasty.iterdir()) == []  # scratch files cleaned up
