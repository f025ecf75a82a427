"""Plain data shared by transcription, caption layout, rendering and the GUI."""

from __future__ import annotations

import math
from dataclasses import dataclass

from clipstudio.core.vocabulary import DEFAULT_CAPTION_LOOK, CaptionLook, CaptionPosition


@dataclass(frozen=True)
class Word:
    text: str  # as Whisper wrote it, including leading space and punctuation stripped of nothing
    start: float  # seconds, source time
    end: float
    probability: float


@dataclass(frozen=True)
class Transcript:
    words: tuple[Word, ...]
    language: str
    duration: float  # of the audio transcribed
    engine: str = ""
    model: str = ""

    @property
    def text(self) -> str:
        return "".join(w.text for w in self.words).strip()


@dataclass(frozen=True)
class CaptionWord:
    """One word of a caption as shown, with when it is spoken (the caption's own time base)."""

    text: str  # one whitespace-separated token of the caption's lines, punctuation included
    start: float
    end: float


@dataclass(frozen=True)
class Caption:
    start: float
    end: float
    lines: tuple[str, ...]  # already broken into display lines (at most LayoutRules.max_lines)
    # The words of `lines` in order with their timings (the word highlight and cutting by words
    # read them); empty when the timings are unknown (a caption file the user brought).
    words: tuple[CaptionWord, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def tokens(self) -> list[str]:
        """The caption's words as shown: what `words` must spell, one for one."""
        return " ".join(self.lines).split()

    @property
    def has_word_timings(self) -> bool:
        return bool(self.words) and [w.text for w in self.words] == self.tokens


@dataclass(frozen=True)
class LayoutRules:
    max_chars_per_line: int = 42  # BBC/Netflix subtitle guidelines
    max_lines: int = 2
    min_duration: float = 1.0
    max_duration: float = 6.0
    max_chars_per_second: float = 17.0  # Netflix adult reading speed
    pause_split: float = 0.7  # a caption ends when speech pauses longer than this
    # Widest line in units of the font size (export.layout.caption_text_width): the picture's
    # caption zone for burned captions; unlimited for a sidecar file the player draws.
    max_line_width: float = math.inf


# The caption size a user may choose, as a share of the shape's own size (export.layout): never
# smaller than the rule (it is the readable minimum), at most half as big again.
MIN_SIZE_SCALE, MAX_SIZE_SCALE = 1.0, 1.5


@dataclass(frozen=True)
class CaptionStyle:
    # Font size as a multiple of the shape's caption size (export.layout.SHAPE_LAYOUTS).
    size_scale: float = 1.0
    background: CaptionLook = DEFAULT_CAPTION_LOOK
    position: CaptionPosition = CaptionPosition.BOTTOM
