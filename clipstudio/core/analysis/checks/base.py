"""What every check shares: its words said once, and turning per-moment flags into time spans."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from clipstudio.core.analysis.samples import Samples
from clipstudio.core.analysis.types import Finding, Severity
from clipstudio.core.vocabulary import Fix

Span = tuple[float, float]


@dataclass(frozen=True)
class Says:
    """What a check tells the volunteer when it fires: a plain title, advice they can act on,
    how much it matters, and the repair that answers it (the window's switch, the CLI option)."""

    title: str
    advice: str
    severity: Severity = "warning"
    fix: Fix | None = None


class Check:
    """A footage check: `run` measures the shared samples and applies its rule. Its id and its
    words are said once, as class attributes; `found` makes a Finding of what it measured, so
    `run` holds only the measuring and the rule."""

    id: ClassVar[str]
    says: ClassVar[Says]

    def run(self, samples: Samples) -> list[Finding]:
        raise NotImplementedError

    def found(
        self,
        measured: dict[str, Any],
        span: Span | None = None,
        *,
        title: str | None = None,
        advice: str | None = None,
        repairable: bool = True,
    ) -> Finding:
        """The finding, over `span` (source seconds) or the whole clip; `title` and `advice`
        for a check that says one of two things; `repairable=False` where its fix would not
        answer this case."""
        start, end = span if span is not None else (None, None)
        return Finding(
            id=self.id,
            severity=self.says.severity,
            title=title or self.says.title,
            advice=advice or self.says.advice,
            start=start,
            end=end,
            measured=measured,
            fix=self.says.fix if repairable else None,
        )


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
