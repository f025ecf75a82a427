"""How the render reads a plan's takes: which input each one comes from, how many output frames
it is, and how much sound either side of it the crossfade at each join borrows. Plain numbers,
no ffmpeg flags (export/ffmpeg.py writes those from these).

Frame-accurate joins: every take is a whole number of output frames (plan.on_frame_grid put
its ends on the output rate's grid), its picture is made exactly that many frames and its sound
exactly as many samples, so picture and sound stay in sync across every join however many
there are. The crossfade keeps the lengths: at each join, the piece before lends the sound
just after its end and the piece after the sound just before its start, and the two overlap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from clipstudio.core.edit.plan import Take
from clipstudio.core.export.fit import Fit
from clipstudio.core.media.probe import MediaInfo

# The crossfade at a join: long enough that a cut through room tone never clicks (a 10 ms
# fade is the editors' minimum), short enough to stay inside the pause a word cut leaves
# (speech/disfluency.CUT_LEAD_S keeps 50 ms of it).
CROSSFADE_S = 0.03
# Takes of one source share an input (one decode) when each starts after the one before and
# the footage skipped between them is shorter than this; else the next one seeks (decoding a
# skipped stretch costs more than a seek from the nearest keyframe).
SHARE_INPUT_MAX_GAP_S = 5.0


@dataclass(frozen=True)
class Piece:
    """One take as the graph reads it."""

    take: Take
    media: MediaInfo
    fit: Fit  # where this source's picture goes in the output frame
    run: int  # the input (one per run of takes that share it)
    frames: int  # output frames: the take's length exactly
    borrow_before: float  # seconds of sound before the take, for the crossfade into it
    borrow_after: float  # ... and after it, for the crossfade out of it

    @property
    def has_audio(self) -> bool:
        return self.media.audio is not None


@dataclass(frozen=True)
class Run:
    """An input: a source opened at `start` and read to `end` (source seconds)."""

    source: str
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


def frame_rate(fps: float | Fraction) -> Fraction:
    """The output rate as an exact fraction (30000/1001 stays itself)."""
    return fps if isinstance(fps, Fraction) else Fraction(fps).limit_denominator(1001)


def lay_out(
    takes: Sequence[Take],
    media: Mapping[str, MediaInfo],
    fits: Mapping[str, Fit],
    fps: float | Fraction,
) -> tuple[tuple[Piece, ...], tuple[Run, ...]]:
    """Pieces in order and the inputs they read; the takes must be on the frame grid."""
    rate = frame_rate(fps)
    half = CROSSFADE_S / 2
    pieces: list[Piece] = []
    runs: list[Run] = []
    for index, take in enumerate(takes):
        assert take.end is not None
        info = media[take.source]
        first, last = index == 0, index == len(takes) - 1
        before = 0.0 if first else min(half, take.start)
        after = 0.0 if last else max(0.0, min(half, info.duration - take.end))
        start, end = take.start - before, take.end + after
        previous = runs[-1] if runs else None
        shares = (
            previous is not None
            and previous.source == take.source
            and previous.end <= start + 1e-6
            and start - previous.end < SHARE_INPUT_MAX_GAP_S
        )
        if shares and previous is not None:
            runs[-1] = Run(previous.source, previous.start, end)
        else:
            runs.append(Run(take.source, start, end))
        frames = round((take.end - take.start) * rate)
        pieces.append(Piece(take, info, fits[take.source], len(runs) - 1, frames, before, after))
    return tuple(pieces), tuple(runs)


def overlaps(pieces: Sequence[Piece]) -> list[float]:
    """Seconds of overlap at each join: what the crossfade there lasts (0: a plain join)."""
    return [a.borrow_after + b.borrow_before for a, b in zip(pieces, pieces[1:], strict=False)]


def main_duration(pieces: Sequence[Piece], fps: float | Fraction) -> float:
    """The joined takes' length, from their frame counts."""
    return float(sum(p.frames for p in pieces) / frame_rate(fps))
