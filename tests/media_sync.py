"""Sync test media: a black picture that flashes white for one frame while a 1 kHz beep starts,
once a second, so joined takes can be checked for frame accuracy and audio sync."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
from media import MediaFactory

BEEP_HZ = 1000
BEEP_S = 0.1


def flashing(media: MediaFactory, size: str, fps: int, offset: float, seconds: float = 5.0) -> Path:
    """Flash and beep at `offset`, `offset` + 1, ... (offset on the clip's frame grid)."""
    # One frame: the one whose time is within half a millisecond of a flash time.
    at = f"lt(mod(t-{offset}+0.0005+1,1),{1 / fps - 0.001})"
    # Sample by sample (a per-frame volume would start the beep on a 1024-sample boundary).
    beep = f"sin(2*PI*{BEEP_HZ}*t)*lt(mod(t-{offset}+1,1),{BEEP_S})*gte(t,{offset})"
    return media.ffmpeg_clip(
        f"flash{size}_{fps}",
        [
            "-f", "lavfi", "-i", f"color=black:size={size}:rate={fps}",
            "-f", "lavfi", "-i", f"aevalsrc='{beep}':s=48000",
            "-t", str(seconds),
            "-vf", f"drawbox=color=white:t=fill:enable='{at}'",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "128k",
        ],
    )  # fmt: skip


def white_frames(path: Path) -> list[int]:
    """Indices of the frames that are mostly white."""
    found = []
    with av.open(str(path)) as container:
        for index, frame in enumerate(container.decode(container.streams.video[0])):
            luma = frame.to_ndarray(format="gray")
            h, w = luma.shape
            if luma[h // 4 : 3 * h // 4, w // 4 : 3 * w // 4].mean() > 128:
                found.append(index)
    return found


def beep_onsets(path: Path, threshold: float = 0.3) -> list[float]:
    """Seconds at which a beep starts: the level first reaches `threshold` of its peak after
    at least 0.3 s of quiet."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        rate = stream.codec_context.sample_rate
        chunks = [f.to_ndarray() for f in container.decode(stream)]
    mono = np.abs(np.concatenate(chunks, axis=1)[0])
    loud = np.flatnonzero(mono >= threshold * mono.max())
    onsets, last = [], -1.0
    for index in loud:
        t = index / rate
        if t - last > 0.3:
            onsets.append(t)
        last = t
    return onsets
