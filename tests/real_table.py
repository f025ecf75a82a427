"""Issue 12's table: every shared real file (../shared/media/real/video, and loops of the short
ones made by stream copy, as tests/test_real_footage.py makes them) with what `clipstudio check`
said and what `clipstudio export` did. Both run as a volunteer runs them, in a child process, so
the exit code is the real one; the output is then measured with probe.

    PYTHONPATH=$PWD .venv/bin/python tests/real_table.py > table.md
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from media import MediaFactory
from media_real import LOOP_SECONDS, REAL_VIDEO, looped, real_videos

from clipstudio.core.branding.imprint import IMPRINT_EXAMPLE
from clipstudio.core.media.probe import probe

# The short files are also shown looped to this length (test_real_footage's rule).
LOOP_BELOW_S = 3.0
# Plain words are cut to this many characters in the table (a refusal's sentence is kept).
WORDS = 48
REFUSAL_WORDS = 120
CLI = [sys.executable, "-m", "clipstudio.cli"]


def clips(media: MediaFactory) -> list[tuple[str, Path]]:
    named = [(path.name, path) for path in real_videos()]
    loops = [(f"{path.name} looped to {LOOP_SECONDS:g} s", looped(media, path))
             for path in real_videos() if probe(path).duration < LOOP_BELOW_S]  # fmt: skip
    return named + loops


def short(text: str, words: int = WORDS) -> str:
    return text if len(text) <= words else text[: words - 1].rstrip() + "…"


def check_cell(path: Path) -> str:
    """Each finding's id and its plain words (the title, with the figure that decided it)."""
    proc = subprocess.run([*CLI, "check", str(path), "--json", "--imprint", IMPRINT_EXAMPLE],
                          capture_output=True, text=True)  # fmt: skip
    if proc.returncode != 0:
        return f"exit {proc.returncode}: {short(_last_line(proc.stderr), REFUSAL_WORDS)}"
    findings = json.loads(proc.stdout)["findings"]
    if not findings:
        return "nothing found (exit 0)"
    return "; ".join(f"`{f['id']}` {short(_words(f))}" for f in findings)


def _words(finding: dict) -> str:
    measured = finding.get("measured") or {}
    figure = next(
        (
            f"{key} {value}"
            for key, value in measured.items()
            if isinstance(value, int | float) and not key.startswith("threshold")
        ),
        "",
    )
    return finding["title"] + (f" ({figure})" if figure else "")


def export_cells(path: Path, out: Path) -> list[str]:
    """Exit code, output rate, range/matrix, frame and file size, the loudness rule and gain."""
    proc = subprocess.run([*CLI, "export", str(path), "-o", str(out), "--captions", "none",
                           "--no-imprint", "--overwrite"], capture_output=True, text=True)  # fmt: skip
    if proc.returncode != 0:
        refusal = short(_last_line(proc.stderr), REFUSAL_WORDS)
        return [f"{proc.returncode}: {refusal}", "", "", "", ""]
    video = probe(out).video
    assert video is not None
    rate = video.frame_rate
    shown = f"{rate.numerator}/{rate.denominator}" if rate.denominator != 1 else f"{rate}"
    size = f"{video.display_width}x{video.display_height}, {out.stat().st_size / 1e3:.0f} kB"
    loudness = re.search(r"^loudness \(([^)]*)\):.*?([+-]\d+\.\d) dB", proc.stderr, re.M)
    if loudness:
        sound = f"{loudness.group(1)}, {loudness.group(2)} dB"
    elif "loudness:" in proc.stderr:
        sound = "silent, left as it is"
    else:
        sound = "no sound track"
    return ["0", shown, f"{video.color_range}/{video.color_matrix}", size, sound]


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].removeprefix("error: ") if lines else ""


def main() -> int:
    if not REAL_VIDEO.is_dir():
        print(f"{REAL_VIDEO} is absent", file=sys.stderr)
        return 1
    media = MediaFactory()
    print("| File | check said | export exit | rate | range/matrix | frame, file | loudness rule, "
          "gain |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in clips(media):
            out = Path(tmp) / "out.mp4"
            cells = [name, check_cell(path), *export_cells(path, out)]
            print("| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |", flush=True)
            out.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
