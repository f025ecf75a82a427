"""`clipstudio check` against a plain full decode (`ffmpeg -i clip -f null -`); target <= 1.25.

The check runs as the volunteer runs it: the CLI in a fresh process (imports, probe, one decode
pass, every check). On a shared machine single timings swing by 2x, so the plain decode is timed
again right before each check run and the ratio is also given against that neighbour.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.clip import FFMPEG

# Alternating decode/check runs; the median ratio is reported.
RUNS = 2


def _plain_decode(clip: Path) -> float:
    started = time.perf_counter()
    subprocess.run([FFMPEG, "-hide_banner", "-loglevel", "error", "-i", str(clip), "-f", "null",
                    "-"], check=True)  # fmt: skip
    return time.perf_counter() - started


def _check(clip: Path) -> tuple[float, dict]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "clipstudio.cli", "check", str(clip), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - started, json.loads(proc.stdout)


def run(clip: Path, decode_seconds: float) -> dict[str, float]:
    checks, neighbours = [], []
    report: dict = {}
    for _ in range(RUNS):
        neighbours.append(_plain_decode(clip))
        seconds, report = _check(clip)
        checks.append(seconds)
    check_s = statistics.median(checks)
    ratios = [c / d for c, d in zip(checks, neighbours, strict=True)]
    stats = report.get("stats", {})
    return {
        "check_s": check_s,
        "check_vs_decode": check_s / decode_seconds,
        "check_vs_neighbour_decode": statistics.median(ratios),
        "neighbour_decode_s": statistics.median(neighbours),
        "in_process_decode_pass_s": float(stats.get("decode_s", 0.0)),
        "in_process_total_s": float(stats.get("analysis_s", 0.0)),
        "findings": float(len(report.get("findings", []))),
    }
