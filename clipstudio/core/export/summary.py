"""What an export made, in a volunteer's words: one short line, and each rule the file was
checked against in plain words with the technical name beside it (for whoever helps them).

Pure text from the ExportResult and its ValidationReport; the window shows the line and keeps the
rules behind "Details". No PyAV here (the window imports this).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from clipstudio.core.timefmt import clock
from clipstudio.core.vocabulary import CaptionMode

if TYPE_CHECKING:
    from clipstudio.core.export.render import ExportResult
    from clipstudio.core.export.validate import ValidationReport

# Each rule export/validate.py (and caption_check.py) checks, by the start of its technical
# name, in plain words. Longest start first, so "duration under" is not taken for "duration".
# A rule that is not here shows its technical name (tests/test_export_summary.py fails on one).
PLAIN_RULES: tuple[tuple[str, str], ...] = (
    ("container is MP4", "An MP4 file, the kind Facebook takes"),
    ("moov before mdat", "Starts playing before it has all downloaded"),
    ("duration under", "Under the time limit"),
    ("has a video stream", "Has a picture"),
    ("video is H.264", "Picture in the format every phone plays"),
    ("H.264 High profile", "Picture at Facebook's recommended quality"),
    ("pixel format", "Colours stored the standard way"),
    ("no rotation flag", "The right way up on every screen"),
    ("size ", "The size of the shape you chose"),
    ("even dimensions", "A frame size every player accepts"),
    ("constant frame rate", "Smooth, steady motion"),
    ("constant ", "Smooth, steady motion"),
    ("SDR BT.709", "Ordinary colours (not HDR), so they look right in the feed"),
    ("limited range BT.709", "Blacks and whites as the phone filmed them"),
    ("square pixels", "Not stretched or squeezed"),
    ("captions inside the caption zone", "Captions clear of Facebook's buttons and text"),
    ("caption contrast", "Captions easy to read"),
    ("has an audio stream", "Has sound"),
    ("audio is AAC-LC", "Sound in the format Facebook takes"),
    ("48 kHz", "Sound at the standard quality"),
    ("stereo", "Sound on both speakers"),
    ("loudness (silent track)", "A silent sound track (the clip had no sound)"),
    ("loudness", "As loud as other videos in the feed"),
    ("peak", "No crackle at the loudest moments"),
    ("duration", "As long as planned, end card included"),
)


@dataclass(frozen=True)
class PlainRule:
    ok: bool
    words: str  # what the volunteer reads
    technical: str  # the rule's own name and what was measured (a tooltip, a bug report)


def plain_words(rule_name: str) -> str | None:
    """The plain words for a validation rule's technical name, or None when there are none."""
    for start, words in sorted(PLAIN_RULES, key=lambda row: len(row[0]), reverse=True):
        if rule_name.startswith(start):
            return words
    return None


def plain_rules(report: ValidationReport) -> list[PlainRule]:
    """Every rule the file was checked against, failures first."""
    rows = [
        PlainRule(rule.ok, plain_words(rule.name) or rule.name, f"{rule.name}: {rule.detail}")
        for rule in report.rules
    ]
    return sorted(rows, key=lambda row: row.ok)


def captions_phrase(mode: CaptionMode, spoken: bool, sidecars: tuple[Path, ...]) -> str:
    """How the captions came out: burned in, saved as NAME.en_GB.srt, both, or none.
    `spoken`: the rendered takes had captions at all (a clip with no speech has none)."""
    srt = next((Path(p).name for p in sidecars if str(p).endswith(".srt")), None)
    burned = mode.burns and spoken
    if burned and srt:
        return f"captions burned in and saved as {srt}"
    if burned:
        return "captions burned in"
    if srt:
        return f"captions saved as {srt}"
    if mode.wants_captions:
        return "no captions (no speech was found)"
    return "no captions"


def export_summary(result: ExportResult) -> str:
    """One line: "Ready for Facebook: 0:55, 1920x1080, captions burned in and saved as
    NAME.en_GB.srt", or what failed."""
    spoken = any(take.captions for take in result.plan.takes)
    captions = captions_phrase(result.plan.captions.mode, spoken, result.sidecars)
    made = f"{clock(result.duration)}, {result.width}×{result.height}, {captions}"
    failures = result.validation.failures
    if not failures:
        return f"Ready for Facebook: {made}."
    first = plain_words(failures[0].name) or failures[0].name
    more = f" and {len(failures) - 1} more" if len(failures) > 1 else ""
    return f"Made ({made}), but it did not pass every check: {first.lower()}{more}."
