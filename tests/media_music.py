"""Music test media and the ducking measurement: the music is a tone band above anything the
speech holds (espeak-ng and the real recordings stop below 11 kHz), so its level can be read
from the exported mix itself, in 100 ms windows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from media import MediaFactory

# Two tones (a chord, so nothing cancels) in a band no speech here reaches, below AAC's
# low-pass at 160 kb/s.
MUSIC_HZ = (12_000, 13_000)
BAND_HZ = (11_500, 13_500)
WINDOW_S = 0.1
# Speech windows: from this far into a sentence to this far before its end (the duck's
# attack); pause windows: from this far into a pause of at least PAUSE_MIN_S.
SETTLE_S = 0.2
PAUSE_MIN_S = 1.2
PAUSE_SETTLE_S = 0.9


def music_file(media: MediaFactory, seconds: float = 4.0) -> Path:
    """A short music file (MP3, looped to fill a longer video)."""
    tones = "+".join(f"0.2*sin(2*PI*{hz}*t)" for hz in MUSIC_HZ)
    return media.ffmpeg_clip(
        "music",
        ["-f", "lavfi", "-i", f"aevalsrc='{tones}':s=44100:d={seconds}", "-ac", "2",
         "-c:a", "libmp3lame", "-b:a", "192k"],
        suffix=".mp3",
    )  # fmt: skip


def mono_samples(path: Path) -> tuple[np.ndarray, int]:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        rate = stream.codec_context.sample_rate
        channels = stream.codec_context.channels
        chunks = []
        for frame in container.decode(stream):
            data = frame.to_ndarray()
            chunks.append(data[0] if frame.format.is_planar else data.reshape(-1, channels)[:, 0])
    return np.concatenate(chunks).astype(np.float64), rate


def music_levels(path: Path) -> np.ndarray:
    """The music's level (dB) in each 100 ms window of the file's sound."""
    samples, rate = mono_samples(path)
    size = int(rate * WINDOW_S)
    count = len(samples) // size
    windows = samples[: count * size].reshape(count, size) * np.hanning(size)
    power = np.abs(np.fft.rfft(windows, axis=1)) ** 2
    freqs = np.fft.rfftfreq(size, 1 / rate)
    band = (freqs >= BAND_HZ[0]) & (freqs <= BAND_HZ[1])
    return 10 * np.log10(power[:, band].sum(axis=1) + 1e-20)


@dataclass(frozen=True)
class Ducking:
    depth_db: float  # median level in long pauses less median level under speech
    pumping_db: float  # worst rise of a window inside a sentence above that sentence's median


def ducking(levels: np.ndarray, sentences: Sequence[tuple[float, float]], end: float) -> Ducking:
    """How deep the music ducks under `sentences` (speech spans on the file's timeline) and how
    much it comes up between their words, measured on `levels` (music_levels)."""
    times = (np.arange(len(levels)) + 0.5) * WINDOW_S
    under = np.zeros(len(levels), bool)
    rises = []
    for start, stop in sentences:
        inside = (times > start + SETTLE_S) & (times < stop - WINDOW_S)
        if inside.any():
            under |= inside
            rises.append(float(levels[inside].max() - np.median(levels[inside])))
    gaps = [(0.0, sentences[0][0])] + [
        (a[1], b[0]) for a, b in zip(sentences, sentences[1:], strict=False)
    ]
    gaps.append((sentences[-1][1], end))
    pauses = np.zeros(len(levels), bool)
    for start, stop in gaps:
        if stop - start >= PAUSE_MIN_S:
            pauses |= (times > start + PAUSE_SETTLE_S) & (times < stop - WINDOW_S)
    depth = float(np.median(levels[pauses]) - np.median(levels[under]))
    return Ducking(depth, max(rises))
