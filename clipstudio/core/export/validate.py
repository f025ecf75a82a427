"""Check a rendered file against every export rule. A violation is an error, never a warning."""

from __future__ import annotations

import math
import struct
import tempfile
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from clipstudio.core.export import presets as rules
from clipstudio.core.export.caption_check import BurnedCaptions
from clipstudio.core.export.ffmpeg import loudness_readings_command, parse_ebur128
from clipstudio.core.export.loudness import LoudnessPlan, LoudnessRule, parse_readings, rule_level
from clipstudio.core.media.probe import probe
from clipstudio.core.process import run_process
from clipstudio.core.progress import CancelToken

# Audio quieter than this is silence (EBU R128's absolute gate is -70 LUFS): nothing to normalise.
SILENT_LUFS = -60.0
# Every frame must sit on the planned rate's grid to within one tick of the file's time base
# (timestamps are whole ticks, so each is rounded): exact, so 30 and 29.97 differ (by 33 ms
# after 1000 frames, 1000 ticks of a 1/30000 time base).
FRAME_GRID_TOLERANCE_TICKS = 1.0
# The muxed length may differ from the plan by a video frame and an AAC frame (42 + 21 ms).
DURATION_TOLERANCE_S = 0.07


@dataclass(frozen=True)
class Rule:
    name: str
    ok: bool
    detail: str


@dataclass
class ValidationReport:
    rules: list[Rule] = field(default_factory=list)
    duration: float = 0.0
    width: int = 0
    height: int = 0
    loudness_lufs: float | None = None  # integrated, whatever the rule
    true_peak_dbtp: float | None = None
    loudness: LoudnessPlan | None = None  # what the loudness rule promised, checked above

    @property
    def ok(self) -> bool:
        return all(rule.ok for rule in self.rules)

    @property
    def failures(self) -> list[Rule]:
        return [rule for rule in self.rules if not rule.ok]

    def add(self, name: str, ok: bool, detail: str) -> None:
        self.rules.append(Rule(name, bool(ok), detail))


@dataclass(frozen=True)
class Expected:
    width: int
    height: int
    fps: Fraction
    max_duration: float
    # What the loudness rule promised (export/loudness.py); None: the source had no sound and
    # a silent track was added.
    loudness: LoudnessPlan | None
    # The planned length (kept parts + end card), when it must be checked: an end card that
    # went missing would otherwise pass every other rule.
    duration: float | None = None
    # What was burned in, for the caption check (None: no burned captions).
    captions: BurnedCaptions | None = None


def validate_output(
    path: Path, expected: Expected, cancel: CancelToken | None = None
) -> ValidationReport:
    report = ValidationReport()
    info = probe(path)
    video, audio = info.video, info.audio
    report.duration = info.duration
    report.add("container is MP4", info.container.startswith("mov,mp4"), info.container)
    report.add("moov before mdat (fast start)", _moov_first(path), "box order")
    report.add(
        f"duration under {expected.max_duration:g} s",
        0 < info.duration < expected.max_duration,
        f"{info.duration:.3f} s",
    )
    if expected.duration is not None:
        report.add(
            f"duration {expected.duration:.2f} s as planned (clip and end card)",
            abs(info.duration - expected.duration) <= DURATION_TOLERANCE_S,
            f"{info.duration:.3f} s",
        )
    if video is None:
        report.add("has a video stream", False, "none")
    else:
        report.width, report.height = video.display_width, video.display_height
        report.add("video is H.264", video.codec == rules.VIDEO_CODEC, video.codec)
        report.add("H.264 High profile", video.profile == rules.VIDEO_PROFILE, str(video.profile))
        report.add("pixel format yuv420p", video.pix_fmt == rules.PIX_FMT, video.pix_fmt)
        report.add("no rotation flag", video.rotation == 0, f"{video.rotation} degrees")
        report.add(
            f"size {expected.width}x{expected.height}",
            (video.display_width, video.display_height) == (expected.width, expected.height),
            f"{video.display_width}x{video.display_height}",
        )
        report.add(
            "even dimensions",
            video.display_width % 2 == 0 and video.display_height % 2 == 0,
            f"{video.display_width}x{video.display_height}",
        )
        on_grid, detail = _on_frame_grid(path, expected.fps)
        report.add(f"constant {expected.fps} fps ({float(expected.fps):.3f})", on_grid, detail)
        report.add("SDR BT.709", not video.is_hdr, str(video.color_transfer))
        # Read from the decoded frame (probe.py), not only the header: a full-range picture
        # relabelled limited would pass a tag check and still crush its blacks.
        report.add(
            "limited range BT.709 colours",
            video.color_range == "tv" and video.color_matrix == "bt709",
            f"{video.color_range} range, {video.color_matrix} matrix",
        )
        report.add(
            "square pixels",
            video.sample_aspect_ratio == 1,
            f"sample aspect ratio {video.sample_aspect_ratio}",
        )
        _check_captions(path, expected, report, cancel)
    if audio is None:
        report.add("has an audio stream", False, "none")
    else:
        report.add("audio is AAC-LC",
                   audio.codec == rules.AUDIO_CODEC and audio.profile == rules.AUDIO_PROFILE,
                   f"{audio.codec} {audio.profile}")  # fmt: skip
        report.add("48 kHz", audio.sample_rate == rules.AUDIO_RATE, f"{audio.sample_rate} Hz")
        report.add("stereo", audio.channels == rules.AUDIO_CHANNELS, f"{audio.channels} ch")
        _check_loudness(path, expected, report, cancel)
    return report


def _check_captions(
    path: Path, expected: Expected, report: ValidationReport, cancel: CancelToken | None
) -> None:
    """Burned captions inside the caption zone and readable (export/caption_check.py)."""
    if expected.captions is None:
        return
    from clipstudio.core.export.caption_check import check_burned_captions

    for finding in check_burned_captions(
        path, expected.width, expected.height, expected.captions, cancel
    ):
        report.add(finding.name, finding.ok, finding.detail)


def _check_loudness(
    path: Path, expected: Expected, report: ValidationReport, cancel: CancelToken | None
) -> None:
    """The level the clip's loudness rule promised, measured on the file by the same measure,
    and the true-peak ceiling."""
    with tempfile.TemporaryDirectory(prefix="clipstudio-check-") as folder:
        readings_file = Path(folder) / "loudness.txt"
        result = run_process(loudness_readings_command(path, readings_file),
                             description="loudness check", cancel=cancel)  # fmt: skip
        text = readings_file.read_text(encoding="utf-8") if readings_file.exists() else ""
    integrated, peak = parse_ebur128(result.stderr)
    report.loudness_lufs = None if math.isinf(integrated) else integrated
    report.true_peak_dbtp = None if math.isinf(peak) else peak
    plan = report.loudness = expected.loudness
    if plan is None or plan.rule is LoudnessRule.SILENT:
        report.add("loudness (silent track)", integrated < SILENT_LUFS, f"{integrated:.1f} LUFS")
        return
    level = rule_level(plan.rule, parse_readings(text, result.stderr), plan.speech)
    report.add(
        f"loudness ({plan.rule}): {plan.rule.measure} {plan.expected_lufs:.1f} LUFS"
        f" +/- {rules.LOUDNESS_TOLERANCE_LU:g} LU",
        abs(level - plan.expected_lufs) <= rules.LOUDNESS_TOLERANCE_LU,
        f"{level:.1f} LUFS",
    )
    # The sample peak ebur128 prints bounds the true peak from below; the true peak limiter
    # allows 0.5 dB of AAC overshoot above its own target (what Facebook's checks tolerate).
    report.add(
        f"peak <= {rules.TRUE_PEAK_DBTP:g} dBTP",
        peak <= rules.TRUE_PEAK_DBTP + 0.5,
        f"{peak:.1f} dBFS",
    )


def _on_frame_grid(path: Path, fps: Fraction) -> tuple[bool, str]:
    """Whether every frame's timestamp is k/fps from the first (within a tick), and the rate
    the timestamps show."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        time_base = Fraction(stream.time_base or Fraction(1, 90000))
        ticks = np.sort(np.array([p.pts for p in container.demux(stream) if p.pts is not None
                                  and p.size], dtype=np.int64))  # fmt: skip
    if ticks.size < 2:
        return True, f"{ticks.size} frame"
    ticks -= ticks[0]
    per_frame = float(1 / (fps * time_base))
    worst = float(np.abs(ticks - np.arange(ticks.size) * per_frame).max())
    shown = Fraction(int(ticks.size - 1)) / (int(ticks[-1]) * time_base)
    detail = f"{shown.limit_denominator(1001)} fps ({float(shown):.4f}), frames off the grid by up to {worst:g} ticks of {time_base}"
    return worst <= FRAME_GRID_TOLERANCE_TICKS, detail


def _moov_first(path: Path) -> bool:
    """Walk the top-level MP4 boxes: `moov` must come before `mdat` for progressive upload."""
    with path.open("rb") as handle:
        while True:
            header = handle.read(8)
            if len(header) < 8:
                return False
            size, kind = struct.unpack(">I4s", header)
            if kind == b"moov":
                return True
            if kind == b"mdat":
                return False
            if size == 1:
                size = struct.unpack(">Q", handle.read(8))[0]
                handle.seek(size - 16, 1)
            elif size == 0:
                return False
            else:
                handle.seek(size - 8, 1)
