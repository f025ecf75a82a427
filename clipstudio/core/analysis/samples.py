"""One decode pass over a clip into small shared samples that every check reads.

The file is demuxed once; video and audio packets are decoded as they come. From the video we keep
the mean brightness of every frame (for flicker), a small grey picture ~10 times a second (for
lighting, backlight and framing), the global motion between consecutive small pictures (for shake)
and face boxes every other second. From the audio we keep 16 kHz float samples (for loudness,
speech detection, noise and wind) and count full-scale runs at the native rate (for clipping).
No check opens the file again.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import av
import av.error
import cv2
import numpy as np
from av.audio.resampler import AudioResampler
from av.video.reformatter import VideoReformatter

from clipstudio.core.errors import BadInputError
from clipstudio.core.media.probe import MediaInfo
from clipstudio.core.progress import CancelToken, ProgressCallback, no_progress
from clipstudio.core.speech.types import Transcript

# Small grey pictures are this wide: enough for brightness statistics and global motion, cheap to
# get (PITFALLS: the full decode is the bulk of the time), and small enough to keep ~10 a second
# for a whole raw clip (14 KB each: 86 MB for ten minutes of footage).
WORK_WIDTH = 160
# Pictures per second measured for shake (and kept for lighting): hand shake lives at roughly
# 1-5 Hz, so 10 Hz sampling still sees it, and a pan between two samples stays a few pixels.
SAMPLE_FPS = 10.0
# Memory kept for the small pictures, whatever the length of the footage: past it every other
# picture is dropped and pictures are kept half as often (lighting changes over seconds, so
# 1.25 a second on an hour of footage still sees them). 7 minutes of 16:9 at 10 a second; with
# the hour's 16 kHz audio (230 MB) it keeps `check` of an hour under 600 MB (make bench).
MAX_PICTURE_BYTES = 60_000_000
# Decoder threads: a deep pipeline, so the decoder keeps working while Python handles a frame.
# With cores+1 (ffmpeg's default) it waits; measured on 2 cores, 60 s of 1080p30, busy machine:
# 3 threads 24.9 s, 6 threads 11.0 s for the bare decode; whole check 3/4/8 threads 10.6/10.8/10.0
# s and 11.6/12.5/11.2 s. Capped: each thread holds frames in memory (4K: ~12 MB each).
DECODE_THREADS = min(8, 4 * (os.cpu_count() or 2))
# Faces are looked for every other second (Haar on every frame would double the run time; at 1 a
# second it was ~1 s of CPU per minute of footage) on a picture this wide, where a face a tenth
# of the picture high (a speaker filmed from a distance, with space above) is 29 px, above
# Haar's 24 px window. Measured on drawn faces: at 384 px faces of 10-14 % of the height were
# missed; at 512, found; 30 ms a search against 20 (on the worker thread, beside the decoding).
FACE_FPS = 0.5
FACE_WIDTH = 512
# A detected face must be at least this share of the picture height: smaller "faces" in a
# talking-head clip are background texture that Haar mistakes for faces.
FACE_MIN_HEIGHT_FRACTION = 0.08
# Haar settings: 1.2 between scales finds the same faces as OpenCV's default 1.1 at about half
# the cost; a stricter neighbour count than the default 3 against false positives on texture
# (6 lost a small face 0.62 down the picture that 5 finds).
HAAR_SCALE_FACTOR = 1.2
HAAR_MIN_NEIGHBOURS = 5
HAAR_CASCADE = "haarcascade_frontalface_default.xml"
# Rows/columns skipped when measuring every frame's mean brightness: 1 in 16 each way is still
# ~8000 pixels of a 1080p frame and costs a few tens of microseconds.
FRAME_MEAN_STRIDE = 16
# Audio for the checks: 16 kHz is what Silero VAD takes and keeps all of the speech band.
AUDIO_RATE = 16_000
# Room beyond the probed duration in the audio buffer (audio streams often run a little long).
AUDIO_SLACK_S = 5.0
# Motion measurements left as futures before their results are taken off (the worker's queue).
MOTION_PENDING = 64
# A decoded audio sample at or above this magnitude counts as full scale. Decoders of lossy audio
# ring around a flattened peak, so a clipped stretch decodes to values within ~1 % of full scale.
FULL_SCALE = 0.99
# Consecutive full-scale samples that make one clipping event: real peaks touch full scale for at
# most a sample or two; a clipped waveform stays there.
CLIP_RUN_SAMPLES = 3
# Phase correlation answers below this confidence (e.g. across a cut, or on a flat dark picture)
# are not motion measurements.
MOTION_MIN_RESPONSE = 0.05
# Motion is measured on pictures this wide (the long side): phase correlation is accurate to about
# a tenth of a pixel, well under the 1 px that the shake threshold means here; measured on the
# labelled clips, the same jitter figures as at 320 px for a quarter of the cost.
MOTION_WIDTH = 160
# Camera motion moves every part of the picture alike: at least 3 of the 4 quarters must agree
# within 1 px (plus 10 % of the shift, for fast pans) for a step to count as camera motion.
MOTION_MIN_AGREEING = 3
MOTION_AGREE_PX = 1.0
MOTION_AGREE_SHARE = 0.1

T = TypeVar("T")

# YUV formats whose first plane is the luma plane at full resolution (phone footage is one of
# these); anything else goes through swscale.
_LUMA_PLANE_FORMATS = {
    "yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p", "nv12", "nv21",
    "yuv420p10le", "yuv422p10le", "yuv444p10le",
}  # fmt: skip


@dataclass
class FaceBox:
    """A face in the viewer's (rotated) picture, as fractions of its width and height."""

    x: float
    y: float
    w: float
    h: float


@dataclass
class Samples:
    """Everything the checks need, measured in the one decode pass."""

    media: MediaInfo
    transcript: Transcript | None = None
    # Every decoded frame: presentation time (s) and mean luma on a 0..255 full-range scale.
    frame_times: np.ndarray = field(default_factory=lambda: np.zeros(0))
    frame_luma: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # ~SAMPLE_FPS small grey pictures (viewer orientation, full range 0..255) and their times.
    sample_times: np.ndarray = field(default_factory=lambda: np.zeros(0))
    pictures: list[np.ndarray] = field(default_factory=list)
    # Global motion between pictures sampled SAMPLE_FPS times a second, in pixels of the small
    # picture (index i: from the picture at motion_times[i] to the one at motion_times[i + 1]);
    # NaN where the measurement is not trustworthy. Measured over the whole clip at full rate
    # even when long footage keeps fewer `pictures`.
    motion: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    motion_times: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # Every 1/FACE_FPS seconds: the time and the faces found then (possibly none).
    face_times: list[float] = field(default_factory=list)
    faces: list[list[FaceBox]] = field(default_factory=list)
    # Audio: 16 kHz float32, shape (channels, n) and its mono mix.
    audio: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    audio_rate: int = AUDIO_RATE
    # Clipping events at the native rate: start time (s) of each run of full-scale samples.
    clip_event_times: list[float] = field(default_factory=list)
    # Measurements that several checks share (speech activity, picture statistics), made once.
    derived: dict[str, Any] = field(default_factory=dict)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """`compute()` once per samples object; checks sharing a measurement call this."""
        if key not in self.derived:
            self.derived[key] = compute()
        return self.derived[key]

    @property
    def mono(self) -> np.ndarray:
        if self.audio.size == 0:
            return np.zeros(0, np.float32)
        if self.audio.shape[0] == 1:
            return self.audio[0]  # a view: an hour of mono is 230 MB, not copied per check
        return self.audio.mean(axis=0, dtype=np.float32)

    @property
    def work_size(self) -> tuple[int, int]:
        """(width, height) of the small pictures."""
        if not self.pictures:
            return (0, 0)
        height, width = self.pictures[0].shape
        return (width, height)


def collect_samples(
    path: Path,
    info: MediaInfo,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Samples:
    """Decode the clip once and measure what the checks need."""
    progress = progress or no_progress
    collector = _Collector(info)
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise BadInputError(f"this is not a video file Clip Studio can read: {path.name}") from exc
    try:
        _decode_into(collector, container, info, path, progress, cancel)
    except BaseException:
        collector.close()  # no orphan worker thread after a cancel or a decode failure
        raise
    samples = collector.finish()
    progress(1.0)
    return samples


def _decode_into(
    collector: _Collector,
    container: av.container.InputContainer,
    info: MediaInfo,
    path: Path,
    progress: ProgressCallback,
    cancel: CancelToken | None,
) -> None:
    """Demux once; video and audio frames go to the collector as they are decoded."""
    with container:
        streams: list[av.stream.Stream] = []
        if info.video is not None and container.streams.video:
            video_stream = container.streams.video[0]
            video_stream.thread_type = "AUTO"
            video_stream.codec_context.thread_count = DECODE_THREADS
            streams.append(video_stream)
        if info.audio is not None and container.streams.audio:
            streams.append(container.streams.audio[0])
        duration = max(info.duration, 1e-3)
        # Float time bases: Fraction arithmetic on every packet cost ~0.5 s per minute of 1080p.
        time_bases = {s.index: float(s.time_base) for s in streams if s.time_base is not None}
        last_reported = -1.0
        try:
            for packet in container.demux(*streams):
                for frame in packet.decode():
                    if isinstance(frame, av.VideoFrame):
                        collector.add_video(frame)
                    elif isinstance(frame, av.AudioFrame):
                        collector.add_audio(frame)
                if packet.pts is not None and packet.stream_index in time_bases:
                    done = packet.pts * time_bases[packet.stream_index] / duration
                    if done - last_reported >= 0.01:
                        last_reported = done
                        progress(min(0.99, max(0.0, done)))
                        if cancel is not None:
                            cancel.raise_if_cancelled()
        except av.error.FFmpegError as exc:
            if not collector.has_any:
                raise BadInputError(f"{path.name} is damaged and cannot be decoded") from exc
            # A damaged tail still leaves everything before it measured; check what we have.


class _Collector:
    """Accumulates measurements frame by frame so nothing large is kept."""

    def __init__(self, info: MediaInfo) -> None:
        self.info = info
        self.rotation = info.video.rotation if info.video is not None else 0
        self.frame_times: list[float] = []
        self.frame_luma: list[float] = []
        self.sample_times: list[float] = []
        self.pictures: list[np.ndarray] = []
        self.motion_times: list[float] = []
        self.picture_interval = 1.0 / SAMPLE_FPS  # doubles each time the picture budget fills
        self.next_picture = 0.0
        # Motion and faces are measured on a worker thread (OpenCV releases the GIL), so they
        # overlap with decoding instead of stalling it.
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="clip-analysis")
        self.motion: list[Future[tuple[float, float]]] = []
        self.motion_done: list[tuple[float, float]] = []  # results taken off finished futures
        self.face_times: list[float] = []
        self.faces: list[Future[list[FaceBox]]] = []
        self.next_sample = 0.0
        self.next_face = 0.0
        self.reformatter = VideoReformatter()
        self.window: np.ndarray | None = None
        self.previous: np.ndarray | None = None
        self.cascade: cv2.CascadeClassifier | None = None
        self.resampler: AudioResampler | None = None
        # Audio goes to AUDIO_RATE as it is decoded: an hour of 48 kHz stereo kept at its own rate
        # was 1.4 GB before the one resampling pass at the end.
        self.check_rate_resampler: AudioResampler | None = None
        self.check_layout = "mono"
        # One buffer sized from the probed duration and filled in place: joining an hour of
        # small chunks at the end held the audio twice (0.46 GB for mono).
        self.audio = _AudioBuffer(info.duration)
        self.clip_event_times: list[float] = []
        self.native_samples = 0
        self.native_rate: int | None = None
        self.native_layout = ""
        self.tail_run = 0  # full-scale run carried over from the previous audio frame

    @property
    def has_any(self) -> bool:
        return bool(self.frame_times or self.audio.size)

    # --- video ---------------------------------------------------------------------------------

    def add_video(self, frame: av.VideoFrame) -> None:
        t = _seconds(frame, len(self.frame_times) / 30.0)
        luma = _luma_plane(frame)
        if luma is not None:
            mean = float(_to_8bit(luma[::FRAME_MEAN_STRIDE, ::FRAME_MEAN_STRIDE]).mean())
            if frame.color_range != _FULL_RANGE:
                mean = (mean - 16.0) * 255.0 / 219.0
            self.frame_luma.append(mean)
        else:
            small = self.reformatter.reformat(frame, 64, 36, format="gray").to_ndarray()
            self.frame_luma.append(float(small.mean()))
        self.frame_times.append(t)
        if t + 1e-6 < self.next_sample:
            return
        self.next_sample = max(self.next_sample + 1.0 / SAMPLE_FPS, t)
        picture = self._small_picture(frame, luma, WORK_WIDTH)
        self._add_motion(picture)
        self.motion_times.append(t)
        if t + 1e-6 >= self.next_picture:
            self.next_picture = max(self.next_picture + self.picture_interval, t)
            self._keep_picture(t, picture)
        if t + 1e-6 >= self.next_face:
            self.next_face = max(self.next_face + 1.0 / FACE_FPS, t)
            self.face_times.append(t)
            picture = self._small_picture(frame, luma, FACE_WIDTH)
            self.faces.append(self.worker.submit(self._find_faces, picture))

    def _keep_picture(self, t: float, picture: np.ndarray) -> None:
        """Keep the picture for the lighting checks, within MAX_PICTURE_BYTES."""
        self.sample_times.append(t)
        self.pictures.append(picture)
        if len(self.pictures) * picture.nbytes > MAX_PICTURE_BYTES:
            self.pictures = self.pictures[::2]
            self.sample_times = self.sample_times[::2]
            self.picture_interval *= 2

    def _small_picture(
        self, frame: av.VideoFrame, luma: np.ndarray | None, width: int
    ) -> np.ndarray:
        """Grey, full range, in the viewer's orientation, `width` wide (before rotation)."""
        height = max(2, round(frame.height * width / frame.width / 2) * 2)
        if luma is not None:
            step = max(1, frame.width // (2 * width))
            picture = cv2.resize(
                _to_8bit(luma[::step, ::step]), (width, height), interpolation=cv2.INTER_AREA
            )
            if frame.color_range != _FULL_RANGE:
                # Limited ("TV") range 16..235 -> 0..255, as swscale does for grey.
                picture = cv2.LUT(picture, _TV_TO_FULL)
        else:
            picture = self.reformatter.reformat(frame, width, height, format="gray").to_ndarray()
        if self.rotation:
            # rotation is clockwise for the viewer; np.rot90 turns counter-clockwise for k > 0.
            picture = np.ascontiguousarray(np.rot90(picture, k=-(self.rotation // 90)))
        return picture

    def _add_motion(self, picture: np.ndarray) -> None:
        height, width = picture.shape
        scale = max(1, width // MOTION_WIDTH) if height <= width else max(1, height // MOTION_WIDTH)
        size = (width // scale, height // scale)
        current = cv2.resize(picture, size, interpolation=cv2.INTER_AREA).astype(np.float32)
        if self.previous is not None and self.previous.shape == current.shape:
            quarter = (current.shape[0] // 2, current.shape[1] // 2)
            if self.window is None or self.window.shape != quarter:
                self.window = cv2.createHanningWindow(quarter[::-1], cv2.CV_32F)
            self.motion.append(
                self.worker.submit(_global_motion, self.previous, current, self.window, scale)
            )
            # Futures are heavy (a lock each): an hour held 36 000; keep the numbers instead.
            while len(self.motion) > MOTION_PENDING and self.motion[0].done():
                self.motion_done.append(self.motion.pop(0).result())
        self.previous = current

    def _find_faces(self, picture: np.ndarray) -> list[FaceBox]:
        if self.cascade is None:
            folder = cv2.data.haarcascades  # type: ignore[attr-defined]  # not in OpenCV's stubs
            self.cascade = cv2.CascadeClassifier(folder + HAAR_CASCADE)
        height, width = picture.shape
        min_side = max(24, int(FACE_MIN_HEIGHT_FRACTION * height))
        found = self.cascade.detectMultiScale(
            picture,
            scaleFactor=HAAR_SCALE_FACTOR,
            minNeighbors=HAAR_MIN_NEIGHBOURS,
            minSize=(min_side, min_side),
        )
        return [
            FaceBox(x=x / width, y=y / height, w=w / width, h=h / height)
            for (x, y, w, h) in (found if len(found) else [])
        ]

    # --- audio ---------------------------------------------------------------------------------

    def add_audio(self, frame: av.AudioFrame) -> None:
        if self.native_rate is None:
            self.native_rate = frame.sample_rate
            self.native_layout = frame.layout.name
        elif frame.sample_rate != self.native_rate or frame.layout.name != self.native_layout:
            # A stream that changes format midway (rare): bring it back to the first format.
            if self.resampler is None:
                self.resampler = AudioResampler(
                    format="fltp", layout=self.native_layout, rate=self.native_rate
                )
            for out in self.resampler.resample(frame):
                self._add_samples(out)
            return
        self._add_samples(frame)

    def _add_samples(self, frame: av.AudioFrame) -> None:
        data: np.ndarray = frame.to_ndarray()
        if data.dtype.kind in "iu":
            data = data.astype(np.float32) / float(np.iinfo(data.dtype).max)
        if not frame.format.is_planar:
            data = data.reshape(-1, len(frame.layout.channels)).T
        data = data.astype(np.float32, copy=False)
        t0 = _seconds(frame, self.native_samples / (frame.sample_rate or 1))
        self._count_clipping(data, t0, frame.sample_rate or 1)
        self.native_samples += data.shape[-1]
        self._to_check_rate(data, frame.sample_rate or AUDIO_RATE)

    def _to_check_rate(self, data: np.ndarray | None, rate: int) -> None:
        """Resample to AUDIO_RATE as the audio comes (None: flush); more than two channels are
        mixed to mono first. One polyphase resampler for the whole stream, so the result is the
        same as resampling the joined audio once."""
        if data is not None and data.shape[0] > 2:
            data = data.mean(axis=0, keepdims=True)
        if self.check_rate_resampler is None:
            if data is None:
                return
            layout = "mono" if data.shape[0] == 1 else "stereo"
            self.check_rate_resampler = AudioResampler(
                format="fltp", layout=layout, rate=AUDIO_RATE
            )
            self.check_layout = layout
        frame = None
        if data is not None:
            frame = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(data, dtype=np.float32),
                format="fltp",
                layout=self.check_layout,
            )
            frame.sample_rate = rate
            frame.pts = None
        for out in self.check_rate_resampler.resample(frame):
            self.audio.append(out.to_ndarray())

    def _count_clipping(self, data: np.ndarray, t0: float, rate: int) -> None:
        """Count runs of full-scale samples at the native rate (resampling would round them)."""
        if data.max(initial=0.0) < FULL_SCALE and data.min(initial=0.0) > -FULL_SCALE:
            self.tail_run = 0
            return
        hit = (np.abs(data) >= FULL_SCALE).any(axis=0).astype(np.int8)
        # Run starts/ends of consecutive full-scale samples (on any channel).
        edges = np.diff(np.concatenate(([0], hit, [0])))
        starts = np.flatnonzero(edges == 1)
        ends = np.flatnonzero(edges == -1)
        for start, end in zip(starts, ends, strict=True):
            carried = self.tail_run if start == 0 else 0
            if end - start + carried >= CLIP_RUN_SAMPLES and carried < CLIP_RUN_SAMPLES:
                self.clip_event_times.append(t0 + start / rate)
        self.tail_run = int(ends[-1] - starts[-1]) if ends[-1] == hit.size else 0

    def close(self) -> None:
        self.worker.shutdown(wait=True, cancel_futures=True)

    # --- result --------------------------------------------------------------------------------

    def finish(self) -> Samples:
        if self.resampler is not None:
            for out in self.resampler.resample(None):
                self._add_samples(out)
        self._to_check_rate(None, AUDIO_RATE)
        audio = self.audio.result()
        self.motion_done += [job.result() for job in self.motion]
        motion = np.array(self.motion_done, dtype=np.float64).reshape(-1, 2)
        faces = [job.result() for job in self.faces]
        self.close()
        return Samples(
            media=self.info,
            frame_times=np.array(self.frame_times),
            frame_luma=np.array(self.frame_luma),
            sample_times=np.array(self.sample_times),
            pictures=self.pictures,
            motion=motion,
            motion_times=np.array(self.motion_times),
            face_times=self.face_times,
            faces=faces,
            audio=audio,
            audio_rate=AUDIO_RATE,
            clip_event_times=self.clip_event_times,
        )


def _seconds(frame: av.VideoFrame | av.AudioFrame, fallback: float) -> float:
    """The frame's time in seconds; frame.time does Fraction arithmetic, which cost ~0.5 s per
    minute of 1080p with its audio, so the time base is turned into a float once per frame."""
    if frame.pts is None or frame.time_base is None:
        return fallback
    time_base = frame.time_base
    return frame.pts * time_base.numerator / time_base.denominator


class _AudioBuffer:
    """Check-rate audio appended in place into one (channels, n) float32 array, allocated for
    the probed duration (plus a little) and grown only if the file runs longer."""

    def __init__(self, duration: float) -> None:
        self.capacity = int((max(duration, 0.0) + AUDIO_SLACK_S) * AUDIO_RATE)
        self.data: np.ndarray | None = None
        self.size = 0

    def append(self, chunk: np.ndarray) -> None:
        channels, count = chunk.shape
        if self.data is None:
            self.data = np.empty((channels, max(self.capacity, count)), np.float32)
        if self.size + count > self.data.shape[1]:
            grown = np.empty((channels, 2 * (self.size + count)), np.float32)
            grown[:, : self.size] = self.data[:, : self.size]
            self.data = grown
        self.data[:, self.size : self.size + count] = chunk
        self.size += count

    def result(self) -> np.ndarray:
        if self.data is None:
            return np.zeros((0, 0), np.float32)
        data, self.data = self.data, None
        return data[:, : self.size]  # a view: the few seconds of slack are not copied away


def _global_motion(
    previous: np.ndarray, current: np.ndarray, window: np.ndarray, scale: int
) -> tuple[float, float]:
    """Shift of the whole picture from `previous` to `current`; NaN when not trustworthy.

    Each quarter of the picture is measured on its own: when the camera moves, they all move
    together; when things move in front of a still camera (or several things move different
    ways), they disagree, and that is not camera motion.
    """
    height, width = previous.shape
    half_h, half_w = height // 2, width // 2
    quarter_window = window
    shifts = []
    for y in (0, half_h):
        for x in (0, half_w):
            a = previous[y : y + half_h, x : x + half_w]
            b = current[y : y + half_h, x : x + half_w]
            (dx, dy), response = cv2.phaseCorrelate(a, b, quarter_window)
            if response >= MOTION_MIN_RESPONSE:
                shifts.append((dx, dy))
    if len(shifts) < MOTION_MIN_AGREEING:
        return (float("nan"), float("nan"))
    median = np.median(np.array(shifts), axis=0)
    tolerance = MOTION_AGREE_PX + MOTION_AGREE_SHARE * float(np.hypot(*median))
    agreeing = [s for s in shifts if np.hypot(s[0] - median[0], s[1] - median[1]) <= tolerance]
    if len(agreeing) < MOTION_MIN_AGREEING:
        return (float("nan"), float("nan"))
    return (float(median[0]) * scale, float(median[1]) * scale)


_FULL_RANGE = 2  # AVCOL_RANGE_JPEG: luma already uses 0..255
_TV_TO_FULL = np.clip((np.arange(256) - 16) * 255.0 / 219.0 + 0.5, 0, 255).astype(np.uint8)


def _luma_plane(frame: av.VideoFrame) -> np.ndarray | None:
    """The frame's luma plane as a numpy view (no copy, no conversion), or None for formats
    without one; 10-bit planes come back as uint16."""
    name = frame.format.name
    if name not in _LUMA_PLANE_FORMATS:
        return None
    plane = frame.planes[0]
    rows: np.ndarray
    if name.endswith("10le"):
        rows = np.frombuffer(memoryview(plane), np.uint16).reshape(-1, plane.line_size // 2)
    else:
        rows = np.frombuffer(memoryview(plane), np.uint8).reshape(-1, plane.line_size)
    return rows[: frame.height, : frame.width]


def _to_8bit(luma: np.ndarray) -> np.ndarray:
    """10-bit to 8-bit keeps the range convention (64..940 -> 16..235); call after subsampling."""
    if luma.dtype == np.uint16:
        return (luma >> 2).astype(np.uint8)
    return np.ascontiguousarray(luma)
