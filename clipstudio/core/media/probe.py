"""MediaInfo: what a clip really is, read with PyAV (there is no ffprobe in imageio-ffmpeg)."""

from __future__ import annotations

import itertools
import statistics
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import av
import av.error

from clipstudio.core.errors import BadInputError

Orientation = Literal["landscape", "portrait", "square"]

# Transfer characteristics that mean HDR (ITU-T H.273 codes): 16 = SMPTE ST 2084 (PQ), 18 = HLG.
TRC_PQ = 16
TRC_HLG = 18
HDR_TRANSFERS = {TRC_PQ: "pq", TRC_HLG: "hlg"}
TRANSFER_NAMES = {
    1: "bt709",
    6: "smpte170m",
    13: "srgb",
    14: "bt2020-10",
    15: "bt2020-12",
    16: "pq",
    18: "hlg",
}
PRIMARIES_NAMES = {1: "bt709", 5: "bt470bg", 6: "smpte170m", 9: "bt2020", 12: "p3"}

# A frame interval counts as "off" when it strays from the median by more than this fraction...
VFR_INTERVAL_TOLERANCE = 0.10
# ...and the clip is VFR when more than this share of intervals are off. Phone VFR clips measured
# here show 20-60 % off-intervals; CFR clips with coarse time bases (1/600) show none past 10 %.
VFR_OFF_SHARE = 0.05
# Demuxers of real audio/video files. ffmpeg also "opens" text (tty), images and subtitles.
MEDIA_CONTAINERS = {
    "mov", "mp4", "m4a", "3gp", "matroska", "webm", "avi", "mpegts", "mpeg", "flv", "asf",
    "ogg", "wav", "mp3", "aac", "flac", "mxf", "dv", "h264", "hevc", "caf", "aiff",
}  # fmt: skip
# A file whose index lists more frames than it holds was cut short (an unfinished copy).
COMPLETE_FRAME_SHARE = 0.98
# Demuxing more than this many video packets for the VFR measurement buys no accuracy.
VFR_MAX_PACKETS = 20_000


@dataclass(frozen=True)
class VideoInfo:
    codec: str
    profile: str | None
    coded_width: int
    coded_height: int
    rotation: (
        int  # degrees clockwise the viewer's picture is turned from the coded one (0/90/180/270)
    )
    display_width: int
    display_height: int
    orientation: Orientation
    avg_frame_rate: float
    real_frame_rate: float  # from the median packet interval, not the header
    is_vfr: bool
    frame_count: int
    pix_fmt: str
    bit_depth: int
    color_transfer: str | None
    color_primaries: str | None
    is_hdr: bool
    hdr_format: str | None  # "hlg", "pq" or None
    duration: float


@dataclass(frozen=True)
class AudioInfo:
    codec: str
    profile: str | None
    sample_rate: int
    channels: int
    duration: float


@dataclass(frozen=True)
class MediaInfo:
    path: str
    container: str
    duration: float
    size_bytes: int
    video: VideoInfo | None
    audio: AudioInfo | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def orientation_of(width: int, height: int) -> Orientation:
    if width == height:
        return "square"
    return "landscape" if width > height else "portrait"


def check_readable(path: Path) -> None:
    """Plain-words errors for the cases a volunteer actually hits before PyAV gets a say
    (missing, a folder, empty, no permission, a symlink loop)."""
    from clipstudio.core.files import check_readable as check_file

    check_file(path, "video file")


def require_picture(info: MediaInfo) -> None:
    """Clip Studio makes videos: a file with only sound is refused (by check and by export)."""
    if info.video is None:
        raise BadInputError(
            f"{Path(info.path).name} has no picture: Clip Studio needs a video, not only sound"
        )


def probe(path: str | Path) -> MediaInfo:
    """Describe a media file. Raises BadInputError for anything that is not readable media."""
    path = Path(path)
    check_readable(path)
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        if _looks_like_mp4(path):
            raise BadInputError(
                f"{path.name} is damaged or incomplete (was the copy from the phone finished?)"
            ) from exc
        raise BadInputError(f"this is not a video file Clip Studio can read: {path.name}") from exc
    with container:
        if not set(container.format.name.split(",")) & MEDIA_CONTAINERS:
            # ffmpeg opens almost anything (a .txt becomes "tty" ANSI art): only real media counts.
            raise BadInputError(f"this is not a video file Clip Studio can read: {path.name}")
        video = _video_info(container, path) if container.streams.video else None
        audio = _audio_info(container) if container.streams.audio else None
        if video is None and audio is None:
            raise BadInputError(f"the file has no picture and no sound: {path.name}")
        durations = [s.duration for s in (video, audio) if s is not None and s.duration > 0]
        container_duration = (container.duration or 0) / av.time_base
        duration = container_duration or (max(durations) if durations else 0.0)
        return MediaInfo(
            path=str(path),
            container=container.format.name,
            duration=float(duration),
            size_bytes=path.stat().st_size,
            video=video,
            audio=audio,
        )


def _stream_duration(stream: av.stream.Stream, container: av.container.InputContainer) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    return (container.duration or 0) / av.time_base


def _video_info(container: av.container.InputContainer, path: Path) -> VideoInfo:
    stream = container.streams.video[0]
    codec_context = stream.codec_context
    first_frame = _first_frame(container, stream, path)
    rotation = int(round(first_frame.rotation or 0)) % 360 if first_frame is not None else 0
    # PyAV reports the display matrix counter-clockwise; the viewer's turn is what matters here.
    rotation = (360 - rotation) % 360 if rotation in (90, 270) else rotation
    coded_w, coded_h = codec_context.width, codec_context.height
    display_w, display_h = (coded_h, coded_w) if rotation in (90, 270) else (coded_w, coded_h)
    pix_fmt = codec_context.pix_fmt or (first_frame.format.name if first_frame else "unknown")
    bit_depth = _bit_depth(pix_fmt)
    trc = _first_specified(codec_context.color_trc, first_frame.color_trc if first_frame else 2)
    primaries = _first_specified(
        codec_context.color_primaries, first_frame.color_primaries if first_frame else 2
    )
    hdr_format = HDR_TRANSFERS.get(trc) if trc is not None else None
    intervals, frame_count = _packet_intervals(container, stream)
    indexed_frames = int(stream.frames or 0)
    if indexed_frames and frame_count < indexed_frames * COMPLETE_FRAME_SHARE:
        raise BadInputError(
            f"{path.name} is damaged or incomplete: only {frame_count} of its {indexed_frames}"
            " frames are in the file (was the copy from the phone finished?)"
        )
    avg_rate = float(stream.average_rate) if stream.average_rate else 0.0
    real_rate, is_vfr = _frame_rate_from_intervals(intervals, avg_rate)
    duration = _stream_duration(stream, container)
    if avg_rate == 0.0 and duration > 0 and frame_count:
        avg_rate = frame_count / duration
    return VideoInfo(
        codec=codec_context.name,
        profile=codec_context.profile,
        coded_width=coded_w,
        coded_height=coded_h,
        rotation=rotation,
        display_width=display_w,
        display_height=display_h,
        orientation=orientation_of(display_w, display_h),
        avg_frame_rate=round(avg_rate, 3),
        real_frame_rate=round(real_rate, 3),
        is_vfr=is_vfr,
        frame_count=frame_count,
        pix_fmt=pix_fmt,
        bit_depth=bit_depth,
        color_transfer=TRANSFER_NAMES.get(trc, str(trc)) if trc is not None else None,
        color_primaries=PRIMARIES_NAMES.get(primaries, str(primaries)) if primaries else None,
        is_hdr=hdr_format is not None,
        hdr_format=hdr_format,
        duration=duration,
    )


def _first_frame(
    container: av.container.InputContainer, stream: av.video.stream.VideoStream, path: Path
) -> av.VideoFrame | None:
    """Decode one frame: rotation and colour tags are reliable only on frames in PyAV."""
    try:
        for frame in container.decode(stream):
            return frame
    except av.error.FFmpegError as exc:
        raise BadInputError(f"the video in {path.name} is damaged and cannot be decoded") from exc
    finally:
        container.seek(0)
    return None


def _looks_like_mp4(path: Path) -> bool:
    """An ISO-BMFF file starts with an `ftyp` box: then a failed open means damage, not junk."""
    with path.open("rb") as handle:
        return handle.read(12)[4:8] == b"ftyp"


def _first_specified(*codes: int | None) -> int | None:
    """First colour code that is not 'unspecified' (2) or 'reserved' (0/3)."""
    for code in codes:
        if code is not None and int(code) not in (0, 2, 3):
            return int(code)
    return None


def _bit_depth(pix_fmt: str) -> int:
    try:
        return int(av.video.format.VideoFormat(pix_fmt).components[0].bits)
    except (ValueError, IndexError):
        return 8


def _packet_intervals(
    container: av.container.InputContainer, stream: av.video.stream.VideoStream
) -> tuple[list[float], int]:
    """Presentation-time intervals between consecutive frames, measured from packets."""
    time_base = stream.time_base or Fraction(1, 90000)
    timestamps: list[int] = []
    count = 0
    try:
        for packet in container.demux(stream):
            if packet.pts is not None and packet.size:
                count += 1
                if len(timestamps) < VFR_MAX_PACKETS:
                    timestamps.append(packet.pts)
    except av.error.FFmpegError:
        pass  # a truncated file still gives the packets before the damage
    finally:
        container.seek(0)
    timestamps.sort()
    intervals = [float((b - a) * time_base) for a, b in itertools.pairwise(timestamps) if b > a]
    return intervals, count


def _frame_rate_from_intervals(intervals: list[float], header_rate: float) -> tuple[float, bool]:
    if len(intervals) < 2:
        return header_rate, False
    median = statistics.median(intervals)
    if median <= 0:
        return header_rate, False
    off = sum(1 for dt in intervals if abs(dt - median) > VFR_INTERVAL_TOLERANCE * median)
    return 1.0 / median, off / len(intervals) > VFR_OFF_SHARE


def _audio_info(container: av.container.InputContainer) -> AudioInfo:
    stream = container.streams.audio[0]
    codec_context = stream.codec_context
    return AudioInfo(
        codec=codec_context.name,
        profile=codec_context.profile,
        sample_rate=int(codec_context.sample_rate or 0),
        channels=int(codec_context.channels or 0),
        duration=_stream_duration(stream, container),
    )
