"""EditPlan: the user's decisions as data. Render turns a plan into a file; nothing here runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from clipstudio.core.branding.kit import Branding
from clipstudio.core.export.presets import DEFAULT_PRESET, MAX_DURATION_S
from clipstudio.core.speech.types import Caption, CaptionStyle

CaptionMode = Literal["burn", "srt", "both", "none"]
PortraitFix = Literal["blur", "crop"]


@dataclass(frozen=True)
class Segment:
    """A kept range of the source, in source seconds."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Fixes:
    """Optional repairs applied on export (each answers one footage check)."""

    portrait: PortraitFix = "blur"  # how a portrait picture fills a landscape frame
    brighten: bool = False  # lighting.too_dark / lighting.backlit
    stabilise: bool = False  # stability.shaky (vid.stab, two passes)
    denoise_audio: bool = False  # audio.noisy / audio.wind
    deflicker: bool = False  # lighting.flicker


@dataclass(frozen=True)
class EditPlan:
    source: str
    preset: str = DEFAULT_PRESET
    # Kept ranges in source time, in order, not overlapping. Empty means "decide for me": the
    # renderer trims silence and cuts to the limit (sentence-aware when captions are given).
    segments: tuple[Segment, ...] = ()
    max_duration: float = MAX_DURATION_S
    fixes: Fixes = field(default_factory=Fixes)
    caption_mode: CaptionMode = "none"
    # Captions in SOURCE time; the renderer maps them onto the edited timeline.
    captions: tuple[Caption, ...] = ()
    caption_style: CaptionStyle = field(default_factory=CaptionStyle)
    caption_language: str = "en_GB"  # Facebook sidecar: NAME.language_COUNTRY.srt
    # Logo, lower third and end card; None: a plain export. The end card comes after the kept
    # segments, so kept_duration + end_card_duration must stay under max_duration.
    branding: Branding | None = None

    @property
    def kept_duration(self) -> float:
        return sum(segment.duration for segment in self.segments)

    @property
    def end_card_duration(self) -> float:
        return self.branding.end_card_duration if self.branding is not None else 0.0

    @property
    def total_duration(self) -> float:
        """Length of the exported clip: the kept segments, then the end card."""
        return self.kept_duration + self.end_card_duration


def source_to_output_time(segments: tuple[Segment, ...], t: float) -> float | None:
    """Where source time `t` lands on the edited timeline, or None if it was cut."""
    offset = 0.0
    for segment in segments:
        if segment.start <= t <= segment.end:
            return offset + (t - segment.start)
        offset += segment.duration
    return None


def captions_on_timeline(
    captions: tuple[Caption, ...] | list[Caption], segments: tuple[Segment, ...]
) -> list[Caption]:
    """Captions moved onto the edited timeline; a caption that spans a cut is split at it,
    a caption wholly inside a cut is dropped, so no caption ever spans a cut."""
    placed: list[Caption] = []
    offset = 0.0
    for segment in segments:
        for caption in captions:
            start = max(caption.start, segment.start)
            end = min(caption.end, segment.end)
            if end - start > 0.05:  # a sliver shorter than ~2 frames is not readable
                placed.append(
                    Caption(
                        start=round(offset + start - segment.start, 3),
                        end=round(offset + end - segment.start, 3),
                        lines=caption.lines,
                    )
                )
        offset += segment.duration
    placed.sort(key=lambda c: c.start)
    return placed
