"""Lighting: too dark, blown-out white, a window behind the speaker, flickering light.

Brightness is luma on a full-range 0..255 scale, measured on the small sampled pictures (and on
every frame for flicker). The campaign guide: "make sure it is well lit", "the light source should
be in front of the subject", "subjects become silhouettes against windows", "avoid fluctuating
light".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from clipstudio.core.analysis.checks.base import Check, Says, flagged_spans, rounded
from clipstudio.core.analysis.samples import FACE_FPS, SAMPLE_FPS, FaceBox, Samples
from clipstudio.core.analysis.types import Finding
from clipstudio.core.vocabulary import Fix

# Mean luma below this is about two stops under a normal exposure: mid grey (18 %) encodes to
# ~105 through the BT.709 camera curve, 4.5 % (two stops less) to ~44.
TOO_DARK_MEAN = 45.0
# A pixel at or above this is clipped white (full range; sensors and encoders saturate here).
CLIPPED_LEVEL = 250
# Share of the picture clipped white that makes a "large" blown-out area (a bright sky or a
# white wall filling a fifth of the frame is what viewers notice).
OVEREXPOSED_AREA = 0.20
# Backlight: the subject is at least this many times darker than what surrounds it...
BACKLIT_RATIO = 2.0
# ...the subject itself is dim (about one stop under mid grey through the BT.709 curve)...
BACKLIT_SUBJECT_MAX = 80.0
# ...and the surroundings are bright (a window or sky, well above mid grey).
BACKLIT_SURROUND_MIN = 140.0
# A lighting problem shorter than this is a moment (a passing shadow), not worth a warning.
LIGHTING_MIN_SPAN_S = 1.0
# Bad stretches closer than this are reported as one.
LIGHTING_MERGE_GAP_S = 1.0
# Flicker: brightness is compared with its own two-second moving average; what is left is
# fluctuation faster than ~0.5 Hz (slow exposure changes and pans are not flicker).
FLICKER_SMOOTH_S = 2.0
# Windows in which flicker is measured, on brightness resampled to the clip's own frame rate:
# 4 s resolve 0.25 Hz, so a flicker of 0.5 Hz shows two full cycles.
FLICKER_WINDOW_S = 4.0
FLICKER_MIN_HZ = 0.5
# Flicker is periodic (mains beating with the frame rate, a failing tube, a PWM LED): the
# strongest frequency (and its neighbours) holds at least this share of the fluctuation. A
# hand-held picture whose framing changes varies as much but at no one rate. Measured over 4 s
# windows: a random 0.5-4 Hz wander of 4 % RMS 0.35-0.51 (hand-held or still), a sine flicker
# of 0.7-10 Hz 0.99-1.0, the labelled clips without flicker 0.62 at most.
FLICKER_PERIODIC_SHARE = 0.7
# That periodic part above this share of the mean brightness is flicker: the eye notices 1-2 %
# modulation at 5-10 Hz (de Lange); 2 % RMS (a 2.8 % swing) is visible at a few hertz too.
FLICKER_RELATIVE = 0.02
# ...and above this many luma levels, so sensor noise in a dark picture does not count.
FLICKER_MIN_LEVELS = 1.0
# A jump of this many luma levels between two frames that does not come back is a cut or a light
# switched on, not flicker.
SCENE_CUT_LEVELS = 12.0

ADVICE_TOO_DARK = "The picture is too dark here. Film somewhere brighter or turn on more lights facing the speaker."
ADVICE_OVEREXPOSED = "Parts of the picture are washed out white. Avoid direct sun or bright walls behind or on the speaker."
ADVICE_BACKLIT = (
    "The speaker is dark against a bright background. Move so the light is in front of the "
    "speaker, not behind."
)
ADVICE_FLICKER = (
    "The light flickers. Avoid fluorescent or LED lights that flicker, or film by daylight."
)


@dataclass(frozen=True)
class PictureStats:
    """Per sampled picture: overall mean, clipped share, subject and surround means."""

    times: np.ndarray
    mean: np.ndarray
    clipped: np.ndarray
    subject: np.ndarray
    surround: np.ndarray


def picture_stats(samples: Samples) -> PictureStats:
    """Brightness statistics of each sampled picture; the subject is the nearest face found
    within 1/FACE_FPS seconds, or else the centre of the picture."""
    return samples.memo("picture_stats", lambda: _picture_stats(samples))


def _picture_stats(samples: Samples) -> PictureStats:
    count = len(samples.pictures)
    mean = np.zeros(count)
    clipped = np.zeros(count)
    subject = np.zeros(count)
    surround = np.zeros(count)
    face_times = np.array(samples.face_times)
    for index, (t, picture) in enumerate(zip(samples.sample_times, samples.pictures, strict=True)):
        mean[index] = picture.mean()
        clipped[index] = np.count_nonzero(picture >= CLIPPED_LEVEL) / picture.size
        box = _subject_box(samples, face_times, float(t))
        subject[index], surround[index] = _subject_and_surround(picture, box)
    return PictureStats(samples.sample_times, mean, clipped, subject, surround)


def _subject_box(samples: Samples, face_times: np.ndarray, t: float) -> FaceBox:
    if face_times.size:
        nearest = int(np.argmin(np.abs(face_times - t)))
        faces = samples.faces[nearest]
        if faces and abs(face_times[nearest] - t) <= 1.0 / FACE_FPS:
            return max(faces, key=lambda f: f.w * f.h)
    # No face: a speaker filmed by a volunteer stands in the middle of the picture.
    return FaceBox(x=1 / 3, y=1 / 4, w=1 / 3, h=1 / 2)


def _subject_and_surround(picture: np.ndarray, box: FaceBox) -> tuple[float, float]:
    height, width = picture.shape
    x0, x1 = int(box.x * width), int((box.x + box.w) * width)
    y0, y1 = int(box.y * height), int((box.y + box.h) * height)
    inner = picture[max(0, y0) : max(y0 + 1, y1), max(0, x0) : max(x0 + 1, x1)]
    # The surround leaves out a margin of half the box around the subject (hair, shoulders).
    mx, my = (x1 - x0) // 2, (y1 - y0) // 2
    ex0, ex1 = max(0, x0 - mx), min(width, x1 + mx)
    ey0, ey1 = max(0, y0 - my), min(height, y1 + my)
    total = float(picture.sum(dtype=np.int64))
    excluded = float(picture[ey0:ey1, ex0:ex1].sum(dtype=np.int64))
    remaining = picture.size - (ey1 - ey0) * (ex1 - ex0)
    inner_mean = float(inner.mean()) if inner.size else float(picture.mean())
    surround_mean = (total - excluded) / remaining if remaining > 0 else inner_mean
    return inner_mean, surround_mean


def _spans(samples: Samples, flags: np.ndarray) -> list[tuple[float, float]]:
    return flagged_spans(
        samples.sample_times,
        flags,
        step=1.0 / SAMPLE_FPS,
        merge_gap=LIGHTING_MERGE_GAP_S,
        min_length=LIGHTING_MIN_SPAN_S,
    )


def _backlit_flags(stats: PictureStats) -> np.ndarray:
    return (
        (stats.subject <= BACKLIT_SUBJECT_MAX)
        & (stats.surround >= BACKLIT_SURROUND_MIN)
        & (stats.surround >= BACKLIT_RATIO * np.maximum(stats.subject, 1.0))
    )


def _in_span(times: np.ndarray, span: tuple[float, float]) -> np.ndarray:
    return (times >= span[0]) & (times < span[1])


class LightingCheck(Check):
    """A lighting problem over spans of the sampled pictures: `flags` says which samples show
    it, `measure` what the samples `inside` a span measured."""

    def flags(self, stats: PictureStats) -> np.ndarray:
        raise NotImplementedError

    def measure(self, stats: PictureStats, inside: np.ndarray) -> dict[str, Any]:
        raise NotImplementedError

    def run(self, samples: Samples) -> list[Finding]:
        if not samples.pictures:
            return []
        stats = picture_stats(samples)
        spans = _spans(samples, self.flags(stats))
        return [self.found(self.measure(stats, _in_span(stats.times, s)), span=s) for s in spans]


class TooDark(LightingCheck):
    id = "lighting.too_dark"
    says = Says("Too dark", ADVICE_TOO_DARK, fix=Fix.BRIGHTEN)

    def flags(self, stats: PictureStats) -> np.ndarray:
        return stats.mean < TOO_DARK_MEAN

    def measure(self, stats: PictureStats, inside: np.ndarray) -> dict[str, Any]:
        return {"mean_luma": rounded(stats.mean[inside].mean(), 1), "threshold_luma": TOO_DARK_MEAN}


class Overexposed(LightingCheck):
    id = "lighting.overexposed"
    says = Says("Washed out", ADVICE_OVEREXPOSED)

    def flags(self, stats: PictureStats) -> np.ndarray:
        # A window behind a dark speaker is reported as backlight, with its own advice.
        return (stats.clipped >= OVEREXPOSED_AREA) & ~_backlit_flags(stats)

    def measure(self, stats: PictureStats, inside: np.ndarray) -> dict[str, Any]:
        return {
            "clipped_fraction": rounded(stats.clipped[inside].mean(), 3),
            "mean_luma": rounded(stats.mean[inside].mean(), 1),
            "threshold_fraction": OVEREXPOSED_AREA,
        }


class Backlit(LightingCheck):
    id = "lighting.backlit"
    says = Says("Light behind the speaker", ADVICE_BACKLIT, fix=Fix.BRIGHTEN)

    def flags(self, stats: PictureStats) -> np.ndarray:
        return _backlit_flags(stats)

    def measure(self, stats: PictureStats, inside: np.ndarray) -> dict[str, Any]:
        subject = rounded(stats.subject[inside].mean(), 1)
        return {"subject_luma": subject, "surround_luma": rounded(stats.surround[inside].mean(), 1)}


@dataclass(frozen=True)
class FlickerMeasure:
    window_starts: np.ndarray
    relative: np.ndarray  # periodic part's RMS / mean brightness, per window
    levels: np.ndarray  # periodic part's RMS in luma levels, per window
    periodic_share: np.ndarray  # share of the fluctuation at its strongest frequency
    frequency_hz: np.ndarray  # that frequency


def measure_flicker(samples: Samples) -> FlickerMeasure:
    """The periodic part of fast brightness fluctuation per window, cuts and slow changes out."""
    empty = np.zeros(0)
    times, luma = samples.frame_times, samples.frame_luma
    if luma.size < 8 or float(times[-1] - times[0]) <= 0:
        return FlickerMeasure(empty, empty, empty, empty, empty)
    # The clip's own rate on an even grid (phones vary the rate; a spectrum needs even steps).
    rate = float(np.clip((luma.size - 1) / float(times[-1] - times[0]), 5.0, 240.0))
    grid = np.arange(float(times[0]), float(times[-1]), 1.0 / rate)
    even = np.interp(grid, times, luma)
    half = max(1, int(round(FLICKER_SMOOTH_S * rate / 2)))
    kernel = np.ones(2 * half + 1) / (2 * half + 1)
    residual = even - np.convolve(np.pad(even, half, mode="edge"), kernel, mode="valid")
    valid = np.ones(even.size, dtype=bool)
    for cut in _cuts(even, half):
        valid[max(0, cut - half) : cut + half + 1] = False
    size = int(round(FLICKER_WINDOW_S * rate))
    last = max(float(grid[0]), float(grid[-1]) - FLICKER_WINDOW_S + 1.0)
    starts = np.arange(float(grid[0]), last, 1.0)
    rows = [_periodic_part(residual, even, valid, int(round((t - grid[0]) * rate)), size, rate)
            for t in starts]  # fmt: skip
    values = np.array(rows, dtype=np.float64).reshape(-1, 4)
    return FlickerMeasure(starts, values[:, 0], values[:, 1], values[:, 2], values[:, 3])


def _periodic_part(
    residual: np.ndarray, luma: np.ndarray, valid: np.ndarray, start: int, size: int, rate: float
) -> tuple[float, float, float, float]:
    """(relative RMS, RMS levels, share, frequency) of a window's strongest periodic part."""
    part, good = residual[start : start + size], valid[start : start + size]
    if part.size < 8 or good.mean() < 0.9:
        return (0.0, 0.0, 0.0, 0.0)
    power = np.abs(np.fft.rfft((part - part.mean()) * np.hanning(part.size))) ** 2
    freqs = np.fft.rfftfreq(part.size, 1.0 / rate)
    power[freqs < FLICKER_MIN_HZ] = 0.0
    total = float(power.sum())
    if total <= 0:
        return (0.0, 0.0, 0.0, 0.0)
    peak = int(np.argmax(power))
    share = float(power[max(0, peak - 1) : peak + 2].sum()) / total
    levels = float(np.sqrt(np.mean(part**2) * share))
    mean = max(float(luma[start : start + size].mean()), 10.0)
    return (levels / mean, levels, share, float(freqs[peak]))


def _cuts(luma: np.ndarray, half: int) -> list[int]:
    """Frames where brightness jumps and stays (a cut or a light switched on), not a flicker."""
    steps = np.abs(np.diff(luma))
    cuts = []
    for index in np.flatnonzero(steps >= SCENE_CUT_LEVELS):
        if index < half or index + 1 + half > luma.size:
            # Whole windows either side only: a part of a flicker's cycle averages anywhere.
            continue
        before = luma[index - half : index + 1].mean()
        after = luma[index + 1 : index + 2 + half].mean()
        if abs(after - before) >= 0.7 * steps[index]:
            cuts.append(int(index) + 1)
    return cuts


class Flicker(Check):
    id = "lighting.flicker"
    says = Says("Flickering light", ADVICE_FLICKER, fix=Fix.DEFLICKER)

    def run(self, samples: Samples) -> list[Finding]:
        measure = measure_flicker(samples)
        if measure.window_starts.size == 0:
            return []
        flags = (
            (measure.relative >= FLICKER_RELATIVE)
            & (measure.levels >= FLICKER_MIN_LEVELS)
            & (measure.periodic_share >= FLICKER_PERIODIC_SHARE)
        )
        end_of_clip = float(samples.frame_times[-1])
        spans = flagged_spans(
            measure.window_starts,
            flags,
            step=FLICKER_WINDOW_S,
            merge_gap=LIGHTING_MERGE_GAP_S,
            min_length=LIGHTING_MIN_SPAN_S,
            until=end_of_clip,
        )
        findings = []
        for start, end in spans:
            inside = (measure.window_starts >= start) & (measure.window_starts < end) & flags
            findings.append(
                self.found(
                    {
                        "fluctuation_percent": rounded(100 * measure.relative[inside].mean(), 1),
                        "fluctuation_luma": rounded(measure.levels[inside].mean(), 2),
                        "flicker_hz": rounded(float(np.median(measure.frequency_hz[inside])), 1),
                        "periodic_share": rounded(measure.periodic_share[inside].mean(), 2),
                        "threshold_percent": 100 * FLICKER_RELATIVE,
                    },
                    span=(start, end),
                )
            )
        return findings
