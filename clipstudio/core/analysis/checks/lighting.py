"""Lighting: too dark, blown-out white, a window behind the speaker, flickering light.

Brightness is luma on a full-range 0..255 scale, measured on the small sampled pictures (and on
every frame for flicker). The campaign guide: "make sure it is well lit", "the light source should
be in front of the subject", "subjects become silhouettes against windows", "avoid fluctuating
light".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from clipstudio.core.analysis.checks.base import flagged_spans, rounded
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
# Flicker: brightness is compared with its own one-second moving average; what is left is
# fluctuation faster than ~1 Hz (slow exposure changes and pans are not flicker).
FLICKER_SMOOTH_S = 1.0
# Windows in which flicker is measured.
FLICKER_WINDOW_S = 2.0
# Fluctuation (RMS of the residual) above this share of the mean brightness is flicker: the eye
# notices 1-2 % modulation at 5-10 Hz (de Lange); 3 % leaves room for motion in the picture.
FLICKER_RELATIVE = 0.03
# ...and above this many luma levels, so sensor noise in a dark picture does not count.
FLICKER_MIN_LEVELS = 1.5
# Flicker goes up and down: at least this many sign changes of the residual per window (1 Hz+).
FLICKER_MIN_CROSSINGS = 4
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


class TooDark:
    id = "lighting.too_dark"

    def run(self, samples: Samples) -> list[Finding]:
        if not samples.pictures:
            return []
        stats = picture_stats(samples)
        findings = []
        for span in _spans(samples, stats.mean < TOO_DARK_MEAN):
            inside = _in_span(stats.times, span)
            findings.append(
                Finding(
                    id=self.id,
                    severity="warning",
                    title="Too dark",
                    advice=ADVICE_TOO_DARK,
                    start=span[0],
                    end=span[1],
                    measured={
                        "mean_luma": rounded(stats.mean[inside].mean(), 1),
                        "threshold_luma": TOO_DARK_MEAN,
                    },
                    fix=Fix.BRIGHTEN,
                )
            )
        return findings


class Overexposed:
    id = "lighting.overexposed"

    def run(self, samples: Samples) -> list[Finding]:
        if not samples.pictures:
            return []
        stats = picture_stats(samples)
        # A window behind a dark speaker is reported as backlight, with its own advice.
        flags = (stats.clipped >= OVEREXPOSED_AREA) & ~_backlit_flags(stats)
        findings = []
        for span in _spans(samples, flags):
            inside = _in_span(stats.times, span)
            findings.append(
                Finding(
                    id=self.id,
                    severity="warning",
                    title="Washed out",
                    advice=ADVICE_OVEREXPOSED,
                    start=span[0],
                    end=span[1],
                    measured={
                        "clipped_fraction": rounded(stats.clipped[inside].mean(), 3),
                        "mean_luma": rounded(stats.mean[inside].mean(), 1),
                        "threshold_fraction": OVEREXPOSED_AREA,
                    },
                )
            )
        return findings


class Backlit:
    id = "lighting.backlit"

    def run(self, samples: Samples) -> list[Finding]:
        if not samples.pictures:
            return []
        stats = picture_stats(samples)
        findings = []
        for span in _spans(samples, _backlit_flags(stats)):
            inside = _in_span(stats.times, span)
            findings.append(
                Finding(
                    id=self.id,
                    severity="warning",
                    title="Light behind the speaker",
                    advice=ADVICE_BACKLIT,
                    start=span[0],
                    end=span[1],
                    measured={
                        "subject_luma": rounded(stats.subject[inside].mean(), 1),
                        "surround_luma": rounded(stats.surround[inside].mean(), 1),
                    },
                    fix=Fix.BRIGHTEN,
                )
            )
        return findings


@dataclass(frozen=True)
class FlickerMeasure:
    window_starts: np.ndarray
    relative: np.ndarray  # residual RMS / mean brightness, per window
    levels: np.ndarray  # residual RMS in luma levels, per window
    crossings: np.ndarray  # sign changes of the residual, per window


def measure_flicker(samples: Samples) -> FlickerMeasure:
    """Fast brightness fluctuation per window, with cuts and slow changes taken out."""
    times, luma = samples.frame_times, samples.frame_luma
    empty = np.zeros(0)
    if luma.size < 4:
        return FlickerMeasure(empty, empty, empty, empty)
    duration = float(times[-1] - times[0]) or 1.0
    fps = (luma.size - 1) / duration
    half = max(1, int(round(FLICKER_SMOOTH_S * fps / 2)))
    kernel = np.ones(2 * half + 1) / (2 * half + 1)
    smooth = np.convolve(np.pad(luma, half, mode="edge"), kernel, mode="valid")
    residual = luma - smooth
    valid = np.ones(luma.size, dtype=bool)
    for cut in _cuts(luma, half):
        valid[max(0, cut - half) : cut + half + 1] = False
    starts = np.arange(float(times[0]), float(times[-1]) - FLICKER_WINDOW_S / 2, 1.0)
    relative, levels, crossings = [], [], []
    for start in starts:
        inside = (times >= start) & (times < start + FLICKER_WINDOW_S) & valid
        part = residual[inside]
        if part.size < 4:
            relative.append(0.0)
            levels.append(0.0)
            crossings.append(0)
            continue
        rms = float(np.sqrt(np.mean(part**2)))
        levels.append(rms)
        relative.append(rms / max(float(luma[inside].mean()), 10.0))
        signs = np.sign(part[np.abs(part) > FLICKER_MIN_LEVELS / 2])
        crossings.append(int(np.count_nonzero(np.diff(signs) != 0)))
    return FlickerMeasure(starts, np.array(relative), np.array(levels), np.array(crossings))


def _cuts(luma: np.ndarray, half: int) -> list[int]:
    """Frames where brightness jumps and stays (a cut or a light switched on), not a flicker."""
    steps = np.abs(np.diff(luma))
    cuts = []
    for index in np.flatnonzero(steps >= SCENE_CUT_LEVELS):
        before = luma[max(0, index - half) : index + 1].mean()
        after = luma[index + 1 : index + 2 + half].mean()
        if abs(after - before) >= 0.7 * steps[index]:
            cuts.append(int(index) + 1)
    return cuts


class Flicker:
    id = "lighting.flicker"

    def run(self, samples: Samples) -> list[Finding]:
        measure = measure_flicker(samples)
        if measure.window_starts.size == 0:
            return []
        flags = (
            (measure.relative >= FLICKER_RELATIVE)
            & (measure.levels >= FLICKER_MIN_LEVELS)
            & (measure.crossings >= FLICKER_MIN_CROSSINGS)
        )
        spans = flagged_spans(
            measure.window_starts,
            flags,
            step=FLICKER_WINDOW_S,
            merge_gap=LIGHTING_MERGE_GAP_S,
            min_length=LIGHTING_MIN_SPAN_S,
        )
        end_of_clip = float(samples.frame_times[-1])
        findings = []
        for start, end in spans:
            inside = (measure.window_starts >= start) & (measure.window_starts < end) & flags
            findings.append(
                Finding(
                    id=self.id,
                    severity="warning",
                    title="Flickering light",
                    advice=ADVICE_FLICKER,
                    start=start,
                    end=round(min(end, end_of_clip), 2),
                    measured={
                        "fluctuation_percent": rounded(100 * measure.relative[inside].mean(), 1),
                        "fluctuation_luma": rounded(measure.levels[inside].mean(), 2),
                        "threshold_percent": 100 * FLICKER_RELATIVE,
                    },
                    fix=Fix.DEFLICKER,
                )
            )
        return findings
