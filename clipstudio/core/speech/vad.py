"""Where someone speaks: the Silero VAD that ships inside faster-whisper (offline, onnxruntime).

One detector for the footage checks and the export's loudness rule, so "no one speaks" means
the same in `check` and in `export`.
"""

from __future__ import annotations

import numpy as np

Span = tuple[float, float]

# Silero takes 16 kHz mono.
VAD_RATE = 16_000
# Tight speech spans (short pauses split them, little padding), so that the pauses between
# sentences show the noise level and the speech-gated loudness measures only speech.
VAD_MIN_SILENCE_MS = 300
VAD_SPEECH_PAD_MS = 30
# Shorter than this is not worth asking the detector about.
VAD_MIN_S = 0.5


def speech_spans(mono: np.ndarray, rate: int = VAD_RATE) -> list[Span]:
    """(start, end) seconds of speech in 16 kHz mono float samples."""
    if mono.size < rate * VAD_MIN_S:
        return []
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(
        min_silence_duration_ms=VAD_MIN_SILENCE_MS, speech_pad_ms=VAD_SPEECH_PAD_MS
    )
    stamps = get_speech_timestamps(np.ascontiguousarray(mono, dtype=np.float32), options,
                                   sampling_rate=rate)  # fmt: skip
    return [(s["start"] / rate, s["end"] / rate) for s in stamps]
