"""Audio for speech recognition: any container PyAV opens, as 16 kHz mono float32 samples.

Both engines get the very same samples, decoded here once, so odd phone containers work the same
for each and the engines never start an ffmpeg of their own.
"""

from __future__ import annotations

from pathlib import Path

import av
import av.error
import numpy as np

from clipstudio.core.errors import BadInputError
from clipstudio.core.progress import CancelToken

# Whisper's input rate (both engines resample to it internally; we hand it over ready).
WHISPER_SAMPLE_RATE = 16_000
# Energy frames for speech-onset refinement: 10 ms, fine enough for a 0.3 s timing target.
ENERGY_FRAME_S = 0.010


def decode_audio(path: str | Path, cancel: CancelToken | None = None) -> np.ndarray:
    """The first audio stream of `path` as 16 kHz mono float32 in [-1, 1].

    Raises BadInputError when the file cannot be opened or has no audio stream."""
    return decode_audio_range(path, 0.0, None, cancel)[0]


def decode_audio_range(
    path: str | Path,
    start: float = 0.0,
    end: float | None = None,
    cancel: CancelToken | None = None,
) -> tuple[np.ndarray, float]:
    """The audio of `path` from `start` to `end` seconds (whole audio frames, so a few ms
    more), and the source time of its first sample. Memory follows the range, not the file."""
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError) as exc:
        # Never "[Errno 1094995529] Invalid data found...": say what it means.
        raise BadInputError(
            f"cannot read {Path(path).name}: it is damaged or not a sound or video file"
        ) from exc
    with container:
        if not container.streams.audio:
            raise BadInputError(
                f"{Path(path).name} has no sound, so there is nothing to transcribe"
            )
        stream = container.streams.audio[0]
        if start > 0 and stream.time_base is not None:
            container.seek(int(start / stream.time_base), stream=stream)
        resampler = av.AudioResampler(format="flt", layout="mono", rate=WHISPER_SAMPLE_RATE)
        chunks: list[np.ndarray] = []
        first: float | None = None
        try:
            for index, frame in enumerate(container.decode(stream)):
                if cancel is not None and index % 200 == 0:
                    cancel.raise_if_cancelled()
                t = float(frame.time) if frame.time is not None else None
                if t is not None and start > 0 and t + frame.samples / frame.sample_rate <= start:
                    continue
                if t is not None and end is not None and t >= end:
                    break
                if first is None:
                    first = t if t is not None else start
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
        except av.error.FFmpegError as exc:
            raise BadInputError(
                f"the sound of {Path(path).name} is damaged and cannot be decoded"
            ) from exc
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray().reshape(-1))
    offset = max(0.0, first or 0.0) if start > 0 else 0.0
    if not chunks:
        return np.zeros(0, dtype=np.float32), offset
    return np.concatenate(chunks).astype(np.float32, copy=False), offset


def frame_energy_db(samples: np.ndarray, rate: int = WHISPER_SAMPLE_RATE) -> np.ndarray:
    """RMS level of consecutive ENERGY_FRAME_S frames, in dBFS (floor -120)."""
    frame = max(1, int(rate * ENERGY_FRAME_S))
    count = len(samples) // frame
    if count == 0:
        return np.zeros(0, dtype=np.float32)
    frames = samples[: count * frame].reshape(count, frame).astype(np.float64)
    rms = np.sqrt(np.mean(frames * frames, axis=1))
    return (20 * np.log10(np.maximum(rms, 1e-6))).astype(np.float32)
