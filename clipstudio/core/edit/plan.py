"""The edit plan: the user's decisions as data, the only thing that carries them.

A plan is a timeline: takes (a range of a source each) played in order, with what lies over them
(captions in each take's own source time, the branding and its end card). The command line
builds one from its arguments, the window's project turns into one (project.to_plan), and the
export renders one. Job settings that are not decisions (output path, overwrite, speech engine)
travel beside it in export.render.ExportJob. Nothing here runs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

from clipstudio.core.branding.kit import Branding
from clipstudio.core.edit.limits import MAX_DURATION_S
from clipstudio.core.errors import BadInputError
from clipstudio.core.speech.types import Caption, CaptionStyle, CaptionWord
from clipstudio.core.vocabulary import (
    DEFAULT_CAPTION_MODE,
    DEFAULT_SHAPE,
    FIXES_ON_BY_DEFAULT,
    CaptionMode,
    Cleanup,
    Fix,
    PortraitFill,
    Shape,
    Trim,
)

# A caption sliver shorter than about two frames is not readable.
MIN_CAPTION_S = 0.05
# Music sits this far (dB) under the speech's loudness where nobody speaks; under the speech it
# is ducked further (export/ffmpeg.py). Broadcast mixing keeps a music bed 15-20 dB under
# dialogue; -18 is audible in pauses without competing with the words.
DEFAULT_MUSIC_LEVEL_DB = -18.0
# --music-level is a level under the speech: above 0 the music would drown it; below -40 it is
# not heard at all on a phone speaker.
MIN_MUSIC_LEVEL_DB, MAX_MUSIC_LEVEL_DB = -40.0, 0.0
# The window's plain steps for the music's level (words, dB under the speech in the pauses):
# 6 dB apart, a step anyone hears, around the default.
MUSIC_LEVEL_STEPS: tuple[tuple[str, float], ...] = (
    ("Quiet", DEFAULT_MUSIC_LEVEL_DB - 6),
    ("Normal", DEFAULT_MUSIC_LEVEL_DB),
    ("Loud", DEFAULT_MUSIC_LEVEL_DB + 6),
)


@dataclass(frozen=True)
class Segment:
    """A range of one source, in source seconds."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Take:
    """A range of a source, played as one piece of the video.

    `end` None means "to the end of the source" (resolved against its probe). `captions` are in
    the source's own time; None means "transcribe the speech for me"."""

    source: str
    start: float = 0.0
    end: float | None = None
    captions: tuple[Caption, ...] | None = None

    @property
    def duration(self) -> float:
        if self.end is None:
            raise ValueError("the take's end is not resolved yet")
        return self.end - self.start

    @property
    def segment(self) -> Segment:
        return Segment(self.start, self.end if self.end is not None else float("inf"))


@dataclass(frozen=True)
class Cutaway:
    """A photo or a clip shown over the video from `start` to `end` (output seconds, before the
    end card). The speech carries on underneath; captions and the lower third stay on top."""

    source: str
    start: float
    end: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.start) and math.isfinite(self.end)):
            raise ValueError("a cutaway needs a start and an end")
        if self.start < 0 or self.end <= self.start:
            raise ValueError(f"a cutaway must end after it starts ({self.start:g}-{self.end:g})")

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Music:
    """A music bed under the whole video: looped or faded to its length, ducked under speech.
    `level_db` is its level in the pauses against the speech's loudness."""

    source: str
    level_db: float = DEFAULT_MUSIC_LEVEL_DB

    def __post_init__(self) -> None:
        if not MIN_MUSIC_LEVEL_DB <= self.level_db <= MAX_MUSIC_LEVEL_DB:
            raise ValueError(
                f"the music level must be {MIN_MUSIC_LEVEL_DB:g} to {MAX_MUSIC_LEVEL_DB:g} dB"
                f" under the speech, not {self.level_db:g}"
            )


@dataclass(frozen=True)
class Fixes:
    """The repairs switched on for the export (each answers one footage check)."""

    on: frozenset[Fix] = FIXES_ON_BY_DEFAULT
    portrait_fill: PortraitFill = PortraitFill.BLUR  # how the portrait fix fills the frame

    def __post_init__(self) -> None:
        not_switches = [fix for fix in self.on if not fix.is_switch]
        if not_switches:
            raise ValueError(f"not an export repair: {', '.join(not_switches)}")

    def __contains__(self, fix: object) -> bool:
        return fix in self.on

    @classmethod
    def of(cls, fixes: Iterable[Fix], portrait_fill: PortraitFill = PortraitFill.BLUR) -> Fixes:
        return cls(frozenset(fixes), portrait_fill)


@dataclass(frozen=True)
class CaptionTrack:
    """How the captions of every take are shown."""

    mode: CaptionMode = DEFAULT_CAPTION_MODE
    style: CaptionStyle = field(default_factory=CaptionStyle)
    # Facebook sidecar: NAME.language_COUNTRY.srt; Whisper listens for its language ("en"),
    # and en_GB captions get British spelling.
    language: str = "en_GB"


@dataclass(frozen=True)
class EditPlan:
    takes: tuple[Take, ...]
    preset: Shape = DEFAULT_SHAPE
    max_duration: float = MAX_DURATION_S
    trim: Trim = Trim.EXACT
    drop_pauses: bool = False  # with a transcript, also cut pauses over a second in the speech
    fixes: Fixes = field(default_factory=Fixes)
    captions: CaptionTrack = field(default_factory=CaptionTrack)
    # Logo, lower third and end card (None, or showing nothing: a plain export). The end
    # card comes after the takes.
    branding: Branding | None = None
    # Mistakes to find in the speech and cut (the export resolves them into takes).
    cleanup: frozenset[Cleanup] = frozenset()
    # Photos and clips over the video, in output seconds, and music under it.
    cutaways: tuple[Cutaway, ...] = ()
    music: Music | None = None

    def __post_init__(self) -> None:
        if not self.takes:
            raise ValueError("a plan needs at least one take")

    @property
    def sources(self) -> tuple[str, ...]:
        """Each source once, in the order the takes first use it."""
        return tuple(dict.fromkeys(take.source for take in self.takes))

    @property
    def resolved(self) -> bool:
        """Every take has its end and its captions, and nothing is left to cut."""
        return (
            self.trim is Trim.EXACT
            and not self.cleanup
            and all(take.end is not None and take.captions is not None for take in self.takes)
        )

    @property
    def kept_duration(self) -> float:
        return sum(take.duration for take in self.takes)

    @property
    def end_card_duration(self) -> float:
        return self.branding.end_card_duration if self.branding is not None else 0.0

    @property
    def total_duration(self) -> float:
        """Length of the exported video: the takes, then the end card."""
        return self.kept_duration + self.end_card_duration


def takes_of(source: str, segments: Sequence[Segment], captions: tuple[Caption, ...] | None
             ) -> tuple[Take, ...]:  # fmt: skip
    """Kept ranges of one source as takes sharing its captions."""
    return tuple(Take(source, s.start, s.end, captions) for s in segments)


def on_frame_grid(takes: Sequence[Take], fps: float | Fraction) -> tuple[Take, ...]:
    """Takes whose starts and ends fall on frames of the output rate (in source time), so
    every take is a whole number of frames and the audio cut at the same instants stays in
    sync across every join. A take too short for one frame is dropped."""
    rate = Fraction(fps).limit_denominator(1001) if not isinstance(fps, Fraction) else fps
    snapped = []
    for take in takes:
        assert take.end is not None
        start = round(take.start * rate) / rate
        frames = round((take.end - take.start) * rate)
        if frames >= 1:
            snapped.append(replace(take, start=float(start), end=float(start + frames / rate)))
    return tuple(snapped)


def source_to_output_time(takes: Sequence[Take], source: str, t: float) -> float | None:
    """Where moment `t` of `source` lands in the video, or None if it was cut."""
    offset = 0.0
    for take in takes:
        if take.source == source and take.start <= t <= take.duration + take.start:
            return offset + (t - take.start)
        offset += take.duration
    return None


def span_on_timeline(
    takes: Sequence[Take], source: str, start: float, end: float
) -> tuple[float, float] | None:
    """Where the stretch `start`-`end` of `source` plays in the video (output seconds): from
    the first moment of it that is kept to the last, across any cut inside it. None when all
    of it was cut. Anchoring a picture to the words under it and placing it here keeps it
    over the same words whatever is trimmed or joined before them."""
    placed: list[tuple[float, float]] = []
    offset = 0.0
    for take in takes:
        take_end = take.start + take.duration
        if take.source == source:
            lo, hi = max(start, take.start), min(end, take_end)
            if hi > lo:
                placed.append((offset + lo - take.start, offset + hi - take.start))
        offset += take.duration
    if not placed:
        return None
    return min(a for a, _ in placed), max(b for _, b in placed)


def check_cutaways(cutaways: Sequence[Cutaway], main: float) -> None:
    """Each cutaway inside the video's takes (before the end card), not over another one.
    Raises BadInputError in plain words: the export refuses such a plan, and the window says
    the same before the volunteer presses export."""
    for cutaway in cutaways:
        if cutaway.end > main + 1e-6:
            raise BadInputError(
                f"the cutaway {Path(cutaway.source).name} at {cutaway.start:g}-{cutaway.end:g} s"
                f" runs past the end of the video's takes ({main:.1f} s, before the end card)"
            )
    ordered = sorted(cutaways, key=lambda c: c.start)
    for first, second in zip(ordered, ordered[1:], strict=False):
        if second.start < first.end:
            raise BadInputError(
                f"the cutaways {Path(first.source).name} and {Path(second.source).name} overlap"
                f" ({first.start:g}-{first.end:g} s and {second.start:g}-{second.end:g} s)"
            )


def captions_on_timeline(takes: Sequence[Take]) -> list[Caption]:
    """Every take's captions moved onto the video's timeline. A caption that spans a cut is
    split at it and one wholly inside a cut is dropped, so no caption ever spans a cut. Word
    timings move with their caption; a word cut away goes with the cut (and from the text)."""
    placed: list[Caption] = []
    offset = 0.0
    for take in takes:
        take_end = take.start + take.duration
        for caption in take.captions or ():
            start = max(caption.start, take.start)
            end = min(caption.end, take_end)
            if end - start <= MIN_CAPTION_S:
                continue
            part = _caption_part(caption, take.start, take_end)
            if part is None:
                continue
            shift = offset - take.start
            placed.append(
                Caption(
                    start=round(start + shift, 3),
                    end=round(end + shift, 3),
                    lines=part.lines,
                    words=tuple(
                        CaptionWord(w.text, round(w.start + shift, 3), round(w.end + shift, 3))
                        for w in part.words
                    ),
                )
            )
        offset += take.duration
    placed.sort(key=lambda c: c.start)
    return placed


def _caption_part(caption: Caption, start: float, end: float) -> Caption | None:
    """What of `caption` is said between `start` and `end`: the words whose middle falls inside
    (held to the range), in the caption's own lines. None when no word of it is left. A caption
    without word timings is kept whole."""
    if not caption.has_word_timings:
        return caption
    inside = [start <= (w.start + w.end) / 2 <= end for w in caption.words]
    if not any(inside):
        return None
    if all(inside):
        return caption
    words = tuple(
        CaptionWord(w.text, max(w.start, start), min(w.end, end))
        for w, keep in zip(caption.words, inside, strict=True)
        if keep
    )
    lines: list[str] = []
    index = 0
    for line in caption.lines:
        tokens = line.split()
        shown = [t for t, keep in zip(tokens, inside[index:], strict=False) if keep]
        index += len(tokens)
        if shown:
            lines.append(" ".join(shown))
    return Caption(caption.start, caption.end, tuple(lines), words)
