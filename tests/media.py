"""Test media made on demand with ffmpeg sources and espeak-ng speech, cached across the session.

Every clip is built by a recipe (a list of ffmpeg arguments, or a function); the cache key is the
recipe itself, so changing a recipe rebuilds that clip and nothing else. The cache lives in
`.media-cache/` at the repository root (ignored by git) and survives between runs.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

import av
import imageio_ffmpeg
import numpy as np

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
CACHE_DIR = Path(__file__).resolve().parent.parent / ".media-cache"
RECIPE_VERSION = "1"

# Sentences for generated speech; the speech tests score word error rate against them.
SENTENCES = [
    "Good morning everyone, thank you for coming out today.",
    "We are fighting to keep the library open for every family in this town.",
    "Please vote on Thursday and bring a friend with you.",
]


def run_ffmpeg(args: Sequence[str]) -> None:
    cmd = [FFMPEG, "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"test media ffmpeg failed: {' '.join(cmd)}\n{proc.stderr[-3000:]}")


def frame_at(path: Path, t: float) -> np.ndarray:
    """RGB frame shown at time t of a file (the first frame whose timestamp reaches t)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            if frame.time is not None and frame.time >= t - 1e-3:
                return frame.to_ndarray(format="rgb24")
    raise AssertionError(f"no frame at {t} s in {path}")


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def speak(text: str, out_wav: Path, *, words_per_minute: int = 150, voice: str = "en-gb") -> Path:
    """Synthesise `text` with espeak-ng into a 48 kHz mono WAV."""
    if not espeak_available():
        raise RuntimeError("espeak-ng is not installed (make test installs it)")
    raw = out_wav.with_suffix(".raw.wav")
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(words_per_minute), "-w", str(raw), text],
        check=True,
        capture_output=True,
    )
    run_ffmpeg(["-i", str(raw), "-ar", "48000", "-ac", "1", str(out_wav)])
    raw.unlink()
    return out_wav


class MediaFactory:
    """Builds and caches clips. `get(name, recipe)` returns the path, building it once."""

    def __init__(self, cache_dir: Path = CACHE_DIR) -> None:
        self.cache_dir = cache_dir
        self.cache_dir.mkdir(parents=True, exist_ok=True)

    def _path_for(self, name: str, key: str, suffix: str) -> Path:
        digest = hashlib.sha1(f"{RECIPE_VERSION}:{key}".encode()).hexdigest()[:10]
        return self.cache_dir / f"{name}-{digest}{suffix}"

    def ffmpeg_clip(self, name: str, args: Sequence[str], suffix: str = ".mp4") -> Path:
        """A clip made by one ffmpeg command; `args` ends before the output path."""
        out = self._path_for(name, json.dumps(list(args)), suffix)
        if not out.exists():
            tmp = out.with_name(out.stem + ".part" + suffix)
            run_ffmpeg([*args, str(tmp)])
            tmp.rename(out)
        return out

    def built(
        self, name: str, key: str, build: Callable[[Path], None], suffix: str = ".mp4"
    ) -> Path:
        """A clip made by `build(tmp_path)`; `key` must change whenever the build changes."""
        out = self._path_for(name, key, suffix)
        if not out.exists():
            tmp = out.with_name(out.stem + ".part" + suffix)
            build(tmp)
            tmp.rename(out)
        return out

    def speech(self, text: str, words_per_minute: int = 150) -> Path:
        """A cached espeak-ng WAV of `text`."""
        return self.built(
            "speech",
            f"{text}|{words_per_minute}",
            lambda tmp: speak(text, tmp, words_per_minute=words_per_minute),
            suffix=".wav",
        )

    # --- the foundation's standard clips -------------------------------------------------------

    def landscape_1080p(self, seconds: float = 4.0) -> Path:
        return self.marked_clip("landscape1080", 1920, 1080, seconds)

    def portrait_1080x1920(self, seconds: float = 4.0) -> Path:
        return self.marked_clip("portrait1080", 1080, 1920, seconds)

    def p720(self, seconds: float = 4.0) -> Path:
        return self.marked_clip("p720", 1280, 720, seconds)

    def marked_clip(
        self, name: str, width: int, height: int, seconds: float, fps: str = "30"
    ) -> Path:
        """Moving test pattern with a white square in the viewer's top-left corner and a tone
        (white appears nowhere else near the corners of testsrc2)."""
        marker = max(16, height // 8)
        return self.ffmpeg_clip(
            name,
            [
                "-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate={fps}",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-filter_complex",
                f"[0:v]drawbox=x=0:y=0:w={marker}:h={marker}:color=white@1:t=fill[v]",
                "-map", "[v]", "-map", "1:a", "-t", str(seconds),
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "128k",
            ],
        )  # fmt: skip

    def rotated_portrait(self, seconds: float = 4.0) -> Path:
        """Coded landscape 640x360 with a display matrix that turns it portrait for the viewer,
        as an iPhone does. The white marker is in the VIEWER's top-left corner."""
        upright = self.marked_clip("upright360x640", 360, 640, seconds)

        def build(tmp: Path) -> None:
            coded = tmp.with_name(tmp.stem + ".coded.mp4")
            # Store the picture turned 90 degrees counter-clockwise, then tag it so players turn
            # it 90 degrees clockwise back (display matrix -90, as iPhones write it).
            run_ffmpeg([
                "-i", str(upright), "-vf", "transpose=cclock", "-c:v", "libx264",
                "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "copy", str(coded),
            ])  # fmt: skip
            run_ffmpeg(["-display_rotation", "-90", "-i", str(coded), "-c", "copy", str(tmp)])
            coded.unlink()

        return self.built("rotated90", f"{upright.name}|-90", build)

    def hlg_hevc(self, seconds: float = 3.0) -> Path:
        """10-bit HEVC tagged BT.2020 HLG, like an iPhone's HDR video."""
        return self.ffmpeg_clip(
            "hlg",
            [
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", str(seconds),
                # Convert the SDR pattern into real HLG/BT.2020 signal values (not just tags).
                "-vf",
                "zscale=tin=bt709:pin=bt709:min=bt709:t=arib-std-b67:p=bt2020:m=bt2020nc"
                ":npl=100,format=yuv420p10le",
                "-c:v", "libx265", "-pix_fmt", "yuv420p10le", "-tag:v", "hvc1",
                "-x265-params",
                "log-level=error:colorprim=bt2020:transfer=arib-std-b67:colormatrix=bt2020nc",
                "-color_primaries", "bt2020", "-color_trc", "arib-std-b67",
                "-colorspace", "bt2020nc",
                "-c:a", "aac",
            ],
        )  # fmt: skip

    def vfr(self, seconds: float = 4.0) -> Path:
        """Variable frame rate: frames at irregular times, as phones write them."""
        return self.ffmpeg_clip(
            "vfr",
            [
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=60",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", str(seconds),
                # Drop frames in a pseudo-random pattern and keep the original timestamps.
                "-vf", "select='not(eq(mod(n\\,7)\\,3))*not(eq(mod(n\\,5)\\,1))+lt(n\\,2)'",
                "-fps_mode", "vfr",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac",
            ],
        )  # fmt: skip

    def no_audio(self, seconds: float = 3.0) -> Path:
        return self.ffmpeg_clip(
            "noaudio",
            [
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-t", str(seconds),
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            ],
        )  # fmt: skip

    def audio_only(self, seconds: float = 3.0) -> Path:
        return self.ffmpeg_clip(
            "audioonly",
            ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", str(seconds),
             "-c:a", "aac"],
            suffix=".m4a",
        )  # fmt: skip

    def mono(self, seconds: float = 3.0) -> Path:
        return self.ffmpeg_clip(
            "mono",
            [
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=44100",
                "-t", str(seconds), "-ac", "1",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
            ],
        )  # fmt: skip

    def long_with_pauses(self, seconds: int = 75) -> Path:
        """A 75 s clip: 2 s silence, then tone bursts (3 s on, 1 s off) like sentences, then 2 s
        silence; small picture so it renders fast."""
        return self.ffmpeg_clip(
            "long",
            [
                "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000",
                "-t", str(seconds),
                "-af",
                f"volume='if(lt(t,2)+gt(t,{seconds - 2})+gte(mod(t-2,4),3),0,0.3)':eval=frame",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
            ],
        )  # fmt: skip

    def flash_and_beep(self, seconds: float = 4.0, at: float = 2.0, fps: str = "30") -> Path:
        """Black picture with one white frame and a 1 kHz beep starting at the same instant."""
        return self.ffmpeg_clip(
            f"sync{fps.replace('/', '_')}",
            [
                "-f", "lavfi", "-i", f"color=black:size=640x360:rate={fps}",
                "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000",
                "-t", str(seconds),
                "-vf", f"drawbox=color=white:t=fill:enable='between(t,{at},{at}+0.05)'",
                "-af", f"volume='between(t,{at},{at}+0.1)':eval=frame",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
            ],
        )  # fmt: skip

    def speech_clip(
        self, sentences: Sequence[str] = tuple(SENTENCES), gap: float = 1.5, lead: float = 1.0
    ) -> Path:
        """A steady 640x360 picture with espeak-ng sentences separated by `gap` s of silence,
        starting after `lead` s; returns the clip. Onsets are in `speech_onsets()`."""
        wavs = [self.speech(s) for s in sentences]

        def build(tmp: Path) -> None:
            inputs: list[str] = []
            parts: list[str] = []
            for index, wav in enumerate(wavs):
                inputs += ["-i", str(wav)]
                parts.append(f"[{index}:a]apad=pad_dur={gap}[s{index}]")
            concat = "".join(f"[s{i}]" for i in range(len(wavs)))
            graph = ";".join(
                [
                    f"anullsrc=r=48000:cl=mono:d={lead}[lead]",
                    *parts,
                    f"[lead]{concat}concat=n={len(wavs) + 1}:v=0:a=1[a]",
                ]
            )
            audio_path = tmp.with_name(tmp.stem + ".audio.wav")
            run_ffmpeg([*inputs, "-filter_complex", graph, "-map", "[a]", str(audio_path)])
            run_ffmpeg([
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-i", str(audio_path),
                "-shortest", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "128k", str(tmp),
            ])  # fmt: skip
            audio_path.unlink()

        key = "|".join(w.name for w in wavs) + f"|{gap}" + (f"|{lead}" if lead != 1.0 else "")
        return self.built("speech", key, build)

    def speech_onsets(
        self, sentences: Sequence[str] = tuple(SENTENCES), gap: float = 1.5, lead: float = 1.0
    ) -> list[float]:
        """Start time of each sentence in `speech_clip` (espeak pads ~0.05 s of silence)."""
        import av  # local: tests that only need paths stay light

        onsets: list[float] = []
        t = lead
        for sentence in sentences:
            onsets.append(t)
            with av.open(str(self.speech(sentence))) as wav:
                stream = wav.streams.audio[0]
                t += float(stream.duration * stream.time_base) + gap
        return onsets
