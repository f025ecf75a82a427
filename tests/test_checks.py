"""Footage checks on labelled clips: every expected finding, no unexpected warning, right spans,
measured numbers near what the clip was made with, and the report/CLI shapes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from media import MediaFactory, espeak_available
from media_checks import SCENES, scene_clip

from clipstudio.cli import main
from clipstudio.core.analysis.checks import REGISTRY
from clipstudio.core.analysis.checks.base import flagged_spans
from clipstudio.core.analysis.checks.framing import headroom_problem, judge_headroom
from clipstudio.core.analysis.report import (
    AnalysisReport,
    analyse_clip,
    report_lines,
    report_to_dict,
)
from clipstudio.core.analysis.samples import FaceBox, collect_samples
from clipstudio.core.errors import BadInputError, Cancelled
from clipstudio.core.media.probe import probe
from clipstudio.core.progress import CancelToken
from clipstudio.core.speech.types import Transcript
from clipstudio.core.vocabulary import Fix

pytestmark = pytest.mark.skipif(not espeak_available(), reason="espeak-ng makes the speech")

Analyse = Callable[[str], AnalysisReport]

# Every labelled clip and the findings it must give. Warnings and errors not listed are false
# alarms and fail the test; info findings not listed are allowed only for the small test pictures
# (video.low_resolution), which every 640x360 clip rightly gets.
EXPECTED: dict[str, set[str]] = {
    "control": set(),
    "pan": set(),  # a smooth pan is deliberate, not shake
    "mild_noise": set(),  # 25 dB speech-to-noise is fine
    "too_dark": {"lighting.too_dark", "video.low_resolution"},
    "overexposed": {"lighting.overexposed", "video.low_resolution"},
    "backlit": {"lighting.backlit", "video.low_resolution"},
    "flicker": {"lighting.flicker", "video.low_resolution"},
    "shaky": {"stability.shaky", "video.low_resolution"},
    "head_low": {"framing.headroom", "video.low_resolution"},
    "head_cut": {"framing.headroom", "video.low_resolution"},
    "quiet": {"audio.too_quiet", "video.low_resolution"},
    "clipped": {"audio.clipping", "video.low_resolution"},
    "noisy": {"audio.noisy", "video.low_resolution"},
    "wind": {"audio.wind", "video.low_resolution"},
    "no_speech": {"speech.none", "video.low_resolution"},
    "portrait": {"orientation.portrait", "video.low_resolution"},
    "long": {"duration.too_long", "video.low_resolution"},
    "p480": {"video.low_resolution"},
}


@pytest.fixture(scope="session")
def analysed(media: MediaFactory) -> Analyse:
    """Analyse each labelled clip once per session."""
    cache: dict[str, AnalysisReport] = {}

    def get(name: str) -> AnalysisReport:
        if name not in cache:
            cache[name] = analyse_clip(scene_clip(media, SCENES[name]))
        return cache[name]

    return get


def ids(report: AnalysisReport) -> set[str]:
    return {finding.id for finding in report.findings}


def finding(report: AnalysisReport, finding_id: str):
    matches = [f for f in report.findings if f.id == finding_id]
    assert matches, f"{finding_id} not found in {ids(report)}"
    return matches[0]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_labelled_clip_gives_exactly_its_findings(analysed: Analyse, name: str) -> None:
    report = analysed(name)
    found = ids(report)
    assert EXPECTED[name] <= found, f"{name}: missing {EXPECTED[name] - found}"
    unexpected = {f.id for f in report.findings if f.id not in EXPECTED[name]}
    assert not unexpected, f"{name}: false alarms {unexpected}: {report_lines(report)}"


def test_every_registered_check_has_a_labelled_clip() -> None:
    covered = set().union(*EXPECTED.values()) | {"audio.missing", "video.hdr", "video.vfr"}
    assert {check.id for check in REGISTRY} == covered


def test_control_clip_is_measured_as_good(analysed: Analyse) -> None:
    report = analysed("control")
    assert report.findings == []
    assert report_lines(report)[-1].startswith("No problems found")
    stats = report.stats
    assert 90 <= stats["mean_luma"] <= 160
    assert stats["faces_found_in"] == stats["face_searches"] >= 3  # the drawn face
    assert stats["speech_lufs"] == pytest.approx(-23.0, abs=1.5)  # made at -23 LUFS
    # Measured under the speech too, where clean speech's own bands set the floor (the shared
    # real recordings: 15.6-37.6 dB).
    assert stats["snr_db"] > 20
    assert stats["max_jitter_percent_of_width"] < 0.3


def test_dark_stretch_is_reported_with_its_span(analysed: Analyse) -> None:
    dark = finding(analysed("too_dark"), "lighting.too_dark")
    # The clip is dark from 2 s to 4 s (the middle third of 6 s).
    assert dark.start == pytest.approx(2.0, abs=0.3)
    assert dark.end == pytest.approx(4.0, abs=0.3)
    assert dark.measured["mean_luma"] < 45
    assert dark.fix is Fix.BRIGHTEN and dark.fix.flag == "--brighten"
    curve = dict(analysed("too_dark").brightness)
    assert min(v for t, v in curve.items() if 2.2 < t < 3.8) < 45
    assert min(v for t, v in curve.items() if t < 1.8 or t > 4.2) > 90


def test_lighting_findings_carry_their_numbers(analysed: Analyse) -> None:
    over = finding(analysed("overexposed"), "lighting.overexposed")
    assert over.measured["clipped_fraction"] >= 0.2
    back = finding(analysed("backlit"), "lighting.backlit")
    assert back.measured["surround_luma"] > 2 * back.measured["subject_luma"]
    assert back.fix is Fix.BRIGHTEN and back.fix.flag == "--brighten"
    assert "light is in front of the speaker" in back.advice
    flicker = finding(analysed("flicker"), "lighting.flicker")
    # Made with a 15 % sine: its RMS is 10.6 % of the mean.
    assert flicker.measured["fluctuation_percent"] == pytest.approx(10.6, abs=2.5)
    assert flicker.fix is Fix.DEFLICKER and flicker.fix.flag == "--deflicker"


def test_shake_is_jitter_and_a_pan_is_not(analysed: Analyse) -> None:
    shaky = finding(analysed("shaky"), "stability.shaky")
    assert shaky.measured["jitter_percent_of_width"] > 1.0
    assert shaky.fix is Fix.STABILISE and shaky.fix.flag == "--stabilise"
    assert "tripod" in shaky.advice
    assert analysed("pan").stats["max_jitter_percent_of_width"] < 0.4


def test_headroom_findings(analysed: Analyse) -> None:
    low = finding(analysed("head_low"), "framing.headroom")
    assert low.measured["problem"] == "too_low"
    assert low.severity == "info"
    cut = finding(analysed("head_cut"), "framing.headroom")
    assert cut.measured["problem"] == "cut_off"


def test_headroom_rule_on_face_boxes() -> None:
    # Boxes as fractions of the picture: x, y, w, h.
    assert headroom_problem(FaceBox(0.4, 0.15, 0.15, 0.3)) is None  # eyes at 0.27
    assert headroom_problem(FaceBox(0.4, 0.02, 0.2, 0.4)) == "cut_off"  # crown 8 % above
    assert headroom_problem(FaceBox(0.4, 0.45, 0.1, 0.2)) == "too_low"  # eyes at 0.53
    assert headroom_problem(FaceBox(0.4, 0.0, 0.05, 0.1)) is None  # crown 2.5 % above: trim
    one_face = [[FaceBox(0.4, 0.45, 0.1, 0.2)]]
    assert judge_headroom(one_face * 3 + [[]] * 7)[0] == "too_low"  # 30 % of seconds
    assert judge_headroom(one_face * 2 + [[]] * 8)[0] is None  # a passer-by: not judged
    mixed = [[FaceBox(0.4, 0.15, 0.15, 0.3)]] * 3 + one_face * 2
    assert judge_headroom(mixed)[0] is None  # mostly fine


def test_sound_findings_measure_what_was_made(analysed: Analyse) -> None:
    quiet = finding(analysed("quiet"), "audio.too_quiet")
    assert quiet.measured["speech_lufs"] == pytest.approx(-46.0, abs=2.0)
    assert "within a metre" in quiet.advice
    noisy = finding(analysed("noisy"), "audio.noisy")
    assert noisy.measured["snr_db"] == pytest.approx(3.0, abs=2.0)
    assert noisy.fix is Fix.DENOISE_AUDIO and noisy.fix.flag == "--denoise-audio"
    assert analysed("mild_noise").stats["snr_db"] == pytest.approx(25.0, abs=3.0)
    wind = finding(analysed("wind"), "audio.wind")
    assert wind.measured["low_frequency_share"] > 0.6
    # Three gusts from 0.8 s to 5.6 s.
    assert wind.start == pytest.approx(0.8, abs=0.4)
    assert wind.end == pytest.approx(5.6, abs=0.4)
    clipped = finding(analysed("clipped"), "audio.clipping")
    assert clipped.measured["clipped_runs"] >= 20
    assert analysed("control").stats["clipped_runs"] == 0
    no_speech = finding(analysed("no_speech"), "speech.none")
    assert no_speech.measured["speech_seconds"] < 1.0


def test_portrait_scene_is_upright_for_the_checks(analysed: Analyse) -> None:
    report = analysed("portrait")
    portrait = finding(report, "orientation.portrait")
    assert portrait.fix is Fix.PORTRAIT and portrait.fix.cli_hint == "--fix-portrait blur"
    assert "landscape" in portrait.advice
    assert report.media.video is not None and report.media.video.rotation == 90
    # The face is only upright after the rotation is applied: finding it proves we turned it.
    assert report.stats["faces_found_in"] == report.stats["face_searches"] >= 3


def test_long_clip_is_info_only(analysed: Analyse) -> None:
    long = finding(analysed("long"), "duration.too_long")
    assert long.severity == "info"
    assert long.measured["duration_s"] == pytest.approx(65.0, abs=0.2)


@pytest.mark.parametrize(
    ("clip", "finding_id", "severity"),
    [
        ("hlg_hevc", "video.hdr", "info"),
        ("vfr", "video.vfr", "info"),
        ("rotated_portrait", "orientation.portrait", "warning"),
        ("no_audio", "audio.missing", "error"),
    ],
)
def test_factory_clips(media: MediaFactory, clip: str, finding_id: str, severity: str) -> None:
    report = analyse_clip(getattr(media, clip)())
    assert finding(report, finding_id).severity == severity
    # These are moving test patterns with a tone: no speech is right, anything else is not.
    allowed = {finding_id, "speech.none"}
    warnings = {f.id for f in report.warnings} - allowed
    assert not warnings, report_lines(report)


def test_checks_never_go_back_to_the_file(media: MediaFactory, tmp_path: Path) -> None:
    """One decode pass: with the samples taken, every check runs with the file gone."""
    source = scene_clip(media, SCENES["too_dark"])
    copy = tmp_path / "copy.mp4"
    copy.write_bytes(source.read_bytes())
    samples = collect_samples(copy, probe(copy))
    copy.unlink()
    found = {f.id for check in REGISTRY for f in check.run(samples)}
    assert "lighting.too_dark" in found
    assert len({check.id for check in REGISTRY}) == len(REGISTRY)


def test_spans_merge_and_drop_moments() -> None:
    times = [i * 0.1 for i in range(60)]
    flags = [2.0 <= t < 3.0 or 3.3 <= t < 4.0 or 5.0 <= t < 5.3 for t in times]
    spans = flagged_spans(times, flags, step=0.1, merge_gap=0.5, min_length=1.0)
    assert spans == [(2.0, 4.0)]  # the 0.3 s gap merged, the 0.3 s moment dropped


def test_report_dict_and_lines(analysed: Analyse) -> None:
    report = analysed("too_dark")
    data = report_to_dict(report)
    assert set(data) == {"source", "media", "findings", "stats"}
    assert data["media"]["video"]["display_width"] == 640
    for item in data["findings"]:
        assert set(item) == {"id", "severity", "title", "advice", "start", "end", "measured", "fix"}
    json.dumps(data)  # plain JSON types only
    lines = report_lines(report)
    assert any(
        "WARNING" in line and "0:02.0-0:04.0" in line and "--brighten" in line for line in lines
    )
    # The GUI strip's series: ~10 brightness points and 4 loudness points a second.
    assert len(report.brightness) == pytest.approx(60, abs=3)
    assert len(report.loudness) == pytest.approx(23, abs=2)
    loud = [v for t, v in report.loudness if 1.0 < t < 2.0]
    assert max(loud) == pytest.approx(-23.0, abs=6.0)  # speech at -23 LUFS


def test_transcript_without_words_means_no_speech(media: MediaFactory) -> None:
    clip = scene_clip(media, SCENES["control"])
    silent = Transcript(words=(), language="en", duration=6.0)
    report = analyse_clip(clip, transcript=silent)
    assert finding(report, "speech.none").measured["source"] == "transcript"


def test_cli_check_json_and_exit_codes(
    media: MediaFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    clip = scene_clip(media, SCENES["shaky"])
    assert main(["check", str(clip), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "stability.shaky" in {f["id"] for f in data["findings"]}
    assert main(["check", str(clip)]) == 0
    assert "Shaky picture" in capsys.readouterr().out
    junk = tmp_path / "notes.mp4"
    junk.write_text("not a video")
    assert main(["check", str(junk)]) == 2
    with pytest.raises(BadInputError):
        analyse_clip(tmp_path / "missing.mp4")


def test_cancel_stops_the_decode(media: MediaFactory) -> None:
    token = CancelToken()
    token.cancel()
    seen: list[float] = []
    with pytest.raises(Cancelled):
        analyse_clip(scene_clip(media, SCENES["control"]), progress=seen.append, cancel=token)


def test_progress_runs_forward_to_the_end(media: MediaFactory) -> None:
    seen: list[float] = []
    analyse_clip(scene_clip(media, SCENES["shaky"]), progress=seen.append)
    assert len(seen) > 10
    assert seen == sorted(seen)
    assert seen[-1] == 1.0 and seen[0] < 0.2
