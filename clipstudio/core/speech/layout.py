"""Caption layout: timed words in, readable captions out (BBC/Netflix subtitle guidelines).

A caption never spans a pause in speech longer than `pause_split`; inside a run of speech the
captions are chosen together (dynamic programming) so they end at sentence or clause ends where
they can, fit `max_lines` lines of `max_chars_per_line`, and stay on screen long enough to read.
Lines break between words only, preferring punctuation and balanced lengths.
"""

from __future__ import annotations

import difflib
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

from clipstudio.core.speech.types import Caption, CaptionWord, LayoutRules, Word

SENTENCE_END = (".", "?", "!", "…", "。", "？", "！")
CLAUSE_END = (",", ";", ":", "—", "–", "-", "，", "、")
# Words that belong with the word after them: a line or caption should not end on one.
# fmt: off
BINDING_WORDS = frozenset({
    "a", "an", "the", "to", "of", "and", "or", "but", "nor", "in", "on", "at", "for", "with", "by",
    "from", "as", "into", "onto", "than", "that", "this", "these", "those", "my", "our", "your",
    "their", "his", "her", "its", "is", "are", "was", "were", "be", "i", "we", "you", "they",
    "he", "she", "it", "not", "no",
})
# fmt: on
DEFAULT_RULES = LayoutRules()
# Whisper's hallucination loop: the same phrase repeated in a row is kept once when it comes
# this many times. Short phrases need more, because speakers repeat them too: "no, no, no, no"
# and a speech's "we will, we will, we will" are speech; "kind of" seven times in a row (a
# non-native speaker with tiny.en) is a loop.
REPEAT_MIN_TIMES = 3
REPEAT_MIN_TIMES_SHORT = {1: 5, 2: 4}  # phrase length in words -> repeats that make a loop
# A pause-separated run of words whose mean probability is below this is not speech (Whisper
# guessing over music or noise). Real espeak and phone speech measured 0.6-1.0 with tiny.en.
NON_SPEECH_MEAN_PROBABILITY = 0.4
# Symbols Whisper writes over music; they are not words to caption.
MUSIC_SYMBOLS = "♪♫♬♩"
# Cost weights of the caption search (relative; only their order matters much).
COST_PER_CAPTION = 1.0
COST_END_AT_CLAUSE = 0.4
COST_END_MID_PHRASE = 1.2
COST_END_ON_BINDING_WORD = 0.6
COST_SENTENCE_INSIDE = 0.3
COST_TOO_SHORT_PER_S = 6.0
COST_TOO_FAST = 2.0
COST_UNFITTABLE = 1000.0
# Line break costs.
COST_LINE_AFTER_PUNCTUATION = -0.3
COST_LINE_ON_BINDING_WORD = 0.5
COST_TOP_HEAVY = 0.1  # a slightly longer bottom line reads better (Netflix's "pyramid")
# A caption stays this long after its voice stops (Netflix: timed to the audio within three
# frames), longer only when its text needs the reading time.
END_TAIL_S = 0.1
# A caption whose reading time does not fit before the next one may come up this much before
# its speech (inside the 0.3 s the onsets are held to) when the silence before allows.
LEAD_IN_S = 0.2
# Captions are timed to the millisecond in every subtitle format we write.
TIME_DECIMALS = 3
# A word too wide for a line is cut into pieces this share of the line's width at most.
CUT_WORD_WIDTH_SHARE = 0.9


# --- cleaning: what is not speech never gets a caption -----------------------------------------


def _norm(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def remove_annotations(words: Sequence[Word]) -> list[Word]:
    """Drop music symbols and bracketed notes such as "[Music]" or "(applause)"."""
    kept: list[Word] = []
    depth = 0
    for word in words:
        text = word.text
        for symbol in MUSIC_SYMBOLS:
            text = text.replace(symbol, "")
        stripped = text.strip()
        opens = stripped.count("[") + stripped.count("(")
        closes = stripped.count("]") + stripped.count(")")
        inside = depth > 0 or (opens > 0 and stripped[:1] in "[(")
        depth = max(0, depth + opens - closes)
        if inside or not stripped or not any(ch.isalnum() for ch in stripped):
            # Punctuation-only tokens are glued to the previous word instead of dropped.
            if not inside and stripped and kept:
                last = kept[-1]
                kept[-1] = replace(last, text=last.text + stripped, end=max(last.end, word.end))
            continue
        kept.append(replace(word, text=text) if text != word.text else word)
    return kept


def _repeats_to_drop(size: int) -> int:
    return REPEAT_MIN_TIMES_SHORT.get(size, REPEAT_MIN_TIMES)


def remove_repeated_phrases(words: Sequence[Word]) -> list[Word]:
    """Keep one copy of a phrase Whisper repeats in a loop (see REPEAT_MIN_TIMES)."""
    tokens = [_norm(w.text) for w in words]
    kept: list[Word] = []
    i = 0
    while i < len(words):
        skipped = False
        longest = (len(words) - i) // REPEAT_MIN_TIMES
        for size in range(1, longest + 1):
            phrase = tokens[i : i + size]
            if not all(phrase):
                continue
            repeats = 1
            while tokens[i + repeats * size : i + (repeats + 1) * size] == phrase:
                repeats += 1
            if repeats >= _repeats_to_drop(size):
                kept.extend(words[i : i + size])
                i += repeats * size
                skipped = True
                break
        if not skipped:
            kept.append(words[i])
            i += 1
    return kept


def split_at_pauses(words: Sequence[Word], pause: float) -> list[list[Word]]:
    """Runs of words with no pause longer than `pause` inside."""
    runs: list[list[Word]] = []
    for word in words:
        if runs and word.start - runs[-1][-1].end <= pause:
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def speech_words(words: Sequence[Word], rules: LayoutRules = DEFAULT_RULES) -> list[Word]:
    """The words worth captioning: no annotations, no hallucinated loops, no runs of guesses."""
    ordered = sorted((w for w in words if w.end >= w.start), key=lambda w: w.start)
    cleaned = remove_repeated_phrases(remove_annotations(ordered))
    kept: list[Word] = []
    for run in split_at_pauses(cleaned, rules.pause_split):
        mean = sum(w.probability for w in run) / len(run)
        if mean >= NON_SPEECH_MEAN_PROBABILITY:
            kept.extend(run)
    return kept


# --- line breaking -----------------------------------------------------------------------------


def _join(pieces: Sequence[str]) -> str:
    """Words as Whisper wrote them (each with its own leading space, or none in CJK)."""
    return "".join(pieces).strip()


def _display_len(text: str) -> int:
    """Characters as a reader counts them (combining marks do not add width)."""
    return sum(1 for ch in unicodedata.normalize("NFC", text) if not unicodedata.combining(ch))


def ends_with(piece: str, endings: tuple[str, ...]) -> bool:
    return piece.rstrip().rstrip("\"'”’)»").endswith(endings)


def _is_binding(piece: str) -> bool:
    return _norm(piece) in BINDING_WORDS


def _inside_word(before: str, after: str) -> bool:
    """Whether a break between these pieces would cut a word ("don" + "'t", "1" + ",000")."""
    last, first = before[-1:], after[:1]
    return (
        bool(last)
        and last.isascii()
        and last.isalnum()
        and ((first.isascii() and first.isalnum()) or first in "'’,.")
    )


def line_fits(line: str, rules: LayoutRules) -> bool:
    """Within the line length, and (burned captions) within the picture's caption zone."""
    if _display_len(line) > rules.max_chars_per_line:
        return False
    if math.isinf(rules.max_line_width):
        return True
    from clipstudio.core.export.layout import caption_text_width

    return caption_text_width(line) <= rules.max_line_width


def break_lines(pieces: Sequence[str], rules: LayoutRules) -> tuple[str, ...] | None:
    """Best split of word `pieces` into at most `max_lines` lines, or None if they cannot fit.

    One line when it fits; otherwise balanced lines broken after punctuation, not after a word
    that binds to the next one."""
    limit = rules.max_chars_per_line
    whole = _join(pieces)
    if line_fits(whole, rules):
        return (whole,) if whole else ()
    count = len(pieces)
    best: tuple[float, tuple[str, ...]] | None = None

    def search(start: int, lines_left: int, chosen: list[str], cost: float) -> None:
        nonlocal best
        rest = _join(pieces[start:])
        if line_fits(rest, rules):
            lines = (*chosen, rest)
            lengths = [_display_len(line) for line in lines]
            spread = (max(lengths) - min(lengths)) / limit
            top_heavy = COST_TOP_HEAVY if len(lines) > 1 and lengths[0] > lengths[-1] else 0.0
            total = cost + spread + top_heavy
            if best is None or total < best[0]:
                best = (total, lines)
        if lines_left == 1:
            return
        for end in range(start + 1, count):
            line = _join(pieces[start:end])
            if not line_fits(line, rules):
                break
            if _inside_word(pieces[end - 1], pieces[end]):
                continue
            penalty = 0.0
            if ends_with(pieces[end - 1], SENTENCE_END + CLAUSE_END):
                penalty += COST_LINE_AFTER_PUNCTUATION
            if _is_binding(pieces[end - 1]):
                penalty += COST_LINE_ON_BINDING_WORD
            search(end, lines_left - 1, [*chosen, line], cost + penalty)

    search(0, rules.max_lines, [], 0.0)
    return best[1] if best else None


def _forced_lines(pieces: Sequence[str], rules: LayoutRules) -> tuple[str, ...]:
    """Lines for words that cannot fit (a single very long word): one word group per line."""
    lines: list[str] = []
    for piece in pieces:
        candidate = _join([lines[-1], " " + piece.strip()]) if lines else piece.strip()
        if lines and line_fits(candidate, rules):
            lines[-1] = candidate
        else:
            lines.append(piece.strip())
    return tuple(lines)


# --- captions from words -----------------------------------------------------------------------


def build_captions(words: Sequence[Word], rules: LayoutRules = DEFAULT_RULES) -> list[Caption]:
    """Captions for timed words (source time), obeying `rules` wherever the speech allows."""
    kept = speech_words(words, rules)
    runs = split_at_pauses(kept, rules.pause_split)
    groups: list[list[Word]] = []
    for index, run in enumerate(runs):
        available_end = runs[index + 1][0].start if index + 1 < len(runs) else math.inf
        groups.extend(_split_run(run, available_end, rules))
    captions: list[Caption] = []
    for group in groups:
        pieces = [w.text for w in group]
        lines = break_lines(pieces, rules) or _forced_lines(pieces, rules)
        captions.append(Caption(group[0].start, group[-1].end, lines, words_of(lines, group)))
    return _time_captions(captions, rules)


def words_of(lines: Sequence[str], timed: Sequence[Word]) -> tuple[CaptionWord, ...]:
    """The shown words of `lines` timed from the transcript words they were made of: a shown
    word spans every transcript word that lent it a character (Whisper splits "don't" in two).
    Empty when the text is not made of exactly those words."""
    owners = [i for i, word in enumerate(timed) for ch in word.text if not ch.isspace()]
    words: list[CaptionWord] = []
    at = 0
    for token in " ".join(lines).split():
        if at + len(token) > len(owners):
            return ()
        first, last = owners[at], owners[at + len(token) - 1]
        start, end = timed[first].start, timed[last].end
        words.append(CaptionWord(token, round(start, TIME_DECIMALS), round(end, TIME_DECIMALS)))
        at += len(token)
    if at != len(owners) or "".join(w.text for w in words) != "".join(
        ch for word in timed for ch in word.text if not ch.isspace()
    ):
        return ()
    return tuple(words)


def _split_run(run: list[Word], available_end: float, rules: LayoutRules) -> list[list[Word]]:
    """Cut a pause-free run of words into captions at the cheapest places (dynamic programming)."""
    count = len(run)
    best_cost = [math.inf] * (count + 1)
    best_from = [0] * (count + 1)
    best_cost[0] = 0.0
    for end in range(1, count + 1):
        for start in range(end - 1, -1, -1):
            if best_cost[start] == math.inf:
                continue
            cost = _caption_cost(run, start, end, available_end, rules)
            if cost is None:
                break  # longer captions from earlier starts do not fit either
            total = best_cost[start] + cost
            if total < best_cost[end]:
                best_cost[end] = total
                best_from[end] = start
    groups: list[list[Word]] = []
    end = count
    while end > 0:
        start = best_from[end]
        groups.append(run[start:end])
        end = start
    groups.reverse()
    return groups


def _caption_cost(
    run: list[Word], start: int, end: int, available_end: float, rules: LayoutRules
) -> float | None:
    """Cost of one caption holding run[start:end]; None when it breaks a hard rule."""
    words = run[start:end]
    pieces = [w.text for w in words]
    single = end - start == 1
    fits = break_lines(pieces, rules) is not None
    spoken = words[-1].end - words[0].start
    if not single and (not fits or spoken > rules.max_duration):
        return None
    cost = COST_PER_CAPTION if fits and spoken <= rules.max_duration else COST_UNFITTABLE
    last = pieces[-1]
    if end < len(run):
        if ends_with(last, SENTENCE_END):
            pass
        elif ends_with(last, CLAUSE_END):
            cost += COST_END_AT_CLAUSE
        else:
            cost += COST_END_MID_PHRASE
            if _is_binding(last):
                cost += COST_END_ON_BINDING_WORD
    cost += COST_SENTENCE_INSIDE * sum(ends_with(p, SENTENCE_END) for p in pieces[:-1])
    next_start = run[end].start if end < len(run) else available_end
    room = min(next_start, words[0].start + rules.max_duration) - words[0].start
    if room < rules.min_duration:
        cost += COST_TOO_SHORT_PER_S * (rules.min_duration - room)
    chars = _display_len(_join(pieces))
    if room > 0 and chars / room > rules.max_chars_per_second:
        cost += COST_TOO_FAST * (chars / room / rules.max_chars_per_second - 1)
    return cost


def _time_captions(captions: list[Caption], rules: LayoutRules) -> list[Caption]:
    """Time each caption from its speech: on until the voice stops (its last word's end, set
    from the audio) and a short tail, longer only as reading needs (into the silence after, up
    to the next caption), and when the silence after is too short, up on screen a little before
    the speech (into the silence before). Never longer than max_duration, never overlapping."""
    timed: list[Caption] = []
    for index, caption in enumerate(captions):
        next_start = captions[index + 1].start if index + 1 < len(captions) else math.inf
        previous_end = timed[-1].end if timed else 0.0
        chars = _display_len(caption.text.replace("\n", " "))
        needed = max(rules.min_duration, chars / rules.max_chars_per_second)
        speech_end = caption.end
        end = max(speech_end + END_TAIL_S, caption.start + needed)
        end = min(end, caption.start + rules.max_duration, next_start)
        end = max(end, min(speech_end, next_start))  # never off before the voice stops
        start = caption.start
        short = needed - (end - start)
        if short > 0:
            start = max(start - min(short, LEAD_IN_S), previous_end)
        timed.append(
            replace(caption, start=round(start, TIME_DECIMALS), end=round(end, TIME_DECIMALS))
        )
    return timed


# --- after the user edits text -----------------------------------------------------------------


def reflow_captions(
    captions: Sequence[Caption], rules: LayoutRules = DEFAULT_RULES
) -> list[Caption]:
    """Re-break edited captions into lines that obey `rules`, keeping their timings. A caption
    whose text no longer fits is split into consecutive captions: at its words' own times when
    it has word timings, else sharing its time by length."""
    result: list[Caption] = []
    for caption in captions:
        tokens = _fitting_tokens(caption.tokens, rules)
        if not tokens:
            continue
        timed = caption.words if caption.has_word_timings and tokens == caption.tokens else ()
        pieces = [" " + t for t in tokens]
        lines = break_lines(pieces, rules)
        if lines is not None:
            result.append(Caption(caption.start, caption.end, lines, timed))
            continue
        chunks = _split_text(pieces, rules)
        result.extend(_split_caption(caption, chunks, timed, rules))
    return result


def _fitting_tokens(tokens: Sequence[str], rules: LayoutRules) -> list[str]:
    """Words wider than a line (a long link, 3000 letters without a space) cut into pieces
    that fit, so no caption is ever drawn past the edges of the picture."""
    fitted: list[str] = []
    # Cut pieces keep a margin: a line of the widest letters measured to the last pixel in
    # Pillow came out a few pixels wider in libass, past the caption zone (export validation).
    cut_rules = replace(rules, max_line_width=rules.max_line_width * CUT_WORD_WIDTH_SHARE)
    for token in tokens:
        rest = token
        if line_fits(rest, rules):
            fitted.append(rest)
            continue
        while rest and not line_fits(rest, cut_rules):
            size = min(len(rest) - 1, rules.max_chars_per_line)
            while size > 1 and not line_fits(rest[:size], cut_rules):
                size -= 1
            fitted.append(rest[:size])
            rest = rest[size:]
        if rest:
            fitted.append(rest)
    return fitted


def _split_caption(
    caption: Caption, chunks: list[list[str]], timed: Sequence[CaptionWord], rules: LayoutRules
) -> list[Caption]:
    """`caption` cut into consecutive captions holding `chunks` of its words."""
    total = sum(_display_len(_join(chunk)) for chunk in chunks)
    parts: list[Caption] = []
    t = caption.start
    first_word = 0
    for index, chunk in enumerate(chunks):
        words = tuple(timed[first_word : first_word + len(chunk)])
        first_word += len(chunk)
        if index == len(chunks) - 1:
            end = caption.end
        elif timed:
            end = timed[first_word].start  # the next part starts with its first word
        else:
            end = t + _display_len(_join(chunk)) / total * (caption.end - caption.start)
        lines = break_lines(chunk, rules) or _forced_lines(chunk, rules)
        parts.append(Caption(round(t, TIME_DECIMALS), round(end, TIME_DECIMALS), lines, words))
        t = end
    return parts


# Inserted words need at least this long each to be seen highlighted; in a shorter gap they
# share the time of the word before them.
MIN_INSERTED_WORD_S = 0.08


def retext_caption(caption: Caption, text: str) -> Caption:
    """`caption` with the user's new `text` (lines split at newlines), its word timings carried
    over: an unchanged word keeps its time, a changed run of words shares the time of the run it
    replaces, inserted words share the gap they sit in (or the word before, when it is short)."""
    lines = tuple(line.strip() for line in text.split("\n") if line.strip())
    new = " ".join(lines).split()
    if not caption.has_word_timings or not new:
        return Caption(caption.start, caption.end, lines)
    old = caption.words
    matcher = difflib.SequenceMatcher(
        a=[_norm(w.text) for w in old], b=[_norm(t) for t in new], autojunk=False
    )
    # Blocks of (old words, new words) whose times are shared out together.
    blocks: list[tuple[list[int], list[int]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            blocks.extend(([i], [j]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True))
        elif tag != "delete":
            blocks.append((list(range(i1, i2)), list(range(j1, j2))))
    timed: list[CaptionWord] = []
    for index, (olds, news) in enumerate(blocks):
        if olds:
            start, end = old[olds[0]].start, old[olds[-1]].end
        else:  # inserted: the gap between the words around it
            start = timed[-1].end if timed else caption.start
            later = next((b[0][0] for b in blocks[index + 1 :] if b[0]), None)
            end = old[later].start if later is not None else caption.end
            if end - start < MIN_INSERTED_WORD_S * len(news) and timed:
                shared = timed.pop()
                start, news = shared.start, [news[0] - 1, *news]
        timed.extend(_share_time([new[j] for j in news], start, max(start, end)))
    return Caption(caption.start, caption.end, lines, tuple(timed))


def retimed_caption(caption: Caption, start: float, end: float) -> Caption:
    """`caption` on screen from `start` to `end`. Moved whole (same length), its words move with
    it; stretched or shortened, its words keep their times, held inside the new span."""
    if abs((end - start) - (caption.end - caption.start)) < 10**-TIME_DECIMALS:
        shift = start - caption.start
        words = tuple(
            CaptionWord(
                w.text, round(w.start + shift, TIME_DECIMALS), round(w.end + shift, TIME_DECIMALS)
            )
            for w in caption.words
        )
    else:
        words = tuple(
            CaptionWord(w.text, min(max(w.start, start), end), min(max(w.end, start), end))
            for w in caption.words
        )
    return Caption(start, end, caption.lines, words)


def split_caption(caption: Caption, at: float) -> tuple[Caption, Caption] | None:
    """`caption` cut in two at `at`: the words said before it in the first part (by their
    timings, or in proportion to the time without them). None when it has a single word."""
    tokens = caption.tokens
    if len(tokens) < 2:
        return None
    if caption.has_word_timings:
        cut = sum(1 for w in caption.words if (w.start + w.end) / 2 < at)
    else:
        cut = round(len(tokens) * (at - caption.start) / (caption.end - caption.start))
    cut = min(len(tokens) - 1, max(1, cut))
    words = caption.words if caption.has_word_timings else ()
    at = round(at, TIME_DECIMALS)
    return (
        Caption(caption.start, at, (" ".join(tokens[:cut]),), tuple(words[:cut])),
        Caption(at, caption.end, (" ".join(tokens[cut:]),), tuple(words[cut:])),
    )


def merged_captions(first: Caption, second: Caption) -> Caption:
    """Two consecutive captions as one (lines to re-break), their word timings kept."""
    timed = first.has_word_timings and second.has_word_timings
    words = (*first.words, *second.words) if timed else ()
    return Caption(first.start, second.end, (" ".join([*first.tokens, *second.tokens]),), words)


def _share_time(tokens: Sequence[str], start: float, end: float) -> list[CaptionWord]:
    """Consecutive words sharing start..end by their length."""
    total = sum(len(t) for t in tokens) or 1
    words: list[CaptionWord] = []
    t = start
    for token in tokens:
        following = t + (end - start) * len(token) / total
        words.append(CaptionWord(token, round(t, TIME_DECIMALS), round(following, TIME_DECIMALS)))
        t = following
    return words


def _split_text(pieces: list[str], rules: LayoutRules) -> list[list[str]]:
    """Fewest chunks of text that each fit a caption, cut at punctuation where possible."""
    fake = [Word(p, float(i), float(i), 1.0) for i, p in enumerate(pieces)]
    untimed = replace(rules, max_duration=math.inf, min_duration=0.0, max_chars_per_second=math.inf)
    return [[w.text for w in group] for group in _split_run(fake, math.inf, untimed)]


# --- checking ----------------------------------------------------------------------------------


def caption_problems(captions: Sequence[Caption], rules: LayoutRules = DEFAULT_RULES) -> list[str]:
    """Every way `captions` break `rules`, in words (the GUI shows them; tests assert none)."""
    problems: list[str] = []
    tolerance = 10**-TIME_DECIMALS
    for index, caption in enumerate(captions, start=1):
        where = f"caption {index} ({caption.start:.2f}-{caption.end:.2f} s)"
        duration = caption.end - caption.start
        if len(caption.lines) > rules.max_lines:
            problems.append(f"{where}: {len(caption.lines)} lines (at most {rules.max_lines})")
        for line in caption.lines:
            if _display_len(line) > rules.max_chars_per_line:
                problems.append(
                    f"{where}: line of {_display_len(line)} characters"
                    f" (at most {rules.max_chars_per_line})"
                )
            elif not line_fits(line, rules):
                problems.append(f"{where}: line wider than the picture's caption zone")
        if duration < rules.min_duration - tolerance:
            problems.append(f"{where}: on screen {duration:.2f} s (at least {rules.min_duration})")
        if duration > rules.max_duration + tolerance:
            problems.append(f"{where}: on screen {duration:.2f} s (at most {rules.max_duration})")
        chars = _display_len(" ".join(caption.lines))
        if duration > 0 and chars / duration > rules.max_chars_per_second + 0.05:
            problems.append(
                f"{where}: {chars / duration:.1f} characters a second"
                f" (at most {rules.max_chars_per_second:g})"
            )
        if index < len(captions) and captions[index].start < caption.end - tolerance:
            problems.append(f"{where}: overlaps the next caption")
    return problems
