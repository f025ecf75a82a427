"""Which parts of a source to keep: the user's range, cut to fit the keep budget.

Without a transcript the cut follows silences measured by ffmpeg (leading and trailing silence
dropped, then the clip ends at the last pause before the limit); with one, the sentence-aware
trim (autotrim.py) decides. The budget always comes from limits.keep_budget, which has already
taken the safety margin off: nothing here takes it off again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from clipstudio.core.edit.limits import MIN_KEPT_S
from clipstudio.core.edit.plan import Segment
from clipstudio.core.errors import BadInputError
from clipstudio.core.speech.types import Transcript

# Speech is kept with this much air around it so no word ending is clipped.
SPEECH_MARGIN_S = 0.15
# With --drop-pauses, silences inside the speech longer than this are cut out (issue: "drop
# internal pauses longer than 1 s").
DROPPED_PAUSE_S = 1.0

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
        if not start and end is None:  # the whole clip: the volunteer chose no range
            raise BadInputError(
                f"this clip is only {duration:.2f} s long, too short to make a video"
                f" (at least {MIN_KEPT_S:g} s)"
            )
        raise BadInputError(
            f"the chosen range {range_start:.2f}-{range_end:.2f} s is too short to make a clip"
            f" (at least {MIN_KEPT_S:g} s)"
        )
    return range_start, range_end


def plan_segments(
    duration: float,
    start: float | None,
    end: float | None,
    budget: float,
    *,
    find_silences: SilenceFinder | None,
    transcript: Transcript | None = None,
    auto_trim: bool = False,
    drop_pauses: bool = False,
) -> tuple[Segment, ...]:
    """Kept ranges of [start, end] whose total is at most `budget` (limits.keep_budget).

    Cut only when the range is longer than the budget, unless `auto_trim` asks to drop the
    silence at the ends and keep whole sentences anyway. The command line and the window's
    "Auto-trim" both come here, so they cut at the same places."""
    if budget <= MIN_KEPT_S:
        raise BadInputError(f"a {budget:g} s limit is too short for a clip")
    range_start, range_end = resolve_range(duration, start, end)
    needs_cut = range_end - range_start > budget
    if not (needs_cut or auto_trim):
        return (Segment(range_start, range_end),)
    if transcript is not None and transcript.words:
        pauses_over = DROPPED_PAUSE_S if drop_pauses else None
        segments = _sentence_trim(transcript, range_start, range_end, budget, pauses_over)
        if segments:
            return segments
    silences = find_silences(range_start, range_end) if find_silences else []
    return (silence_trim(range_start, range_end, budget, silences),)


def _sentence_trim(
    transcript: Transcript,
    range_start: float,
    range_end: float,
    budget: float,
    drop_pauses_over: float | None,
) -> tuple[Segment, ...]:
    from clipstudio.core.edit.autotrim import sentence_segments

    words = tuple(w for w in transcript.words if w.start >= range_start and w.end <= range_end)
    if not words:
        return ()
    inside = Transcript(words, transcript.language, transcript.duration)
    segments = sentence_segments(inside, range_end, budget, drop_pauses_over=drop_pauses_over)
    clamped = [
        Segment(max(s.start, range_start), min(s.end, range_end))
        for s in segments
        if min(s.end, range_end) - max(s.start, range_start) > 0
    ]
    return tuple(clamped)


def silence_trim(
    range_start: float, range_end: float, limit: float, silences: Sequence[tuple[float, float]]
) -> Segment:
    """Drop leading/trailing silence, then end at the last pause that fits in `limit` s."""
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
