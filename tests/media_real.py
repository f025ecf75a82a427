"""Real phone footage (../shared/media/real, skipped when absent), loops of its short files made
by stream copy, clips that carry what phones write (full range, BT.601, non-square pixels,
HDR10), and pixel readouts that honour each file's own colour range and matrix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import pytest
from media import MediaFactory

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "media" / "real"
REAL_VIDEO = REAL / "video"
REAL_SPEECH = REAL / "speech"
needs_real = pytest.mark.skipif(not REAL_VIDEO.is_dir(), reason="../shared/media/real is absent")


def real_videos() -> list[Path]:
    return sorted(REAL_VIDEO.iterdir()) if REAL_VIDEO.is_dir() else []


# Loops of the short files, long enough for every check's window and the integrated loudness
# measure (3 s), short enough that each export takes a few seconds.
LOOP_SECONDS = 3.5


def looped(media: MediaFactory, source: Path, seconds: float = LOOP_SECONDS) -> Path:
    """`source` repeated by stream copy (`-stream_loop N -c copy`): the real bitstream, longer.
    Picture and sound only: MP4 cannot carry a copy of Apple's metadata tracks."""
    with av.open(str(source)) as container:
        duration = max(0.1, (container.duration or 0) / av.time_base)
    repeats = max(1, int(np.ceil(seconds / duration)) - 1)
    suffix = source.suffix if source.suffix in (".mp4", ".mov") else ".mp4"
    return media.ffmpeg_clip(
        f"loop-{source.stem}",
        ["-stream_loop", str(repeats), "-i", str(source), "-map", "0:v", "-map", "0:a?",
         "-c", "copy"],
        suffix=suffix,
    )  # fmt: skip


# --- clips with a phone's colour and geometry -----------------------------------------------------


def full_range_clip(media: MediaFactory) -> Path:
    """Full-range yuvj420p tagged pc, as Pixel and GoPro files are: a luma ramp over the whole
    0-255 code range (where relabelling as limited crushes the darkest 16 levels to black and
    clips the top 20 to white) under a band of colour."""
    return media.ffmpeg_clip("fullrange", [
        "-f", "lavfi", "-i", "color=black:size=640x360:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "2",
        "-vf", "format=yuvj420p,geq=lum='255*X/(W-1)':cb='if(lt(Y,H/4),128+90*sin(X/30),128)'"
        ":cr='if(lt(Y,H/4),128+90*cos(X/40),128)'",
        "-c:v", "libx264", "-preset", "ultrafast", "-qp", "4", "-color_range", "pc",
        "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-c:a", "aac",
    ])  # fmt: skip


def bt601_clip(media: MediaFactory) -> Path:
    """HD picture encoded and tagged with the BT.601 matrix (older Android phones)."""
    return media.ffmpeg_clip("bt601", [
        "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "2",
        "-vf", "scale=out_color_matrix=bt601:out_range=tv,format=yuv420p",
        "-c:v", "libx264", "-preset", "ultrafast", "-colorspace", "smpte170m",
        "-color_primaries", "smpte170m", "-color_trc", "smpte170m", "-c:a", "aac",
    ])  # fmt: skip


def anamorphic_clip(media: MediaFactory) -> Path:
    """720x576 with 16:11 pixels (shown 1047x576) and a white box of 76x110 coded pixels, which
    is square on screen (76 x 16/11 = 110.5)."""
    return media.ffmpeg_clip("anamorphic", [
        "-f", "lavfi", "-i", "color=gray:size=720x576:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "2",
        "-vf", "drawbox=x=322:y=233:w=76:h=110:color=white:t=fill,setsar=16/11",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
    ])  # fmt: skip


def pq_hevc(media: MediaFactory) -> Path:
    """10-bit HEVC HDR10 (PQ, BT.2020) whose whites reach 1000 nits, with its light-level
    metadata, as a phone's HDR10 video."""
    return media.ffmpeg_clip("pq", [
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "2",
        "-vf", "zscale=tin=bt709:pin=bt709:min=bt709:t=smpte2084:p=bt2020:m=bt2020nc:npl=1000,"
        "format=yuv420p10le",
        "-c:v", "libx265", "-tag:v", "hvc1", "-x265-params",
        "log-level=error:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc:hdr10=1:"
        "master-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,50):"
        "max-cll=1000,400",
        "-color_primaries", "bt2020", "-color_trc", "smpte2084", "-colorspace", "bt2020nc",
        "-c:a", "aac",
    ])  # fmt: skip


def reference_tonemap(media: MediaFactory, source: Path) -> Path:
    """The reference HDR10 -> SDR conversion everyone quotes: zscale to linear light, Hable, back
    to BT.709 (same peak as the file's light-level metadata)."""
    return media.ffmpeg_clip(f"reference-{source.stem}", [
        "-i", str(source), "-vf",
        "zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=tonemap=hable:desat=0"
        ":peak=10,zscale=t=bt709:m=bt709:r=tv,format=yuv420p",
        "-c:v", "libx264", "-crf", "16", "-preset", "ultrafast", "-an",
    ])  # fmt: skip


# --- pixels as the viewer sees them ------------------------------------------------------------

# Luma weights (Kr, Kb) of each matrix probe names.
_MATRIX_WEIGHTS = {1: (0.2126, 0.0722), 5: (0.299, 0.114), 6: (0.299, 0.114), 9: (0.2627, 0.0593)}


def viewer_rgb(frame: av.VideoFrame, untagged_matrix: int = 1) -> np.ndarray:
    """An 8-bit 4:2:0 frame as 0-255 RGB floats, decoded with the frame's own range and
    matrix (PyAV's own conversion assumes BT.601 limited range whatever the tags)."""
    ten_bit = "10" in frame.format.name
    planes = []
    for plane in frame.planes[:3]:
        dtype, width = (np.uint16, plane.line_size // 2) if ten_bit else (np.uint8, plane.line_size)
        rows = np.frombuffer(memoryview(plane), dtype).reshape(-1, width)
        values = rows[: plane.height, : plane.width].astype(np.float32)
        planes.append(values / 4 if ten_bit else values)
    y, u, v = planes
    u = np.repeat(np.repeat(u, 2, 0), 2, 1)[: y.shape[0], : y.shape[1]]
    v = np.repeat(np.repeat(v, 2, 0), 2, 1)[: y.shape[0], : y.shape[1]]
    if frame.color_range == 2 or frame.format.name.startswith("yuvj"):
        y, u, v = y / 255, (u - 128) / 255, (v - 128) / 255
    else:
        y, u, v = (y - 16) / 219, (u - 128) / 224, (v - 128) / 224
    kr, kb = _MATRIX_WEIGHTS.get(int(frame.colorspace), _MATRIX_WEIGHTS[untagged_matrix])
    r = y + 2 * (1 - kr) * v
    b = y + 2 * (1 - kb) * u
    g = (y - kr * r - kb * b) / (1 - kr - kb)
    return np.clip(np.stack([r, g, b], axis=-1) * 255, 0, 255)


def viewer_frames(path: Path, every: int = 1, untagged_matrix: int = 1) -> list[np.ndarray]:
    """Every `every`-th frame of a file as the viewer sees it (viewer_rgb)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return [viewer_rgb(f, untagged_matrix) for i, f in enumerate(container.decode(stream))
                if i % every == 0]  # fmt: skip


def extremes(frames: list[np.ndarray]) -> tuple[float, float, float]:
    """(share of channel values <= 5, share >= 254, mean) over the frames: crushed blacks and
    clipped whites show here first."""
    values = np.concatenate([f.ravel() for f in frames])
    return float((values <= 5.5).mean()), float((values >= 253.5).mean()), float(values.mean())


# A still grey picture for recordings of sound alone (check needs a video), and the encoding
# of every clip made here.
STILL = ["-f", "lavfi", "-i", "color=0x606060:size=320x180:rate=30"]
ENCODE = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
          "-b:a", "128k", "-ar", "48000"]  # fmt: skip


def speech_video(media: MediaFactory, audio: Path, seconds: float | None = None) -> Path:
    """A real recording under a still picture (check needs a video), 48 kHz AAC as a phone
    writes it; `seconds` loops it (real speech, said again) to that length."""
    loop = ["-stream_loop", "-1"] if seconds else []
    length = ["-t", f"{seconds:g}"] if seconds else ["-shortest"]
    return media.ffmpeg_clip(f"real-{audio.stem}", [*STILL, *loop, "-i", str(audio), *length,
                                                    *ENCODE])  # fmt: skip


def decoded_mono(path: Path, rate: int = 48_000) -> np.ndarray:
    """A file's first audio stream as mono float at `rate`."""
    return decoded(path, rate, "mono")[:, 0]


def decoded(path: Path, rate: int = 48_000, layout: str = "stereo") -> np.ndarray:
    """A file's first audio stream as (samples, channels) float at `rate`: stereo repeats a
    mono source on both sides at full level, as the export does."""
    with av.open(str(path)) as container:
        mono = container.streams.audio[0].codec_context.channels == 1
        # swresample spreads mono over two channels at -3 dB each; the export keeps full level.
        resampler = av.AudioResampler(format="fltp", layout="mono" if mono else layout, rate=rate)
        parts = [out.to_ndarray() for frame in container.decode(audio=0)
                 for out in resampler.resample(frame)]  # fmt: skip
    channels = 1 if layout == "mono" else 2
    if not parts:
        return np.zeros((0, channels), np.float32)
    audio = np.concatenate(parts, axis=1).T
    return np.repeat(audio, channels, axis=1) if audio.shape[1] < channels else audio


# Bursts: 1.5 s of every 5 s at full level, the rest 18 dB down (thunder over rain, traffic
# passing), with 0.1 s ramps either side: ffmpeg's volume expression (t: seconds; u runs over
# each period with the ramp up first).
BURST_PERIOD_S, BURST_S, BURST_FLOOR = 5.0, 1.5, 0.125
BURST_RAMP_S = 0.1
BURSTS = (
    f"volume=eval=frame:volume='{BURST_FLOOR}+(1-{BURST_FLOOR})*clip(min(mod(t+{BURST_RAMP_S},"
    f"{BURST_PERIOD_S}),{BURST_S + 2 * BURST_RAMP_S}-mod(t+{BURST_RAMP_S},{BURST_PERIOD_S}))"
    f"/{BURST_RAMP_S},0,1)'"
)
# The mix leaves this much headroom under full scale (a phone's limiter would).
MIX_PEAK = 0.9
# Real noise in the shared videos (their README): the GoPro's drone rotors (loud, steady,
# broadband), the Live Photo's train (its file is train.mov) and the iPhone 6's street.
NOISES = {
    "rotor": REAL_VIDEO / "gopro_karma.mp4",
    "train": REAL_VIDEO / "iphone6s_livephoto.mov",
    "street": REAL_VIDEO / "iphone6_gps.mov",
}
PCM = ["-c:a", "pcm_f32le", "-ar", "48000", "-ac", "1"]


@dataclass(frozen=True)
class NoisyMix:
    """A clip of real speech mixed with real noise, and the speech-to-noise ratio the mix really
    has, measured over the speech (the VAD's spans of the clean speech)."""

    video: Path
    snr_db: float


def joined_speech_wav(media: MediaFactory, recordings: list[Path]) -> Path:
    """Real recordings one after the other, 48 kHz mono float (ffmpeg's concat)."""
    inputs = [arg for path in recordings for arg in ("-i", str(path))]
    joined = "".join(f"[{i}:a]" for i in range(len(recordings)))
    return media.ffmpeg_clip(f"speech-{recordings[0].stem}", [
        *inputs, "-filter_complex",
        f"{joined}concat=n={len(recordings)}:v=0:a=1,aresample=48000,pan=mono|c0=c0", *PCM,
    ], suffix=".wav")  # fmt: skip


def noise_bed_wav(media: MediaFactory, noise: Path, seconds: float, bursty: bool = False) -> Path:
    """A shared video's own sound, looped by the demuxer to `seconds`, both channels averaged,
    48 kHz mono float; `bursty` makes it come and go (BURSTS)."""
    shape = ["-af", BURSTS] if bursty else []
    return media.ffmpeg_clip(f"noise-{noise.stem}", [
        "-stream_loop", "-1", "-i", str(noise), "-map", "0:a", "-t", f"{seconds:.3f}",
        *shape, *PCM,
    ], suffix=".wav")  # fmt: skip


def speech_active(speech: np.ndarray, rate: int = 48_000) -> np.ndarray:
    """Mask of the samples where the clean speech is spoken (Silero VAD spans)."""
    from clipstudio.core.speech.vad import VAD_RATE, speech_spans

    spans = speech_spans(speech[:: rate // VAD_RATE].astype(np.float32), VAD_RATE)
    mask = np.zeros(speech.size, dtype=bool)
    for start, end in spans:
        mask[int(start * rate) : int(end * rate)] = True
    return mask


def snr_over_speech(speech: np.ndarray, noise: np.ndarray, active: np.ndarray) -> float:
    """Speech-to-noise power ratio (dB) over the speech-active samples only: pauses neither
    dilute the speech nor hide the noise."""
    return float(10 * np.log10(np.mean(speech[active] ** 2) / np.mean(noise[active] ** 2)))


def noisy_speech(
    media: MediaFactory, recordings: list[Path], noise: Path, snr_db: float, bursty: bool = False
) -> NoisyMix:
    """Real speech mixed by ffmpeg (amix, no normalisation) with a shared video's real noise,
    the noise's gain set so the SNR over the speech is `snr_db`, under a still picture. The SNR
    returned is measured on the mix itself: the mix minus the (scaled) speech is the noise."""
    speech_wav = joined_speech_wav(media, recordings)
    speech = decoded_mono(speech_wav)
    seconds = speech.size / 48_000
    noise_wav = noise_bed_wav(media, noise, seconds, bursty)
    bed = decoded_mono(noise_wav)[: speech.size]
    bed = np.pad(bed, (0, speech.size - bed.size))
    active = speech_active(speech)
    noise_gain = 10 ** ((snr_over_speech(speech, bed, active) - snr_db) / 20)
    # One more gain on both keeps the mix's peaks at MIX_PEAK without changing the ratio.
    headroom = min(1.0, MIX_PEAK / float(np.abs(speech + noise_gain * bed).max()))
    mix_wav = media.ffmpeg_clip(f"mix-{noise.stem}", [
        "-i", str(speech_wav), "-i", str(noise_wav), "-filter_complex",
        f"[0:a]volume={headroom:.6f}[s];[1:a]volume={headroom * noise_gain:.6f}[n];"
        "[s][n]amix=inputs=2:normalize=0:duration=first", *PCM,
    ], suffix=".wav")  # fmt: skip
    mixed = decoded_mono(mix_wav)[: speech.size]
    made = snr_over_speech(headroom * speech, mixed - headroom * speech, active)
    video = media.ffmpeg_clip(f"noisy-{recordings[0].stem}-{noise.stem}",
                              [*STILL, "-i", str(mix_wav), "-shortest", *ENCODE])  # fmt: skip
    return NoisyMix(video, made)


def deep_voice_video(media: MediaFactory, speech: Path, seconds: float = 20.0) -> Path:
    """A real voice made deeper (pitch down 30 %: a fundamental near 100 Hz) with a 10 dB bass
    boost at 120 Hz (a phone close to the chest), looped: energy at 100-140 Hz, no wind."""
    return media.ffmpeg_clip(f"deep-{speech.stem}", [
        *STILL, "-stream_loop", "-1", "-i", str(speech), "-t", f"{seconds:g}",
        "-af", "aresample=48000,asetrate=48000*0.7,aresample=48000,bass=g=10:f=120:w=0.7,"
        "alimiter=limit=0.7", *ENCODE,
    ])  # fmt: skip


def speech_set(folder: str) -> list[Path]:
    """The shared recordings of one set (harvard, ljspeech) in order."""
    return sorted((REAL_SPEECH / folder).glob("*.wav"))


def joined_speech_video(media: MediaFactory, recordings: list[Path]) -> Path:
    """Several real recordings one after the other under a still picture."""
    inputs = [arg for path in recordings for arg in ("-i", str(path))]
    joined = "".join(f"[{i}:a]" for i in range(len(recordings)))
    still = len(recordings)
    return media.ffmpeg_clip(f"joined-{recordings[0].stem}", [
        *inputs, *STILL,
        "-filter_complex", f"{joined}concat=n={len(recordings)}:v=0:a=1,aresample=48000[a]",
        "-map", f"{still}:v", "-map", "[a]", "-shortest", *ENCODE,
    ])  # fmt: skip
