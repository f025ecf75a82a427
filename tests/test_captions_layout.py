"""Caption layout rules on word timings we control exactly (no Whisper: fast and exact)."""

from __future__ import annotations

import re

import pytest

from clipstudio.core.speech.layout import (
    break_lines,
    build_captions,
    caption_problems,
    reflow_captions,
    remove_repeated_phrases,
    speech_words,
)
from clipstudio.core.speech.types import Caption, LayoutRules, Word

RULES = LayoutRules()

SPEECH = (
    "Good morning everyone, thank you for coming out today. We are fighting to keep the library"
    " open for every family in this town, and we will not stop until the council listens."
    " Please vote on Thursday and bring a friend with you. Together we can make a real"
    " difference for the people who live here, in every street and on every estate."
)


def timed_words(text: str, start: float = 1.0, seconds_per_char: float = 0.075) -> list[Word]:
    """Words spoken back to back at about 15 characters a second, spaces included (brisk)."""
    words = []
    t = start
    for token in text.split():
        duration = max(0.12, len(token) * seconds_per_char)
        words.append(Word(" " + token, round(t, 3), round(t + duration, 3), 0.95))
        t += duration + 0.02
    return words


def pieces(text: str) -> list[str]:
    """Words as Whisper writes them: each with its leading space."""
    return [" " + token for token in text.split()]


def caption_words(captions: list[Caption]) -> list[str]:
    return " ".join(" ".join(c.lines) for c in captions).split()


def test_long_monologue_obeys_every_rule_and_keeps_every_word() -> None:
    words = timed_words(SPEECH)
    captions = build_captions(words)
    assert len(captions) >= 6
    assert caption_problems(captions) == []
    # No word lost, none split: the captions read back as the speech, word for word.
    assert caption_words(captions) == SPEECH.split()


def test_captions_end_at_sentence_or_clause_ends_where_possible() -> None:
    captions = build_captions(timed_words(SPEECH))
    endings = [c.lines[-1][-1] for c in captions[:-1]]
    assert sum(e in ".,!?" for e in endings) >= len(endings) - 1, [c.lines for c in captions]


def test_lines_are_balanced_and_break_after_punctuation() -> None:
    lines = break_lines(
        pieces("We are fighting to keep the library open, for every family here."), RULES
    )
    assert lines == ("We are fighting to keep the library open,", "for every family here.")
    lines = break_lines(
        pieces("Please vote on Thursday and bring a friend with you to the hall"), RULES
    )
    assert lines is not None and len(lines) == 2
    assert abs(len(lines[0]) - len(lines[1])) <= 14, lines
    assert not lines[0].lower().endswith((" the", " a", " to", " and")), lines


def test_short_text_stays_on_one_line() -> None:
    assert break_lines([" Vote", " on", " Thursday."], RULES) == ("Vote on Thursday.",)


def test_pause_longer_than_rule_ends_a_caption() -> None:
    words = timed_words("Vote on Thursday") + timed_words("bring a friend", start=3.0)
    captions = build_captions(words)
    assert [c.lines for c in captions] == [("Vote on Thursday",), ("bring a friend",)]
    assert captions[0].end <= captions[1].start


def test_short_caption_is_held_for_reading_but_not_over_the_next() -> None:
    # "Yes." is spoken in 0.3 s, then a pause (> 0.7 s) before the next words.
    yes = Word(" Yes.", 1.0, 1.3, 0.9)
    captions = build_captions([yes, *timed_words("We can win this.", start=2.5)])
    assert captions[0].lines == ("Yes.",)
    assert captions[0].end == pytest.approx(2.0)  # held for min_duration into the silence
    assert caption_problems(captions) == []
    # When the next caption comes sooner, it is held only up to it: never an overlap.
    quick_yes = Word(" Yes.", 1.0, 1.2, 0.9)
    captions = build_captions([quick_yes, *timed_words("We can win this.", start=1.95)])
    assert captions[0].end == pytest.approx(1.95)
    assert captions[0].end <= captions[1].start


def test_no_caption_is_longer_than_max_duration_even_for_slow_speech() -> None:
    words = timed_words("this is a very slow speaker who never stops talking", seconds_per_char=0.3)
    captions = build_captions(words)
    assert all(c.end - c.start <= RULES.max_duration + 1e-6 for c in captions)
    assert caption_problems(captions) == []


def test_repeated_phrase_hallucination_is_kept_once() -> None:
    loop = " ".join(["thank you for watching"] * 5)
    words = timed_words("Vote on Thursday. " + loop)
    kept = [w.text.strip() for w in remove_repeated_phrases(words)]
    assert kept == [p.strip() for p in pieces("Vote on Thursday. thank you for watching")]
    # A speech's triple is ordinary speech and stays.
    triple = timed_words("we will we will we will not stop")
    assert len(remove_repeated_phrases(triple)) == len(triple)


def test_guesses_over_music_and_annotations_get_no_caption() -> None:
    music = [Word(" la", 0.2 + i * 0.5, 0.5 + i * 0.5, 0.12) for i in range(4)]
    notes = [Word(" [Music]", 3.0, 3.5, 0.9), Word(" ♪", 3.6, 3.8, 0.8)]
    speech = timed_words("Vote on Thursday.", start=5.0)
    captions = build_captions([*music, *notes, *speech])
    assert [c.lines for c in captions] == [("Vote on Thursday.",)]
    assert captions[0].start == pytest.approx(5.0)
    assert speech_words(music) == []


def test_reflow_after_edit_keeps_timings_and_rules() -> None:
    edited = [
        Caption(1.0, 3.0, ("Vote on Thursday and bring a friend with you, every single one of",)),
        Caption(3.0, 9.0, ("them " * 30,)),
    ]
    reflowed = reflow_captions(edited)
    assert reflowed[0].lines == (
        "Vote on Thursday and bring a friend",
        "with you, every single one of",
    )
    assert reflowed[0].start == 1.0 and reflowed[0].end == 3.0
    later = reflowed[1:]
    assert len(later) >= 2  # 150 characters cannot fit one caption
    assert later[0].start == 3.0 and later[-1].end == 9.0
    assert all(a.end == pytest.approx(b.start) for a, b in zip(later, later[1:], strict=False))
    for caption in reflowed:
        assert len(caption.lines) <= 2 and all(len(line) <= 42 for line in caption.lines)
    assert caption_words(later) == ["them"] * 30


def test_caption_problems_finds_each_broken_rule() -> None:
    bad = [
        Caption(0.0, 0.5, ("short",)),
        Caption(0.4, 7.0, ("x" * 43, "two", "three")),
        Caption(7.0, 8.0, ("far too many characters for one second",)),
    ]
    text = "\n".join(caption_problems(bad))
    for pattern in (
        "at least 1.0",
        "at most 6.0",
        "overlaps",
        "3 lines",
        "43 characters",
        "a second",
    ):
        assert re.search(re.escape(pattern), text), (pattern, text)
