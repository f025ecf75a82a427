"""Which parts of the source to keep: the user's range, cut to strictly under the limit.

Without a transcript the cut follows silences measured by ffmpeg (leading and trailing silence
dropped, then the clip ends at the last pause before the limit); with one, the speech module's
sentence-aware trim decides.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from clipstudio.core.edit.plan import Segment
from clipstudio.core.errors import BadInputError
from clipstudio.core.speech.types import Transcript

# Outputs stay this far under the limit: AAC frames (21 ms) and video frames (up to 42 ms) can
# round the muxed duration up, and "under one minute" must hold on the file, not on paper.
LIMIT_SAFETY_S = 0.1
# Speech is kept with this much air around it so no word ending is clipped.
SPEECH_MARGIN_S = 0.15
# With --drop-pauses, silences inside the speech longer than this are cut out (issue: "drop
# internal pauses longer than 1 s").
DROPPED_PAUSE_S = 1.0
# A range shorter than this is not a clip.
MIN_KEPT_S = 0.5


def fits_with_end_card(kept: float, end_card: float, max_duration: float) -> bool:
    """Whether kept parts plus the end card stay under the limit. With a card the safety margin
    comes off too, as it does for a planned trim; the export and the GUI's readout ask the same."""
    if not end_card:
        return kept < max_duration
    return kept <= max_duration - end_card - LIMIT_SAFETY_S


SilenceFinder = Callable[[float, float], list[tuple[float, float]]]


def resolve_range(duration: float, start: float | None, end: float | None) -> tuple[float, float]:
    """The user's --start/--end checked against the clip, in plain words when wrong."""
    range_start = 0.0 if start is None else float(start)
    range_end = duration if end is None else min(float(end), duration)
    if range_start < 0:
        raise BadInputError("--start cannot be negative")
    if range_start >= duration:
        raise BadInputError(
            f"--start {range_start:g} s is past the end of the clip ({duration:.1f} s)"
        )
    if range_end - range_start < MIN_KEPT_S:
        raise BadInputError(
            f"the chosen range {range_start:g}-{range_end:g} s is too short to make a clip"
        )
    return range_start, range_end


def plan_segments(
    duration: float,
    start: float | None,
    end: float | None,
    max_duration: float,
    *,
    find_silences: SilenceFinder | None,
    transcript: Transcript | None = None,
    auto_trim: bool = False,
    drop_pauses: bool = False,
) -> tuple[Segment, ...]:
    """Kept ranges whose total is strictly under `max_duration`."""
    if max_duration <= LIMIT_SAFETY_S + MIN_KEPT_S:
        raise BadInputError(f"--max-duration {max_duration:g} s is too short")
    limit = max_duration - LIMIT_SAFETY_S
    range_start, range_end = resolve_range(duration, start, end)
    needs_cut = range_end - range_start > limit
    if not (needs_cut or auto_trim):
        return (Segment(range_start, range_end),)
    if transcript is not None and transcript.words:
        segments = _sentence_trim(
            transcript,
            range_start,
            range_end,
            max_duration,
            DROPPED_PAUSE_S if drop_pauses else None,
        )
        if segments:
            return segments
    silences = find_silences(range_start, range_end) if find_silences else []
    return (silence_trim(range_start, range_end, limit, silences),)


def _sentence_trim(
    transcript: Transcript,
    range_start: float,
    range_end: float,
    max_duration: float,
    drop_pauses_over: float | None,
) -> tuple[Segment, ...]:
    from clipstudio.core.edit.autotrim import sentence_segments

    words = tuple(w for w in transcript.words if w.start >= range_start and w.end <= range_end)
    if not words:
        return ()
    inside = Transcript(words, transcript.language, transcript.duration)
    segments = sentence_segments(
        inside, range_end, max_duration - LIMIT_SAFETY_S, drop_pauses_over=drop_pauses_over
    )
    clamped = [
        Segment(max(s.start, range_start), min(s.end, range_end))
        for s in segments
        if min(s.end, range_end) - max(s.start, range_start) > 0
    ]
    return tuple(clamped)


def silence_trim(
    range_start: float, range_end: float, limit: float, silences: Sequence[tuple[float, float]]
) -> Segment:
    """Drop leading/trailing silence, then end at the last pause that fits under `limit`."""
    start, end = range_start, range_end
    for silence_start, silence_end in silences:
        if silence_start <= start + 0.05 and silence_end > start:
            start = max(start, silence_end - SPEECH_MARGIN_S)
        if silence_end >= end - 0.05 and silence_start < end:
            end = min(end, silence_start + SPEECH_MARGIN_S)
    if end - start < MIN_KEPT_S:  # all silence: keep the range as it was, only cut to length
        start, end = range_start, range_end
    if end - start <= limit:
        return Segment(start, end)
    hard_end = start + limit
    pauses = [
        (s, e) for s, e in silences if start < s and s + SPEECH_MARGIN_S <= hard_end and e > s
    ]
    if pauses:
        pause_start, _ = max(pauses)
        return Segment(start, pause_start + SPEECH_MARGIN_S)
    return Segment(start, hard_end)
