"""Plain words for the volunteer: the export result line and its rules behind "Details", and
the help guide's rules with the checks that catch each."""

from __future__ import annotations

from pathlib import Path

from clipstudio.core.edit.plan import CaptionTrack, EditPlan, Take
from clipstudio.core.export.render import ExportResult
from clipstudio.core.export.summary import export_summary, plain_rules, plain_words
from clipstudio.core.export.validate import ValidationReport
from clipstudio.core.speech.types import Caption
from clipstudio.core.vocabulary import CaptionMode

CAPTION = (Caption(0.5, 2.0, ("Vote on Thursday",)),)


def _result(mode: CaptionMode, report: ValidationReport, captions=CAPTION, sidecars=()):
    plan = EditPlan(takes=(Take("clip.mp4", 0.0, 55.0, captions),),
                    captions=CaptionTrack(mode=mode))  # fmt: skip
    return ExportResult(Path("/v/clip-feed.mp4"), 55.04, 1920, 1080, tuple(sidecars), report,
                        plan, ())  # fmt: skip


def _report(*rules: tuple[str, bool, str]) -> ValidationReport:
    report = ValidationReport()
    for name, ok, detail in rules:
        report.add(name, ok, detail)
    return report


def test_short_summary_names_length_size_and_captions() -> None:
    report = _report(("container is MP4", True, "mov,mp4"), ("peak <= -1 dBTP", True, "-2 dBFS"))
    srt = Path("/v/clip-feed.en_GB.srt")
    assert export_summary(_result(CaptionMode.BOTH, report, sidecars=[srt])) == (
        "Ready for Facebook: 0:55.0, 1920×1080, captions burned in and saved as"
        " clip-feed.en_GB.srt."
    )
    assert "captions burned in." in export_summary(_result(CaptionMode.BURN, report))
    assert "captions saved as clip-feed.en_GB.srt" in export_summary(
        _result(CaptionMode.SRT, report, sidecars=[srt])
    )
    # Burning was asked for but nobody spoke: the line does not claim captions.
    assert "no captions (no speech was found)" in export_summary(
        _result(CaptionMode.BURN, report, captions=())
    )


def test_a_failed_rule_is_named_in_plain_words() -> None:
    report = _report(
        ("container is MP4", True, "mov,mp4"),
        ("moov before mdat (fast start)", False, "box order"),
        ("stereo", False, "1 ch"),
    )
    line = export_summary(_result(CaptionMode.BURN, report))
    assert (
        "did not pass every check: starts playing before it has all downloaded and 1 more" in line
    )
    rows = plain_rules(report)
    assert [row.ok for row in rows] == [False, False, True]  # failures first
    assert rows[0].technical == "moov before mdat (fast start): box order"


def test_every_rule_has_plain_words() -> None:
    """The names export/validate.py and caption_check.py write today (a new rule needs a line
    in summary.PLAIN_RULES; the GUI export test checks a real export's report too)."""
    for name in (
        "container is MP4", "moov before mdat (fast start)", "duration under 60 s",
        "duration 8.70 s as planned (clip and end card)", "has a video stream", "video is H.264",
        "H.264 High profile", "pixel format yuv420p", "no rotation flag", "size 640x360",
        "even dimensions", "constant 30000/1001 fps (29.970)", "SDR BT.709",
        "captions inside the caption zone", "caption contrast at least 4.5:1 (WCAG 1.4.3)",
        "has an audio stream", "audio is AAC-LC", "48 kHz", "stereo", "loudness (silent track)",
        "loudness (speech): speech-gated loudness -14.0 LUFS +/- 1 LU", "peak <= -1 dBTP",
    ):  # fmt: skip
        assert plain_words(name), name
    assert plain_words("duration under 60 s") == "Under the time limit"
    assert plain_words("duration 8.70 s as planned") == "As long as planned, end card included"
    assert plain_words("a rule nobody wrote words for") is None


def test_the_help_guide_names_every_check_and_only_real_ones() -> None:
    """Help › How to make a good campaign clip: each rule lists the checks that catch it."""
    from clipstudio.core.analysis.checks import REGISTRY
    from clipstudio.core.analysis.guide import GUIDE_RULES
    from clipstudio.core.branding.imprint import publish_findings

    publish = {f.id for f in publish_findings("")} | {f.id for f in publish_findings("Jo")}
    known = {check.id for check in REGISTRY} | publish
    named = [check_id for rule in GUIDE_RULES for check_id, _name in rule.checks]
    assert set(named) <= known, set(named) - known
    assert known <= set(named), known - set(named)  # a new check needs its place in the guide
    assert len(named) == len(set(named))
