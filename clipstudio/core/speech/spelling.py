"""British spelling for captions in British English: Whisper writes American ("neighbors").

The mapping is breame's (PyPI, Apache-2.0: about 1,700 American words with their British
spelling, plain data, no network). It is applied to what Whisper wrote, never to the user's own
text, and leaves names alone: a capitalised word inside a sentence ("Center Parcs", "Lincoln
Memorial") is a name. Words whose British spelling depends on the meaning, or whose mapped form
is archaic in today's British usage, are left as Whisper wrote them (see KEEP).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from clipstudio.core.speech.types import Word

# Countries whose captions get British spelling (Facebook's language_COUNTRY codes).
BRITISH_SPELLING_COUNTRIES = frozenset({"GB"})
# Left alone. By meaning: "license"/"practice" are British verbs and nouns both ("licence" and
# "practise" only one of them), a gas "meter", a computer "program" or "disk", a "draft" of a
# letter, a "check" mark, to "tire". Archaic or rare in British use today: "philtre" for filter,
# "connexion", "mediaeval", "instal". (uwotm8, which converts text files with breame, keeps a
# list of the same kind.)
# fmt: off
KEEP = frozenset({
    "license", "licenses", "licensed", "licensing", "practice", "practices",
    "meter", "meters", "program", "programs", "programmed", "programming", "disk", "disks",
    "draft", "drafts", "drafted", "drafting", "check", "checks", "checked", "checking",
    "tire", "tires", "tired", "filter", "filters", "connection", "connections", "medieval",
    "install", "installs", "installment", "installments", "curb", "curbs",
})
# fmt: on
SENTENCE_END = (".", "?", "!", "…")
_LETTERS = re.compile(r"[A-Za-z]+")


def wants_british_spelling(language: str) -> bool:
    """Whether captions in `language` ("en_GB", "en-GB", "en") are spelt the British way."""
    parts = language.replace("-", "_").split("_")
    return (
        parts[0].lower() == "en"
        and len(parts) > 1
        and parts[1].upper() in BRITISH_SPELLING_COUNTRIES
    )


def british_word(text: str) -> str:
    """One word's British spelling, its capitals kept ("Color" -> "Colour", "COLOR" ->
    "COLOUR"); unknown words, and the KEEP list, unchanged."""
    from breame.spelling import american_spelling_exists, get_british_spelling

    lower = text.lower()
    if lower in KEEP or not american_spelling_exists(lower):
        return text
    british = get_british_spelling(lower)
    if text.isupper() and len(text) > 1:
        return british.upper()
    if text[:1].isupper():
        return british[:1].upper() + british[1:]
    return british


def _respelt(text: str) -> str:
    """Each run of letters of a Whisper word respelt, except after an apostrophe (won't)."""

    def one(match: re.Match[str]) -> str:
        if match.start() > 0 and text[match.start() - 1] in "'’":
            return match.group(0)
        return british_word(match.group(0))

    return _LETTERS.sub(one, text)


def british_spelling(words: Sequence[Word]) -> list[Word]:
    """Whisper's words with British spelling; a capitalised word inside a sentence is a name
    and is kept as it is."""
    spelt: list[Word] = []
    sentence_start = True
    for word in words:
        text = word.text.strip()
        is_name = not sentence_start and text[:1].isupper()
        if not is_name:
            respelt = _respelt(word.text)
            if respelt != word.text:
                word = replace(word, text=respelt)
        spelt.append(word)
        if text:
            sentence_start = text.rstrip("\"'”’)»").endswith(SENTENCE_END)
    return spelt
