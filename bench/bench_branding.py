"""What branding costs: the same export with logo, lower third and end card against a plain one.

Both outputs are the same length (the trim leaves room for the card), so the ratio is the price
of the overlays, the card and the dissolve in the one ffmpeg render.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from bench.bench_export import _timed
from bench.clip import BENCH_DIR

# Interleaved rounds, best wall time of each kept (the machine is shared; see bench_export).
ROUNDS = 2


def child(clip: str, branded: str) -> None:
    """One export in its own process, so its CPU time is its own."""
    from clipstudio.core.branding.imprint import IMPRINT_EXAMPLE
    from clipstudio.core.branding.kit import Branding, BrandKit
    from clipstudio.core.edit.plan import CaptionTrack, EditPlan, Take
    from clipstudio.core.export.render import ExportJob, export_clip
    from clipstudio.core.vocabulary import CaptionMode, Trim

    branding = None
    if branded == "1":
        # A 512x256 two-colour logo, drawn here so the bench needs no file of its own.
        from PIL import Image, ImageDraw

        logo = Image.new("RGBA", (512, 256), (0, 0, 0, 0))
        ImageDraw.Draw(logo).ellipse((128, 0, 384, 256), fill=(200, 16, 46, 255))
        path = BENCH_DIR / "logo.png"
        logo.save(path)
        from clipstudio.core.branding.layers import import_logo

        kit = BrandKit(logo_png=import_logo(path), imprint=IMPRINT_EXAMPLE,
                       call_to_action="Sign the petition today", link="example.org/library")  # fmt: skip
        branding = Branding.from_kit(kit, lower_third="Sam Smith, candidate for Market Ward")
    out = BENCH_DIR / ("branded.mp4" if branding else "plain.mp4")
    started = time.perf_counter()
    plan = EditPlan(takes=(Take(clip),), trim=Trim.TO_LIMIT,
                    captions=CaptionTrack(mode=CaptionMode.NONE), branding=branding)  # fmt: skip
    result = export_clip(plan, ExportJob(output=out, overwrite=True))
    print(json.dumps({"export_s": time.perf_counter() - started, "duration": result.duration}))


def run(clip: Path) -> dict[str, float]:
    walls: dict[str, list[float]] = {"0": [], "1": []}
    cpus: dict[str, list[float]] = {"0": [], "1": []}
    durations: dict[str, float] = {}
    for _ in range(ROUNDS):
        for branded in ("0", "1"):
            wall, cpu, stdout = _timed(
                [sys.executable, "-m", "bench.bench_branding", str(clip), branded]
            )
            walls[branded].append(wall)
            cpus[branded].append(cpu)
            durations[branded] = json.loads(stdout.strip().splitlines()[-1])["duration"]
    return {
        "plain_export_s": min(walls["0"]),
        "branded_export_s": min(walls["1"]),
        "branded_vs_plain": min(walls["1"]) / min(walls["0"]),
        "plain_cpu_s": min(cpus["0"]),
        "branded_cpu_s": min(cpus["1"]),
        "branded_vs_plain_cpu": min(cpus["1"]) / min(cpus["0"]),
        "plain_duration_s": durations["0"],
        "branded_duration_s": durations["1"],
    }


if __name__ == "__main__":
    child(sys.argv[1], sys.argv[2])
