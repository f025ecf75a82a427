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


# Two kept parts this close together are one (the rounding of cut_span's milliseconds).
JOIN_S = 1e-6


def is_kept(segments: Sequence[Segment], word: TimedWord) -> bool:
    """Whether `word` is in the video: its middle inside a kept part, the rule by which the
    export keeps a caption's words (plan.captions_on_timeline). No segments: the whole clip."""
    if not segments:
        return True
    middle = (word.start + word.end) / 2
    return any(s.start <= middle <= s.end for s in segments)


def cut_words(
    segments: Sequence[Segment],
    words: Sequence[TimedWord],
    first: int,
    last: int,
    duration: float,
) -> tuple[Segment, ...]:
    """The kept parts once words[first..last] are cut (the window's Delete, at word
    boundaries as the CLI cuts: cut_span). No segments: the whole clip of `duration`."""
    kept = tuple(segments) or (Segment(0.0, duration),)
    return cut_segments(kept, [words_span(words, first, last)])


def restore_words(
    segments: Sequence[Segment],
    words: Sequence[TimedWord],
    first: int,
    last: int,
    duration: float,
) -> tuple[Segment, ...]:
    """The kept parts with words[first..last] put back. A cut whose struck words are all among
    them is filled whole, so putting back what one Delete cut gives the parts as they were;
    a cut that also holds other struck words gets back only the run's own span (cut_span).
    Back to the whole clip is () again, as a project that was never cut."""
    if not 0 <= first <= last < len(words):
        raise ValueError(f"no words {first}-{last} of {len(words)}")
    kept = sorted(tuple(segments) or (Segment(0.0, duration),), key=lambda s: s.start)
    holes = _holes(kept, duration)
    chosen = range(first, last + 1)
    struck = [(i, (w.start + w.end) / 2) for i, w in enumerate(words) if not is_kept(kept, w)]
    span = words_span(words, first, last)
    added: list[Segment] = []
    for hole in holes:
        inside = [i for i, middle in struck if hole.start <= middle <= hole.end]
        if not any(i in chosen for i in inside):
            continue
        if all(i in chosen for i in inside):
            added.append(hole)
        elif span.end > hole.start and span.start < hole.end:
            added.append(Segment(max(span.start, hole.start), min(span.end, hole.end)))
    if not added:
        return tuple(segments)
    merged = _union([*kept, *added])
    if len(merged) == 1 and merged[0].start <= JOIN_S and merged[0].end >= duration - JOIN_S:
        return ()
    return merged


def _holes(kept: Sequence[Segment], duration: float) -> list[Segment]:
    """What the kept parts leave out of the clip (the cuts, and the trimmed ends)."""
    holes, at = [], 0.0
    for segment in kept:
        if segment.start - at > JOIN_S:
            holes.append(Segment(at, segment.start))
        at = max(at, segment.end)
    if duration - at > JOIN_S:
        holes.append(Segment(at, duration))
    return holes


def _union(segments: Iterable[Segment]) -> tuple[Segment, ...]:
    merged: list[Segment] = []
    for segment in sorted(segments, key=lambda s: s.start):
        if merged and segment.start <= merged[-1].end + JOIN_S:
            merged[-1] = Segment(merged[-1].start, max(merged[-1].end, segment.end))
        else:
            merged.append(segment)
    return tuple(merged)


def inner_cuts(segments: Sequence[Segment]) -> list[Segment]:
    """The cuts between kept parts (words cut, pauses dropped), not the trimmed ends."""
    ordered = sorted(segments, key=lambda s: s.start)
    return [Segment(a.end, b.start) for a, b in zip(ordered, ordered[1:], strict=False)
            if b.start > a.end]  # fmt: skip


def cut_inside(segments: Sequence[Segment], t: float) -> Segment | None:
    """The cut between two kept parts that `t` falls in (not the trimmed ends): what the
    preview skips while it plays, so the volunteer hears the video as it will be."""
    ordered = sorted(segments, key=lambda s: s.start)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.end <= t < after.start:
            return Segment(before.end, after.start)
    return None
