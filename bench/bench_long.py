"""Peak memory of check and export on a 60-minute 1080p recording (issue 13: under 600 MB each).

A volunteer's laptop may have 4-8 GB; `check` once took 64 MB per minute of footage (1.65 GB for
24 minutes) and `export` transcribed the whole source. The long clip is made cheaply: one minute
of low-bitrate 1080p30 with speech, looped 60 times by stream copy (no re-encode).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

from bench.clip import BENCH_DIR, FFMPEG, bench_clip

LONG_MINUTES = 60
# Issue 13's target for each command on the long recording.
PEAK_TARGET_MB = 600.0


def long_clip(minutes: int = LONG_MINUTES) -> Path:
    out = BENCH_DIR / f"long-1080p30-{minutes}min.mp4"
    if out.exists():
        return out
    minute = BENCH_DIR / "long-minute.mp4"
    if not minute.exists():
        # The bench clip's speech over a low-bitrate picture: the decoder still does 1080p work.
        subprocess.run(
            [FFMPEG, "-hide_banner", "-loglevel", "error", "-y", "-i", str(bench_clip()),
             "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "300k", "-c:a", "copy",
             str(minute)],
            check=True,
        )  # fmt: skip
    tmp = out.with_suffix(".part.mp4")
    subprocess.run(
        [FFMPEG, "-hide_banner", "-loglevel", "error", "-y", "-stream_loop", str(minutes - 1),
         "-i", str(minute), "-c", "copy", str(tmp)],
        check=True,
    )  # fmt: skip
    tmp.rename(out)
    return out


def child(command: str, clip: str) -> None:
    """One command in its own process, so the peak is that command's alone (ru_maxrss)."""
    import time

    started = time.perf_counter()
    if command == "check":
        from clipstudio.core.analysis.report import analyse_clip

        analyse_clip(clip, imprint="")
    else:
        from clipstudio.core.edit.plan import CaptionTrack, EditPlan, Take
        from clipstudio.core.export.render import ExportJob, export_clip
        from clipstudio.core.vocabulary import CaptionMode, Trim

        plan = EditPlan(takes=(Take(clip),), trim=Trim.SENTENCES,
                        captions=CaptionTrack(mode=CaptionMode.BURN))  # fmt: skip
        export_clip(plan, ExportJob(output=BENCH_DIR / "long-export.mp4", overwrite=True))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": time.perf_counter() - started, "peak_mb": peak_mb}))


def run(_clip: Path | None = None) -> dict[str, object]:
    clip = long_clip()
    figures: dict[str, object] = {"minutes": LONG_MINUTES}
    for command in ("check", "export"):
        done = subprocess.run(
            [sys.executable, "-m", "bench.bench_long", command, str(clip)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        measured = json.loads(done.stdout.strip().splitlines()[-1])
        figures[f"{command}_s"] = round(measured["seconds"], 1)
        figures[f"{command}_peak_mb"] = round(measured["peak_mb"], 1)
        figures[f"{command}_under_{PEAK_TARGET_MB:g}_mb"] = measured["peak_mb"] < PEAK_TARGET_MB
    return figures


if __name__ == "__main__":
    if len(sys.argv) == 3:
        child(sys.argv[1], sys.argv[2])
    else:
        for key, value in run().items():
            print(f"{key}: {value}")
