"""What Whisper gets wrong in its words, mended on the transcript before any caption is made.

- Words lost to word timestamps: faster-whisper with `word_timestamps=True` can drop a run of
  words from a segment's word list that the segment's own text still has (measured: seven words
  in a row). The segment text is the reference; missing words come back with timings shared
  out over the time they must have been said in.
- Text in a script the language does not use: a small model asked for English sometimes writes
  Chinese characters over noise or an accent. A word with a letter of another script goes.
- Word starts and ends from the audio: Whisper's timings around pauses are off by up to half a
  second either way; captions are timed from words, so they move to where the voice begins and
  stops.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence

import numpy as np

from clipstudio.core.speech.audio import ENERGY_FRAME_S, frame_energy_db
from clipstudio.core.speech.types import Word

# --- words lost to word timestamps ---------------------------------------------------------------

# A recovered word needs at least this long; in a shorter gap it shares its neighbours' time.
MIN_RECOVERED_WORD_S = 0.12


def _token(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def recover_missing_words(text: str, words: Sequence[Word], start: float, end: float) -> list[Word]:
    """`words` of one segment with any word of its `text` they lack put back in place. A run of
    missing words shares the time between the words around it (the segment's `start`/`end` at
    its edges); when that gap is too short for them, the words next to it share theirs."""
    spoken = text.split()
    if not spoken or not words:
        return list(words)
    # Each timed word may hold several text tokens ("don't" vs "don" + "'t"): compare the
    # letters of whole tokens.
    matcher = difflib.SequenceMatcher(
        a=[_token(t) for t in spoken], b=[_token(w.text) for w in words], autojunk=False
    )
    mended: list[Word] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "delete":
            mended.extend(words[j1:j2])  # timed words are kept as Whisper wrote them
            continue
        # Missing from the words: put text tokens i1:i2 back between what surrounds them.
        after = words[j1] if j1 < len(words) else None
        mended.extend(_timed_run(spoken[i1:i2], mended, after, start, end))
    return mended


def _timed_run(
    tokens: Sequence[str], before: list[Word], after: Word | None, start: float, end: float
) -> list[Word]:
    """Words for missing `tokens`, timed in the gap between `before[-1]` and `after`; the word
    before gives up its time when the gap is too short (it is popped and re-timed here)."""
    gap_start = before[-1].end if before else start
    gap_end = after.start if after is not None else end
    pieces = [" " + t for t in tokens]
    probability = _neighbour_probability(before[-1] if before else None, after)
    if gap_end - gap_start < MIN_RECOVERED_WORD_S * len(tokens) and before:
        shared = before.pop()
        gap_start = shared.start
        pieces = [shared.text, *pieces]
        probability = shared.probability
    gap_end = max(gap_end, gap_start)
    total = sum(len(p.strip()) for p in pieces) or 1
    timed: list[Word] = []
    t = gap_start
    for piece in pieces:
        following = t + (gap_end - gap_start) * len(piece.strip()) / total
        timed.append(Word(piece, round(t, 3), round(following, 3), probability))
        t = following
    return timed


def _neighbour_probability(before: Word | None, after: Word | None) -> float:
    """A recovered word is as sure as the words around it (Whisper heard it: it is in the text)."""
    known = [w.probability for w in (before, after) if w is not None]
    return sum(known) / len(known) if known else 1.0


# --- text in a script the language does not use ------------------------------------------------

# Languages written in the Latin alphabet (Whisper's codes).
LATIN_LANGUAGES = frozenset(
    [
        "af",
        "az",
        "br",
        "bs",
        "ca",
        "cs",
        "cy",
        "da",
        "de",
        "en",
        "es",
        "et",
        "eu",
        "fi",
        "fo",
        "fr",
        "ga",
        "gd",
        "gl",
        "haw",
        "hr",
        "ht",
        "hu",
        "id",
        "is",
        "it",
        "jw",
        "la",
        "lb",
        "ln",
        "lt",
        "lv",
        "mg",
        "mi",
        "ms",
        "mt",
        "nl",
        "nn",
        "no",
        "oc",
        "pl",
        "pt",
        "ro",
        "sk",
        "sl",
        "sn",
        "so",
        "sq",
        "sv",
        "sw",
        "tk",
        "tl",
        "tr",
        "uz",
        "vi",
        "wo",
        "yo",
    ]
)
# Other languages and their scripts (Unicode character names start with the script's name);
# Latin is allowed beside them for names and brands.
LANGUAGE_SCRIPTS: dict[str, frozenset[str]] = {
    **{code: frozenset({"CYRILLIC"}) for code in ("ru", "uk", "be", "bg", "mk", "sr", "kk")},
    "el": frozenset({"GREEK"}),
    "zh": frozenset({"CJK"}),
    "yue": frozenset({"CJK"}),
    "ja": frozenset({"CJK", "HIRAGANA", "KATAKANA"}),
    "ko": frozenset({"HANGUL", "CJK"}),
    **{code: frozenset({"ARABIC"}) for code in ("ar", "fa", "ur", "ps", "sd")},
    "he": frozenset({"HEBREW"}),
    "yi": frozenset({"HEBREW"}),
    **{code: frozenset({"DEVANAGARI"}) for code in ("hi", "mr", "ne", "sa")},
    "bn": frozenset({"BENGALI"}),
    "ta": frozenset({"TAMIL"}),
    "te": frozenset({"TELUGU"}),
    "th": frozenset({"THAI"}),
    "ka": frozenset({"GEORGIAN"}),
    "hy": frozenset({"ARMENIAN"}),
}


def language_scripts(code: str) -> frozenset[str] | None:
    """The scripts text in `code` is written in; None when we do not know (nothing is dropped)."""
    if code in LATIN_LANGUAGES:
        return frozenset({"LATIN"})
    scripts = LANGUAGE_SCRIPTS.get(code)
    return scripts | {"LATIN"} if scripts is not None else None


def _script(char: str) -> str:
    return unicodedata.name(char, "").split(" ")[0]


def in_language_script(words: Sequence[Word], code: str) -> list[Word]:
    """`words` without those that have a letter of a script the language does not use."""
    scripts = language_scripts(code)
    if scripts is None:
        return list(words)
    return [w for w in words if all(_script(ch) in scripts for ch in w.text if ch.isalpha())]


# --- word starts and ends from the audio ---------------------------------------------------------

# A word after (or before) at least this much silence has its start (or end) checked.
REFINE_AFTER_GAP_S = 0.1
# Refine only when speech stands this far (dB) above the noise floor; else the energy says little.
REFINE_MIN_CONTRAST_DB = 15.0
# Voice sounds where the level is above this share of the way from noise floor to speech (dB).
REFINE_THRESHOLD_SHARE = 0.3
# Quiet for this long means the voice has stopped (a plosive's closure is shorter).
QUIET_FOR_S = 0.08
# A start moves back, or an end forward, at most this far (Netflix: out-times within 12 frames
# of the audio; measured on real speech: starts up to 0.43 s late, zero-length words).
MAX_SHIFT_S = 0.5
# A refined word keeps at least this much duration.
MIN_WORD_S = 0.05


def refine_word_timings(words: Sequence[Word], audio: np.ndarray) -> list[Word]:
    """Word starts after a silence and ends before one, moved to where the voice really begins
    and stops. Whisper starts a word after a silence up to half a second early (measured: 0.39 s
    on espeak speech) or late (0.43 s on real speech, often giving it no duration), and runs a
    word's end into the silence after it or stops short of it: captions then come up before
    anyone speaks, linger, or go early. Unchanged when the audio shows no clear speech."""
    levels = frame_energy_db(audio)
    if not words or len(levels) == 0:
        return list(words)
    floor = float(np.percentile(levels, 10))
    speech = float(np.percentile(levels, 90))
    if speech - floor < REFINE_MIN_CONTRAST_DB:
        return list(words)
    loud = levels >= floor + REFINE_THRESHOLD_SHARE * (speech - floor)
    return _refine_ends(_refine_starts(words, loud), loud)


def _frame(t: float) -> int:
    return int(t / ENERGY_FRAME_S)


def _refine_starts(words: Sequence[Word], loud: np.ndarray) -> list[Word]:
    refined: list[Word] = []
    previous_end = 0.0
    for word in words:
        if not refined or word.start - previous_end > REFINE_AFTER_GAP_S:
            start = round(_onset(loud, word, previous_end), 3)
            if start != word.start:
                word = Word(word.text, start, max(word.end, start), word.probability)
        refined.append(word)
        previous_end = word.end
    return refined


def _onset(loud: np.ndarray, word: Word, previous_end: float) -> float:
    """Where the voice of `word` begins, never before `previous_end` nor MAX_SHIFT_S before
    Whisper's start. Voice sounding at Whisper's start, or ending just before it in a stretch
    no other word has (anywhere in the silence before a word Whisper gave no duration), is this
    word's when it begins after a silence: its start goes back there. (Sound that runs on past
    MAX_SHIFT_S is not a voice starting late: music, wind.) A start in silence with no voice
    just before it goes forward to the first voice inside the word."""
    first = _frame(word.start)
    if first >= len(loud):
        return word.start
    earliest = _frame(max(previous_end, word.start - MAX_SHIFT_S))
    # A word Whisper gave no duration may have been said anywhere in the silence before it.
    placed = word.end - word.start >= MIN_WORD_S
    near = max(earliest, first - round(REFINE_AFTER_GAP_S / ENERGY_FRAME_S)) if placed else earliest
    voiced = np.flatnonzero(loud[near : first + 1])
    if len(voiced):
        at = near + int(voiced[-1])
        bridge = max(1, round(QUIET_FOR_S / ENERGY_FRAME_S))
        # Look for the silence the voice starts after twice as far back as a start may move.
        reach = _frame(max(previous_end, word.start - 2 * MAX_SHIFT_S))
        while at > reach and loud[max(reach, at - bridge) : at].any():
            at -= 1
        if at <= reach and reach > _frame(previous_end):
            return word.start  # no silence before it within reach: not a late start
        while not loud[at]:  # a bridged dip is not where the voice begins
            at += 1
        return min(word.start, max(at, earliest) * ENERGY_FRAME_S)
    last = _frame(max(word.start, word.end - MIN_WORD_S))
    found = np.flatnonzero(loud[first : min(last, len(loud) - 1) + 1])
    return (first + int(found[0])) * ENERGY_FRAME_S if len(found) else word.start


def _refine_ends(words: Sequence[Word], loud: np.ndarray) -> list[Word]:
    quiet_frames = max(1, round(QUIET_FOR_S / ENERGY_FRAME_S))
    refined: list[Word] = []
    for index, word in enumerate(words):
        following = words[index + 1].start if index + 1 < len(words) else float("inf")
        if following - word.end >= REFINE_AFTER_GAP_S:
            end = _voice_end(loud, word, min(following, word.end + MAX_SHIFT_S), quiet_frames)
            if end is not None and round(end, 3) != word.end:
                word = Word(word.text, word.start, round(end, 3), word.probability)
        refined.append(word)
    return refined


def _voice_end(loud: np.ndarray, word: Word, limit: float, quiet_frames: int) -> float | None:
    """Where the voice of `word` stops: from Whisper's end, forward while the voice goes on
    (through dips shorter than QUIET_FOR_S) or back out of silence, within the word's start and
    `limit`. None when nothing in that span is loud."""
    first = _frame(word.start + MIN_WORD_S)
    last = min(len(loud), _frame(limit))
    if first >= last or not loud[first:last].any():
        return None
    window = loud[first:last]
    at = min(max(_frame(word.end), first), last - 1) - first
    if window[at]:
        while at + 1 < len(window) and window[at + 1 : at + 1 + quiet_frames].any():
            at += 1
    else:
        while at > 0 and not window[at]:
            at -= 1
    return max(word.start + MIN_WORD_S, (first + at + 1) * ENERGY_FRAME_S)
