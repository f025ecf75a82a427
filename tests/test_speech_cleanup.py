"""Mending Whisper's words and timing the captions from the speech, on constructed cases with
exact answers: lost words recovered, foreign-script words and short loops dropped, word starts
and ends moved to the voice, British spelling with names left alone, cue ends and reading time."""

from __future__ import annotations

import numpy as np
import pytest
from test_captions_layout import timed_words

from clipstudio.core.speech.audio import WHISPER_SAMPLE_RATE
from clipstudio.core.speech.cleanup import (
    in_language_script,
    recover_missing_words,
    refine_word_timings,
)
from clipstudio.core.speech.layout import (
    END_TAIL_S,
    LEAD_IN_S,
    build_captions,
    caption_problems,
    remove_repeated_phrases,
)
from clipstudio.core.speech.spelling import british_spelling, british_word, wants_british_spelling
from clipstudio.core.speech.types import LayoutRules, Word


def texts(words: list[Word]) -> list[str]:
    return [w.text.strip() for w in words]


# --- words lost to word timestamps ---------------------------------------------------------------


def test_a_run_of_words_missing_from_the_timestamps_comes_back_in_its_gap() -> None:
    text = " We will keep the library open for every family in this town."
    said = timed_words(text)
    # faster-whisper's word list lost six words in a row ("open ... this"); the gap they
    # were said in is still there between "library" and "town.".
    lost = {"open", "for", "every", "family", "in", "this"}
    kept = [w for w in said if w.text.strip() not in lost]
    mended = recover_missing_words(text, kept, said[0].start, said[-1].end)
    assert texts(mended) == text.split()
    gap_start = next(w for w in kept if w.text == " library").end
    gap_end = next(w for w in kept if w.text == " town.").start
    recovered = mended[5:11]
    assert recovered[0].start == pytest.approx(gap_start)
    assert recovered[-1].end == pytest.approx(gap_end, abs=1e-3)
    times = [t for w in mended for t in (w.start, w.end)]
    assert times == sorted(times)
    # Longer words get more of the gap; each is as sure as its neighbours.
    assert recovered[3].end - recovered[3].start > recovered[1].end - recovered[1].start
    assert all(w.probability == pytest.approx(0.95) for w in recovered)


def test_missing_words_with_no_gap_share_the_time_of_the_word_before() -> None:
    words = [Word(" Vote", 0.0, 0.4, 0.9), Word(" Thursday.", 0.4, 1.0, 0.9)]
    mended = recover_missing_words(" Vote on Thursday.", words, 0.0, 1.0)
    assert texts(mended) == ["Vote", "on", "Thursday."]
    assert mended[0].start == 0.0 and mended[1].end == pytest.approx(0.4)
    assert mended[1].end - mended[1].start > 0.05
    # Nothing missing: the words come back as they were (Whisper's own splits kept).
    split = [Word(" don", 0.0, 0.2, 0.9), Word("'t", 0.2, 0.3, 0.9), Word(" stop", 0.3, 0.6, 0.9)]
    assert recover_missing_words(" don't stop", split, 0.0, 0.6) == split


# --- text in a script the language does not use --------------------------------------------------


def test_words_in_another_script_are_dropped_for_the_language() -> None:
    words = [Word(" Thank", 0, 1, 0.9), Word(" you", 1, 2, 0.9), Word(" 谢谢", 2, 3, 0.5),
             Word(" café", 3, 4, 0.9), Word(" Москва", 4, 5, 0.5), Word(" 2024,", 5, 6, 0.9)]  # fmt: skip
    assert texts(in_language_script(words, "en")) == ["Thank", "you", "café", "2024,"]
    assert texts(in_language_script(words, "zh")) == ["Thank", "you", "谢谢", "café", "2024,"]
    assert texts(in_language_script(words, "ru")) == ["Thank", "you", "café", "Москва", "2024,"]
    assert in_language_script(words, "xx") == words  # a language we know nothing about


# --- loops of short phrases ----------------------------------------------------------------------


def test_loops_of_one_and_two_word_phrases_are_kept_once() -> None:
    loop = timed_words("it was " + "kind of " * 7 + "hard")
    assert texts(remove_repeated_phrases(loop)) == ["it", "was", "kind", "of", "hard"]
    assert texts(remove_repeated_phrases(timed_words("the " * 5 + "end"))) == ["the", "end"]
    # People repeat short words too: these are speech, not loops.
    for spoken in ("no, no, no, no.", "we will, we will, we will win", "very very good"):
        words = timed_words(spoken)
        assert remove_repeated_phrases(words) == words, spoken


# --- word starts and ends from the audio ---------------------------------------------------------


def voice(*spans: tuple[float, float], seconds: float = 4.0) -> np.ndarray:
    """Quiet noise with a loud tone where someone speaks."""
    rng = np.random.default_rng(1)
    audio = rng.normal(0, 0.001, int(seconds * WHISPER_SAMPLE_RATE)).astype(np.float32)
    t = np.arange(len(audio)) / WHISPER_SAMPLE_RATE
    for start, end in spans:
        inside = (t >= start) & (t < end)
        audio[inside] += 0.3 * np.sin(2 * np.pi * 220 * t[inside]).astype(np.float32)
    return audio


def test_word_ends_move_to_where_the_voice_stops() -> None:
    audio = voice((0.5, 1.2), (2.0, 2.6))
    # Whisper ran the first word 0.4 s into the silence and stopped the second 0.2 s early.
    words = [Word(" Vote", 0.5, 1.6, 0.9), Word(" now.", 2.0, 2.4, 0.9)]
    first, second = refine_word_timings(words, audio)
    assert first.end == pytest.approx(1.2, abs=0.02)
    assert second.end == pytest.approx(2.6, abs=0.02)


def test_a_late_or_empty_start_goes_back_to_the_voice_but_not_into_music() -> None:
    audio = voice((0.5, 1.0), (1.6, 2.2))
    # "Now" sounds from 1.6 s; Whisper put it at 2.1 s with no duration at all.
    words = [Word(" Yes.", 0.5, 1.0, 0.9), Word(" Now", 2.1, 2.1, 0.9), Word(" go", 2.1, 2.2, 0.9)]
    refined = refine_word_timings(words, audio)
    assert refined[1].start == pytest.approx(1.6, abs=0.02)
    # A tone running for seconds before a word (music) is no late start: the start stays.
    music = voice((0.0, 3.0))
    (word,) = refine_word_timings([Word(" Vote", 2.5, 2.9, 0.9)], music)
    assert word.start == 2.5


def test_an_early_start_in_silence_still_moves_forward() -> None:
    audio = voice((1.0, 1.6))
    (word,) = refine_word_timings([Word(" Vote", 0.6, 1.6, 0.9)], audio)
    assert word.start == pytest.approx(1.0, abs=0.02)


# --- cue timing ----------------------------------------------------------------------------------


def test_a_caption_ends_with_its_voice_plus_a_short_tail_when_reading_allows() -> None:
    words = timed_words("Vote on Thursday.", seconds_per_char=0.1)  # slow: reads in time
    (caption,) = build_captions(words)
    assert caption.end == pytest.approx(words[-1].end + END_TAIL_S)
    assert caption.start == words[0].start


def test_reading_time_comes_from_the_pause_after_then_a_little_before() -> None:
    rules = LayoutRules()
    fast = timed_words("Please vote on Thursday and bring a friend.", seconds_per_char=0.02)
    # A long pause after: the caption stays into it for its reading time, not a moment longer.
    (caption,) = build_captions(fast, rules)
    chars = len(" ".join(caption.lines))
    assert caption.end == pytest.approx(
        caption.start + chars / rules.max_chars_per_second, abs=1e-3
    )
    # The next caption right after its speech: up on screen a little before its voice instead.
    after = timed_words("Doors open at nine.", start=fast[-1].end + 0.75)
    first, second = build_captions([*fast, *after], rules)
    assert first.end <= second.start
    assert first.start == pytest.approx(fast[0].start - LEAD_IN_S, abs=1e-3)
    assert first.end == pytest.approx(second.start) and first.end >= fast[-1].end


def test_a_caption_is_never_off_before_its_voice_stops() -> None:
    slow = timed_words("this is a very slow speaker", seconds_per_char=0.2)
    captions = build_captions(slow)
    assert captions[-1].end >= slow[-1].end
    assert caption_problems(captions) == []


# --- British spelling ----------------------------------------------------------------------------


def test_british_spelling_is_for_british_captions_only() -> None:
    assert wants_british_spelling("en_GB") and wants_british_spelling("en-gb")
    assert not wants_british_spelling("en") and not wants_british_spelling("en_US")
    assert not wants_british_spelling("fr_FR")


def test_whispers_american_spelling_becomes_british_but_names_stay() -> None:
    said = " Our neighbors organized a center for color. Color matters in Center Parcs, honor the favorites!"
    words = [Word(" " + t, i, i + 0.5, 0.9) for i, t in enumerate(said.split())]
    spelt = " ".join(texts(british_spelling(words)))
    assert spelt == (
        "Our neighbours organised a centre for colour. Colour matters in Center Parcs,"
        " honour the favourites!"
    )


@pytest.mark.parametrize(
    ("american", "british"),
    [("neighbors", "neighbours"), ("COLOR", "COLOUR"), ("Traveled", "Travelled"),
     ("analyze", "analyse"), ("defense", "defence"), ("gray", "grey"), ("program", "program"),
     ("license", "license"), ("practice", "practice"), ("filter", "filter"), ("vote", "vote")],
)  # fmt: skip
def test_the_mapping_word_by_word(american: str, british: str) -> None:
    assert british_word(american) == british


def test_contractions_and_punctuation_survive_respelling() -> None:
    words = [Word(" Neighbors'", 0, 1, 0.9), Word(" won't", 1, 2, 0.9), Word(" colors,", 2, 3, 0.9)]
    assert texts(british_spelling(words)) == ["Neighbours'", "won't", "colours,"]
