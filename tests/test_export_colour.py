"""Colour, geometry and frame rate of exports, measured on the pixels and timestamps of clips
made the way phones write them."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from media_real import (
    anamorphic_clip,
    bt601_clip,
    extremes,
    full_range_clip,
    pq_hevc,
    reference_tonemap,
    viewer_frames,
)
from plans import export

from clipstudio.core.media.probe import probe


def _rule(result, prefix: str):
    return next(rule for rule in result.validation.rules if rule.name.startswith(prefix))


def _difference(a: list[np.ndarray], b: list[np.ndarray]) -> float:
    """Mean absolute RGB difference of two frame lists (0-255)."""
    return float(np.mean([np.abs(x - y).mean() for x, y in zip(a, b, strict=False)]))


def test_full_range_is_converted_not_relabelled(media, tmp_path):
    source = full_range_clip(media)
    assert probe(source).video.color_range == "pc"
    out = tmp_path / "full.mp4"
    export(source, out)
    video = probe(out).video
    assert video.color_range == "tv" and video.color_matrix == "bt709"
    before, after = viewer_frames(source, every=10), viewer_frames(out, every=10)
    # Relabelled as limited (the export before this rule), 8.0 levels off on average and the
    # share of values <= 5 went from 6.5 % to 11.6 %, >= 254 from 5.1 % to 11.6 %; converted,
    # 0.45 levels and the same shares.
    assert _difference(before, after) < 2.0
    low, high, mean = extremes(before)
    low2, high2, mean2 = extremes(after)
    assert abs(low2 - low) < 0.005 and abs(high2 - high) < 0.005 and abs(mean2 - mean) < 1.0


def test_bt601_matrix_is_converted_to_bt709(media, tmp_path):
    source = bt601_clip(media)
    assert probe(source).video.color_matrix == "smpte170m"
    out = tmp_path / "601.mp4"
    export(source, out, preset="feed")
    assert probe(out).video.color_matrix == "bt709"
    # Relabelled or converted only on a BT.601 primaries tag (before): 9.0 levels off.
    assert _difference(viewer_frames(source, every=10), viewer_frames(out, every=10)) < 3.0


def test_non_square_pixels_are_honoured(media, tmp_path):
    source = anamorphic_clip(media)
    video = probe(source).video
    assert video.sample_aspect_ratio == Fraction(16, 11)
    assert (video.display_width, video.display_height) == (1047, 576)
    out = tmp_path / "sar.mp4"
    export(source, out, preset="square")
    result = probe(out).video
    assert result.sample_aspect_ratio == 1
    # Cut to 1:1 from the middle of the 1047x576 the viewer sees (576 lines kept).
    assert (result.display_width, result.display_height) == (576, 576)
    frame = viewer_frames(out, every=100)[0].mean(axis=2)
    rows, cols = np.nonzero(frame > 200)
    width, height = cols.max() - cols.min() + 1, rows.max() - rows.min() + 1
    assert width / height == pytest.approx(1.0, abs=0.05)  # the square is square again


def test_hdr10_is_tone_mapped_like_the_reference(media, tmp_path):
    source = pq_hevc(media)
    video = probe(source).video
    assert video.hdr_format == "pq" and video.hdr_peak_nits == 1000
    out = tmp_path / "pq.mp4"
    export(source, out)
    ours = viewer_frames(out, every=10)
    reference = viewer_frames(reference_tonemap(media, source), every=10)
    low, high, mean = extremes(ours)
    ref_low, ref_high, ref_mean = extremes(reference)
    # Measured before the fix on a phone's HDR10 file: 7.7 % of pixels at 250+ against 0 %.
    assert abs(high - ref_high) < 0.005 and abs(low - ref_low) < 0.01
    assert abs(mean - ref_mean) < 2.0
    assert _difference(ours, reference) < 3.0


@pytest.mark.parametrize("fps", ["30", "30000/1001", "24", "25"])
def test_frame_rate_is_exactly_the_sources(media, tmp_path, fps):
    source = media.flash_and_beep(seconds=2.0, at=1.0, fps=fps)
    out = tmp_path / "rate.mp4"
    result = export(source, out)
    assert probe(out).video.frame_rate == Fraction(fps)
    rule = _rule(result, "constant")
    assert rule.ok and str(Fraction(fps)) in rule.name
