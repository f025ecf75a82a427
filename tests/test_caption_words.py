"""Word timings on captions: made from the transcript, kept through edits, moved onto the
output timeline with their caption and cut with it (exact timings, no Whisper)."""

from __future__ import annotations

import pytest
from test_captions_layout import SPEECH, timed_words

from clipstudio.core.edit.plan import Take, captions_on_timeline
from clipstudio.core.edit.project import caption_from_dict, caption_to_dict
from clipstudio.core.speech.layout import build_captions, reflow_captions, retext_caption
from clipstudio.core.speech.types import Caption, CaptionWord, LayoutRules, Word


def words(caption: Caption) -> list[tuple[str, float, float]]:
    return [(w.text, w.start, w.end) for w in caption.words]


def test_every_caption_carries_its_words_timed_from_the_transcript() -> None:
    spoken = timed_words(SPEECH)
    captions = build_captions(spoken)
    by_text = iter(spoken)
    for caption in captions:
        assert caption.has_word_timings, caption
        for word in caption.words:
            source = next(by_text)
            assert word.text == source.text.strip()
            assert (word.start, word.end) == (source.start, source.end)
            assert caption.start <= word.start < word.end <= caption.end + 1e-9


def test_a_word_whisper_split_in_two_is_one_shown_word_spanning_both() -> None:
    spoken = [Word(" We", 0.0, 0.2, 0.9), Word(" don", 0.25, 0.4, 0.9), Word("'t", 0.4, 0.5, 0.9),
              Word(" stop.", 0.55, 0.9, 0.9)]  # fmt: skip
    (caption,) = build_captions(spoken)
    assert caption.lines == ("We don't stop.",)
    assert words(caption) == [("We", 0.0, 0.2), ("don't", 0.25, 0.5), ("stop.", 0.55, 0.9)]


def test_a_long_line_never_breaks_inside_a_split_word() -> None:
    rules = LayoutRules(max_chars_per_line=12)
    spoken = [Word(" Really", 0.0, 0.3, 0.9), Word(" can", 0.3, 0.5, 0.9), Word("'t", 0.5, 0.6, 0.9),
              Word(" stop", 0.6, 0.9, 0.9), Word(" now.", 0.9, 1.2, 0.9)]  # fmt: skip
    (caption,) = build_captions(spoken, rules)
    assert all(line.split()[-1] != "can" for line in caption.lines), caption.lines
    assert caption.has_word_timings


def test_words_move_onto_the_timeline_and_a_cut_takes_its_words_with_it() -> None:
    caption = Caption(10.0, 13.0, ("Vote on Thursday,", "bring a friend."), (
        CaptionWord("Vote", 10.0, 10.3), CaptionWord("on", 10.35, 10.5),
        CaptionWord("Thursday,", 10.55, 11.1), CaptionWord("bring", 11.6, 11.9),
        CaptionWord("a", 11.95, 12.0), CaptionWord("friend.", 12.05, 12.6),
    ))  # fmt: skip
    # Two takes: 9-11.3 s and 11.9-14 s of the source; "bring" (11.6-11.9) is cut away.
    takes = [Take("a.mp4", 9.0, 11.3, (caption,)), Take("a.mp4", 11.9, 14.0, (caption,))]
    first, second = captions_on_timeline(takes)
    assert first.lines == ("Vote on Thursday,",)
    assert words(first) == [("Vote", 1.0, 1.3), ("on", 1.35, 1.5), ("Thursday,", 1.55, 2.1)]
    assert second.lines == ("a friend.",)
    assert second.start == pytest.approx(2.3)  # 11.9 s of the source lands at 2.3 s
    assert words(second) == [("a", 2.35, 2.4), ("friend.", 2.45, 3.0)]
    assert all(c.has_word_timings for c in (first, second))


def test_a_caption_part_with_no_word_left_is_dropped() -> None:
    caption = Caption(1.0, 3.0, ("Hello there",), (CaptionWord("Hello", 1.0, 1.4),
                                                   CaptionWord("there", 1.5, 1.9)))  # fmt: skip
    # The take starts after both words: only the silence of the caption's reading time is left.
    assert captions_on_timeline([Take("a.mp4", 2.0, 5.0, (caption,))]) == []
    # A caption from a file has no words: it is kept as before, held to the take.
    plain = Caption(1.0, 3.0, ("Hello there",))
    (kept,) = captions_on_timeline([Take("a.mp4", 2.0, 5.0, (plain,))])
    assert (kept.start, kept.end, kept.lines, kept.words) == (0.0, 1.0, plain.lines, ())


def test_reflow_splits_a_long_caption_at_its_words_own_times() -> None:
    spoken = timed_words("Vote on Thursday and bring a friend with you, every single one of"
                         " them, to the polling station at the school on Elm Street.")  # fmt: skip
    long = Caption(spoken[0].start, spoken[-1].end, (" ".join(w.text.strip() for w in spoken),),
                   tuple(CaptionWord(w.text.strip(), w.start, w.end) for w in spoken))  # fmt: skip
    parts = reflow_captions([long])
    assert len(parts) == 2 and all(p.has_word_timings for p in parts)
    assert parts[1].start == parts[1].words[0].start  # the cut falls where its first word starts
    assert [w for p in parts for w in p.words] == list(long.words)


def test_editing_text_keeps_the_timings_of_the_words_left_alone() -> None:
    caption = Caption(0.0, 2.0, ("Our neighbors voted",), (
        CaptionWord("Our", 0.0, 0.3), CaptionWord("neighbors", 0.35, 0.9),
        CaptionWord("voted", 1.0, 1.5)))  # fmt: skip
    # One word changed: it keeps the time of the word it replaces.
    changed = retext_caption(caption, "Our neighbours voted")
    assert words(changed) == [("Our", 0.0, 0.3), ("neighbours", 0.35, 0.9), ("voted", 1.0, 1.5)]
    # A word added in a real pause gets the pause; in a tiny gap it shares the word before.
    added = retext_caption(caption, "Our neighbours all voted")
    assert [w.text for w in added.words] == ["Our", "neighbours", "all", "voted"]
    assert added.words[2].start >= 0.35 and added.words[2].end <= 1.0
    assert added.words[3].start == 1.0
    squeezed = retext_caption(caption, "Our dear neighbors voted")
    assert [w.text for w in squeezed.words] == ["Our", "dear", "neighbors", "voted"]
    assert squeezed.words[0].start == 0.0 and squeezed.words[1].end == 0.35
    assert words(squeezed)[2] == ("neighbors", 0.35, 0.9)
    assert squeezed.has_word_timings
    # A word removed takes its time with it; line breaks the user typed are kept.
    removed = retext_caption(caption, "Our\nvoted")
    assert removed.lines == ("Our", "voted") and words(removed) == [("Our", 0.0, 0.3),
                                                                  ("voted", 1.0, 1.5)]  # fmt: skip
    # Words of one edit stay in time order and inside the caption.
    for edited in (changed, added, squeezed, removed):
        times = [t for w in edited.words for t in (w.start, w.end)]
        assert times == sorted(times) and times[0] >= 0.0 and times[-1] <= 2.0


def test_a_caption_without_timings_gets_none_from_an_edit() -> None:
    assert retext_caption(Caption(0.0, 1.0, ("Hi",)), "Hello").words == ()


def test_word_timings_survive_the_autosave() -> None:
    caption = build_captions(timed_words("Vote on Thursday."))[0]
    assert caption_from_dict(caption_to_dict(caption)) == caption
    old = {"start": 0.0, "end": 1.0, "lines": ["Hi"]}  # written before word timings
    assert caption_from_dict(old) == Caption(0.0, 1.0, ("Hi",))


def test_moving_splitting_and_merging_keep_the_words_with_their_text() -> None:
    from clipstudio.core.speech.layout import merged_captions, retimed_caption, split_caption

    caption = build_captions(timed_words("Vote on Thursday, bring a friend."))[0]
    moved = retimed_caption(caption, caption.start + 1.0, caption.end + 1.0)
    assert [w.start for w in moved.words] == pytest.approx([w.start + 1.0 for w in caption.words])
    shorter = retimed_caption(caption, caption.start, caption.start + 1.0)
    assert all(w.end <= shorter.end for w in shorter.words) and shorter.has_word_timings
    at = caption.words[3].start  # "bring"
    parts = split_caption(caption, at)
    assert parts is not None
    first, second = parts
    assert first.tokens == ["Vote", "on", "Thursday,"] and second.tokens[0] == "bring"
    assert first.has_word_timings and second.has_word_timings and first.end == second.start
    assert merged_captions(first, second).words == caption.words
    # Without timings, the split shares words by time, and nothing is invented.
    plain = split_caption(Caption(0.0, 4.0, ("one two three four",)), 1.0)
    assert plain is not None and plain[0].tokens == ["one"] and plain[0].words == ()
    assert split_caption(Caption(0.0, 1.0, ("alone",)), 0.5) is None
