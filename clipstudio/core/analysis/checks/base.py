"""What every check shares: the interface and turning per-moment flags into time spans."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from clipstudio.core.analysis.samples import Samples
from clipstudio.core.analysis.types import Finding


class Check(Protocol):
    """A footage check: a stable id and a run over the shared samples."""

    id: str

    def run(self, samples: Samples) -> list[Finding]: ...


Span = tuple[float, float]


def flagged_spans(
    times: Sequence[float] | np.ndarray,
    flags: Sequence[bool] | np.ndarray,
    *,
    step: float,
    merge_gap: float,
    min_length: float,
    until: float | None = None,
) -> list[Span]:
    """Spans where `flags` holds at the sample `times` (each sample covers `step` seconds).

    Spans closer than `merge_gap` are merged (a flash of good picture inside a dark stretch is
    still one dark stretch); spans end at `until` (the clip's end) at the latest; spans shorter
    than `min_length` after that are dropped (a moment is not a problem worth a warning), so no
    span is ever shorter than the check's own minimum.
    """
    spans: list[list[float]] = []
    for t, flag in zip(times, flags, strict=True):
        if not flag:
            continue
        start, end = float(t), float(t) + step
        if spans and start - spans[-1][1] <= merge_gap:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    if until is not None:
        spans = [[s, min(e, until)] for s, e in spans]
    return [(round(s, 2), round(e, 2)) for s, e in spans if e - s >= min_length - 1e-9]


def rounded(value: float, digits: int = 2) -> float:
    return round(float(value), digits)
