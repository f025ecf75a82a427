"""Sentence-aware trimming: keep whole sentences, from the first word, under the length limit."""

from __future__ import annotations

from clipstudio.core.edit.limits import keep_budget
from clipstudio.core.edit.plan import Segment
from clipstudio.core.edit.trim import SPEECH_MARGIN_S
from clipstudio.core.speech.layout import CLAUSE_END, SENTENCE_END, ends_with, speech_words
from clipstudio.core.speech.types import Transcript, Word

# A pause this long ends a "sentence" even without a full stop (speakers rarely dictate
# punctuation; Whisper leaves it out after a trailing-off phrase).
SENTENCE_PAUSE_S = 1.0
# A cut inside an over-long first sentence goes after a comma when that keeps at least this share
# of the words that fit, else after the last word that fits.
CLAUSE_CUT_MIN_SHARE = 0.5


def _sentences(words: list[Word]) -> list[list[Word]]:
    sentences: list[list[Word]] = [[]]
    for index, word in enumerate(words):
        sentences[-1].append(word)
        following = words[index + 1] if index + 1 < len(words) else None
        ends = ends_with(word.text, SENTENCE_END)
        paused = following is not None and following.start - word.end > SENTENCE_PAUSE_S
        if (ends or paused) and following is not None:
            sentences.append([])
    return [s for s in sentences if s]


def _segments_for(
    words: list[Word],
    all_words: list[Word],
    media_duration: float,
    margin: float,
    drop_pauses_over: float | None,
) -> list[Segment]:
    """Segments covering `words` (consecutive in `all_words`), with `margin` around speech that
    never reaches into a neighbouring word, split at pauses longer than `drop_pauses_over`."""
    first = next(i for i, w in enumerate(all_words) if w is words[0])
    last = first + len(words) - 1
    before = all_words[first - 1].end if first > 0 else 0.0
    after = all_words[last + 1].start if last + 1 < len(all_words) else media_duration

    def start_of(word: Word, previous_end: float) -> float:
        return max(word.start - margin, (previous_end + word.start) / 2, 0.0)

    def end_of(word: Word, next_start: float) -> float:
        return min(word.end + margin, (word.end + next_start) / 2, media_duration)

    spans: list[Segment] = []
    span_start = start_of(words[0], before)
    for index in range(len(words) - 1):
        gap = words[index + 1].start - words[index].end
        if drop_pauses_over is not None and gap > drop_pauses_over:
            spans.append(Segment(span_start, end_of(words[index], words[index + 1].start)))
            span_start = start_of(words[index + 1], words[index].end)
    spans.append(Segment(span_start, end_of(words[-1], after)))
    return [Segment(round(s.start, 3), round(s.end, 3)) for s in spans if s.end > s.start]


def _total(segments: list[Segment]) -> float:
    return sum(s.duration for s in segments)


def sentence_segments(
    transcript: Transcript,
    media_duration: float,
    budget: float = keep_budget(),
    *,
    margin: float = SPEECH_MARGIN_S,
    drop_pauses_over: float | None = None,
) -> tuple[Segment, ...]:
    """Source ranges to keep: leading and trailing silence dropped, cut only at sentence ends
    (or long pauses), `margin` s kept around speech, total strictly under `budget` (from
    limits.keep_budget: the safety margin is already off).

    When even the first sentence is too long it is cut at the last comma or word that fits.
    Returns () when there is no speech, so the caller can fall back to silence-based trimming."""
    words = [w for w in speech_words(transcript.words) if w.start < media_duration]
    if not words:
        return ()
    kept: list[Word] = []
    segments: list[Segment] = []
    for sentence in _sentences(words):
        candidate = _segments_for(kept + sentence, words, media_duration, margin, drop_pauses_over)
        if _total(candidate) >= budget:
            break
        kept += sentence
        segments = candidate
    if not kept:
        segments = _cut_long_sentence(words, media_duration, budget, margin, drop_pauses_over)
    return tuple(segments)


def _cut_long_sentence(
    words: list[Word],
    media_duration: float,
    budget: float,
    margin: float,
    drop_pauses_over: float | None,
) -> list[Segment]:
    """The longest prefix of the first sentence that fits, preferring to stop at a comma."""
    fitting: list[tuple[int, list[Segment]]] = []
    for count in range(1, len(words) + 1):
        candidate = _segments_for(words[:count], words, media_duration, margin, drop_pauses_over)
        if _total(candidate) >= budget:
            break
        fitting.append((count, candidate))
    if not fitting:
        # A single word longer than the limit: keep the start of it.
        start = max(0.0, words[0].start - margin)
        return [Segment(round(start, 3), round(start + budget, 3))]
    longest = fitting[-1][0]
    for count, candidate in reversed(fitting):
        if count < longest * CLAUSE_CUT_MIN_SHARE:
            break
        if ends_with(words[count - 1].text, CLAUSE_END):
            return candidate
    return fitting[-1][1]
