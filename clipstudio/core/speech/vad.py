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
# Speech is looked for in pieces of this many seconds: bounded memory (Silero runs a piece as
# one batch; onnxruntime kept ~250 MB for 10-minute pieces, ~40 MB for one-minute ones).
VAD_CHUNK_S = 60.0
# Speech spans this close across a piece's edge are one span.
VAD_JOIN_S = 0.05


def speech_spans(mono: np.ndarray, rate: int = VAD_RATE) -> list[Span]:
    """(start, end) seconds of speech in 16 kHz mono float samples."""
    if mono.size < rate * VAD_MIN_S:
        return []
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(
        min_silence_duration_ms=VAD_MIN_SILENCE_MS, speech_pad_ms=VAD_SPEECH_PAD_MS
    )
    spans: list[Span] = []
    # In pieces of VAD_CHUNK_S: Silero's wrapper copies its whole input twice (padding and
    # context) and runs it as one batch (0.5 GB and more for an hour). A span cut by a piece's
    # edge is joined back.
    chunk = int(VAD_CHUNK_S * rate)
    for first in range(0, mono.size, chunk):
        piece = np.ascontiguousarray(mono[first : first + chunk], dtype=np.float32)
        if piece.size < rate * VAD_MIN_S:
            continue
        for stamp in get_speech_timestamps(piece, options, sampling_rate=rate):
            start, end = (first + stamp["start"]) / rate, (first + stamp["end"]) / rate
            if spans and start - spans[-1][1] <= VAD_JOIN_S:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    return spans
