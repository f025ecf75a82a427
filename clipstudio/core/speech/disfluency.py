"""Mistakes in the speech, found in the transcript: retakes (a sentence started again) and
fillers ("um", "er", "erm", "uh"). Each comes back as a span of source time to cut, at word
boundaries (core/edit/cuts.py turns spans into takes).

Whisper leaves fillers out of its text. With a hint that is full of them (VERBATIM_HINT) it
writes them, and writes false starts it would otherwise tidy away, but its times for a filler
are off by up to half a second (measured on espeak-ng speech): `place_fillers` moves each one
onto the burst of voice it really is, found in the audio's own energy.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from clipstudio.core.speech.audio import ENERGY_FRAME_S, frame_energy_db
from clipstudio.core.speech.layout import CLAUSE_END, SENTENCE_END, ends_with
from clipstudio.core.speech.types import Caption, CaptionWord, Word
from clipstudio.core.vocabulary import Cleanup

# Put before every 30 s window Whisper reads (faster-whisper's `hotwords`, openai-whisper's
# carried initial prompt): context that is full of fillers makes it write the ones it hears.
# Measured with tiny.en on espeak-ng speech: 6 of 6 fillers written (0 of 6 without), and
# "We want to, we want to keep it" kept where the plain pass wrote "We want to keep it".
VERBATIM_HINT = "Um, er, so, uh, erm, I mean, um."
# The fillers the issue names and the spellings Whisper gives them.
FILLERS = frozenset({"um", "umm", "uhm", "er", "err", "erm", "uh", "uhh"})
# Sounds that are not words and not the fillers to cut: Whisper writes runs of them ("hm, hm,
# hm, hm" over a breath in the Harvard sentences, one run in some runs of tiny.en), and a run
# repeats itself, so it must never read as a sentence started again.
HESITATIONS = frozenset({"hm", "hmm", "mm", "mmm", "mhm", "ah", "ahh", "oh"})
# A filler is one short burst of voice: longer than this, it is a word Whisper misheard.
MAX_FILLER_S = 1.0
# Voice bursts in the energy: frames this far from the noise floor towards the speech level
# count as voiced (the onset refinement's share), joined over gaps shorter than 60 ms (the
# stop of a consonant), and at least 30 ms long.
VOICED_SHARE = 0.3
VOICE_JOIN_S = 0.06
MIN_VOICE_S = 0.03
# A retake repeats at least this many words of the attempt (one repeated word is a stammer
# or emphasis: "very, very"), and the attempt is at most this long.
MIN_RETAKE_WORDS = 2
MAX_RETAKE_WORDS = 15
# One misheard word may differ inside an attempt this long (tiny.en wrote "The council does
# not / The council has not listened"); never its first or last word, so two sentences that
# start alike ("We will fight for the library. We will fight for the buses.") stay apart.
RETAKE_SUBSTITUTION_MIN_WORDS = 4
# A pause this long between words begins a phrase (a restart follows one, or a comma).
PHRASE_PAUSE_S = 0.15
# A restart comes soon after the attempt; after a longer pause it is a new thought.
RETAKE_MAX_PAUSE_S = 3.0
# A word start moves back to its burst of voice by at most this much.
MAX_SHIFT_S = 0.6
# A cut keeps this much of the pause next to the word that follows it, so its onset is whole.
CUT_LEAD_S = 0.05

_NOT_LETTERS = re.compile(r"[^\w']+")


class TimedWord(Protocol):
    """A transcript Word or a caption's CaptionWord: text with when it is said."""

    @property
    def text(self) -> str: ...
    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...


@dataclass(frozen=True)
class Disfluency:
    """A span of source time to cut, what was found there and the words it holds."""

    kind: Cleanup
    start: float
    end: float
    text: str

    @property
    def duration(self) -> float:
        return self.end - self.start


def normalised(text: str) -> str:
    """A word as compared: lower case, no punctuation ("Library," is "library")."""
    return _NOT_LETTERS.sub("", text.lower()).strip("'")


def is_filler(text: str) -> bool:
    return normalised(text) in FILLERS


def find_disfluencies(
    words: Sequence[TimedWord], kinds: Iterable[Cleanup]
) -> tuple[Disfluency, ...]:
    """Every span of `kinds` in `words` (source time, in order, not overlapping)."""
    kinds = set(kinds)
    found: list[Disfluency] = []
    if Cleanup.RETAKES in kinds:
        found += find_retakes(words)
    if Cleanup.FILLERS in kinds:
        found += find_fillers(words)
    return merge_spans(found)


def find_fillers(words: Sequence[TimedWord]) -> list[Disfluency]:
    return [
        Disfluency(Cleanup.FILLERS, *cut_span(words, index, index), words[index].text.strip())
        for index, word in enumerate(words)
        if is_filler(word.text)
    ]


def find_retakes(words: Sequence[TimedWord]) -> list[Disfluency]:
    """Attempts the speaker started again: words that the words right after them repeat and
    then carry on past in the same sentence (the last complete try is kept). Fillers are
    skipped in the comparison ("We want to, um, we want to keep it")."""
    spoken = [
        i for i, w in enumerate(words)
        if not is_filler(w.text) and normalised(w.text) not in HESITATIONS | {""}
    ]  # fmt: skip
    tokens = [normalised(words[i].text) for i in spoken]
    ends = [ends_with(words[i].text, SENTENCE_END) for i in spoken]
    starts = [_starts_phrase(words, i) for i in spoken]
    found: list[Disfluency] = []
    for b in range(len(tokens) - 1, 0, -1):
        pause = words[spoken[b]].start - words[spoken[b - 1]].end
        if not starts[b] or pause > RETAKE_MAX_PAUSE_S:
            continue
        size = _attempt_size(tokens, ends, starts, b)
        if size:
            first, last = spoken[b - size], spoken[b] - 1
            text = " ".join(words[i].text.strip() for i in range(first, last + 1))
            found.append(Disfluency(Cleanup.RETAKES, *cut_span(words, first, last), text))
    return sorted(found, key=lambda d: d.start)


def _starts_phrase(words: Sequence[TimedWord], index: int) -> bool:
    """A restart, and the attempt before it, begin a phrase: after a pause or punctuation."""
    if index == 0:
        return True
    previous = words[index - 1]
    paused = words[index].start - previous.end >= PHRASE_PAUSE_S
    return paused or ends_with(previous.text, SENTENCE_END + CLAUSE_END) or is_filler(previous.text)


def _attempt_size(
    tokens: Sequence[str], ends: Sequence[bool], starts: Sequence[bool], b: int
) -> int:
    """How many words before position `b` the words from `b` say again (0: none). The longest
    such attempt wins; the repeat must carry on past it without ending its sentence there
    ("We can do it. We can do it." is said twice on purpose)."""
    for size in range(min(MAX_RETAKE_WORDS, b), MIN_RETAKE_WORDS - 1, -1):
        if not starts[b - size] or b + size >= len(tokens) or ends[b + size - 1]:
            continue
        if _repeats(tokens[b - size : b], tokens[b : b + size]):
            return size
    return 0


def _repeats(attempt: Sequence[str], again: Sequence[str]) -> bool:
    """`again` says `attempt` over: word for word, the attempt's last word perhaps cut off
    ("Mon" of "Mondays"), one misheard word allowed inside a long attempt."""
    if attempt[0] != again[0]:
        return False
    last, last_again = attempt[-1], again[-1]
    if last != last_again and not (len(last) >= 2 and last_again.startswith(last)):
        return False
    different = sum(a != b for a, b in zip(attempt[1:-1], again[1:-1], strict=True))
    allowed = 1 if len(attempt) >= RETAKE_SUBSTITUTION_MIN_WORDS else 0
    return different <= allowed


def cut_span(words: Sequence[TimedWord], first: int, last: int) -> tuple[float, float]:
    """The source time to cut so that words[first..last] go and the rest joins naturally: of
    the pauses before and after the run, the longer one is kept (it is the sentence's own
    pause), with CUT_LEAD_S of it left before the next word so no onset is clipped."""
    run_start, run_end = words[first].start, words[last].end
    before = words[first - 1].end if first > 0 else None
    after = words[last + 1].start if last + 1 < len(words) else None
    pause_before = run_start - before if before is not None else float("inf")
    pause_after = after - run_end if after is not None else float("inf")
    if after is not None and pause_before >= pause_after:
        # Keep the pause before the run: cut from the run's start up to the next word.
        lead = min(CUT_LEAD_S, max(0.0, pause_before) / 2, run_start)
        tail = min(CUT_LEAD_S, max(0.0, pause_after) / 2)
        return round(run_start - lead, 3), round(after - tail, 3)
    if before is not None:
        # Keep the pause after the run: cut from the word before it up to the run's end.
        lead = min(CUT_LEAD_S, max(0.0, pause_before) / 2)
        tail = min(CUT_LEAD_S, max(0.0, pause_after) / 2)
        return round(before + lead, 3), round(run_end + tail, 3)
    # The run is all there is: cut it with a little air on each side.
    return round(max(0.0, run_start - CUT_LEAD_S), 3), round(run_end + CUT_LEAD_S, 3)


def merge_spans(spans: Iterable[Disfluency]) -> tuple[Disfluency, ...]:
    """Spans in order, overlapping or touching ones merged (a filler inside a retake)."""
    merged: list[Disfluency] = []
    for span in sorted(spans, key=lambda d: d.start):
        if merged and span.start <= merged[-1].end:
            head = merged[-1]
            kind = head.kind if head.duration >= span.duration else span.kind
            merged[-1] = Disfluency(kind, head.start, max(head.end, span.end),
                                    f"{head.text} {span.text}")  # fmt: skip
        else:
            merged.append(span)
    return tuple(merged)


def voiced_spans(audio: np.ndarray, rate: int) -> list[tuple[float, float]]:
    """Bursts of voice in `audio` (seconds), from its energy against its own noise floor."""
    levels = frame_energy_db(audio, rate)
    if len(levels) == 0:
        return []
    floor, speech = float(np.percentile(levels, 10)), float(np.percentile(levels, 90))
    voiced = levels > floor + VOICED_SHARE * (speech - floor)
    spans: list[tuple[float, float]] = []
    edges = np.flatnonzero(np.diff(np.concatenate(([0], voiced.astype(np.int8), [0]))))
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        s, e = start * ENERGY_FRAME_S, end * ENERGY_FRAME_S
        if spans and s - spans[-1][1] < VOICE_JOIN_S:
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return [(round(float(s), 3), round(float(e), 3)) for s, e in spans if e - s >= MIN_VOICE_S]


def place_fillers(words: Sequence[Word], audio: np.ndarray, rate: int) -> tuple[Word, ...]:
    """Each filler moved onto its burst of voice: the burst wholly between the words around it
    (from the start of the one before to the end of the one after) that holds neither of their
    middles, nearest to where Whisper put the filler. The neighbours give up any time Whisper
    gave them over the burst. A filler with no such burst is dropped: the hint makes Whisper
    write runs of "um, uh, um" over the silence after speech (measured: 3 of 28 real
    recordings), and nobody said them."""
    if not any(is_filler(w.text) for w in words):
        return tuple(words)
    bursts = voiced_spans(audio, rate)
    placed: list[Word | None] = list(words)
    for index, word in enumerate(words):
        if not is_filler(word.text):
            continue
        before = next((i for i in range(index - 1, -1, -1) if not is_filler(words[i].text)), None)
        after = next((i for i in range(index + 1, len(words)) if not is_filler(words[i].text)),
                     None)  # fmt: skip
        burst = _filler_burst(bursts, word, words, before, after)
        if burst is None:
            placed[index] = None
            continue
        s, e = burst
        placed[index] = Word(word.text, s, e, word.probability)
        if before is not None and (w := placed[before]) is not None and w.end > s:
            placed[before] = Word(w.text, w.start, max(w.start, s), w.probability)
        if after is not None and (w := placed[after]) is not None and w.start < e:
            placed[after] = Word(w.text, min(e, w.end), w.end, w.probability)
    return tuple(w for w in placed if w is not None)


def _filler_burst(
    bursts: Sequence[tuple[float, float]],
    filler: Word,
    words: Sequence[Word],
    before: int | None,
    after: int | None,
) -> tuple[float, float] | None:
    low = words[before].start if before is not None else 0.0
    high = words[after].end if after is not None else float("inf")
    middles = [(words[i].start + words[i].end) / 2 for i in (before, after) if i is not None]
    centre = (filler.start + filler.end) / 2
    candidates = [
        (s, e)
        for s, e in bursts
        if low <= s and e <= high and e - s <= MAX_FILLER_S
        and not any(s <= m <= e for m in middles)
    ]  # fmt: skip
    if not candidates:
        return None
    return min(candidates, key=lambda b: abs((b[0] + b[1]) / 2 - centre))


def fit_to_voice(words: Sequence[Word], audio: np.ndarray, rate: int) -> tuple[Word, ...]:
    """Word times held to the voice in the audio, so that a cut between words falls in the
    silence between them. Whisper runs a word over the pause after it and starts the next one
    late (measured: "on." 4.86-6.22 s and "Our" from 6.22 s where the pause is 5.21-5.71 s):
    a word whose span holds a silence (the next word after it) or ends inside one ends where
    the silence starts; a word that starts inside a burst of voice the previous word does not reach starts
    with the burst."""
    bursts = voiced_spans(audio, rate)
    silences = [
        (a[1], b[0]) for a, b in zip(bursts, bursts[1:], strict=False) if b[0] - a[1] >= PHRASE_PAUSE_S
    ]  # fmt: skip
    fitted = list(words)
    for index, word in enumerate(fitted):
        following = fitted[index + 1].start if index + 1 < len(fitted) else float("inf")
        for low, high in silences:
            holds_silence = high <= min(word.end, following)
            ends_in_silence = low < word.end < high
            if word.start < low and (holds_silence or ends_in_silence):
                fitted[index] = word = Word(word.text, word.start, low, word.probability)
                break
    for index, word in enumerate(fitted):
        previous_end = fitted[index - 1].end if index else 0.0
        burst = next(((s, e) for s, e in bursts if s < word.start < e), None)
        if burst is not None and previous_end <= burst[0] and word.start - burst[0] <= MAX_SHIFT_S:
            fitted[index] = Word(word.text, burst[0], word.end, word.probability)
    return tuple(fitted)


def timed_by_verbatim(captions: Sequence[Caption], verbatim: Sequence[Word]) -> tuple[Caption, ...]:
    """The captions' words timed by a verbatim pass over the same speech where both passes
    wrote the same word (difflib over the words as compared, fillers left out), so the
    mistakes found in the verbatim words are cut without the captions' own words: Whisper's
    plain pass stretches a word over a filler or a false start beside it, and cutting the
    verbatim spans took "Please", "the" and "you" from the kept tries of the espeak clips.
    A word the verbatim pass did not write keeps its time, held between its neighbours; the
    text and each caption's time on screen stay."""
    flat = (
        [w for c in captions for w in c.words] if all(c.has_word_timings for c in captions) else []
    )
    heard = [w for w in verbatim if not is_filler(w.text) and normalised(w.text)]
    if not flat or not heard:
        return tuple(captions)
    said = [normalised(w.text) for w in flat]
    wrote = [normalised(w.text) for w in heard]
    matcher = difflib.SequenceMatcher(None, said, wrote, autojunk=False)
    pairs = [(m.a + k, m.b + k) for m in matcher.get_matching_blocks() for k in range(m.size)]
    _match_last_tries(pairs, wrote)
    times: list[tuple[float, float] | None] = [None] * len(flat)
    for a, b in pairs:
        times[a] = (heard[b].start, heard[b].end)
    timed: list[tuple[float, float]] = []
    for index, word in enumerate(flat):
        known = times[index]
        if known is None:
            low = timed[-1][1] if timed else 0.0
            high = next((t[0] for t in times[index + 1 :] if t is not None), float("inf"))
            known = (word.start, word.end)
            if low <= high:
                start = min(max(word.start, low), high)
                known = (start, max(min(word.end, high), start))
        timed.append(known)
    out, at = [], 0
    for caption in captions:
        words = tuple(
            CaptionWord(w.text, round(s, 3), round(e, 3))
            for w, (s, e) in zip(caption.words, timed[at : at + len(caption.words)], strict=True)
        )
        at += len(caption.words)
        out.append(replace(caption, words=words))
    return tuple(out)


def _match_last_tries(pairs: list[tuple[int, int]], wrote: Sequence[str]) -> None:
    """Where the verbatim pass wrote words the plain one left out (a try of a retake it
    tidied away) and the words before repeat them, the plain words are matched to the later
    of the equal runs: the tries said last are the ones the plain pass kept (difflib matches
    whichever side of the clip is longer). `pairs` (caption word, verbatim word) in order."""
    for gap in range(len(pairs) - 1):
        (a, b), (next_a, next_b) = pairs[gap], pairs[gap + 1]
        if next_a != a + 1 or next_b == b + 1:
            continue
        target = next_b - 1
        index = gap
        while index >= 0 and wrote[pairs[index][1]] == wrote[target] and target > pairs[index][1]:
            contiguous = index == 0 or pairs[index - 1] == (
                pairs[index][0] - 1,
                pairs[index][1] - 1,
            )
            pairs[index] = (pairs[index][0], target)
            target -= 1
            if not contiguous:
                break
            index -= 1
