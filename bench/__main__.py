"""make bench: one run, figures printed as ratios against plain ffmpeg on the same clip.

Targets (from the issues): export / hand-written <= 1.10 and Python peak < 300 MB; a three-take
export with music and two photos / the same by hand <= 1.2 (bench_sequence);
check <= 1.25x a plain decode; transcription real-time factor <= 0.10 and overhead <= 1.10;
worst GUI event-loop stall during an export < 100 ms; the frozen app (make dist) shows its window
in < 3 s; check and export of a 60-minute 1080p recording each peak under 600 MB (bench_long).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import time

from bench.clip import FFMPEG, bench_clip

SECTIONS = ["bench_export", "bench_branding", "bench_sequence", "bench_check",
            "bench_transcribe", "bench_gui", "bench_preview", "bench_frozen", "bench_long"]  # fmt: skip


def plain_decode_seconds(clip) -> float:
    started = time.perf_counter()
    subprocess.run([FFMPEG, "-hide_banner", "-loglevel", "error", "-i", str(clip), "-f", "null",
                    "-"], check=True)  # fmt: skip
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    """Every section, or only those named (`python -m bench bench_sequence`)."""
    if any(arg in ("-h", "--help") for arg in argv):
        print(f"python -m bench [SECTION ...]   sections: {' '.join(SECTIONS)}")
        return 0
    unknown = [name for name in argv if name not in SECTIONS]
    if unknown:
        print(f"no such section: {' '.join(unknown)} (sections: {' '.join(SECTIONS)})")
        return 2
    clip = bench_clip()
    print(f"clip: {clip.name}")
    names = argv or SECTIONS
    decode = 0.0
    if "bench_check" in names:
        decode = plain_decode_seconds(clip)
        print(f"plain full decode (ffmpeg -i clip -f null -): {decode:.2f} s")
    failed = False
    for name in names:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as exc:
            print(f"[{name}] not available: {exc}")
            continue
        try:
            figures = module.run(clip, decode) if name == "bench_check" else module.run(clip)
        # A broken section must not hide the others' figures.
        except Exception as exc:  # noqa: BLE001
            print(f"[{name}] FAILED: {exc!r}")
            failed = True
            continue
        for key, value in figures.items():
            shown = f"{value:.3f}" if isinstance(value, float) else value
            print(f"[{name}] {key}: {shown}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
