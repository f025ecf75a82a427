"""analyse_clip: probe, one decode pass, every check in the registry, one report."""

from __future__ import annotations

import importlib
import math
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clipstudio.core.analysis.checks import REGISTRY, Check
from clipstudio.core.analysis.checks.audio import (
    measure_noise,
    speech_loudness,
    speech_seconds,
    speech_spans,
)
from clipstudio.core.analysis.checks.lighting import picture_stats
from clipstudio.core.analysis.checks.stability import measure_shake
from clipstudio.core.analysis.loudness import momentary_series
from clipstudio.core.analysis.samples import Samples, collect_samples
from clipstudio.core.analysis.types import Finding
from clipstudio.core.branding.imprint import publish_findings
from clipstudio.core.media.probe import MediaInfo, probe, require_picture
from clipstudio.core.progress import CancelToken, ProgressCallback, no_progress, scaled
from clipstudio.core.speech.types import Transcript
from clipstudio.core.timefmt import clock

# The GUI strip's loudness curve: EBU R128 momentary loudness (400 ms window)...
MOMENTARY_WINDOW_S = 0.4
# ...every quarter second.
LOUDNESS_STEP_S = 0.25
# Silence is drawn at EBU R128's absolute gate rather than minus infinity.
SILENCE_LUFS = -70.0
# Share of the progress bar taken by decoding; the checks after it are quick.
DECODE_SHARE = 0.9

# Modules the checks need only after decoding and that take seconds to import (scipy.signal via
# pyloudnorm, onnxruntime via the VAD): imported on a side thread while the clip decodes, which
# cut `clipstudio check` on 60 s of 1080p by about 2 s.
SLOW_IMPORTS = ("faster_whisper.vad",)

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class AnalysisReport:
    media: MediaInfo
    findings: list[Finding]
    stats: dict[str, Any]
    # For the GUI strip: (time s, mean luma 0..255) ~10 times a second...
    brightness: list[tuple[float, float]] = field(default_factory=list)
    # ...and (time s, momentary loudness LUFS; SILENCE_LUFS for silence) 4 times a second.
    loudness: list[tuple[float, float]] = field(default_factory=list)

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity in ("warning", "error")]


def analyse_clip(
    path: str | Path,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    transcript: Transcript | None = None,
    checks: list[Check] | None = None,
    imprint: str | None = None,
) -> AnalysisReport:
    """Everything the checks find in one clip. Raises BadInputError for unreadable input.

    `imprint`: the digital imprint the clip will carry ("" for none) adds the publishing
    findings; None leaves them out (the caller did not ask)."""
    progress = progress or no_progress
    started = time.monotonic()
    _import_in_background(SLOW_IMPORTS)
    path = Path(path)
    info = probe(path)
    require_picture(info)  # the export refuses a sound-only file: the check says so first
    samples = collect_samples(path, info, scaled(progress, 0.0, DECODE_SHARE), cancel)
    samples.transcript = transcript
    decoded = time.monotonic()
    findings: list[Finding] = []
    for check in checks if checks is not None else REGISTRY:
        if cancel is not None:
            cancel.raise_if_cancelled()
        findings.extend(check.run(samples))
    if imprint is not None:
        findings.extend(publish_findings(imprint))
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.start or 0.0))
    report = AnalysisReport(
        media=info,
        findings=findings,
        stats=_stats(samples),
        brightness=brightness_series(samples),
        loudness=loudness_series(samples),
    )
    report.stats["decode_s"] = round(decoded - started, 2)
    report.stats["analysis_s"] = round(time.monotonic() - started, 2)
    progress(1.0)
    return report


def _import_in_background(modules: tuple[str, ...]) -> None:
    def load() -> None:
        for name in modules:
            importlib.import_module(name)

    threading.Thread(target=load, name="clip-analysis-imports", daemon=True).start()


def brightness_series(samples: Samples) -> list[tuple[float, float]]:
    if not samples.pictures:
        return []
    stats = picture_stats(samples)
    return [
        (round(float(t), 3), round(float(m), 1))
        for t, m in zip(stats.times, stats.mean, strict=True)
    ]


def loudness_series(samples: Samples) -> list[tuple[float, float]]:
    """Momentary loudness (EBU R128, ffmpeg's meter) over time."""
    if samples.audio.size == 0:
        return []
    rate = samples.audio_rate
    if samples.audio.shape[1] <= int(MOMENTARY_WINDOW_S * rate):
        return []  # shorter than one EBU R128 momentary window
    series = []
    for t, loudness in momentary_series(samples.audio, rate, LOUDNESS_STEP_S):
        value = loudness if math.isfinite(loudness) else SILENCE_LUFS
        series.append((round(t, 3), round(max(value, SILENCE_LUFS), 1)))
    return series


def _stats(samples: Samples) -> dict[str, Any]:
    """The headline numbers of the clip, whether or not any check fired."""
    stats: dict[str, Any] = {
        "frames_decoded": int(samples.frame_luma.size),
        "pictures_sampled": len(samples.pictures),
        "faces_found_in": sum(1 for faces in samples.faces if faces),
        "face_searches": len(samples.faces),
    }
    if samples.pictures:
        pictures = picture_stats(samples)
        stats["mean_luma"] = round(float(pictures.mean.mean()), 1)
        stats["min_mean_luma"] = round(float(pictures.mean.min()), 1)
        stats["max_clipped_fraction"] = round(float(pictures.clipped.max()), 3)
        shake = measure_shake(samples)
        if shake.jitter_px.size:
            stats["max_jitter_percent_of_width"] = round(
                float(100 * shake.jitter_px.max() / shake.width_px), 2
            )
    if samples.audio.size:
        spans = speech_spans(samples)
        stats["speech_seconds"] = round(speech_seconds(spans), 2)
        loudness = speech_loudness(samples)
        stats["speech_lufs"] = round(loudness, 1) if math.isfinite(loudness) else None
        noise = measure_noise(samples)
        stats["snr_db"] = round(noise.snr_db, 1) if noise is not None else None
        stats["clipped_runs"] = len(samples.clip_event_times)
        peak = float(max(samples.audio.max(), -samples.audio.min()))
        stats["peak_dbfs"] = round(20 * math.log10(peak), 1) if peak > 0 else None
    return stats


def report_to_dict(report: AnalysisReport) -> dict[str, Any]:
    """The JSON shape of `clipstudio check --json`."""
    return {
        "source": report.media.path,
        "media": report.media.to_dict(),
        "findings": [finding.to_dict() for finding in report.findings],
        "stats": report.stats,
    }


def report_lines(report: AnalysisReport) -> list[str]:
    """Human output: one line per finding, most serious first."""
    lines = [f"{report.media.path}: {report.media.duration:.1f} s"]
    if not report.findings:
        lines.append("No problems found: good light, steady picture and clear sound.")
        return lines
    for finding in report.findings:
        if finding.start is None or finding.end is None:
            when = "whole clip"
        else:
            when = f"{clock(finding.start)}-{clock(finding.end)}"
        fix = f" (export option that helps: {finding.fix.cli_hint})" if finding.fix else ""
        lines.append(
            f"{finding.severity.upper():7s} {when:13s} {finding.title}: {finding.advice}{fix}"
        )
    if not report.warnings:
        lines.append("Nothing that needs filming again.")
    return lines
