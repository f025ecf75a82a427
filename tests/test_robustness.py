"""Nothing lost, nothing left behind: hostile input, faults, races and signals (issue 13).

Every case asserts what the README promises: the exit status, a single `error:` line in plain
words (no traceback, no "[Errno"), no file left behind (no output, no `.part`, no lock), and every
input unchanged (hashed before and after). Inputs are generated here, small and fast.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from clipstudio.cli.main import main

REPO = Path(__file__).resolve().parents[1]
# Root reads and writes anything: permission cases run without the capabilities that allow it.
NO_OVERRIDE = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


# --- media and hostile files -------------------------------------------------------------------


@pytest.fixture(scope="module")
def clip(media) -> Path:
    """A 2 s black 640x360 clip with a tone: captions show white on black, easy to measure."""
    return media.ffmpeg_clip(
        "robust-black",
        ["-f", "lavfi", "-i", "color=black:size=640x360:rate=25",
         "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=44100", "-t", "2",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac"],
    )  # fmt: skip


def srt(cues: list[tuple[str, str, str]]) -> str:
    return "".join(f"{i + 1}\n{a} --> {b}\n{text}\n\n" for i, (a, b, text) in enumerate(cues))


def png_header(width: int, height: int, rows: int = 1) -> bytes:
    """A 1-bit PNG that claims `width` x `height` and holds `rows` of zeros (a bomb's header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    compressor = zlib.compressobj(9)
    row = b"\0" * (1 + (width + 7) // 8)
    body = b"".join(compressor.compress(row) for _ in range(rows)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def kit_json(**fields: object) -> str:
    return json.dumps({"format": "clipstudio-brand-kit", "version": 1, **fields})


# --- running the command line and checking the promises ----------------------------------------


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_here(argv: list[str], capsys: pytest.CaptureFixture[str]) -> Run:
    """main() in this process (fast); an exception escaping it fails the test like a traceback."""
    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return Run(code, out, err)


def _ctrl_c_as_from_a_terminal() -> None:
    """A test run started in the background (CI scripts, `cmd &`) ignores SIGINT and its
    children inherit that, so Python would not turn Ctrl+C into KeyboardInterrupt: the CLI is
    run as from a terminal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def cli(*args: object, prefix: tuple[str, ...] = (), **options: object) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    options.setdefault("preexec_fn", _ctrl_c_as_from_a_terminal)
    return subprocess.Popen(
        [*prefix, sys.executable, "-m", "clipstudio.cli", *map(str, args)],
        stdout=options.pop("stdout", subprocess.PIPE),
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        **options,  # type: ignore[arg-type]
    )


def run_cli(*args: object, prefix: tuple[str, ...] = (), **options: object) -> Run:
    proc = cli(*args, prefix=prefix, **options)
    out, err = proc.communicate(timeout=120)
    return Run(proc.returncode, out or "", err)


def hashes(*folders: Path) -> dict[Path, str]:
    found = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                found[path] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def assert_refused(run: Run, words: str, code: int = 2, after_work: bool = False) -> None:
    """One `error:` line in plain words and the exit status; nothing else on stderr, except
    (`after_work`) the lines of what an export did before it was stopped."""
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert run.code == code, run.stderr
    if after_work:
        assert [line for line in lines if line.startswith("error")] == lines[-1:], run.stderr
        lines = lines[-1:]
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("error: "), run.stderr
    assert words in lines[0], lines[0]
    assert "Traceback" not in run.stderr and "[Errno" not in run.stderr


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if ".part" in p.name or p.name.endswith(".lock")]


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    return tmp_path


# --- refused: one line, exit 2, nothing written, inputs unchanged ------------------------------

Setup = Callable[[Path, Path], list[str]]  # (work folder, clip copy) -> argv


def _export(*extra: str) -> Setup:
    return lambda w, c: ["export", str(c), "-o", str(w / "out" / "o.mp4"), "--no-imprint", *extra]


def _with_file(
    name: str, data: bytes | str, argv: Callable[[Path, Path, Path], list[str]]
) -> Setup:
    def setup(w: Path, c: Path) -> list[str]:
        path = w / "in" / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
        return argv(w, c, path)

    return setup


def _subs(name: str, data: bytes | str, *extra: str) -> Setup:
    return _with_file(name, data, lambda w, c, p: [*_export("--subtitles", str(p), *extra)(w, c)])


def _kit(data: bytes | str) -> Setup:
    return _with_file("kit.json", data, lambda w, c, p: ["brand-kit", "show", str(p)])


def _logo(data: bytes) -> Setup:
    return _with_file(
        "logo.png", data, lambda w, c, p: [*_export("--captions", "none", "--logo", str(p))(w, c)]
    )


def _existing(name: str, argv: Callable[[Path, Path, Path], list[str]]) -> Setup:
    return _with_file(name, "hand-edited, keep me\n", argv)


def _copy_as(name: str, argv: Callable[[Path, Path], list[str]]) -> Setup:
    def setup(w: Path, c: Path) -> list[str]:
        target = w / "in" / name
        target.write_bytes(c.read_bytes())
        return argv(w, target)

    return setup


def _cut(share: float, command: str) -> Setup:
    def setup(w: Path, c: Path) -> list[str]:
        data = c.read_bytes()
        cut = w / "in" / f"cut{int(share * 100)}.mp4"
        cut.write_bytes(data[: int(len(data) * share)])
        if command == "transcribe":
            return ["transcribe", str(cut)]
        if command == "export":
            return _export("--captions", "none")(w, cut)
        return [command, str(cut)]

    return setup


def _loop(w: Path, c: Path) -> list[str]:
    loop = w / "in" / "loop.mp4"
    os.symlink(loop, loop)
    return ["probe", str(loop)]


ONE_CUE = srt([("00:00:00,000", "00:00:01,500", "Hello")])
NESTED = '{"a":' * 100_000 + "1" + "}" * 100_000

REFUSED: dict[str, tuple[Setup, str]] = {
    # numbers and usage
    "start-nan": (_export("--start", "nan"), "--start must be a number"),
    "end-nan": (_export("--end", "nan"), "--end must be a number"),
    "max-duration-nan": (_export("--max-duration", "nan"), "--max-duration must be a number"),
    "max-duration-1000": (_export("--max-duration", "1000"), "at most 60"),
    "max-duration-0.2": (_export("--max-duration", "0.2"), "at least 1"),
    "end-before-start": (_export("--start", "1.5", "--end", "0.5"), "must come after"),
    "end-card-inf": (_export("--end-card-seconds", "inf"), "--end-card-seconds must be a number"),
    "negative-start": (_export("--start", "-3"), "at least 0"),
    "unknown-option": (_export("--shiny"), "unrecognized arguments"),
    "missing-output": (lambda w, c: ["export", str(c)], "required: -o/--output"),
    "bad-preset": (_export("--preset", "tiktok"), "invalid choice"),
    # paths
    "symlink-loop": (_loop, "loops back on itself"),
    "clip-is-folder": (lambda w, c: ["check", str(w / "in")], "folder"),
    "no-output-folder": (
        lambda w, c: _export()(w, c)[:3] + [str(w / "nope" / "o.mp4"), "--no-imprint"],
        "does not exist",
    ),
    "output-is-folder": (
        lambda w, c: [
            "export",
            str(c),
            "-o",
            str(_mkdir(w / "out" / "o.mp4")),
            "--overwrite",
            "--no-imprint",
        ],
        "is a folder",
    ),
    "output-is-source": (
        lambda w, c: ["export", str(c), "-o", str(c), "--overwrite", "--no-imprint"],
        "would overwrite",
    ),
    "output-exists": (
        _existing("o.mp4", lambda w, c, p: ["export", str(c), "-o", str(p), "--no-imprint"]),
        "already exists",
    ),
    "sidecar-exists": (
        _with_file("subs.srt", ONE_CUE, lambda w, c, p: _srt_beside(w, c, p, existing=True)),
        "o.en_GB.srt already exists",
    ),
    "output-is-subtitles": (
        _with_file("o.en_GB.srt", ONE_CUE, lambda w, c, p: _srt_beside(w, c, p, "--overwrite")),
        "would overwrite o.en_GB.srt",
    ),
    "transcribe-over-existing": (
        _existing("edited.srt", lambda w, c, p: ["transcribe", str(c), "-o", str(p)]),
        "already exists",
    ),
    "transcribe-json-over-itself": (
        _copy_as("clip.json", lambda w, c: ["transcribe", str(c), "-o", str(c), "--overwrite"]),
        "would overwrite clip.json",
    ),
    "transcribe-no-folder": (
        lambda w, c: ["transcribe", str(c), "-o", str(w / "nope" / "x.srt")],
        "does not exist",
    ),
    "transcribe-to-folder": (
        lambda w, c: ["transcribe", str(c), "-o", str(_mkdir(w / "out" / "x.srt"))],
        "is a folder",
    ),
    # damaged and wrong media
    "cut10-transcribe": (_cut(0.1, "transcribe"), "damaged"),
    "cut50-transcribe": (_cut(0.5, "transcribe"), "damaged"),
    "cut90-transcribe": (_cut(0.9, "transcribe"), "damaged"),
    "cut50-check": (_cut(0.5, "check"), "damaged"),
    "cut90-export": (_cut(0.9, "export"), "damaged"),
    "random-bytes-transcribe": (
        _with_file(
            "noise.mp4",
            np.random.default_rng(1).bytes(40_000),
            lambda w, c, p: ["transcribe", str(p)],
        ),
        "not a video file",
    ),
    # subtitle files
    "empty-srt": (_subs("empty.srt", ""), "empty"),
    "srt-of-nothing": (_subs("junk.srt", "just some words\nno times\n"), "not a caption file"),
    "cues-after-end": (
        _subs(
            "late.srt", srt([("00:01:00,000", "00:01:02,000", "Too late")]), "--captions", "both"
        ),
        "none of the 1 captions",
    ),
    "300k-cues": (
        _subs("stacked.srt", srt([("00:00:00,000", "00:00:05,000", "Overlap")] * 300_000)),
        "too big for a caption file",
    ),
    # brand kits and logos
    "kit-nested-100k": (_kit(NESTED), "nested too deep"),
    "kit-5000-digits": (
        _kit(kit_json(name="x", extra=int("9" * 4000)).replace("9" * 4000, "9" * 5000)),
        "damaged JSON",
    ),
    "kit-8-byte-logo": (
        _kit(kit_json(logo_png_base64=base64.b64encode(b"\x89PNG\r\n\x1a\n").decode())),
        "not a PNG image",
    ),
    "kit-not-utf8": (_kit(b"\xff\xfe\x00junk" * 10), "not UTF-8"),
    "kit-huge": (_kit(b" " * 2_100_000), "too big for a brand kit"),
    "logo-not-picture": (_logo(b"this is a text file, not a PNG\n" * 10), "not a picture"),
    "logo-40000px": (_logo(png_header(40_000, 40_000)), "too big for a logo"),
    "logo-12000px": (_logo(png_header(12_000, 12_000, rows=12_000)), "too big for a logo"),
    "check-audio-only": (lambda w, c: ["check", str(_audio_only(w))], "has no picture"),
}


def _srt_beside(
    w: Path, c: Path, subtitles: Path, *extra: str, existing: bool = False
) -> list[str]:
    """An export to in/o.mp4 with a sidecar .srt from `subtitles` (and a hand-edited
    in/o.en_GB.srt already there when `existing`)."""
    if existing:
        (w / "in" / "o.en_GB.srt").write_text("hand-edited, keep me\n")
    return ["export", str(c), "-o", str(w / "in" / "o.mp4"), "--no-imprint", "--captions", "srt",
            "--subtitles", str(subtitles), *extra]  # fmt: skip


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def _audio_only(w: Path) -> Path:
    from media import MediaFactory

    path = w / "in" / "sound.m4a"
    path.write_bytes(MediaFactory().audio_only().read_bytes())
    return path


@pytest.mark.parametrize("case", list(REFUSED))
def test_hostile_input_is_refused_cleanly(case: str, work: Path, clip: Path, capsys) -> None:
    setup, words = REFUSED[case]
    source = work / "in" / "clip.mp4"
    source.write_bytes(clip.read_bytes())
    argv = setup(work, source)
    before = hashes(work / "in")
    outputs_before = set(hashes(work / "out"))
    run = run_here(argv, capsys)
    assert_refused(run, words)
    assert hashes(work / "in") == before  # nothing read was changed
    assert set(hashes(work / "out")) == outputs_before  # nothing new written
    assert not leftovers(work)


def test_the_refusals_come_before_the_long_work(
    work: Path, clip: Path, capsys, monkeypatch
) -> None:
    """Transcribe checks its output before Whisper runs: the engine is never loaded."""
    from clipstudio.core.speech import transcribe

    monkeypatch.setattr(transcribe, "get_transcriber", lambda *a, **k: pytest.fail("transcribed"))
    (work / "out" / "x.srt").write_text("mine")
    assert_refused(
        run_here(["transcribe", str(clip), "-o", str(work / "out" / "x.srt")], capsys),
        "already exists",
    )


# --- repaired or accepted: the file is made, and made right ------------------------------------


def _sidecar(work: Path) -> str:
    return (work / "out" / "o.en_GB.srt").read_text(encoding="utf-8")


def _export_with_subtitles(work: Path, clip: Path, data: bytes, capsys, mode: str = "both") -> Run:
    subs = work / "in" / "subs.srt"
    subs.write_bytes(data)
    argv = _export("--captions", mode, "--subtitles", str(subs))(work, clip)
    before = hashes(work / "in")
    run = run_here(argv, capsys)
    assert run.code == 0, run.stderr
    assert hashes(work / "in") == before
    assert not leftovers(work)
    return run


@pytest.mark.parametrize(
    ("encoding", "text"),
    [("utf-16", "Été à Noël"), ("utf-16-be", "Été à Noël"), ("latin-1", "Café crème"),
     ("utf-8-sig", "Ünïcode BOM")],
)  # fmt: skip
def test_subtitles_in_any_common_encoding_are_read(work, clip, capsys, encoding, text) -> None:
    data = srt([("00:00:00,000", "00:00:01,500", text)]).encode(encoding)
    _export_with_subtitles(work, clip, data, capsys, mode="srt")
    assert text in _sidecar(work)


def test_negative_and_overlapping_times_are_repaired_and_said(work, clip, capsys) -> None:
    data = srt([("-00:00:01,000", "00:00:00,800", "Early"), ("00:00:00,500", "00:00:01,500", "Overlaps"),
                ("00:00:01,000", "00:00:01,900", "Last")]).encode()  # fmt: skip
    run = _export_with_subtitles(work, clip, data, capsys, mode="srt")
    assert "before 0:00" in run.stderr and "overlapped" in run.stderr
    times = [line for line in _sidecar(work).splitlines() if "-->" in line]
    assert times == ["00:00:00,000 --> 00:00:00,500", "00:00:00,500 --> 00:00:01,000",
                     "00:00:01,000 --> 00:00:01,900"]  # fmt: skip


def test_thousands_of_stacked_cues_render_without_hanging(work, clip, capsys) -> None:
    """libass spent minutes on one frame of 300 000 stacked cues; overlaps are merged first."""
    data = srt([("00:00:00,000", "00:00:02,000", f"Cue {i}") for i in range(20_000)]).encode()
    run = _export_with_subtitles(work, clip, data, capsys)
    assert "left out" in run.stderr
    assert _sidecar(work).count("-->") == 1


def _caption_columns(out: Path) -> np.ndarray:
    """Which columns of the exported picture show caption text (bright pixels), over the clip."""
    from media import frame_at

    seen = np.zeros(0, bool)
    for t in (0.3, 0.9, 1.5):
        frame = frame_at(out, t)
        bright = (frame.max(axis=2) > 128).any(axis=0)
        seen = bright if seen.size == 0 else seen | bright
    return seen


def test_a_3000_character_line_stays_inside_the_picture(work, clip, capsys) -> None:
    data = srt([("00:00:00,000", "00:00:02,000", "W" * 3000)]).encode()
    _export_with_subtitles(work, clip, data, capsys)
    columns = _caption_columns(work / "out" / "o.mp4")
    assert columns.any()  # the captions are there...
    assert not columns[:8].any() and not columns[-8:].any()  # ...and never reach the edges


def test_300_words_become_captions_of_the_shapes_lines(work, clip, capsys) -> None:
    words = " ".join(f"word{i}" for i in range(300))
    data = srt([("00:00:00,000", "00:00:02,000", words)]).encode()
    _export_with_subtitles(work, clip, data, capsys)
    from media import frame_at

    frame = frame_at(work / "out" / "o.mp4", 1.0)
    rows = np.flatnonzero((frame.max(axis=2) > 128).any(axis=1))
    assert rows.size and rows[-1] - rows[0] < frame.shape[0] * 0.3  # two or three lines, not 17
    for cue in _sidecar(work).split("\n\n"):
        text = cue.splitlines()[2:]
        assert 1 <= len(text) <= 2 and all(len(line) <= 42 for line in text)


def test_a_brand_kit_saved_by_notepad_reads(work, capsys) -> None:
    kit = work / "in" / "kit.json"
    kit.write_bytes(b"\xef\xbb\xbf" + kit_json(name="North Ward").encode())
    run = run_here(["brand-kit", "show", str(kit)], capsys)
    assert run.code == 0 and "North Ward" in run.stdout


def test_a_1281x721_source_is_not_made_wider(media, work, capsys) -> None:
    odd = media.ffmpeg_clip("odd1281", ["-f", "lavfi", "-i", "color=gray:size=1281x721:rate=25", "-t", "1",
                                        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p"])  # fmt: skip
    run = run_here(
        [
            "export",
            str(odd),
            "-o",
            str(work / "out" / "o.mp4"),
            "--no-imprint",
            "--captions",
            "none",
        ],
        capsys,
    )
    assert run.code == 0, run.stderr
    assert "1280x720" in run.stdout


# --- faults of the machine: full and read-only disks, a full stdout, no permission -------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB tmpfs (root only; skipped elsewhere): a disk that really fills up."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
                                           capture_output=True).returncode:  # fmt: skip
        pytest.skip("needs root to mount a small disk")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_not_enough_space_is_found_before_the_render(small_disk, clip, capsys) -> None:
    assert_refused(run_here(["export", str(clip), "-o", str(small_disk / "o.mp4"), "--no-imprint"], capsys),
                   "not enough free space")  # fmt: skip
    assert list(small_disk.iterdir()) == []


def test_a_disk_that_fills_while_writing_leaves_nothing(small_disk, clip, capsys) -> None:
    filler = small_disk / "filler"
    with contextlib.suppress(OSError), open(filler, "wb") as handle:
        handle.write(b"\0" * 4_000_000)
    run = run_here(["transcribe", str(clip), "-o", str(small_disk / "out.json")], capsys)
    assert_refused(run, "full")
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


def test_a_read_only_disk_is_refused_up_front(small_disk, clip, capsys) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    for argv in (["export", str(clip), "-o", str(small_disk / "o.mp4"), "--no-imprint"],
                 ["transcribe", str(clip), "-o", str(small_disk / "o.srt")]):  # fmt: skip
        assert_refused(run_here(argv, capsys), "read-only disk")


def test_stdout_on_a_full_device_is_one_line(clip: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        run = run_cli("probe", "--json", clip, stdout=full)
    assert_refused(run, "the disk is full")


def test_no_permission_is_said_in_plain_words(work: Path, clip: Path) -> None:
    if os.geteuid() != 0 or subprocess.run([*NO_OVERRIDE, "true"], capture_output=True).returncode:
        pytest.skip("needs root and setpriv to give up the permission override")
    private = work / "in" / "private.mp4"
    private.write_bytes(clip.read_bytes())
    private.chmod(0o000)
    locked = work / "out" / "locked"
    locked.mkdir(mode=0o555)
    prefix = tuple(NO_OVERRIDE)
    assert_refused(run_cli("probe", private, prefix=prefix), "no permission to use")
    assert_refused(
        run_cli("export", clip, "-o", locked / "o.mp4", "--no-imprint", prefix=prefix),
        "no permission",
    )
    assert_refused(
        run_cli("transcribe", clip, "-o", locked / "o.srt", prefix=prefix), "no permission"
    )
    assert list(locked.iterdir()) == []


# --- races and signals -------------------------------------------------------------------------


def test_two_exports_to_one_new_file_cannot_both_win(work: Path, clip: Path) -> None:
    out = work / "out" / "o.mp4"
    runs = [cli("export", clip, "-o", out, "--no-imprint", "--captions", "none") for _ in range(2)]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in runs]  # type: ignore[union-attr]
    winners = [r for r in results if r[0] == 0]
    losers = [r for r in results if r[0] != 0]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0][0] == 2 and (
        "another Clip Studio run" in losers[0][2] or "already exists" in losers[0][2]
    )
    assert not leftovers(work)


def _children(pid: int) -> list[int]:
    """Live (not zombie) descendants of `pid`, from /proc."""
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid and fields[0] != "Z":
                    found.append(int(entry.name))
    return found + [g for c in found for g in _children(c)]


def _alive(pid: int) -> bool:
    with contextlib.suppress(OSError):
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return False


def _wait_for(condition: Callable[[], object], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _start_long_export(media, folder: Path) -> tuple[subprocess.Popen[str], list[int]]:
    """An export of 75 s of footage, returned once its ffmpeg is rendering the .part file."""
    proc = cli("export", media.long_with_pauses(), "-o", folder / "o.mp4", "--no-imprint",
               "--captions", "none")  # fmt: skip
    _wait_for(lambda: any(".part" in p.name for p in folder.iterdir()) or proc.poll() is not None)
    ffmpegs = [
        pid for pid in _children(proc.pid) if "ffmpeg" in Path(f"/proc/{pid}/cmdline").read_text()
    ]
    assert ffmpegs, "no ffmpeg running"
    return proc, ffmpegs


@pytest.mark.parametrize(
    ("signum", "code", "words"),
    [(signal.SIGTERM, 143, "asked to quit"), (signal.SIGHUP, 129, "terminal was closed"),
     (signal.SIGINT, 130, "cancelled")],
    ids=["TERM", "HUP", "INT"],
)  # fmt: skip
def test_a_signal_stops_the_export_and_its_ffmpeg(media, work, signum, code, words) -> None:
    proc, ffmpegs = _start_long_export(media, work / "out")
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=30)
    assert_refused(Run(proc.returncode, "", err), words, code=code, after_work=True)
    assert not [pid for pid in ffmpegs if _alive(pid)]
    assert list((work / "out").iterdir()) == []
    assert not [p for p in Path(tempfile.gettempdir()).glob(f"clipstudio-{proc.pid}-*")]


def test_kill_9_takes_ffmpeg_along_and_the_next_run_cleans_up(media, work, clip) -> None:
    proc, ffmpegs = _start_long_export(media, work / "out")
    proc.kill()
    proc.wait()
    _wait_for(lambda: not [pid for pid in ffmpegs if _alive(pid)], timeout=5)
    assert leftovers(work)  # a kill -9 cannot clean up...
    assert list(Path(tempfile.gettempdir()).glob(f"clipstudio-{proc.pid}-*"))
    run = run_cli(
        "export", clip, "-o", work / "out" / "o.mp4", "--no-imprint", "--captions", "none"
    )
    assert run.code == 0, run.stderr  # ...the next run into the same folder does
    assert sorted(p.name for p in (work / "out").iterdir()) == ["o.mp4"]
    assert not list(Path(tempfile.gettempdir()).glob(f"clipstudio-{proc.pid}-*"))


WINDOW = """
import sys
from clipstudio.core.isolate import run_isolated
from clipstudio.core.export.render import ExportJob
sys.path.insert(0, {tests!r})
from plans import clip_plan
run_isolated("clipstudio.core.export.render:export_clip",
             {{"plan": clip_plan({clip!r}), "job": ExportJob(output=__import__("pathlib").Path({out!r}))}})
"""


def test_workers_die_with_the_window(media, work) -> None:
    """The window's process killed with -9: its isolate child and that child's ffmpeg go too,
    and the child removes its temp file on the way (the kernel tells it with SIGTERM)."""
    out = work / "out" / "o.mp4"
    script = WINDOW.format(
        tests=str(REPO / "tests"), clip=str(media.long_with_pauses()), out=str(out)
    )
    window = subprocess.Popen(
        [sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": str(REPO)}
    )
    _wait_for(
        lambda: any(".part" in p.name for p in out.parent.iterdir()) or window.poll() is not None
    )
    workers = _children(window.pid)
    assert any("ffmpeg" in Path(f"/proc/{pid}/cmdline").read_text() for pid in workers)
    window.kill()
    window.wait()
    _wait_for(lambda: not [pid for pid in workers if _alive(pid)], timeout=15)
    _wait_for(lambda: not leftovers(work), timeout=5)


def test_a_download_cut_short_leaves_no_part_folder(monkeypatch, tmp_path) -> None:
    import io

    from clipstudio.core.errors import BadInputError
    from clipstudio.core.speech import models

    monkeypatch.setattr(
        models, "_list_remote_files", lambda repo: [("model.bin", 1000), ("config.json", 2)]
    )
    monkeypatch.setattr(models, "_open_url", lambda url: io.BytesIO(b"x" * 10))
    with pytest.raises(BadInputError, match="stopped early"):
        models.download_model("tiny")
    folder = models.models_dir()
    assert not [p for p in folder.rglob("*") if ".part" in p.name] if folder.exists() else True


# --- bounded memory: an export of a long recording transcribes what it can keep ---------------


def test_a_long_source_is_transcribed_only_as_far_as_the_export_can_keep(clip: Path) -> None:
    from dataclasses import replace

    from clipstudio.core.edit.limits import keep_budget
    from clipstudio.core.edit.plan import EditPlan, Take
    from clipstudio.core.export.prepare import TRANSCRIBE_BUDGET_SHARE, transcription_span
    from clipstudio.core.media.probe import probe
    from clipstudio.core.vocabulary import Trim

    hour = replace(probe(clip), duration=3600.0)
    budget = keep_budget()
    cut = EditPlan(takes=(Take(hour.path, 120.0, None),), trim=Trim.SENTENCES)
    assert transcription_span(cut, hour, budget) == (
        120.0,
        120.0 + TRANSCRIBE_BUDGET_SHARE * budget,
    )
    exact = EditPlan(takes=(Take(hour.path, 10.0, 40.0),), trim=Trim.EXACT)
    assert transcription_span(exact, hour, budget) == (10.0, 40.0)
    short = replace(hour, duration=75.0)
    assert transcription_span(EditPlan(takes=(Take(hour.path),)), short, budget) == (0.0, None)


def test_a_range_transcribes_in_source_time(media) -> None:
    """The words of 2-6 s of a speech clip come back at the same source times as the words of
    the whole clip (the range is decoded from a seek, and its offset put back)."""

    from clipstudio.core.speech.transcribe import get_transcriber

    speech = media.speech_clip()
    transcriber = get_transcriber()
    whole = transcriber.transcribe(speech)
    part = transcriber.transcribe(speech, start=2.0, end=6.0)
    inside = [w for w in whole.words if w.start >= 2.3 and w.end <= 5.7]
    assert part.words and inside
    for word in inside:
        twin = min(part.words, key=lambda w: abs(w.start - word.start))
        assert (
            abs(twin.start - word.start) < 0.3
            and twin.text.strip().lower() == word.text.strip().lower()
        )
    assert min(w.start for w in part.words) >= 1.9 and max(w.end for w in part.words) <= 6.5


def test_samples_stay_within_their_budget_and_shake_is_still_seen(media, monkeypatch) -> None:
    """Long footage thins the kept pictures (the picture budget, shrunk here to 12 pictures)
    while motion stays at 10 a second, so a shaky clip is still found shaky; the audio buffer
    holds exactly the decoded audio at 16 kHz."""
    from media_checks import SCENES, scene_clip

    from clipstudio.core.analysis import samples as samples_module
    from clipstudio.core.analysis.report import analyse_clip
    from clipstudio.core.media.probe import probe

    shaky = scene_clip(media, SCENES["shaky"])
    info = probe(shaky)
    picture_bytes = 160 * 90
    monkeypatch.setattr(samples_module, "MAX_PICTURE_BYTES", 12 * picture_bytes)
    collected = samples_module.collect_samples(shaky, info)
    assert 6 <= len(collected.pictures) <= 12 and len(collected.sample_times) == len(
        collected.pictures
    )
    assert collected.motion.shape[0] == collected.motion_times.size - 1
    assert collected.motion_times.size >= info.duration * samples_module.SAMPLE_FPS - 2
    assert abs(collected.audio.shape[1] / samples_module.AUDIO_RATE - info.audio.duration) < 0.1
    report = analyse_clip(shaky, imprint=None)
    assert "stability.shaky" in {f.id for f in report.findings}
