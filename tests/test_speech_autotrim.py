"""Sentence-aware auto-trim: whole sentences, margins around speech, strictly under the limit."""

from __future__ import annotations

import pytest
from media import MediaFactory
from media_speech import long_speech_clip

from clipstudio.core.edit.autotrim import sentence_segments
from clipstudio.core.speech.transcribe import get_transcriber
from clipstudio.core.speech.types import Transcript, Word


def transcript_of(sentences: list[tuple[float, str]], word_s: float = 0.3) -> Transcript:
    """Sentences starting at the given seconds, one word every `word_s` seconds."""
    words = []
    for start, sentence in sentences:
        for index, token in enumerate(sentence.split()):
            t = start + index * word_s
            words.append(Word(" " + token, t, t + word_s - 0.05, 0.95))
    return Transcript(tuple(words), "en", duration=words[-1].end + 2)


def total(segments) -> float:
    return sum(s.duration for s in segments)


def test_keeps_whole_sentences_and_drops_leading_and_trailing_silence() -> None:
    transcript = transcript_of(
        [(2.0, "One two three."), (5.0, "Four five six."), (8.0, "Seven eight.")]
    )
    segments = sentence_segments(transcript, media_duration=12.0, budget=60)
    assert len(segments) == 1
    assert segments[0].start == pytest.approx(2.0 - 0.15)
    assert segments[0].end == pytest.approx(8.0 + 0.3 + 0.25 + 0.15)


def test_stops_at_the_last_sentence_that_fits() -> None:
    transcript = transcript_of([(1.0, "a b c d e."), (4.0, "f g h i j."), (7.0, "k l m n o.")])
    segments = sentence_segments(transcript, media_duration=10.0, budget=5.0)
    # Sentence 2 ends at 4.0 + 1.45 + 0.15 margin = 5.6; from 0.85 that is 4.75 s < 5 s.
    assert segments[-1].end == pytest.approx(5.6)
    assert total(segments) < 5.0


def test_long_first_sentence_is_cut_at_a_comma_or_word() -> None:
    words = "we need, a library that is open every day of the week for everyone."
    transcript = transcript_of([(0.5, words)], word_s=0.5)
    segments = sentence_segments(transcript, media_duration=10.0, budget=3.0)
    assert 0 < total(segments) < 3.0
    # Cut after a word, never inside one: the end is in the gap after some word.
    ends = [w.end for w in transcript.words]
    assert any(0 <= segments[-1].end - end <= 0.15 + 1e-6 for end in ends)


def test_drops_long_internal_pauses_when_asked() -> None:
    transcript = transcript_of([(1.0, "Hello there."), (5.0, "Vote today.")])
    whole = sentence_segments(transcript, 10.0, 60.0)
    split = sentence_segments(transcript, 10.0, 60.0, drop_pauses_over=1.0)
    assert len(whole) == 1 and len(split) == 2
    assert split[0].end < split[1].start and total(split) < total(whole) - 2.5


def test_no_speech_gives_nothing() -> None:
    assert sentence_segments(Transcript((), "en", 10.0), 10.0) == ()


def test_real_speech_over_a_minute_is_cut_at_a_sentence_end(media: MediaFactory) -> None:
    clip = long_speech_clip(media)
    transcript = get_transcriber().transcribe(clip.path)
    segments = sentence_segments(transcript, clip.duration, budget=30.0)
    assert 25.0 < total(segments) < 30.0
    assert segments[0].start == pytest.approx(clip.onsets[0] - 0.15, abs=0.3)
    # The cut falls in the silence after a sentence, before the next one starts.
    following = [onset for onset in clip.onsets if onset > segments[-1].end]
    ended = [offset for offset in clip.offsets if offset < segments[-1].end]
    assert following and ended
    assert segments[-1].end - ended[-1] < 0.5 and following[0] - segments[-1].end > 0.3
