"""Test clips for the GUI tests: short, small, with espeak-ng speech (fast to check and export)."""

from __future__ import annotations

from pathlib import Path

from media import MediaFactory

# Two sentences: enough for a few captions and a sentence-aware trim, short enough to export fast.
GUI_SENTENCES = (
    "Please vote for Maria Lopez on Thursday.",
    "We will keep the library open for every family.",
)
# Silence before the first sentence and between sentences, seconds.
LEAD_S = 0.5
GAP_S = 1.0


def gui_speech_clip(media: MediaFactory) -> Path:
    """640x360 test picture, 0.5 s silence, two espeak sentences 1 s apart (about 7 s)."""
    return media.speech_clip(GUI_SENTENCES, gap=GAP_S, lead=LEAD_S)
