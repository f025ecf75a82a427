"""Hand-held shake: jitter of the picture around its own smooth path.

Global motion between consecutive sampled pictures (phase correlation, in the one decode pass)
adds up to the camera's path. A deliberate pan is smooth; shake is what is left after subtracting
a one-second moving average of the path. The campaign guide: "use a tripod so the shot is stable".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from clipstudio.core.analysis.checks.base import Check, Says, flagged_spans, rounded
from clipstudio.core.analysis.samples import SAMPLE_FPS, Samples
from clipstudio.core.analysis.types import Finding
from clipstudio.core.vocabulary import Fix

# The smooth path is the moving average over this long: hand shake (roughly 1-10 Hz) stays out of
# it, a pan or a slow walk stays in it.
SHAKE_SMOOTH_S = 1.0
# Shake is measured in windows of this length.
SHAKE_WINDOW_S = 2.0
# Jitter (RMS distance from the smooth path) above this share of the picture width is shake:
# ~12 px of a 1080p picture. Measured on the labelled test clips: still camera 0.04-0.08 %, a
# smooth eased pan 0.17 %, random hand-held offsets of up to 2 % of the width 1.5 %.
SHAKE_JITTER_FRACTION = 0.006
# Shake shorter than this is a bump, not a shaky clip.
SHAKE_MIN_SPAN_S = 2.0
SHAKE_MERGE_GAP_S = 1.0
# Shake goes back and forth: in a shaky window at least this share of the steps between sampled
# pictures reverse direction (random jitter reverses about every other step, a hand's 1-2 Hz
# sway every 3-5 steps at 10 Hz; a pan, a walk or a person crossing the picture hardly ever).
SHAKE_MIN_REVERSALS = 0.2
# Steps smaller than this (pixels of the small picture) are measurement noise, not a direction.
SHAKE_MIN_STEP_PX = 0.5
# Windows where fewer than this share of motion measurements are trustworthy are not judged.
SHAKE_MIN_VALID = 0.6

ADVICE_SHAKY = "The picture shakes. Use a tripod or rest the phone on something steady."


@dataclass(frozen=True)
class ShakeMeasure:
    window_starts: np.ndarray
    jitter_px: np.ndarray  # RMS jitter per window, pixels of the small picture
    reversals: np.ndarray  # share of steps reversing direction, per window
    width_px: int


def camera_path(samples: Samples) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Times, (x, y) path of the picture content, and which steps were measured reliably."""
    motion = samples.motion
    if motion.shape[0] == 0:
        return np.zeros(0), np.zeros((0, 2)), np.zeros(0, dtype=bool)
    valid = ~np.isnan(motion).any(axis=1)
    steps = np.where(valid[:, None], motion, 0.0)
    path = np.vstack([np.zeros((1, 2)), np.cumsum(steps, axis=0)])
    times = samples.motion_times[: path.shape[0]]
    return times, path, np.concatenate([[True], valid])


def measure_shake(samples: Samples) -> ShakeMeasure:
    """RMS distance of the path from its moving average, per window."""
    width = samples.work_size[0]
    times, path, valid = camera_path(samples)
    if times.size < 4 or width == 0:
        return ShakeMeasure(np.zeros(0), np.zeros(0), np.zeros(0), width)
    half = max(1, int(round(SHAKE_SMOOTH_S * SAMPLE_FPS / 2)))
    kernel = np.ones(2 * half + 1) / (2 * half + 1)
    jitter = np.zeros_like(path)
    for axis in range(2):
        # Odd reflection keeps a straight pan straight at the clip's ends.
        padded = np.pad(path[:, axis], half, mode="reflect", reflect_type="odd")
        jitter[:, axis] = path[:, axis] - np.convolve(padded, kernel, mode="valid")
    distance = np.hypot(jitter[:, 0], jitter[:, 1])
    reversed_step = _reversed_steps(np.diff(path, axis=0))
    starts = np.arange(float(times[0]), max(float(times[-1]) - SHAKE_WINDOW_S / 2, 0.0), 1.0)
    values, reversals = [], []
    for start in starts:
        inside = (times >= start) & (times < start + SHAKE_WINDOW_S)
        if inside.sum() < 4 or valid[inside].mean() < SHAKE_MIN_VALID:
            values.append(0.0)
            reversals.append(0.0)
            continue
        values.append(float(np.sqrt(np.mean(distance[inside] ** 2))))
        reversals.append(float(reversed_step[inside[1:-1]].mean()))
    return ShakeMeasure(starts, np.array(values), np.array(reversals), width)


def _reversed_steps(steps: np.ndarray) -> np.ndarray:
    """For each pair of consecutive steps: did the picture turn back on either axis?"""
    before, after = steps[:-1], steps[1:]
    big = (np.abs(before) >= SHAKE_MIN_STEP_PX) & (np.abs(after) >= SHAKE_MIN_STEP_PX)
    turned = big & (np.sign(before) != np.sign(after))
    return turned.any(axis=1)


class Shaky(Check):
    id = "stability.shaky"
    says = Says("Shaky picture", ADVICE_SHAKY, fix=Fix.STABILISE)

    def run(self, samples: Samples) -> list[Finding]:
        measure = measure_shake(samples)
        if measure.window_starts.size == 0:
            return []
        limit = SHAKE_JITTER_FRACTION * measure.width_px
        flags = (measure.jitter_px >= limit) & (measure.reversals >= SHAKE_MIN_REVERSALS)
        end_of_clip = float(samples.motion_times[-1]) + 1.0 / SAMPLE_FPS
        spans = flagged_spans(
            measure.window_starts,
            flags,
            step=SHAKE_WINDOW_S,
            merge_gap=SHAKE_MERGE_GAP_S,
            min_length=SHAKE_MIN_SPAN_S,
            until=end_of_clip,
        )
        findings = []
        for start, end in spans:
            inside = (measure.window_starts >= start) & (measure.window_starts < end) & flags
            jitter = float(measure.jitter_px[inside].mean())
            findings.append(
                self.found(
                    {
                        "jitter_px": rounded(jitter, 2),
                        "jitter_percent_of_width": rounded(100 * jitter / measure.width_px, 2),
                        "reversal_share": rounded(measure.reversals[inside].mean(), 2),
                        "measured_at_width_px": measure.width_px,
                        "threshold_percent": 100 * SHAKE_JITTER_FRACTION,
                    },
                    span=(start, end),
                )
            )
        return findings
