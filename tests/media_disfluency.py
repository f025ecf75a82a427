"""Speech with mistakes in it, and how to score what the finder cut against what was said.

espeak-ng says each part on its own, with the pause after it given, so the voiced span of every
part is known from the audio (media_speech.phrase_clip). A part marked as a mistake should be
cut whole; every other part must be left whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from media import MediaFactory
from media_speech import SpeechClip, phrase_clip

# (what is said, pause after it, whether it is a mistake to cut)
RETAKE_PARTS: tuple[tuple[str, float, bool], ...] = (
    ("Good evening everyone.", 0.8, False),
    ("Our library is closing on", 0.5, True),
    ("Our library is closing on Mondays and Tuesdays.", 0.8, False),
    ("We want to", 0.4, True),
    ("We want to keep it open for every family.", 0.8, False),
    # Two sentences that start alike are not a retake.
    ("We will fight for the library.", 0.6, False),
    ("We will fight for the buses and the parks.", 0.8, False),
    ("Please come to the", 0.4, True),
    ("Please come to the", 0.4, True),
    ("Please come to the meeting on Thursday.", 0.8, False),
    ("The council has not", 0.5, True),
    ("The council has not listened to anyone.", 0.8, False),
    # Said twice on purpose.
    ("We can do this. We can do this.", 0.8, False),
    ("Thank you for listening.", 0.0, False),
)
FILLER_PARTS: tuple[tuple[str, float, bool], ...] = (
    ("Good morning.", 0.8, False),
    ("Um,", 0.25, True),
    ("we are here to save the library.", 0.8, False),
    ("It opens,", 0.2, False),
    ("er,", 0.2, True),
    ("six days a week.", 0.8, False),
    ("Erm,", 0.25, True),
    ("the council wants to close it.", 0.8, False),
    ("Uh,", 0.2, True),
    ("please sign the petition.", 0.8, False),
    ("Come to the meeting,", 0.2, False),
    ("um,", 0.2, True),
    ("on Thursday.", 0.8, False),
    ("Thank you,", 0.2, False),
    ("er,", 0.2, True),
    ("for listening.", 0.0, False),
)
# A cut may reach this far into a kept part's voice (espeak's soft onsets and releases).
KEPT_TOLERANCE_S = 0.04
# A mistake counts as found when this share of its voice is cut.
FOUND_SHARE = 0.8


@dataclass(frozen=True)
class Score:
    found: int
    missed: int
    false_cuts: int  # kept parts a cut reached into

    def __str__(self) -> str:
        return f"found {self.found}, missed {self.missed}, false cuts {self.false_cuts}"


def mistakes_clip(media: MediaFactory, parts: Sequence[tuple[str, float, bool]]) -> SpeechClip:
    return phrase_clip(media, [p[0] for p in parts], [p[1] for p in parts[:-1]], tail=1.0)


def score(
    clip: SpeechClip, parts: Sequence[tuple[str, float, bool]], cuts: Sequence[tuple[float, float]]
) -> Score:
    """Found / missed mistakes and kept parts cut into, from the parts' measured voice."""
    found = missed = false_cuts = 0
    for (_, _, mistake), onset, offset in zip(parts, clip.onsets, clip.offsets, strict=True):
        cut = sum(max(0.0, min(offset, e) - max(onset, s)) for s, e in cuts)
        if mistake:
            if cut >= FOUND_SHARE * (offset - onset):
                found += 1
            else:
                missed += 1
        elif cut > KEPT_TOLERANCE_S:
            false_cuts += 1
    return Score(found, missed, false_cuts)
