"""MediaInfo: what a clip really is, read with PyAV (there is no ffprobe in imageio-ffmpeg)."""

from __future__ import annotations

import itertools
import statistics
import struct
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import av
import av.error
from av.sidedata.sidedata import SideData

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
# Matrix coefficients (H.273 codes): how Y'CbCr was made from R'G'B'. 5/6 are BT.601.
MATRIX_NAMES = {1: "bt709", 5: "bt470bg", 6: "smpte170m", 9: "bt2020nc", 10: "bt2020c"}
BT601_MATRICES = {"bt470bg", "smpte170m"}
# An untagged picture is BT.601 up to SD size, BT.709 above it: what players (mpv, browsers)
# assume, so it is what the volunteer saw.
SD_MAX_WIDTH, SD_MAX_HEIGHT = 1024, 576
_FULL_RANGE = 2  # AVCOL_RANGE_JPEG
# Frame rates cameras and phones are set to (film, PAL, NTSC and their doubles, slow motion).
STANDARD_FRAME_RATES = tuple(
    Fraction(rate)
    for rate in ("24000/1001", "24", "25", "30000/1001", "30", "48", "50", "60000/1001", "60",
                 "100", "120000/1001", "120", "240")
)  # fmt: skip
# A phone's clock drifts from the rate it was set to: a Pixel 7 set to 30 fps writes 29.87
# (0.4 %), a browser-recorded WebM 30.3 (1 %). Phones are set to whole rates; the NTSC rates
# (29.97...) come from cameras with exact clocks.
NOMINAL_RATE_DRIFT = 0.015
# Timestamps match a rate when they are this close: half the 0.1 % between 30 and 29.97.
NOMINAL_RATE_MATCH = 0.0005
# A capture rate this many times the stored rate is slow motion recorded for slower playback.
SLOW_MOTION_FACTOR = 1.5
# What phones write as the capture rate of a slow-motion clip (Android's MediaRecorder).
CAPTURE_FPS_KEYS = ("com.android.capture.fps",)
# Peak brightness assumed for HDR10 without light-level metadata: the usual mastering display.
DEFAULT_HDR_PEAK_NITS = 1000.0

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
    # The rate the camera was set to (exact: 30 is 30/1, 29.97 is 30000/1001): see
    # nominal_frame_rate. presets.output_fps decides the export's rate from it.
    frame_rate: Fraction
    frame_count: int
    pix_fmt: str
    bit_depth: int
    color_transfer: str | None
    color_primaries: str | None
    is_hdr: bool
    hdr_format: str | None  # "hlg", "pq" or None
    duration: float
    # Colour: "pc" (full range 0-255, as many phones record) or "tv" (16-235, the video norm);
    # the matrix the picture was encoded with (an untagged one is guessed as players do).
    color_range: str = "tv"
    color_matrix: str = "bt709"
    # Pixels that are not square (an SD camera's 16:11): the display size above includes it.
    sample_aspect_ratio: Fraction = Fraction(1)
    dolby_vision: bool = False  # decoded as its HLG/HDR10 base layer (what the player shows)
    hdr_peak_nits: float | None = None  # from the light-level metadata (PQ tone mapping)
    capture_frame_rate: float | None = None  # slow motion: the rate the sensor ran at

    @property
    def is_full_range(self) -> bool:
        return self.color_range == "pc"

    @property
    def is_bt601(self) -> bool:
        return self.color_matrix in BT601_MATRICES


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
    # Streams that are neither picture nor sound (GoPro telemetry, Apple metadata tracks): the
    # export leaves them out. Each as "data: HANDLER NAME".
    ignored_streams: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """As JSON: exact rates as "30000/1001" strings."""
        data = asdict(self)
        if self.video is not None:
            for key in ("frame_rate", "sample_aspect_ratio"):
                data["video"][key] = str(getattr(self.video, key))
        return data


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
        # The picture and the sound decide the length: a GoPro's telemetry track runs 0.9 s
        # past them, and the container's duration includes it.
        duration = max(durations) if durations else (container.duration or 0) / av.time_base
        return MediaInfo(
            path=str(path),
            container=container.format.name,
            duration=float(duration),
            size_bytes=path.stat().st_size,
            video=video,
            audio=audio,
            ignored_streams=_ignored_streams(container),
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
    ticks, time_base, frame_count = _packet_ticks(container, stream)
    intervals = [b - a for a, b in itertools.pairwise(ticks) if b > a]
    indexed_frames = int(stream.frames or 0)
    if indexed_frames and frame_count < indexed_frames * COMPLETE_FRAME_SHARE:
        raise BadInputError(
            f"{path.name} is damaged or incomplete: only {frame_count} of its {indexed_frames}"
            " frames are in the file (was the copy from the phone finished?)"
        )
    avg_rate = float(stream.average_rate) if stream.average_rate else 0.0
    seconds_per_tick = float(time_base)
    real_rate, is_vfr = _frame_rate_from_intervals(
        [i * seconds_per_tick for i in intervals], avg_rate
    )
    duration = _stream_duration(stream, container)
    if avg_rate == 0.0 and duration > 0 and frame_count:
        avg_rate = frame_count / duration
    measured = _measured_rate(intervals, time_base, is_vfr)
    header = Fraction(stream.base_rate) if stream.base_rate else None
    frame_rate = nominal_frame_rate(header, measured or Fraction(avg_rate), is_vfr)
    sar = _sample_aspect_ratio(stream, codec_context)
    if sar != 1:
        coded_w_shown = max(2, round(coded_w * sar))
        display_w, display_h = (
            (coded_h, coded_w_shown) if rotation in (90, 270) else (coded_w_shown, coded_h)
        )
    side_data = _side_data(first_frame)
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
        frame_rate=frame_rate,
        color_range=_color_range(codec_context, first_frame, pix_fmt),
        color_matrix=_color_matrix(codec_context, first_frame, coded_w, coded_h),
        sample_aspect_ratio=sar,
        dolby_vision="DOVI_METADATA" in side_data or "DOVI_RPU_BUFFER" in side_data,
        hdr_peak_nits=_hdr_peak_nits(side_data) if hdr_format == "pq" else None,
        capture_frame_rate=_capture_rate(container, frame_rate),
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


def _packet_ticks(
    container: av.container.InputContainer, stream: av.video.stream.VideoStream
) -> tuple[list[int], Fraction, int]:
    """Presentation times (sorted, in ticks of the time base) of the first frames, the time
    base, and how many frames there are, measured from packets."""
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
    return timestamps, Fraction(time_base), count


def _measured_rate(intervals: list[int], time_base: Fraction, is_vfr: bool) -> Fraction | None:
    """The rate the timestamps show, exactly. A steady clip: the mean of its regular intervals
    (a coarse time base such as Apple's 1/600 rounds each interval, not their sum; a gap where
    a looped or joined file restarts is not one of them). A variable one: its median interval
    (the rate it runs at between dropped frames)."""
    if len(intervals) < 2:
        return None
    median = statistics.median_low(intervals)
    if is_vfr:
        return 1 / (median * time_base)
    regular = [i for i in intervals if abs(i - median) <= VFR_INTERVAL_TOLERANCE * median]
    return len(regular) / (sum(regular) * time_base)


def nominal_frame_rate(header: Fraction | None, measured: Fraction, is_vfr: bool) -> Fraction:
    """The rate the camera was set to, exactly.

    `header` is the container's declared rate (ffmpeg's r_frame_rate), `measured` what the
    timestamps show. A declared standard rate wins when the timestamps agree with it within a
    clock's drift, and always for a variable-rate phone clip (its timestamps fall below the
    setting when it drops frames in low light). Otherwise a standard rate the timestamps match
    exactly, else the whole rate nearest them within a clock's drift, else the measurement
    itself (a screen recording at 33.3 fps stays 33.3)."""
    if header in STANDARD_FRAME_RATES and (is_vfr or _within(measured, header, NOMINAL_RATE_DRIFT)):
        return header
    for rate in STANDARD_FRAME_RATES:
        if _within(measured, rate, NOMINAL_RATE_MATCH):
            return rate
    whole = [
        r
        for r in STANDARD_FRAME_RATES
        if r.denominator == 1 and _within(measured, r, NOMINAL_RATE_DRIFT)
    ]
    if whole:
        return min(whole, key=lambda rate: abs(rate - measured))
    if measured > 0:
        return measured.limit_denominator(1001)
    return header or Fraction(0)


def _within(measured: Fraction, rate: Fraction, share: float) -> bool:
    return abs(measured - rate) <= share * rate


def _sample_aspect_ratio(
    stream: av.video.stream.VideoStream, codec_context: av.video.codeccontext.VideoCodecContext
) -> Fraction:
    for ratio in (stream.sample_aspect_ratio, codec_context.sample_aspect_ratio):
        if ratio is not None and ratio > 0:
            return Fraction(ratio)
    return Fraction(1)


def _color_range(
    codec_context: av.video.codeccontext.VideoCodecContext,
    frame: av.VideoFrame | None,
    pix_fmt: str,
) -> str:
    """ "pc" for full range. The decoded frame knows best: a GoPro's stream header says limited
    while its pictures are yuvj420p (full)."""
    if pix_fmt.startswith("yuvj"):
        return "pc"
    code = frame.color_range if frame is not None else codec_context.color_range
    return "pc" if int(code or 0) == _FULL_RANGE else "tv"


def _color_matrix(
    codec_context: av.video.codeccontext.VideoCodecContext,
    frame: av.VideoFrame | None,
    width: int,
    height: int,
) -> str:
    code = _first_specified(frame.colorspace if frame is not None else None,
                            codec_context.colorspace)  # fmt: skip
    if code in MATRIX_NAMES:
        return MATRIX_NAMES[code]
    return "smpte170m" if width <= SD_MAX_WIDTH and height <= SD_MAX_HEIGHT else "bt709"


def _side_data(frame: av.VideoFrame | None) -> dict[str, bytes]:
    """The frame's side data by type name (HDR light levels, Dolby Vision metadata...)."""
    if frame is None:
        return {}
    # PyAV's stub types side_data as a TypedDict; at run time it iterates SideData objects.
    entries: Iterable[SideData] = frame.side_data  # type: ignore[assignment]
    return {data.type.name: bytes(data) for data in entries}


def _hdr_peak_nits(side_data: dict[str, bytes]) -> float:
    """The brightest the picture gets: MaxCLL, else the mastering display's peak."""
    light = side_data.get("CONTENT_LIGHT_LEVEL", b"")
    if len(light) >= 8 and struct.unpack("<I", light[:4])[0] > 0:
        return float(struct.unpack("<I", light[:4])[0])
    mastering = side_data.get("MASTERING_DISPLAY_METADATA", b"")
    if len(mastering) >= 88:
        values = struct.unpack("<22i", mastering[:88])
        # AVMasteringDisplayMetadata: 8 rationals of primaries/white, then min and max
        # luminance, then has_primaries, has_luminance.
        if values[21] and values[19] > 0:
            return values[18] / values[19]
    return DEFAULT_HDR_PEAK_NITS


def _capture_rate(container: av.container.InputContainer, frame_rate: Fraction) -> float | None:
    """Slow motion: a capture rate well above the stored one (Android's metadata), or a stored
    rate far above normal playback (an iPhone writes its 120/240 fps frames as they are)."""
    for key in CAPTURE_FPS_KEYS:
        try:
            capture = float(container.metadata.get(key, ""))
        except ValueError:
            continue
        if capture >= SLOW_MOTION_FACTOR * float(frame_rate):
            return capture
    if frame_rate >= 100:
        return float(frame_rate)
    return None


def _ignored_streams(container: av.container.InputContainer) -> tuple[str, ...]:
    """Streams that are neither picture nor sound, named as the camera named them."""
    ignored = []
    for stream in container.streams:
        if stream.type in ("video", "audio"):
            continue
        handler = str(stream.metadata.get("handler_name", "")).strip()
        ignored.append(f"{stream.type}: {handler}" if handler else str(stream.type))
    return tuple(ignored)


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
