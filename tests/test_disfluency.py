"""Retakes and fillers: found on espeak-ng speech that has them, none on real speech that has
none, and cut at word boundaries (the cut pieces become takes of one source)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from media import MediaFactory, run_ffmpeg
from media_disfluency import FILLER_PARTS, RETAKE_PARTS, mistakes_clip, score

from clipstudio.core.edit.cuts import cut_segments, cut_take, words_span
from clipstudio.core.edit.plan import Segment, Take
from clipstudio.core.speech.disfluency import (
    CUT_LEAD_S,
    cut_span,
    find_disfluencies,
    find_fillers,
    find_retakes,
    is_filler,
)
from clipstudio.core.speech.transcribe import get_transcriber
from clipstudio.core.speech.types import Transcript, Word
from clipstudio.core.vocabulary import Cleanup

REAL_SPEECH = Path(__file__).resolve().parent.parent.parent / "shared/media/real/speech"


@functools.cache
def _verbatim(path: Path) -> Transcript:
    return get_transcriber().transcribe(path, verbatim=True)


def _said(text: str, start: float = 1.0, pause: float = 0.05, word_s: float = 0.3) -> list[Word]:
    """Words of `text` one after another; a word ending in '|' is followed by a 0.6 s pause."""
    words, t = [], start
    for token in text.split():
        words.append(Word(f" {token.rstrip('|')}", round(t, 3), round(t + word_s, 3), 0.9))
        t += word_s + (0.6 if token.endswith("|") else pause)
    return words


def _texts(spans) -> list[str]:
    return [d.text for d in spans]


def test_a_sentence_started_again_is_a_retake_and_the_last_try_is_kept() -> None:
    words = _said("Our library is closing on.| Our library is closing on Mondays.")
    (retake,) = find_retakes(words)
    assert retake.text == "Our library is closing on."
    assert retake.start == pytest.approx(words[0].start - CUT_LEAD_S)
    assert retake.end == pytest.approx(words[5].start - CUT_LEAD_S)  # up to the last try


def test_a_run_of_hesitation_sounds_is_not_a_retake() -> None:
    """tiny.en sometimes writes "hm, hm, hm, hm," over a breath in real speech (the Harvard
    sentences): a run repeats itself, but nobody started a sentence again."""
    words = _said("hm,| hm, hm, hm, The birch canoe slid on the smooth planks.")
    assert find_retakes(words) == []
    # A real restart after one is still found, and the "hm" goes with the attempt it ends.
    real = _said("Our library is closing on.| hm, Our library is closing on Mondays.")
    assert _texts(find_retakes(real)) == ["Our library is closing on. hm,"]


def test_every_earlier_try_is_marked() -> None:
    words = _said("Please come to the,| please come to the,| please come to the meeting.")
    assert _texts(find_retakes(words)) == ["Please come to the,", "please come to the,"]


def test_sentences_that_start_alike_or_are_said_twice_on_purpose_stay() -> None:
    alike = _said("We will fight for the library.| We will fight for the buses and the parks.")
    twice = _said("We can do this.| We can do this.| Thank you.")
    stammer = _said("It is very,| very important to us.")
    assert find_retakes(alike) == [] and find_retakes(twice) == [] and find_retakes(stammer) == []


def test_a_cut_off_last_word_and_one_misheard_word_still_match() -> None:
    cut_off = _said(
        "Our library is closing on Mon| Our library is closing on Mondays and Tuesdays."
    )
    misheard = _said("The council does not.| The council has not listened to anyone.")
    assert _texts(find_retakes(cut_off)) == ["Our library is closing on Mon"]
    assert _texts(find_retakes(misheard)) == ["The council does not."]


def test_fillers_are_the_four_the_guide_names_in_whispers_spellings() -> None:
    assert all(is_filler(w) for w in (" Um,", " umm", " er.", " Erm,", " uh", " Uhh"))
    assert not any(is_filler(w) for w in (" under", " err-or", " um-brella", " ah"))
    words = _said("Come to the meeting,| um, on Thursday.")
    (filler,) = find_fillers(words)
    # The pause before is the longer: it stays, and the cut runs up to "on" (keeping half of
    # the short pause after, so its onset is whole).
    assert (filler.start, filler.end) == pytest.approx(
        (words[4].start - CUT_LEAD_S, words[5].start - 0.05 / 2)
    )


def test_a_cut_keeps_the_longer_pause_next_to_it() -> None:
    words = [Word(" end.", 0.0, 0.5, 1), Word(" um", 0.6, 0.8, 1), Word(" Next", 2.0, 2.3, 1)]
    # 0.1 s before the filler, 1.2 s after: the long pause is the sentence's, and it stays.
    assert cut_span(words, 1, 1) == pytest.approx((0.55, 0.85))


def test_cut_segments_leaves_no_sliver_between_cuts() -> None:
    kept = cut_segments([Segment(0.0, 10.0)], [(2.0, 3.0), (3.05, 4.0), (9.5, 12.0)])
    assert kept == (Segment(0.0, 2.0), Segment(4.0, 9.5))
    take = Take("a.mp4", 1.0, 6.0, ())
    assert [(t.start, t.end) for t in cut_take(take, [(2.0, 3.0)])] == [(1.0, 2.0), (3.0, 6.0)]
    assert words_span(_said("a b c"), 1, 1) == Segment(*cut_span(_said("a b c"), 1, 1))


@pytest.mark.parametrize(
    ("parts", "kind"), [(RETAKE_PARTS, Cleanup.RETAKES), (FILLER_PARTS, Cleanup.FILLERS)]
)
def test_found_on_generated_speech_that_has_them(
    media: MediaFactory, parts: tuple, kind: Cleanup
) -> None:
    """Measured against the voice of each spoken part: every mistake cut (80 % of its voice
    or more), no kept part cut into by more than 40 ms."""
    clip = mistakes_clip(media, parts)
    spans = find_disfluencies(_verbatim(clip.path).words, [kind])
    result = score(clip, parts, [(d.start, d.end) for d in spans])
    mistakes = sum(1 for part in parts if part[2])
    assert (result.found, result.missed, result.false_cuts) == (mistakes, 0, 0), str(result)


def test_nothing_is_cut_from_real_speech_without_mistakes(tmp_path: Path) -> None:
    """JFK and the ten Harvard sentences (two speakers) in one recording: no retake, no filler
    (the verbatim hint makes Whisper write "um, uh" over the silences after them: dropped)."""
    files = [REAL_SPEECH / "jfk.flac", *sorted((REAL_SPEECH / "harvard").glob("*.wav"))]
    if not all(path.is_file() for path in files):
        pytest.skip("no real speech in ../shared/media/real")
    joined = tmp_path / "real.wav"
    inputs = [arg for path in files for arg in ("-i", str(path))]
    graph = "".join(f"[{i}:a]aresample=16000,aformat=channel_layouts=mono[a{i}];"
                    for i in range(len(files)))  # fmt: skip
    graph += "".join(f"[a{i}]" for i in range(len(files))) + f"concat=n={len(files)}:v=0:a=1[a]"
    run_ffmpeg([*inputs, "-filter_complex", graph, "-map", "[a]", str(joined)])
    words = _verbatim(joined).words
    assert len(words) > 80
    assert find_disfluencies(words, list(Cleanup)) == ()
