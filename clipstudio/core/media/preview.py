"""Small pictures of a clip for the GUI: a thumbnail and the audio waveform's peaks (PyAV, no Qt).

Both are slow enough (decoding) to run in a worker; both take progress and cancel like all long work.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
import av.error
import numpy as np

from clipstudio.core.errors import BadInputError
from clipstudio.core.progress import CancelToken, ProgressCallback, no_progress

# Audio is mixed to mono at this rate before taking peaks: a waveform drawing needs no more.
PEAK_SAMPLE_RATE = 8000
# One peak per this many seconds: 100 per second is finer than a timeline ever draws.
PEAK_BUCKET_S = 0.01
# The thumbnail comes from this far into the clip (the very first frame is often black) ...
THUMBNAIL_AT_FRACTION = 0.1
# ... but never later than this, so long clips stay quick.
THUMBNAIL_MAX_SEEK_S = 2.0


@dataclass(frozen=True)
class Waveform:
    bucket_seconds: float
    peaks: tuple[float, ...]  # absolute peak of each bucket, 0..1 of full scale

    @property
    def duration(self) -> float:
        return self.bucket_seconds * len(self.peaks)


@dataclass(frozen=True)
class Thumbnail:
    width: int
    height: int
    rgb: bytes  # tightly packed rows of RGB888, already turned upright


def _open(path: str | Path, what: str) -> av.container.InputContainer:
    """Open for reading, or a plain error naming what could not be read."""
    try:
        return av.open(str(path), metadata_errors="ignore")
    except (av.error.FFmpegError, ValueError) as exc:
        raise BadInputError(f"cannot read the {what} of {Path(path).name}") from exc


def waveform_peaks(
    path: str | Path,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Waveform:
    """Peak level per PEAK_BUCKET_S of the first audio stream; empty for a silent-track-less clip."""
    progress = progress or no_progress
    samples_per_bucket = round(PEAK_SAMPLE_RATE * PEAK_BUCKET_S)
    with _open(path, "sound") as container:
        if not container.streams.audio:
            return Waveform(PEAK_BUCKET_S, ())
        stream = container.streams.audio[0]
        duration = (container.duration or 0) / av.time_base
        resampler = av.AudioResampler(format="flt", layout="mono", rate=PEAK_SAMPLE_RATE)
        chunks: list[np.ndarray] = []
        decoded = 0
        try:
            for frame in container.decode(stream):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    decoded += chunk.size
                if duration > 0:
                    progress(min(1.0, decoded / PEAK_SAMPLE_RATE / duration))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
        except av.error.FFmpegError:
            pass  # a damaged tail still gives the waveform up to the damage
    audio = np.abs(np.concatenate(chunks)) if chunks else np.zeros(0, dtype=np.float32)
    buckets = -(-audio.size // samples_per_bucket)
    padded = np.zeros(buckets * samples_per_bucket, dtype=np.float32)
    padded[: audio.size] = audio
    peaks = padded.reshape(buckets, samples_per_bucket).max(axis=1) if buckets else padded
    progress(1.0)
    return Waveform(PEAK_BUCKET_S, tuple(float(min(1.0, p)) for p in peaks))


def thumbnail(path: str | Path, max_width: int = 160) -> Thumbnail | None:
    """An upright RGB picture of one early frame, at most `max_width` wide; None without video."""
    with _open(path, "picture") as container:
        if not container.streams.video:
            return None
        stream = container.streams.video[0]
        duration = (container.duration or 0) / av.time_base
        target = min(THUMBNAIL_MAX_SEEK_S, duration * THUMBNAIL_AT_FRACTION)
        if target > 0 and stream.time_base:
            container.seek(int(target / stream.time_base), stream=stream, backward=True)
        frame = None
        try:
            for frame in container.decode(stream):
                if frame.time is None or frame.time >= target:
                    break
        except av.error.FFmpegError as exc:
            if frame is None:
                raise BadInputError(f"the video in {Path(path).name} is damaged") from exc
        if frame is None:
            return None
        # PyAV's rotation is counter-clockwise; the picture must be turned the viewer's way.
        clockwise = (360 - round(frame.rotation or 0) % 360) % 360
        turned = clockwise in (90, 270)
        coded_w, coded_h = frame.width, frame.height
        view_w, view_h = (coded_h, coded_w) if turned else (coded_w, coded_h)
        scale = min(1.0, max_width / view_w)
        out_w, out_h = max(2, round(view_w * scale)), max(2, round(view_h * scale))
        coded_out = (out_h, out_w) if turned else (out_w, out_h)
        rgb: np.ndarray = frame.reformat(
            width=coded_out[0], height=coded_out[1], format="rgb24"
        ).to_ndarray()
        if clockwise:
            rgb = np.rot90(rgb, k=-clockwise // 90)
        rgb = np.ascontiguousarray(rgb)
        return Thumbnail(width=rgb.shape[1], height=rgb.shape[0], rgb=rgb.tobytes())
