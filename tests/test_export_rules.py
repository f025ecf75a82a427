"""The per-source rules of an export, each decided in one function: the nominal frame rate, the
output rate, the platform minimum size and the loudness rule."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from clipstudio.core.edit.plan import Fixes
from clipstudio.core.export import presets
from clipstudio.core.export.fit import plan_fit
from clipstudio.core.export.loudness import (
    MAX_AMBIENCE_BOOST_DB,
    MAX_SPEECH_BOOST_DB,
    LoudnessReadings,
    LoudnessRule,
    decide_loudness,
    gated_loudness,
    rule_level,
)
from clipstudio.core.media.probe import MediaInfo, VideoInfo, nominal_frame_rate
from clipstudio.core.vocabulary import Shape

NTSC = Fraction(30000, 1001)


@pytest.mark.parametrize(
    ("header", "measured", "vfr", "nominal"),
    [
        (Fraction(30), Fraction(30), False, Fraction(30)),  # 30 stays 30
        (NTSC, NTSC, False, NTSC),  # 29.97 stays 29.97
        (Fraction(24), Fraction(24), False, Fraction(24)),  # 24 is not 23.976
        # iPhone 6 (1/600 time base): declared 29.97, timestamps average 29.987.
        (NTSC, Fraction(119 * 600, 2381), False, NTSC),
        # Live Photo: declared 29.97, frames dropped to a 15 fps median: the setting.
        (NTSC, Fraction(15), True, NTSC),
        # Pixel 7: declared 179/6, timestamps 29.87: a phone set to 30 with a drifting clock.
        (Fraction(179, 6), Fraction(90000, 3013), False, Fraction(30)),
        # A browser WebM at 30.3 fps: 30, not 30303/1000.
        (None, Fraction(30303, 1000), True, Fraction(30)),
        # Exact NTSC timestamps with no declared rate.
        (None, NTSC, False, NTSC),
        # A screen recording at 33.3 fps is not near any camera rate: kept as it is.
        (None, Fraction(100, 3), False, Fraction(100, 3)),
    ],
)
def test_nominal_frame_rate(header, measured, vfr, nominal):
    assert nominal_frame_rate(header, measured, vfr) == nominal


@pytest.mark.parametrize(
    ("nominal", "output"),
    [
        (Fraction(30), Fraction(30)),
        (NTSC, NTSC),
        (Fraction(24000, 1001), Fraction(24000, 1001)),
        (Fraction(60), Fraction(60)),
        (Fraction(240), Fraction(30)),  # slow-motion capture plays at normal speed
        (Fraction(15), Fraction(30)),
    ],
)
def test_output_rate_is_exact(nominal, output):
    rate = presets.output_fps(nominal)
    assert rate == output and isinstance(rate, Fraction)


def _media(width: int, height: int) -> MediaInfo:
    video = VideoInfo(
        codec="h264", profile="High", coded_width=width, coded_height=height, rotation=0,
        display_width=width, display_height=height, orientation="landscape",
        avg_frame_rate=30.0, real_frame_rate=30.0, is_vfr=False, frame_count=90,
        pix_fmt="yuv420p", bit_depth=8, color_transfer=None, color_primaries=None,
        is_hdr=False, hdr_format=None, duration=3.0, frame_rate=Fraction(30),
    )  # fmt: skip
    return MediaInfo("clip.mp4", "mov,mp4", 3.0, 1, video, None)


def test_reels_reach_metas_minimum_and_no_further():
    reels = presets.PRESETS[Shape.REELS]
    fit = plan_fit(_media(1280, 720), reels, Fixes())
    assert (fit.width, fit.height) == (540, 960) and fit.upscaled
    fit = plan_fit(_media(1920, 1080), reels, Fixes())
    assert (fit.width, fit.height) == (608, 1080) and not fit.upscaled
    # The feed has no platform minimum: a small source stays small.
    fit = plan_fit(_media(1280, 720), presets.PRESETS[Shape.FEED], Fixes())
    assert (fit.width, fit.height) == (1280, 720) and not fit.upscaled


def readings(
    momentary: list[float] | np.ndarray, short_term=None, peak: float = -10.0
) -> LoudnessReadings:
    values = np.asarray(momentary, dtype=float)
    times = (np.arange(values.size) + 1) * 0.1
    short = values if short_term is None else np.asarray(short_term, dtype=float)
    return LoudnessReadings(times, values, short, peak)


def test_speech_gated_loudness_ignores_what_is_not_speech():
    # 10 s: speech at -20 LUFS from 2 to 8 s, loud noise elsewhere.
    values = np.full(100, -10.0)
    values[20:80] = -20.0
    level = rule_level(LoudnessRule.SPEECH, readings(values), [(2.0, 7.6)])
    assert level == pytest.approx(-20.0, abs=0.01)
    assert gated_loudness(np.array([-20.0, -20.0, -80.0, -45.0])) == pytest.approx(-20.0, abs=0.01)


def test_speech_is_normalised_to_the_target():
    values = np.full(100, -26.0)
    plan = decide_loudness(readings(values, peak=-14.0), [(0.0, 10.0)])
    assert plan.rule is LoudnessRule.SPEECH
    assert plan.gain_db == pytest.approx(12.0, abs=0.01)
    assert plan.expected_lufs == pytest.approx(-14.0, abs=0.01)
    assert not plan.limit and not plan.capped


def test_quiet_room_tone_is_not_boosted_into_hiss():
    plan = decide_loudness(readings(np.full(100, -58.0), peak=-45.0), [])
    assert plan.rule is LoudnessRule.NO_SPEECH
    assert plan.gain_db == MAX_AMBIENCE_BOOST_DB
    assert "10 dB" in plan.capped and "no one speaks" in plan.describe()


def test_loud_noise_is_brought_down():
    plan = decide_loudness(readings(np.full(120, -6.0), peak=-0.5), [])
    assert plan.rule is LoudnessRule.NO_SPEECH
    assert plan.gain_db == pytest.approx(-8.0, abs=0.01)


def test_very_quiet_speech_is_raised_by_the_speech_cap_only():
    plan = decide_loudness(readings(np.full(100, -45.0), peak=-30.0), [(0.0, 10.0)])
    assert plan.gain_db == MAX_SPEECH_BOOST_DB
    assert plan.expected_lufs == pytest.approx(-21.0, abs=0.01)


def test_peaks_are_limited_then_hold_the_gain_back():
    plan = decide_loudness(readings(np.full(100, -20.0), peak=-6.0), [(0.0, 10.0)])
    assert plan.limit and plan.gain_db == pytest.approx(6.0) and not plan.capped
    plan = decide_loudness(readings(np.full(100, -24.0), peak=-1.0), [(0.0, 10.0)])
    # -1 dBTP + 10 dB would need 9 dB of limiting: the gain stops at 6 dB of it.
    assert plan.limit and plan.gain_db == pytest.approx(5.0) and "peaks" in plan.capped


def test_short_clips_use_their_loudest_moment():
    spoken = decide_loudness(readings(np.full(20, -25.0), peak=-20.0), [(0.1, 1.9)])
    assert spoken.rule is LoudnessRule.SHORT_SPEECH
    assert spoken.expected_lufs == pytest.approx(-10.0)  # speech's loudest 0.4 s: 4 LU up
    ambience = decide_loudness(readings(np.full(20, -20.0)), [])
    assert ambience.rule is LoudnessRule.SHORT_NO_SPEECH
    assert ambience.expected_lufs == pytest.approx(-14.0)


def test_digital_silence_is_left_alone():
    plan = decide_loudness(readings(np.full(50, -120.7)), [])
    assert plan.rule is LoudnessRule.SILENT and plan.gain_db == 0.0
    assert not math.isfinite(rule_level(LoudnessRule.NO_SPEECH, readings(np.zeros(10)), []))


@pytest.mark.parametrize(
    ("picture", "broken"),
    [
        ("-pix_fmt yuv420p -color_range tv -colorspace bt709", set()),
        # A full-range picture, as a Pixel or GoPro writes it, and a BT.601 matrix.
        ("-pix_fmt yuvj420p -color_range pc -colorspace bt709", {"limited range BT.709 colours"}),
        ("-pix_fmt yuv420p -color_range tv -colorspace smpte170m", {"limited range BT.709 colours"}),
        ("-pix_fmt yuv420p -colorspace bt709 -vf setsar=4/3", {"square pixels"}),
    ],
)
def test_validation_measures_colour_range_matrix_and_pixel_shape(
    tmp_path, picture: str, broken: set[str]
) -> None:
    """The export's colours and pixel shape are rules the finished file is measured against,
    so a conversion that only relabelled would stop the export."""
    from media import run_ffmpeg

    from clipstudio.core.export.validate import Expected, validate_output

    path = tmp_path / "made.mp4"
    run_ffmpeg([
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30:d=1",
        "-c:v", "libx264", *picture.split(), str(path),
    ])  # fmt: skip
    report = validate_output(path, Expected(320, 180, Fraction(30), 60.0, loudness=None))
    colour_rules = {"limited range BT.709 colours", "square pixels"}
    failed = {rule.name for rule in report.failures} & colour_rules
    assert failed == broken, [(r.name, r.detail) for r in report.rules if r.name in colour_rules]
