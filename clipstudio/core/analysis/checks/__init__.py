"""The registry of footage checks. Adding a check touches its module and one line here."""

from __future__ import annotations

from clipstudio.core.analysis.checks.audio import (
    AudioMissing,
    Clipping,
    Noisy,
    NoSpeech,
    TooQuiet,
    Wind,
)
from clipstudio.core.analysis.checks.base import Check
from clipstudio.core.analysis.checks.format import Hdr, LowResolution, Portrait, TooLong, Vfr
from clipstudio.core.analysis.checks.framing import Headroom
from clipstudio.core.analysis.checks.lighting import Backlit, Flicker, Overexposed, TooDark
from clipstudio.core.analysis.checks.stability import Shaky

# In the order a volunteer should read the findings: what ruins the clip first.
REGISTRY: list[Check] = [
    AudioMissing(),
    Portrait(),
    TooDark(),
    Backlit(),
    Overexposed(),
    Flicker(),
    Shaky(),
    Headroom(),
    TooQuiet(),
    Clipping(),
    Noisy(),
    Wind(),
    NoSpeech(),
    TooLong(),
    LowResolution(),
    Hdr(),
    Vfr(),
]

__all__ = ["REGISTRY", "Check"]
