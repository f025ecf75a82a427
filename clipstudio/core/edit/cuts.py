"""Cutting by words: spans of source time taken out of the kept ranges, so a take becomes
several takes of one source. Where a span starts and ends comes from the words around it
(speech/disfluency.cut_span: in the pause between words, never through one); the render joins
the pieces with a short audio crossfade (export/ffmpeg.py), so a cut never clicks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from clipstudio.core.edit.plan import Segment, Take
from clipstudio.core.speech.disfluency import TimedWord, cut_span

# A piece left between two cuts shorter than this (a breath, a few frames) goes too: it would
# flash by between two joins.
MIN_PIECE_S = 0.1


def words_span(words: Sequence[TimedWord], first: int, last: int) -> Segment:
    """The source time to cut so that words[first..last] go (the editor's selection)."""
    if not 0 <= first <= last < len(words):
        raise ValueError(f"no words {first}-{last} of {len(words)}")
    return Segment(*cut_span(words, first, last))


def cut_segments(
    segments: Sequence[Segment], spans: Iterable[tuple[float, float] | Segment]
) -> tuple[Segment, ...]:
    """`segments` with every span taken out, in order; pieces shorter than MIN_PIECE_S go."""
    cuts = sorted((s.start, s.end) if isinstance(s, Segment) else s for s in spans)
    kept: list[Segment] = []
    for segment in segments:
        start = segment.start
        for cut_start, cut_end in cuts:
            if cut_end <= start or cut_start >= segment.end:
                continue
            if cut_start - start >= MIN_PIECE_S:
                kept.append(Segment(start, cut_start))
            start = max(start, cut_end)
        if segment.end - start >= MIN_PIECE_S:
            kept.append(Segment(start, segment.end))
    return tuple(kept)


def cut_take(take: Take, spans: Iterable[tuple[float, float] | Segment]) -> tuple[Take, ...]:
    """The take with the spans taken out: takes of its source sharing its captions (the
    captions lose the words cut with them: plan.captions_on_timeline)."""
    return tuple(
        replace(take, start=piece.start, end=piece.end)
        for piece in cut_segments((take.segment,), spans)
    )


def cut_duration(segments: Sequence[Segment], spans: Iterable[tuple[float, float]]) -> float:
    """How much of `segments` the spans take away (the length readout of the editor)."""
    before = sum(s.duration for s in segments)
    return before - sum(s.duration for s in cut_segments(segments, spans))
