"""Each export fix measurably improves the check that recommends it: the defect clip is exported
with the fix, and the output is checked again with the same measurements."""

from __future__ import annotations

from pathlib import Path

import pytest
from media import MediaFactory, espeak_available
from media_checks import SCENES, scene_clip
from plans import export

from clipstudio.core.analysis.report import AnalysisReport, analyse_clip
from clipstudio.core.vocabulary import Fix

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not espeak_available(), reason="espeak-ng makes the speech"),
]


def check_before_and_after(
    media: MediaFactory, tmp_path: Path, scene: str, fix: Fix
) -> tuple[AnalysisReport, AnalysisReport]:
    source = scene_clip(media, SCENES[scene])
    output = tmp_path / f"{scene}-fixed.mp4"
    export(source, output, fix=[fix])
    return analyse_clip(source), analyse_clip(output)


def measured(report: AnalysisReport, finding_id: str, key: str) -> float | None:
    for finding in report.findings:
        if finding.id == finding_id:
            return float(finding.measured[key])
    return None


def brightness_between(report: AnalysisReport, start: float, end: float) -> float:
    values = [luma for t, luma in report.brightness if start <= t < end]
    return sum(values) / len(values)


def test_brighten_lifts_the_dark_stretch(media: MediaFactory, tmp_path: Path) -> None:
    before, after = check_before_and_after(media, tmp_path, "too_dark", Fix.BRIGHTEN)
    dark_before = brightness_between(before, 2.2, 3.8)
    dark_after = brightness_between(after, 2.2, 3.8)
    assert dark_after > 1.4 * dark_before
    assert measured(before, "lighting.too_dark", "mean_luma") is not None
    assert measured(after, "lighting.too_dark", "mean_luma") is None  # no longer too dark
    assert not {f.id for f in after.findings} & {"lighting.overexposed", "lighting.flicker"}


def test_stabilise_removes_most_of_the_jitter(media: MediaFactory, tmp_path: Path) -> None:
    before, after = check_before_and_after(media, tmp_path, "shaky", Fix.STABILISE)
    jitter_before = before.stats["max_jitter_percent_of_width"]
    jitter_after = after.stats["max_jitter_percent_of_width"]
    assert jitter_after < 0.5 * jitter_before, (jitter_before, jitter_after)


def test_denoise_raises_the_speech_to_noise_ratio(media: MediaFactory, tmp_path: Path) -> None:
    before, after = check_before_and_after(media, tmp_path, "noisy", Fix.DENOISE_AUDIO)
    assert after.stats["snr_db"] >= before.stats["snr_db"] + 3.0, (
        before.stats["snr_db"],
        after.stats["snr_db"],
    )


def test_denoise_takes_out_wind(media: MediaFactory, tmp_path: Path) -> None:
    before, after = check_before_and_after(media, tmp_path, "wind", Fix.DENOISE_AUDIO)
    gusts_before = measured(before, "audio.wind", "gust_seconds")
    assert gusts_before is not None
    assert measured(after, "audio.wind", "gust_seconds") is None  # no wind left to find
    assert "speech.none" not in {f.id for f in after.findings}  # the voice is still there


def test_denoise_leaves_clean_speech_clean(media: MediaFactory, tmp_path: Path) -> None:
    """The clean-up is strong enough for wind; it must not make a good clip worse."""
    before, after = check_before_and_after(media, tmp_path, "control", Fix.DENOISE_AUDIO)
    assert not [f.id for f in after.findings if f.severity != "info"]
    assert after.stats["snr_db"] >= before.stats["snr_db"] - 3.0


def test_deflicker_evens_out_the_light(media: MediaFactory, tmp_path: Path) -> None:
    before, after = check_before_and_after(media, tmp_path, "flicker", Fix.DEFLICKER)
    flicker_before = measured(before, "lighting.flicker", "fluctuation_percent")
    flicker_after = measured(after, "lighting.flicker", "fluctuation_percent") or 0.0
    assert flicker_before is not None and flicker_after < 0.5 * flicker_before
