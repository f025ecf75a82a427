"""Transcription speed: our transcriber against a bare faster-whisper call on the same audio.

Targets (issue 4): real-time factor <= 0.10 with the built-in tiny.en on 2 cores, and at most
10 % slower than calling faster-whisper directly with the same settings.
Run alone: `python bench/bench_transcribe.py CLIP` (a 60 s speech clip is made when none given).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from clipstudio.core.speech.audio import WHISPER_SAMPLE_RATE, decode_audio
from clipstudio.core.speech.models import embedded_model_path
from clipstudio.core.speech.transcribe import (
    FASTER_WHISPER_COMPUTE,
    FASTER_WHISPER_OPTIONS,
    _load_faster_whisper,
    get_transcriber,
)


def run(clip: Path) -> dict[str, float]:
    """Wall time, real-time factor and overhead ratio of transcribing `clip`."""
    from faster_whisper import WhisperModel

    # Warm both paths once (model load, page cache, ONNX VAD session) so we time transcription.
    transcriber = get_transcriber()
    _load_faster_whisper(str(embedded_model_path()))
    bare_model = WhisperModel(str(embedded_model_path()), **FASTER_WHISPER_COMPUTE)

    started = time.perf_counter()
    transcript = transcriber.transcribe(clip)
    ours = time.perf_counter() - started

    started = time.perf_counter()
    audio = decode_audio(clip)  # the bare call needs the same 16 kHz samples
    segments, _info = bare_model.transcribe(audio, language="en", **FASTER_WHISPER_OPTIONS)
    bare_words = sum(len(segment.words or []) for segment in segments)  # consume the generator
    bare = time.perf_counter() - started

    duration = len(audio) / WHISPER_SAMPLE_RATE
    return {
        "audio_seconds": round(duration, 2),
        "transcribe_seconds": round(ours, 3),
        "real_time_factor": round(ours / duration, 4),
        "bare_faster_whisper_seconds": round(bare, 3),
        "ratio_vs_bare": round(ours / bare, 3),
        "words": float(len(transcript.words)),
        "bare_words": float(bare_words),
    }


def _default_clip() -> Path:
    tests = Path(__file__).resolve().parent.parent / "tests"
    sys.path.insert(0, str(tests))
    from media import MediaFactory
    from media_speech import long_speech_clip

    return long_speech_clip(MediaFactory()).path


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else _default_clip()
    for key, value in run(target).items():
        print(f"{key}: {value}")
