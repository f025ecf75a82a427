"""Plain data shared by transcription, caption layout, rendering and the GUI."""

from __future__ import annotations

from dataclasses import dataclass

from clipstudio.core.vocabulary import CaptionLook, CaptionPosition


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
class Caption:
    start: float
    end: float
    lines: tuple[str, ...]  # already broken into display lines (at most LayoutRules.max_lines)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class LayoutRules:
    max_chars_per_line: int = 42  # BBC/Netflix subtitle guidelines
    max_lines: int = 2
    min_duration: float = 1.0
    max_duration: float = 6.0
    max_chars_per_second: float = 17.0  # Netflix adult reading speed
    pause_split: float = 0.7  # a caption ends when speech pauses longer than this


@dataclass(frozen=True)
class CaptionStyle:
    # Font size as a fraction of the output height (about 1/18 for 16:9).
    size_fraction: float = 1 / 18
    background: CaptionLook = CaptionLook.BOX
    position: CaptionPosition = CaptionPosition.BOTTOM
