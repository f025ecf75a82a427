"""Which parts of the source are kept: ranges, the silence-based cut, the sentence-aware cut."""

from __future__ import annotations

import pytest

from clipstudio.core.edit.limits import LIMIT_SAFETY_S, fits, keep_budget
from clipstudio.core.edit.plan import Segment
from clipstudio.core.edit.trim import plan_segments, silence_trim
from clipstudio.core.errors import BadInputError
from clipstudio.core.speech.types import Transcript, Word

# What the export passes for the guide's one minute: the limit less the safety margin.
BUDGET = keep_budget(60.0)


def sentence(start: float, text: str, word_s: float = 0.4) -> list[Word]:
    words = text.split()
    return [
        Word(f" {w}", start + i * word_s, start + (i + 1) * word_s - 0.05, 0.95)
        for i, w in enumerate(words)
    ]


def transcript(*sentences: list[Word]) -> Transcript:
    return Transcript(tuple(w for s in sentences for w in s), "en", 100.0)


def no_silences(_start: float, _end: float) -> list[tuple[float, float]]:
    return []


def test_short_clip_is_kept_whole():
    assert plan_segments(30, None, None, BUDGET, find_silences=no_silences) == (Segment(0, 30),)


def test_range_is_checked_in_plain_words():
    with pytest.raises(BadInputError, match="past the end"):
        plan_segments(10, 12, None, BUDGET, find_silences=no_silences)
    with pytest.raises(BadInputError, match="too short"):
        plan_segments(10, 5, 5.2, BUDGET, find_silences=no_silences)
    with pytest.raises(BadInputError, match="negative"):
        plan_segments(10, -1, None, 60, find_silences=no_silences)


def test_silence_trim_drops_ends_and_cuts_at_the_last_pause():
    silences = [(0.0, 3.0), (20.0, 21.0), (50.0, 51.0), (70.0, 75.0)]
    kept = silence_trim(0.0, 75.0, 60 - LIMIT_SAFETY_S, silences)
    assert kept.start == pytest.approx(3.0 - 0.15)
    assert kept.end == pytest.approx(50.0 + 0.15)


def test_without_pauses_the_cut_is_hard_but_under_the_limit():
    segments = plan_segments(90, None, None, BUDGET, find_silences=no_silences)
    assert segments[0].duration < 60


def test_transcript_cut_keeps_whole_sentences():
    # 15 different sentences (a repeated one would be dropped as a Whisper loop), 0.3 s apart.
    topics = (
        "library park school buses bins roads housing clinic market pool youth club "
        "trains jobs parking"
    )
    starts = [1.0 + 5.0 * i for i in range(15)]
    sentences = [
        sentence(t, f"We will keep the {topic} open for everyone.")
        for t, topic in zip(starts, topics.split(), strict=True)
    ]
    spoken = transcript(*sentences)
    segments = plan_segments(80, None, None, BUDGET, find_silences=no_silences, transcript=spoken)
    assert sum(s.duration for s in segments) < 60
    assert segments[0].start == pytest.approx(1.0 - 0.15, abs=0.01)
    sentence_ends = [s[-1].end for s in sentences]
    # The cut falls 0.15 s after the end of a sentence: never inside one.
    assert min(abs(segments[-1].end - (e + 0.15)) for e in sentence_ends) < 0.01
    assert segments[-1].end > 50  # as many whole sentences as fit, not just a few


def test_drop_pauses_cuts_long_silences_inside_the_speech():
    spoken = transcript(
        sentence(1.0, "We will keep the library open."),
        sentence(8.0, "Vote on Thursday."),
        sentence(15.0, "Thank you."),
    )
    whole = plan_segments(20, None, None, BUDGET, find_silences=no_silences, transcript=spoken,
                          auto_trim=True)  # fmt: skip
    tight = plan_segments(20, None, None, BUDGET, find_silences=no_silences, transcript=spoken,
                          auto_trim=True, drop_pauses=True)  # fmt: skip
    assert len(whole) == 1 and len(tight) == 3
    assert sum(s.duration for s in tight) < whole[0].duration - 8


def test_kept_parts_and_end_card_fit_by_one_rule() -> None:
    """The export and the GUI's length readout ask the same question, with the same bounds."""
    assert fits(59.9, 0.0, 60.0) and not fits(60.0, 0.0, 60.0)
    room = 60.0 - 3.0 - LIMIT_SAFETY_S
    assert fits(room, 3.0, 60.0)
    assert not fits(room + 0.01, 3.0, 60.0)
