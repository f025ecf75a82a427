"""Check a rendered file against every export rule. A violation is an error, never a warning."""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field
from pathlib import Path

from clipstudio.core.export import presets as rules
from clipstudio.core.export.caption_check import BurnedCaptions
from clipstudio.core.export.ffmpeg import ebur128_command, parse_ebur128
from clipstudio.core.media.probe import probe
from clipstudio.core.process import run_process
from clipstudio.core.progress import CancelToken

# Audio quieter than this is silence (EBU R128's absolute gate is -70 LUFS): nothing to normalise.
SILENT_LUFS = -60.0
# A tolerance of one frame interval on the frame rate (timestamps are in integer ticks).
FPS_TOLERANCE = 0.02
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
    loudness_lufs: float | None = None
    true_peak_dbtp: float | None = None

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
    fps: float
    max_duration: float
    audio_is_silent: bool  # the source had no audio: a silent track was added
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
        report.add("constant frame rate", not video.is_vfr, f"{video.real_frame_rate:g} fps")
        report.add(
            f"{expected.fps:.3f} fps",
            abs(video.real_frame_rate - expected.fps) <= FPS_TOLERANCE * expected.fps,
            f"{video.real_frame_rate:.3f} fps",
        )
        report.add("SDR BT.709", not video.is_hdr, str(video.color_transfer))
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
    result = run_process(ebur128_command(str(path)), description="loudness check", cancel=cancel)
    integrated, peak = parse_ebur128(result.stderr)
    report.loudness_lufs = None if math.isinf(integrated) else integrated
    report.true_peak_dbtp = None if math.isinf(peak) else peak
    if expected.audio_is_silent or integrated < SILENT_LUFS:
        report.add("loudness (silent track)", expected.audio_is_silent or integrated < SILENT_LUFS,
                   f"{integrated:.1f} LUFS")  # fmt: skip
        return
    target = rules.LOUDNESS_TARGET_LUFS
    report.add(
        f"loudness {target:g} LUFS +/- {rules.LOUDNESS_TOLERANCE_LU:g} LU",
        abs(integrated - target) <= rules.LOUDNESS_TOLERANCE_LU,
        f"{integrated:.1f} LUFS",
    )
    # The sample peak ebur128 prints bounds the true peak from below; the true peak limiter
    # allows 0.5 dB of AAC overshoot above its own target (what Facebook's checks tolerate).
    report.add(
        f"peak <= {rules.TRUE_PEAK_DBTP:g} dBTP",
        peak <= rules.TRUE_PEAK_DBTP + 0.5,
        f"{peak:.1f} dBFS",
    )


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
