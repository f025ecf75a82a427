"""The benchmark clip: 60 s of 1080p30 moving picture with espeak-ng speech, made once."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import imageio_ffmpeg

BENCH_DIR = Path(__file__).resolve().parent.parent / "bench-out"
FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
SPEECH = (
    "Good evening. My name is Sam and I am standing for the town council. "
    "For ten years the library on Market Street has been open six days a week. "
    "Now the council wants to close it on Saturdays, the one day working families can come. "
    "We can stop this. Sign the petition today, and share this video with your neighbours. "
    "Come to the public meeting on Thursday at seven in the community hall. "
    "Every voice counts, and yours matters more than you think. Thank you for listening."
)


def bench_clip(seconds: int = 60) -> Path:
    BENCH_DIR.mkdir(exist_ok=True)
    out = BENCH_DIR / f"bench-1080p30-{seconds}s.mp4"
    if out.exists():
        return out
    speech = BENCH_DIR / "speech.wav"
    if shutil.which("espeak-ng"):
        subprocess.run(["espeak-ng", "-v", "en-gb", "-s", "140", "-w", str(speech), SPEECH],
                       check=True, capture_output=True)  # fmt: skip
        audio = ["-stream_loop", "-1", "-i", str(speech)]
    else:
        audio = ["-f", "lavfi", "-i", "sine=frequency=220:sample_rate=48000"]
    tmp = out.with_suffix(".part.mp4")
    subprocess.run(
        [FFMPEG, "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30", *audio,
         "-t", str(seconds), "-af", "apad,aresample=48000", "-ac", "1",
         "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-b:a", "128k", str(tmp)],
        check=True,
    )  # fmt: skip
    tmp.rename(out)
    return out
