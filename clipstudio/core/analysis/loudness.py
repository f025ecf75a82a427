"""EBU R128 loudness of decoded audio, measured by ffmpeg's ebur128 filter inside PyAV.

Why not pyloudnorm: it imports scipy.signal (1.7-1.9 s of CPU, measured here), which on two cores
cost the check more than all its measurements together. ffmpeg's meter runs on the samples we
already decoded (no second decode) and measured a minute of audio in 0.14 s.
"""

from __future__ import annotations

import math
from fractions import Fraction

import av
import av.error
import numpy as np
from av.filter import Graph

# Frames handed to the filter: 0.1 s, the ebur128 filter's own update interval.
PUSH_SECONDS = 0.1
LAYOUTS = {1: "mono", 2: "stereo"}
# EBU R128 momentary loudness window.
MOMENTARY_WINDOW_S = 0.4


def _measure(audio: np.ndarray | list[np.ndarray], rate: int) -> list[tuple[float, float, float]]:
    """(end time s, momentary LUFS, integrated-so-far LUFS) every 0.1 s of `audio`
    (channels x samples, float32), or of pieces of it measured one after the other as one
    stream (so nothing is joined into a copy)."""
    parts = audio if isinstance(audio, list) else [audio]
    channels = parts[0].shape[0] if parts else 1
    if channels not in LAYOUTS:
        parts = [part.mean(axis=0, keepdims=True) for part in parts]
        channels = 1
    parts = [part for part in parts if part.shape[1]]
    layout = LAYOUTS[channels]
    graph = Graph()
    source = graph.add_abuffer(
        sample_rate=rate, format="fltp", layout=layout, time_base=Fraction(1, rate)
    )
    meter = graph.add("ebur128", "metadata=1")
    sink = graph.add("abuffersink")
    source.link_to(meter)
    meter.link_to(sink)
    graph.configure()
    step = max(1, int(rate * PUSH_SECONDS))
    readings: list[tuple[float, float, float]] = []

    def drain() -> None:
        while True:
            try:
                frame = graph.pull()
            except (av.error.BlockingIOError, av.error.EOFError):
                return
            assert isinstance(frame, av.AudioFrame) and frame.pts is not None
            tags = frame.metadata
            if "lavfi.r128.I" not in tags:
                continue  # a short last frame that ended before the next 100 ms reading
            readings.append(
                (
                    (float(frame.pts) + frame.samples) / rate,
                    float(tags.get("lavfi.r128.M", "-inf")),
                    float(tags.get("lavfi.r128.I", "-inf")),
                )
            )

    pts = 0
    for part in parts:
        for start in range(0, part.shape[1], step):
            piece = np.ascontiguousarray(part[:, start : start + step], dtype=np.float32)
            frame = av.AudioFrame.from_ndarray(piece, format="fltp", layout=layout)
            frame.sample_rate = rate
            frame.pts = pts
            frame.time_base = Fraction(1, rate)
            pts += piece.shape[1]
            graph.push(frame)
            drain()
    graph.push(None)
    drain()
    return readings


def integrated_lufs(audio: np.ndarray | list[np.ndarray], rate: int) -> float:
    """Integrated loudness (LUFS) of channels x samples audio; -inf for silence."""
    readings = _measure(audio, rate)
    if not readings:
        return -math.inf
    value = readings[-1][2]
    return value if value > -70.0 else -math.inf  # below R128's absolute gate: silence


def momentary_series(audio: np.ndarray, rate: int, step: float) -> list[tuple[float, float]]:
    """(time s at the middle of the 400 ms window, momentary LUFS) every `step` seconds."""
    readings = _measure(audio, rate)
    series: list[tuple[float, float]] = []
    next_time = MOMENTARY_WINDOW_S / 2
    for end_time, momentary, _integrated in readings:
        if end_time < MOMENTARY_WINDOW_S - 1e-9:
            continue  # the first window is not full yet
        middle = end_time - MOMENTARY_WINDOW_S / 2
        if middle + 1e-9 >= next_time:
            series.append((middle, momentary))
            while next_time <= middle + 1e-9:  # keep to the `step` grid (readings come every 0.1 s)
                next_time += step
    return series
