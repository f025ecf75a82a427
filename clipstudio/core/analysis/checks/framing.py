"""Framing: where the speaker's head sits. The campaign guide: "frame the subject's head near the
top of the frame". Faces come from OpenCV's Haar cascade every other second (samples.py)."""

from __future__ import annotations

import statistics
from typing import Literal

from clipstudio.core.analysis.checks.base import Check, Says, rounded
from clipstudio.core.analysis.samples import FaceBox, Samples
from clipstudio.core.analysis.types import Finding

HeadroomProblem = Literal["cut_off", "too_low"]

# The Haar box runs from about the eyebrows to the chin; the top of the head is about a quarter
# of the box height above it (average head proportions: crown to brow ~ 1/4 of brow to chin x 1).
CROWN_ABOVE_BOX = 0.25
# The eyes sit this far down the Haar box.
EYE_LINE_IN_BOX = 0.4
# The crown may leave the picture by this share of its height before the head counts as cut off
# (a tight close-up trims a little hair).
CUT_OFF_TOLERANCE = 0.03
# Eyes below this share of the picture height leave the head sitting low, with empty space above
# (rule of thirds puts the eyes about a third down; half way is the limit of "near the top").
EYE_LINE_MAX = 0.5
# A small face (a speaker filmed from further away) can have its eyes above half way and still
# leave a third of the picture empty above the head: the top of the head lower than this share
# of the picture height sits too low too. A head-and-shoulders shot (face a fifth of the
# height, eyes at 0.42) has its crown at 0.29; a face a tenth high with eyes at 0.45, at 0.385.
HEAD_TOP_MAX = 0.3
# A face must be found in at least this share of the sampled seconds to judge framing: fewer is
# a passer-by or a false detection, not the speaker.
FACE_MIN_SHARE = 0.3
FACE_MIN_COUNT = 2
# The problem must hold in more than this share of the seconds where the face was found.
PROBLEM_MIN_SHARE = 0.5

ADVICE_CUT_OFF = (
    "The top of the speaker's head is cut off. Step back or tilt the phone up a little."
)
ADVICE_TOO_LOW = (
    "The speaker sits low with empty space above. Frame the head near the top of the picture."
)


def crown(box: FaceBox) -> float:
    """Estimated top of the head, as a share of the picture height (negative: above the edge)."""
    return box.y - CROWN_ABOVE_BOX * box.h


def eye_line(box: FaceBox) -> float:
    return box.y + EYE_LINE_IN_BOX * box.h


def headroom_problem(box: FaceBox) -> HeadroomProblem | None:
    """The framing rule for one face box (fractions of the viewer's picture)."""
    if crown(box) < -CUT_OFF_TOLERANCE:
        return "cut_off"
    if eye_line(box) > EYE_LINE_MAX or crown(box) > HEAD_TOP_MAX:
        return "too_low"
    return None


def judge_headroom(faces_per_second: list[list[FaceBox]]) -> tuple[HeadroomProblem | None, dict]:
    """Decide from the faces found each sampled second; returns the problem and the numbers."""
    speaker = [max(faces, key=lambda f: f.w * f.h) for faces in faces_per_second if faces]
    total = len(faces_per_second)
    share = len(speaker) / total if total else 0.0
    measured: dict = {"face_share": rounded(share, 2), "faces_found": len(speaker)}
    if len(speaker) < FACE_MIN_COUNT or share < FACE_MIN_SHARE:
        return None, measured
    problems = [headroom_problem(box) for box in speaker]
    measured["head_top"] = rounded(statistics.median(crown(b) for b in speaker), 3)
    measured["eye_line"] = rounded(statistics.median(eye_line(b) for b in speaker), 3)
    for problem in ("cut_off", "too_low"):
        if problems.count(problem) / len(speaker) > PROBLEM_MIN_SHARE:
            return problem, measured
    return None, measured


class Headroom(Check):
    id = "framing.headroom"
    says = Says("Head too low in the picture", ADVICE_TOO_LOW, severity="info")

    def run(self, samples: Samples) -> list[Finding]:
        problem, measured = judge_headroom(samples.faces)
        if problem is None:
            return []
        found = self.found({"problem": problem, **measured})
        if problem == "cut_off":
            found = self.found(found.measured, title="Head cut off", advice=ADVICE_CUT_OFF)
        return [found]
