"""The one-minute rule and its margins: how much of the footage a video may keep.

One home, because every copy of this rule drifted: the window and the export disagreed about
59.9-60 s, and the command line's auto-trim took the safety margin off twice.
"""

from __future__ import annotations

# Campaign guide: "Keep it short: one minute at most". Outputs stay strictly under it.
MAX_DURATION_S = 60.0
# Outputs stay this far under the limit: AAC frames (21 ms) and video frames (up to 42 ms) can
# round the muxed duration up, and "under one minute" must hold on the file, not on paper.
LIMIT_SAFETY_S = 0.1
# A kept range shorter than this is not a clip.
MIN_KEPT_S = 0.5
# The shortest time limit the user may set: under a second there is no room for a clip.
MIN_MAX_DURATION_S = 1.0


def keep_budget(max_duration: float = MAX_DURATION_S, end_card: float = 0.0) -> float:
    """Seconds of footage a video may keep: the limit, less the end card and the safety margin."""
    return max_duration - end_card - LIMIT_SAFETY_S


def fits(kept: float, end_card: float = 0.0, max_duration: float = MAX_DURATION_S) -> bool:
    """Whether `kept` seconds of footage and the end card stay under the limit on the file."""
    return kept <= keep_budget(max_duration, end_card)


def check_budget(max_duration: float, end_card: float) -> float:
    """The budget, or a plain error when the limit leaves no room for a clip at all."""
    from clipstudio.core.errors import BadInputError

    budget = keep_budget(max_duration, end_card)
    if budget <= MIN_KEPT_S:
        if end_card:
            raise BadInputError(
                f"--max-duration {max_duration:g} s leaves no time for the clip before the"
                f" {end_card:g} s end card"
            )
        raise BadInputError(f"--max-duration {max_duration:g} s is too short")
    return budget
