"""The one place that finds ffmpeg and builds its commands (graphs via ffmpeg-python).

Every function here returns an argument list or parses ffmpeg's output; running happens in
clipstudio.core.process. Nothing else in the code base writes ffmpeg flags.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import ffmpeg as ffmpeg_graph  # ffmpeg-python

from clipstudio.core.edit.plan import EditPlan, Fixes
from clipstudio.core.errors import InternalError
from clipstudio.core.export import presets as rules
from clipstudio.core.export.cutaways import CutawayLayer
from clipstudio.core.export.fit import CROP_LEFT_SHARE, CROP_TOP_SHARE, Fit, FitMode

# The picture fixes' numbers live in export/look.py: the window's preview draws from them too.
from clipstudio.core.export.look import (
    BACKGROUND_BLUR_PASSES,
    BACKGROUND_BLUR_RADIUS,
    BACKGROUND_DARKEN,
    BRIGHTEN_CURVE,
    DEFLICKER_FRAMES,
)
from clipstudio.core.export.loudness import LIMITER_MARGIN_DB, LoudnessPlan
from clipstudio.core.export.music import DUCK_ATTACK_S, DUCK_DB, DUCK_RELEASE_S, MusicBed
from clipstudio.core.export.timeline import Piece, Run, main_duration
from clipstudio.core.media.probe import MediaInfo, VideoInfo
from clipstudio.core.speech.vad import VAD_RATE
from clipstudio.core.vocabulary import Fix

# Silence detection for the default trim: speech pauses sit 30-40 dB under speech level.
SILENCE_THRESHOLD_DB = -35
SILENCE_MIN_GAP_S = 0.35
# Stabilise fix: vid.stab defaults tuned for hand-held phone footage.
VIDSTAB_SHAKINESS = 6
VIDSTAB_SMOOTHING = 15
# Audio clean-up: wind and handling rumble sit below 100 Hz; speech's lowest useful energy is
# above 80 Hz. Measured on the wind test clip: one 2-pole high-pass at 90 Hz or two at 120 Hz
# left the gusts flagged; two at 150 Hz (24 dB/octave) removed them. Speech keeps its harmonics.
HIGHPASS_HZ = 150
HIGHPASS_STAGES = 2
# afftdn with nr=12 and its default -50 dB floor left the speech-to-noise ratio of a noisy test
# clip unchanged; nr=30 with a -25 dB starting floor (then tracked) raised it by 3.4 dB.
DENOISE_REDUCTION_DB = 30
DENOISE_NOISE_FLOOR_DB = -25
# zscale's names for the matrices probe reports (probe.MATRIX_NAMES).
ZSCALE_MATRIX = {"bt709": "709", "bt470bg": "470bg", "smpte170m": "170m", "bt2020nc": "2020_ncl",
                 "bt2020c": "2020_cl"}  # fmt: skip
ZSCALE_TRANSFER = {"hlg": "arib-std-b67", "pq": "smpte2084"}
# Tone mapping: linear light scaled so 100 nits (SDR reference white) is 1.0; Hable's curve
# rolls the highlights off up to the source's peak. HLG's peak is its reference display's 1000
# nits (BT.2100); PQ's is read from the file (probe: MaxCLL or the mastering display).
TONEMAP_NOMINAL_NITS = 100
HLG_PEAK_NITS = 1000.0
# The last moments of the clip dissolve into the end card (a hard cut to a flat colour jars);
# the card itself then stays fully visible for its whole set duration.
END_CARD_DISSOLVE_S = 0.3
# The speech's last 0.15 s fade out before the card's silence, so the cut never clicks.
SPEECH_FADE_OUT_S = 0.15


@functools.cache
def ffmpeg_exe() -> str:
    """The ffmpeg binary shipped by imageio-ffmpeg (has libx264, libass, ebur128, zscale)."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


BASE_ARGS = ["-hide_banner", "-nostdin", "-y"]


def _compile(stream: ffmpeg_graph.nodes.Stream) -> list[str]:
    """ffmpeg-python graph -> argv, with our binary and quiet-but-useful logging."""
    args = ffmpeg_graph.compile(stream, cmd=ffmpeg_exe())
    return [args[0], *BASE_ARGS, *args[1:]]


# --- commands -----------------------------------------------------------------------------------


# Inputs open this much before the first take they serve: ffmpeg's accurate seek drops every
# frame before the seek point, and a frame a hair before a take's start is still its first.
INPUT_LEAD_S = 0.1


def _open(runs: Sequence[Run]) -> list[ffmpeg_graph.nodes.InputNode]:
    """One input per run: seeking to just before its first take (fast), read to its last; the
    re-encode makes the cuts frame-accurate."""
    return [
        ffmpeg_graph.input(run.source, ss=f"{_opened_at(run):.6f}", to=f"{run.end:.6f}")
        for run in runs
    ]


def _opened_at(run: Run) -> float:
    return max(0.0, run.start - INPUT_LEAD_S)


def _branches(
    inputs: Sequence[ffmpeg_graph.nodes.InputNode], pieces: Sequence[Piece], kind: str
) -> list[ffmpeg_graph.nodes.FilterableStream | None]:
    """Each piece's picture ("v") or sound ("a") stream from its input, split where pieces
    share one (decoded once); None for a piece whose source has no sound."""
    wanted = [p.run if kind == "v" or p.has_audio else None for p in pieces]
    streams: dict[int, list[ffmpeg_graph.nodes.FilterableStream]] = {}
    for run in {r for r in wanted if r is not None}:
        count = wanted.count(run)
        stream = inputs[run].video if kind == "v" else inputs[run].audio
        if count == 1:
            streams[run] = [stream]
        else:
            split = stream.filter_multi_output("split" if kind == "v" else "asplit", count)
            streams[run] = [split[index] for index in range(count)]
    return [None if run is None else streams[run].pop(0) for run in wanted]


def _sample_bounds(pieces: Sequence[Piece], rate: Fraction) -> list[int]:
    """Where each piece starts on the output timeline, in audio samples (and where the last
    ends): from the frame counts, so the sound is exactly as long as the picture."""
    bounds, frames = [0], 0
    for piece in pieces:
        frames += piece.frames
        bounds.append(round(frames / rate * rules.AUDIO_RATE))
    return bounds


def _piece_sound(
    stream: ffmpeg_graph.nodes.FilterableStream | None,
    piece: Piece,
    runs: Sequence[Run],
    samples: int,
    fixes: Fixes,
) -> ffmpeg_graph.nodes.FilterableStream:
    """A take's sound, with what it lends the crossfades, as exactly `samples` 48 kHz stereo
    samples (a source without sound gives silence)."""
    if stream is None:
        silent = ffmpeg_graph.input(
            f"anullsrc=r={rules.AUDIO_RATE}:cl=stereo",
            f="lavfi",
            t=f"{samples / rules.AUDIO_RATE + 0.1:.6f}",
        ).audio
        return silent.filter("atrim", end_sample=samples)
    start = piece.take.start - piece.borrow_before - _opened_at(runs[piece.run])
    seconds = samples / rules.AUDIO_RATE
    audio = stream.filter("atrim", start=f"{start:.6f}", end=f"{start + seconds + 0.05:.6f}")
    audio = _audio_chain(audio.filter("asetpts", "PTS-STARTPTS"), piece.media, fixes)
    return audio.filter("apad", whole_len=samples).filter("atrim", end_sample=samples)


def _joined_sound(
    inputs: Sequence[ffmpeg_graph.nodes.InputNode],
    pieces: Sequence[Piece],
    runs: Sequence[Run],
    fixes: Fixes,
    rate: Fraction,
) -> ffmpeg_graph.nodes.FilterableStream:
    """Every take's sound joined with a short crossfade at each join (timeline.CROSSFADE_S),
    exactly as long as the joined picture."""
    bounds = _sample_bounds(pieces, rate)
    lend = [
        (round(p.borrow_before * rules.AUDIO_RATE), round(p.borrow_after * rules.AUDIO_RATE))
        for p in pieces
    ]
    joined: ffmpeg_graph.nodes.FilterableStream | None = None
    for index, (stream, piece) in enumerate(
        zip(_branches(inputs, pieces, "a"), pieces, strict=True)
    ):
        before, after = lend[index]
        samples = bounds[index + 1] - bounds[index] + before + after
        sound = _piece_sound(stream, piece, runs, samples, fixes)
        if joined is None:
            joined = sound
            continue
        overlap = lend[index - 1][1] + before
        if overlap > 0:
            joined = ffmpeg_graph.filter(
                [joined, sound], "acrossfade", ns=overlap, c1="tri", c2="tri"
            )
        else:
            joined = ffmpeg_graph.concat(joined, sound, v=0, a=1)
    assert joined is not None
    return joined


def _audio_chain(
    stream: ffmpeg_graph.nodes.FilterableStream, media: MediaInfo, fixes: Fixes
) -> ffmpeg_graph.nodes.FilterableStream:
    """Source audio as 48 kHz stereo, cleaned when asked; before loudness measurement."""
    assert media.audio is not None
    if media.audio.channels == 1:
        stream = stream.filter("pan", args="stereo|c0=c0|c1=c0")  # mono on both sides, not -3 dB
    stream = stream.filter("aformat", sample_rates=rules.AUDIO_RATE, channel_layouts="stereo")
    if Fix.DENOISE_AUDIO in fixes:
        for _stage in range(HIGHPASS_STAGES):
            stream = stream.filter("highpass", f=HIGHPASS_HZ, poles=2)
        stream = stream.filter("afftdn", nr=DENOISE_REDUCTION_DB, nf=DENOISE_NOISE_FLOOR_DB, tn=1)
    return stream


def loudness_measure_command(
    pieces: Sequence[Piece],
    runs: Sequence[Run],
    fixes: Fixes,
    fps: Fraction,
    readings: Path,
    speech_audio: Path,
) -> list[str]:
    """First pass over the joined audio exactly as the render will hear it: ebur128's readings
    every 100 ms into `readings` (ametadata's print; its summary with the true peak on stderr),
    and the audio as 16 kHz mono float into `speech_audio` for the speech detector."""
    audio = _joined_sound(_open(runs), pieces, runs, fixes, fps)
    copies = audio.filter_multi_output("asplit", 2)
    meter = _metered(copies[0], readings)
    speech = copies[1].filter("aresample", VAD_RATE).filter("pan", args="mono|c0=0.5*c0+0.5*c1")
    return _compile(
        ffmpeg_graph.merge_outputs(
            ffmpeg_graph.output(meter, "-", f="null"),
            ffmpeg_graph.output(speech, str(speech_audio), f="f32le"),
        )
    )


def _metered(
    audio: ffmpeg_graph.nodes.FilterableStream, readings: Path
) -> ffmpeg_graph.nodes.FilterableStream:
    """ebur128 with its tags printed to a file (stderr keeps only the summary)."""
    metered = audio.filter("ebur128", peak="true", metadata=1, framelog="quiet")
    return metered.filter("ametadata", mode="print", file=str(readings))


def loudness_readings_command(path: Path, readings: Path) -> list[str]:
    """ebur128's readings of a file's audio (the validation measures what it was promised)."""
    return _compile(ffmpeg_graph.output(_metered(ffmpeg_graph.input(str(path)).audio, readings),
                                        "-", f="null"))  # fmt: skip


def music_measure_command(bed: MusicBed, plain: Path, laid: Path) -> list[str]:
    """The music as the video will play it (looped, or cut, to its length): ebur128's readings
    of it as it is into `plain` (its own loudness, for the gain) and as laid under the speech,
    ducked and faded at no gain, into `laid` (to predict the mix)."""
    copies = _music(bed.source, bed.duration).filter_multi_output("asplit", 2)
    return _compile(
        ffmpeg_graph.merge_outputs(
            ffmpeg_graph.output(_metered(copies[0], plain), "-", f="null"),
            ffmpeg_graph.output(
                _metered(_laid(copies[1], replace(bed, gain_db=0.0)), laid), "-", f="null"
            ),  # fmt: skip
        )
    )


def _music(source: str, seconds: float) -> ffmpeg_graph.nodes.FilterableStream:
    """A music file looped for as long as it is needed, as 48 kHz stereo."""
    music = ffmpeg_graph.input(source, stream_loop=-1, t=f"{seconds:.6f}").audio
    return music.filter(
        "aformat", sample_fmts="fltp", sample_rates=rules.AUDIO_RATE, channel_layouts="stereo"
    )


# The duck's gain is evaluated once per audio frame; frames of 5 ms make its ramps smooth steps
# of under 1 dB (the decoder's 1152-sample frames stepped 6 dB at a time).
DUCK_STEP_SAMPLES = 240


def duck_expression(bed: MusicBed) -> str:
    """The duck as a `volume` expression of t: DUCK_DB down over each stretch of speech,
    ramping down DUCK_ATTACK_S before it and up DUCK_RELEASE_S after it."""
    terms = [
        f"min(clip((t-{start - DUCK_ATTACK_S:.3f})/{DUCK_ATTACK_S},0,1),"
        f"clip(({end + DUCK_RELEASE_S:.3f}-t)/{DUCK_RELEASE_S},0,1))"
        for start, end in bed.ducked
    ]
    return f"pow(10,-{DUCK_DB / 20:g}*min(1,{'+'.join(terms) or '0'}))"


def _laid(
    music: ffmpeg_graph.nodes.FilterableStream, bed: MusicBed
) -> ffmpeg_graph.nodes.FilterableStream:
    """The music at its gain, ducked under the speech, faded in and out to the video's length."""
    if bed.gain_db:
        music = music.filter("volume", f"{bed.gain_db:.2f}dB")
    if bed.ducked:
        music = music.filter("asetnsamples", n=DUCK_STEP_SAMPLES, p=0)
        music = music.filter("volume", duck_expression(bed), eval="frame")
    music = music.filter("afade", type="in", d=f"{bed.fade_in_s:.3f}")
    music = music.filter("afade", type="out", st=f"{bed.fade_out_start:.6f}",
                         d=f"{bed.fade_out_s:.6f}")  # fmt: skip
    return music.filter("apad", whole_dur=f"{bed.duration:.6f}")


def _with_music(
    audio: ffmpeg_graph.nodes.FilterableStream, bed: MusicBed
) -> ffmpeg_graph.nodes.FilterableStream:
    """Speech and music added (not averaged: each is at its own level already), and a limiter
    at the loudness rules' ceiling for the peaks the two make together."""
    mixed = ffmpeg_graph.filter([audio, _laid(_music(bed.source, bed.duration), bed)], "amix", inputs=2, normalize=0,
                                duration="first", dropout_transition=0)  # fmt: skip
    ceiling = rules.TRUE_PEAK_DBTP - LIMITER_MARGIN_DB
    return mixed.filter("alimiter", limit=f"{10 ** (ceiling / 20):.4f}", level=0, latency=1)


def silence_command(source: str, start: float, end: float) -> list[str]:
    """silencedetect over the audio of [start, end] (times printed relative to `start`)."""
    audio = ffmpeg_graph.input(source, ss=f"{start:.6f}", to=f"{end:.6f}").audio
    audio = audio.filter("silencedetect", noise=f"{SILENCE_THRESHOLD_DB}dB", d=SILENCE_MIN_GAP_S)
    return _compile(ffmpeg_graph.output(audio, "-", f="null"))


def parse_silences(stderr: str, offset: float, end: float) -> list[tuple[float, float]]:
    """(start, end) of each silence in source seconds; an open silence runs to `end`."""
    silences: list[tuple[float, float]] = []
    current: float | None = None
    for line in stderr.splitlines():
        if "silence_start:" in line:
            current = offset + float(line.rsplit("silence_start:", 1)[1].split()[0])
        elif "silence_end:" in line:
            stop = offset + float(line.rsplit("silence_end:", 1)[1].split()[0])
            silences.append((current if current is not None else offset, stop))
            current = None
    if current is not None:
        silences.append((current, end))
    return silences


def parse_ebur128(stderr: str) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) from ebur128's summary."""
    summary = stderr[stderr.rfind("Summary:") :]
    integrated = re.search(r"I:\s*(-?[\d.]+|-inf)\s*LUFS", summary)
    peak = re.search(r"Peak:\s*(-?[\d.]+|-inf)\s*dBFS", summary)
    if not integrated:
        raise InternalError(f"ebur128 printed no summary:\n{stderr[-1500:]}")

    def value(match: re.Match[str] | None) -> float:
        return float("-inf") if match is None or match.group(1) == "-inf" else float(match.group(1))

    return value(integrated), value(peak)


def rasterise_svg_command(svg: Path, png: Path, width: int) -> list[str]:
    """An SVG logo drawn by librsvg at `width` pixels wide (aspect kept), as an RGBA PNG."""
    picture = ffmpeg_graph.input(str(svg), width=width, keep_ar=1, f="svg_pipe")
    # update=1: one picture, so a "%" in the temp path is never read as a frame-number pattern.
    out = ffmpeg_graph.output(picture, str(png), vframes=1, pix_fmt="rgba", f="image2",
                              vcodec="png", update=1)  # fmt: skip
    return _compile(out.global_args("-loglevel", "error"))


def caption_footprint_command(
    ass: Path, fonts_dir: Path, width: int, height: int, times: Sequence[float], pattern: Path
) -> list[str]:
    """The captions of `ass` drawn by libass over plain black (top half) and plain white
    (bottom half) at each of `times`: one PNG per time at `pattern` ("moment-%03d.png")."""

    def drawn(colour: str) -> ffmpeg_graph.nodes.FilterableStream:
        # One frame a second of a plain picture, each moved to one of the times (ms ticks).
        plain = ffmpeg_graph.input(
            f"color=c={colour}:size={width}x{height}:rate=1:duration={len(times)}", f="lavfi"
        )
        when = "+".join(f"{t:.4f}*eq(N,{index})" for index, t in enumerate(times))
        plain = plain.filter("settb", "1/1000").filter("setpts", f"({when})/TB")
        return plain.filter("subtitles", filename=str(ass), fontsdir=str(fonts_dir))

    both = ffmpeg_graph.filter([drawn("black"), drawn("white")], "vstack")
    out = ffmpeg_graph.output(both, str(pattern), f="image2", vcodec="png", fps_mode="passthrough")
    return _compile(out.global_args("-loglevel", "error"))


def vidstab_detect_command(piece: Piece, transforms: Path, fps: Fraction) -> list[str]:
    """First vid.stab pass: motion analysis of one take's picture into a transforms file (each
    take is steadied on its own: a join is a cut, not a camera move to smooth)."""
    run = Run(piece.take.source, piece.take.start, piece.take.start + piece.take.duration)
    alone = replace(piece, run=0)
    (stream,) = _branches(_open([run]), [alone], "v")
    assert stream is not None
    video = _take_picture(stream, alone, [run], fps)
    video = video.filter(
        "vidstabdetect", shakiness=VIDSTAB_SHAKINESS, accuracy=15, result=str(transforms)
    )
    return _compile(ffmpeg_graph.output(video, "-", f="null"))


@dataclass(frozen=True)
class RenderSpec:
    """What the main render needs beyond the (resolved) plan: what render.py laid out,
    measured and drew."""

    plan: EditPlan
    pieces: tuple[Piece, ...]  # the takes as the graph reads them (export/timeline.py)
    runs: tuple[Run, ...]
    preset: rules.Preset
    frame: Fit  # the output frame's size
    fps: Fraction  # exact (presets.output_fps)
    loudness: LoudnessPlan | None  # None: no source audio, a silent track is added
    subtitles_ass: Path | None
    fonts_dir: Path | None
    vidstab_transforms: tuple[Path, ...] | None  # one per piece, when steadying
    output: Path
    overlays: tuple[OverlayImage, ...] = ()  # logo, lower third: over the main part only
    end_card: EndCard | None = None  # appended after the main part
    music: MusicBed | None = None  # under everything, the end card too
    cutaways: tuple[CutawayLayer, ...] = ()  # over the takes, under captions and brand layers

    @property
    def main_duration(self) -> float:
        return main_duration(self.pieces, self.fps)

    @property
    def total_duration(self) -> float:
        return self.main_duration + (self.end_card.seconds if self.end_card else 0.0)

    @property
    def has_audio(self) -> bool:
        return any(piece.has_audio for piece in self.pieces)


@dataclass(frozen=True)
class OverlayImage:
    """An RGBA PNG laid over the main part at (x, y); shown from `start` to `end` output
    seconds with linear fades, or held for the whole main part when `start` is None."""

    path: Path
    x: int
    y: int
    start: float | None = None
    end: float | None = None
    fade: float = 0.0


@dataclass(frozen=True)
class EndCard:
    """A full-frame opaque PNG shown for `seconds` after the main part."""

    path: Path
    seconds: float


def _fps_text(fps: Fraction) -> str:
    """The rate as an exact fraction ("30000/1001"): joined streams (xfade) must agree on
    their time base to the last digit, and a rounded decimal gives each a different one."""
    return f"{fps.numerator}/{fps.denominator}"


def _picture_input(path: Path, **options: str | int) -> ffmpeg_graph.nodes.FilterableStream:
    """A PNG as an input; pattern_type none, so a "%" in the temp path is just a character."""
    return ffmpeg_graph.input(str(path), f="image2", pattern_type="none", **options).video


def _repeated(
    picture: ffmpeg_graph.nodes.FilterableStream, seconds: float, fps_text: str
) -> ffmpeg_graph.nodes.FilterableStream:
    """One decoded (and converted) picture repeated as `seconds` of video at the output rate.
    Decoding a looped PNG input every frame instead cost about 30 ms a frame at 1080p."""
    rate = Fraction(fps_text)
    frames = max(1, math.ceil(seconds * rate))
    return picture.filter("loop", loop=frames - 1, size=1, start=0).filter(
        "setpts", f"N*{rate.denominator}/({rate.numerator}*TB)"
    )


def _as_bt709(
    picture: ffmpeg_graph.nodes.FilterableStream, pix_fmt: str
) -> ffmpeg_graph.nodes.FilterableStream:
    """RGB pictures into the BT.709 YUV the frames are labelled with (swscale's default is
    BT.601, which shifts a party's colours), labelled like the main picture so overlay and
    xfade convert nothing."""
    return (
        picture.filter("scale", out_color_matrix="bt709", out_range="tv")
        .filter("format", pix_fmt)
        .filter(
            "setparams", color_primaries="bt709", color_trc="bt709", colorspace="bt709",
            range="tv",
        )
    )  # fmt: skip


def _overlay(
    video: ffmpeg_graph.nodes.FilterableStream, image: OverlayImage, fps_text: str
) -> ffmpeg_graph.nodes.FilterableStream:
    if image.start is None or image.end is None:
        # One frame, held by overlay for as long as the main picture runs (eof_action=repeat).
        picture = _as_bt709(_picture_input(image.path), "yuva420p")
        return ffmpeg_graph.overlay(video, picture, x=image.x, y=image.y)
    picture = _picture_input(image.path, framerate=fps_text).filter("format", "rgba")
    picture = _repeated(picture, image.end, fps_text)
    if image.fade > 0:
        picture = picture.filter(
            "fade", type="in", st=f"{image.start:.6f}", d=f"{image.fade:.6f}", alpha=1
        ).filter("fade", type="out", st=f"{image.end - image.fade:.6f}",
                 d=f"{image.fade:.6f}", alpha=1)  # fmt: skip
    picture = _as_bt709(picture, "yuva420p")
    return ffmpeg_graph.overlay(
        video,
        picture,
        x=image.x,
        y=image.y,
        eof_action="pass",  # gone after `end`: no blending of an invisible picture every frame
        enable=f"between(t,{image.start:.6f},{image.end:.6f})",
    )


def _to_bt709(
    video: ffmpeg_graph.nodes.FilterableStream, info: VideoInfo
) -> ffmpeg_graph.nodes.FilterableStream:
    """Any source's colours as limited-range BT.709 SDR 4:2:0, converted (zscale), never only
    relabelled: full range (phones' yuvj420p) is scaled into 16-235, a BT.601 matrix (older
    phones, SD cameras) re-encoded as BT.709, HDR tone-mapped. BT.709 limited sources pass
    untouched (no filter, no cost). BT.601's primaries are close enough to BT.709's that the
    matrix is what shows; like every NLE's default, only the matrix is converted."""
    range_in = "full" if info.is_full_range else "limited"
    matrix_in = ZSCALE_MATRIX.get(info.color_matrix, "709")
    if info.hdr_format in ZSCALE_TRANSFER:
        peak = HLG_PEAK_NITS if info.hdr_format == "hlg" else info.hdr_peak_nits or HLG_PEAK_NITS
        video = video.filter("zscale", tin=ZSCALE_TRANSFER[info.hdr_format], pin="2020",
                             min=matrix_in, rin=range_in, t="linear",
                             npl=TONEMAP_NOMINAL_NITS)  # fmt: skip
        video = video.filter("format", "gbrpf32le").filter("zscale", p="709")
        video = video.filter("tonemap", "hable", desat=0, peak=f"{peak / TONEMAP_NOMINAL_NITS:g}")
        # Back to Y'CbCr inside zscale: left to swscale, float RGB was converted with its own
        # defaults instead of the BT.709 the frame is labelled with.
        video = video.filter("zscale", t="709", m="709", r="limited")
    elif info.is_full_range or matrix_in != "709":
        video = video.filter("zscale", rangein=range_in, range="limited", matrixin=matrix_in,
                             matrix="709")  # fmt: skip
    else:
        return video
    return video.filter("format", rules.PIX_FMT)


def _repairs(
    video: ffmpeg_graph.nodes.FilterableStream, fixes: Fixes, vidstab_transforms: Path | None
) -> ffmpeg_graph.nodes.FilterableStream:
    """The picture repairs the plan asks for (stabilise, deflicker, brighten)."""
    if vidstab_transforms is not None:
        video = video.filter(
            "vidstabtransform",
            input=str(vidstab_transforms),
            smoothing=VIDSTAB_SMOOTHING,
            optzoom=1,
            interpol="bicubic",
        ).filter("unsharp", 5, 5, 0.6, 3, 3, 0.3)
    if Fix.DEFLICKER in fixes:
        video = video.filter("deflicker", size=DEFLICKER_FRAMES, mode="pm")
    if Fix.BRIGHTEN in fixes:
        video = video.filter("curves", master=BRIGHTEN_CURVE)
    return video


def _square_pixels(
    video: ffmpeg_graph.nodes.FilterableStream, info: VideoInfo
) -> ffmpeg_graph.nodes.FilterableStream:
    """Non-square pixels (an SD camera's 720x576 at 16:11) stretched to the picture's display
    size, so the fit below, which reasons in pixels, sees the shape the viewer sees."""
    if info.sample_aspect_ratio == 1:
        return video
    width = max(2, round(info.display_width / 2) * 2)
    return video.filter("scale", width, info.display_height, flags="lanczos").filter("setsar", 1)


def conform_picture(
    video: ffmpeg_graph.nodes.FilterableStream,
    media: MediaInfo,
    fit: Fit,
    fps: Fraction,
    fixes: Fixes,
    vidstab_transforms: Path | None = None,
) -> ffmpeg_graph.nodes.FilterableStream:
    """One source's picture as the output needs it, every per-source rule in one chain: colours
    converted to BT.709 limited SDR, the repairs asked for, the output's exact frame rate, square
    pixels, fitted to the output frame. A render of several sources runs this once per source."""
    assert media.video is not None
    video = _to_bt709(video, media.video)
    video = _repairs(video, fixes, vidstab_transforms)
    # From the take's first moment (time 0): every take of a joined video starts on a frame.
    video = video.filter("fps", fps=_fps_text(fps), start_time=0)
    video = _square_pixels(video, media.video)
    return _fit_to_frame(video, fit).filter("setsar", 1)


def _fit_to_frame(
    video: ffmpeg_graph.nodes.FilterableStream, fit: Fit
) -> ffmpeg_graph.nodes.FilterableStream:
    width, height = fit.width, fit.height
    if fit.mode is FitMode.SCALE:
        return video.filter("scale", width, height, flags="lanczos")
    if fit.mode is FitMode.PAD:
        fitted = video.filter(
            "scale", width, height, force_original_aspect_ratio="decrease", flags="lanczos"
        )
        return fitted.filter("pad", width, height, "(ow-iw)/2", "(oh-ih)/2", color="black")
    cover = video.filter(
        "scale", width, height, force_original_aspect_ratio="increase", flags="lanczos"
    )
    if fit.mode is FitMode.CROP:
        # Keep the upper part when cutting top and bottom: the guide puts the head near the top.
        return cover.filter("crop", width, height, f"(iw-ow)*{CROP_LEFT_SHARE}",
                            f"(ih-oh)*{CROP_TOP_SHARE}")  # fmt: skip
    copies = video.split()
    background_source, foreground_source = copies[0], copies[1]
    background = (
        background_source.filter(
            "scale", width, height, force_original_aspect_ratio="increase", flags="bilinear"
        )
        .filter("crop", width, height)
        .filter("boxblur", BACKGROUND_BLUR_RADIUS, BACKGROUND_BLUR_PASSES)
        .filter("eq", brightness=BACKGROUND_DARKEN)
    )
    foreground = foreground_source.filter("scale", -2, height, flags="lanczos")
    return ffmpeg_graph.overlay(background, foreground, x="(W-w)/2", y="(H-h)/2")


def _gained(
    audio: ffmpeg_graph.nodes.FilterableStream, plan: LoudnessPlan
) -> ffmpeg_graph.nodes.FilterableStream:
    """The loudness plan's one gain for the whole clip, and the limiter where it needs one."""
    if plan.gain_db:
        audio = audio.filter("volume", f"{plan.gain_db:.2f}dB")
    if plan.limit:
        audio = audio.filter(
            "alimiter",
            limit=f"{10 ** (plan.limiter_ceiling_dbfs / 20):.4f}",
            level=0,  # no auto-levelling: the gain is decided, not the limiter's to change
            latency=1,  # its lookahead delay compensated, so sound stays in sync
        )
    return audio


def _take_picture(
    stream: ffmpeg_graph.nodes.FilterableStream,
    piece: Piece,
    runs: Sequence[Run],
    fps: Fraction,
) -> ffmpeg_graph.nodes.FilterableStream:
    """A take's frames from its input, timed from the take's start. A frame up to half an
    output frame early is kept (its time rounds onto the take's first frame)."""
    rate = fps
    start = piece.take.start - _opened_at(runs[piece.run])
    end = start + piece.frames / rate
    early = 0.5 / rate
    return stream.trim(start=f"{max(0.0, start - early):.6f}", end=f"{end:.6f}").setpts(
        f"PTS-{start:.6f}/TB"
    )


def _labelled(video: ffmpeg_graph.nodes.FilterableStream) -> ffmpeg_graph.nodes.FilterableStream:
    """yuv420p labelled BT.709 in the graph. Setting the tags only as encoder options made
    ffmpeg insert a colour conversion from "unspecified" to BT.709 that changed nothing and cost
    15 % of the export's CPU time (measured: 44.6 s against 38.5 s of CPU for 20 s of 1080p).
    Labelled before the brand overlays: overlay and xfade convert inputs whose colour tags
    differ, and an unlabelled picture under a BT.709 logo had its colours shifted (measured: 25
    levels on testsrc2's bars). Labelled before the join: concat wants every take alike."""
    return video.filter("format", rules.PIX_FMT).filter(
        "setparams", color_primaries="bt709", color_trc="bt709", colorspace="bt709", range="tv"
    )


def _joined_picture(
    inputs: Sequence[ffmpeg_graph.nodes.InputNode], spec: RenderSpec
) -> ffmpeg_graph.nodes.FilterableStream:
    """Every take through its source's conform (conform_picture), made exactly its frame count
    and joined end to end."""
    takes = []
    streams = _branches(inputs, spec.pieces, "v")
    for index, (stream, piece) in enumerate(zip(streams, spec.pieces, strict=True)):
        assert stream is not None
        transforms = spec.vidstab_transforms[index] if spec.vidstab_transforms else None
        video = _take_picture(stream, piece, spec.runs, spec.fps)
        video = conform_picture(video, piece.media, piece.fit, spec.fps, spec.plan.fixes,
                                transforms)  # fmt: skip
        # Exactly `frames` frames: the last one repeated if the source ran short of its end.
        video = _labelled(video).filter("tpad", stop_mode="clone", stop_duration=1)
        takes.append(video.trim(end_frame=piece.frames))
    if len(takes) == 1:
        return takes[0]
    return ffmpeg_graph.concat(*takes, v=1, a=0)


def _zoomed(
    picture: ffmpeg_graph.nodes.FilterableStream, zoom: float, frames: int
) -> ffmpeg_graph.nodes.FilterableStream:
    """A slow zoom into the picture's centre, `zoom` bigger by its last frame: each frame
    resampled from a rectangle of the source that shrinks a fraction of a pixel a frame
    (perspective, linear: sub-pixel, so the motion is smooth, not whole-pixel steps)."""
    grow = f"(1+{zoom:.5f}*in/{max(1, frames - 1)})"
    left, right = f"W/2-W/2/{grow}", f"W/2+W/2/{grow}"
    top, bottom = f"H/2-H/2/{grow}", f"H/2+H/2/{grow}"
    return picture.filter(
        "perspective",
        x0=left, y0=top, x1=right, y1=top, x2=left, y2=bottom, x3=right, y3=bottom,
        interpolation="linear", eval="frame",
    )  # fmt: skip


def _cutaway(layer: CutawayLayer, fps: Fraction) -> ffmpeg_graph.nodes.FilterableStream:
    """A cutaway's frames, timed to lie over the video from its start."""
    fps_text = _fps_text(fps)
    if layer.picture is not None:
        picture = _as_bt709(_picture_input(layer.picture, framerate=fps_text), rules.PIX_FMT)
        picture = _repeated(picture, float(layer.frames / fps), fps_text)
        if layer.zoom > 0:
            picture = _zoomed(picture, layer.zoom, layer.frames)
    else:
        assert layer.media is not None and layer.fit is not None
        seconds = layer.frames / fps
        clip = ffmpeg_graph.input(layer.source, t=f"{float(seconds) + INPUT_LEAD_S:.6f}").video
        picture = _labelled(conform_picture(clip, layer.media, layer.fit, fps, Fixes.of(())))
    # Exactly its frames; a clip shorter than its time holds its last frame.
    picture = picture.filter("tpad", stop_mode="clone", stop_duration=float(layer.frames / fps))
    return picture.trim(end_frame=layer.frames).setpts(f"PTS-STARTPTS+{layer.start:.6f}/TB")


def _with_cutaways(
    video: ffmpeg_graph.nodes.FilterableStream, spec: RenderSpec
) -> ffmpeg_graph.nodes.FilterableStream:
    """Each cutaway over the takes for its time (the takes show again after it)."""
    for layer in spec.cutaways:
        end = layer.start + float(layer.frames / spec.fps)
        video = ffmpeg_graph.overlay(
            video, _cutaway(layer, spec.fps), eof_action="pass",
            enable=f"between(t,{layer.start:.6f},{end - 0.5 / float(spec.fps):.6f})",
        )  # fmt: skip
    return video


def render_command(spec: RenderSpec) -> list[str]:
    """The single export run: cut, conform and join the takes, caption, brand, set the loudness,
    encode, mux with faststart."""
    duration = spec.main_duration
    total = spec.total_duration
    fps_text = _fps_text(spec.fps)
    inputs = _open(spec.runs)
    video = _with_cutaways(_joined_picture(inputs, spec), spec)
    if spec.subtitles_ass is not None:
        options: dict[str, str] = {"filename": str(spec.subtitles_ass)}
        if spec.fonts_dir is not None:
            options["fontsdir"] = str(spec.fonts_dir)
        video = video.filter("subtitles", **options)
    for image in spec.overlays:
        video = _overlay(video, image, fps_text)
    if spec.overlays:
        video = video.filter("format", rules.PIX_FMT)
    if spec.end_card is not None:
        # Captions and overlays were drawn on the main part only; the card comes after it.
        card = _as_bt709(_picture_input(spec.end_card.path, framerate=fps_text), rules.PIX_FMT)
        # Two frames more than needed: xfade may end a frame early, and `-t` cuts the rest.
        card_seconds = spec.end_card.seconds + END_CARD_DISSOLVE_S + 2 / spec.fps
        card = _repeated(card, card_seconds, fps_text)
        card = card.filter("fps", fps=fps_text).filter("setsar", 1)
        # xfade blends (copies) every frame it is given, the 55 s before the dissolve too
        # (measured: +40 % CPU on 20 s of 1080p); it is given only the clip's last moments.
        dissolve_at = f"{duration - END_CARD_DISSOLVE_S:.6f}"
        parts = video.split()
        head = parts[0].trim(end=dissolve_at)
        tail = parts[1].trim(start=dissolve_at).setpts("PTS-STARTPTS")
        dissolve = ffmpeg_graph.filter(
            [tail, card], "xfade", transition="fade", duration=END_CARD_DISSOLVE_S, offset=0
        )
        video = ffmpeg_graph.concat(head, dissolve, v=1, a=0)

    if spec.loudness is not None and spec.has_audio:
        audio = _joined_sound(inputs, spec.pieces, spec.runs, spec.plan.fixes, spec.fps)
        audio = _gained(audio, spec.loudness)
    else:
        # Some uploads reject video-only files: add a silent stereo track of the same length.
        audio = ffmpeg_graph.input(
            f"anullsrc=r={rules.AUDIO_RATE}:cl=stereo", f="lavfi", t=f"{total:.6f}"
        ).audio
    audio = audio.filter("aresample", rules.AUDIO_RATE).filter(
        "aformat", sample_fmts="fltp", sample_rates=rules.AUDIO_RATE, channel_layouts="stereo"
    )
    if spec.end_card is not None and spec.has_audio:
        # Silence under the card (after the gain, so it cannot change the speech's level).
        audio = audio.filter(
            "afade", type="out", st=f"{duration - SPEECH_FADE_OUT_S:.6f}", d=SPEECH_FADE_OUT_S
        ).filter("apad", whole_dur=f"{total:.6f}")
    if spec.music is not None:
        audio = _with_music(audio, spec.music)
    out = ffmpeg_graph.output(
        video,
        audio,
        str(spec.output),
        f="mp4",
        movflags="+faststart",
        map_metadata=-1,  # drop phone metadata, GPS location included: volunteers film at home
        map_chapters=-1,
        t=f"{total:.6f}",
        **{
            "c:v": "libx264",
            "profile:v": "high",
            "preset": rules.X264_PRESET,
            "crf": rules.X264_CRF,
            "pix_fmt": rules.PIX_FMT,
            "color_primaries": "bt709",
            "color_trc": "bt709",
            "colorspace": "bt709",
            "c:a": rules.AUDIO_CODEC,
            "b:a": rules.AUDIO_BITRATE,
            "ar": rules.AUDIO_RATE,
            "ac": rules.AUDIO_CHANNELS,
        },
    ).global_args("-progress", "pipe:1", "-nostats", "-loglevel", "info")
    return _compile(out)
