"""The preview's picture fixes (gui/fix_preview.py): GUI-thread milliseconds per 1080p frame to
turn a decoded frame into a picture (the plain preview's cost, QGraphicsVideoItem's before) and
to compose it into a 744x418 preview with each fix on.

Target (issue 16): the fixes add no more than a few milliseconds a frame to the plain preview.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

# Frames decoded for the figures, and the preview frame's size (a 1366x768 window's).
FRAMES = 30
PREVIEW = (744, 418)
# Playback is measured from this long after it starts (the decoder's own start-up stalls).
WARM_UP_S = 0.4


def _decoded_frames(app, clip: Path, count: int) -> list:
    """`count` frames of `clip` as Qt's player hands them to the preview."""
    from PySide6.QtCore import QUrl
    from PySide6.QtMultimedia import QMediaPlayer, QVideoFrame, QVideoSink

    player, sink = QMediaPlayer(), QVideoSink()
    player.setVideoSink(sink)
    frames: list = []
    sink.videoFrameChanged.connect(lambda frame: frames.append(QVideoFrame(frame)))
    player.setSource(QUrl.fromLocalFile(str(clip)))
    player.play()
    deadline = time.monotonic() + 60
    while len(frames) < count and time.monotonic() < deadline:
        app.processEvents()
    player.stop()
    return frames[:count]


def _clip(width: int, height: int) -> Path:
    """Two seconds of moving 1080p picture, landscape or upright, made once in bench-out/."""
    import subprocess

    from bench.clip import BENCH_DIR, FFMPEG

    BENCH_DIR.mkdir(exist_ok=True)
    out = BENCH_DIR / f"preview-{width}x{height}.mp4"
    if not out.exists():
        tmp = out.with_suffix(".part.mp4")
        subprocess.run([FFMPEG, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                        f"testsrc2=size={width}x{height}:rate=30", "-t", "2", "-c:v", "libx264",
                        "-preset", "veryfast", "-pix_fmt", "yuv420p", str(tmp)],
                       check=True)  # fmt: skip
        tmp.rename(out)
    return out


def _median_ms(work: Callable[[int], object], count: int) -> float:
    """The median wall time: what the GUI thread is kept from other work (its own CPU time
    would say less: Qt scales pictures on helper threads too). On a busy machine it grows with
    the load; the figures are only comparable with each other from one run."""
    times = []
    for index in range(count):
        started = time.perf_counter()
        work(index)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _figures(app, name: str, size: tuple[int, int], modes: list) -> dict[str, float]:
    from PySide6.QtCore import QRectF

    from clipstudio.core.export.fit import Fit
    from clipstudio.gui.fix_preview import FixedPicture, PictureLook

    frames = _decoded_frames(app, _clip(*size), FRAMES)
    frames[0].toImage()  # the converter's first use sets it up
    images = []
    figures = {f"{name} frame to picture ms": _median_ms(
        lambda i: images.append(frames[i].toImage()), len(frames))}  # fmt: skip
    picture = FixedPicture()
    picture.set_frame_rect(QRectF(0, 0, *PREVIEW), 1.0)
    looks = {"plain": {}, "brighten": {"brighten": True}, "deflicker": {"deflicker": True},
             "both": {"brighten": True, "deflicker": True}}  # fmt: skip
    for mode in modes:
        for look_name, switches in looks.items():
            picture.set_look(PictureLook(Fit(mode, 1920, 1080), *size, **switches))
            figures[f"{name} {mode} {look_name} compose ms"] = _median_ms(
                lambda i: picture.show_image(images[i % len(images)]), len(images)
            )
    return figures


def _playback(app, size: tuple[int, int], look_switches: dict) -> tuple[float, float]:
    """Play a 1080p clip's two seconds in the preview (744x418): frames composed a second and
    the GUI thread's worst stall (a 10 ms timer's longest gap), after WARM_UP_S."""
    from PySide6.QtWidgets import QApplication

    from bench.bench_gui import StallProbe
    from clipstudio.core.export.fit import Fit, FitMode
    from clipstudio.core.export.presets import PRESETS
    from clipstudio.core.speech.types import CaptionStyle
    from clipstudio.core.vocabulary import Shape
    from clipstudio.gui.fix_preview import PictureLook
    from clipstudio.gui.player import Player

    player = Player()
    player.resize(PREVIEW[0] + 16, PREVIEW[1] + 16)
    player.show()
    mode = FitMode.SCALE if size[0] > size[1] else FitMode.BLUR
    player.set_output(PRESETS[Shape.FEED], CaptionStyle(),
                      PictureLook(Fit(mode, 1920, 1080), *size, **look_switches))  # fmt: skip
    player.load(str(_clip(*size)))
    composed = [0]
    original = player.view.picture.compose

    def counted(new_frame: bool = False) -> None:
        composed[0] += new_frame
        original(new_frame)

    player.view.picture.compose = counted  # type: ignore[method-assign]
    deadline = time.monotonic() + 30
    while player.duration() <= 0 and time.monotonic() < deadline:
        app.processEvents()
    probe = StallProbe()
    player.toggle_play()
    started = time.monotonic()
    while time.monotonic() - started < WARM_UP_S:  # the decoder's start is not the preview's
        app.processEvents()
    composed[0] = 0
    probe.start()
    started = time.monotonic()
    while player.is_playing() and time.monotonic() - started < 10:
        app.processEvents()
    seconds = time.monotonic() - started
    worst = probe.stop()
    player.unload()
    player.close()
    QApplication.processEvents()
    return composed[0] / seconds, worst * 1000


def run(clip: Path | None = None) -> dict[str, float]:
    """`clip` (the bench's own) is not used: the figures need a landscape and an upright one."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from clipstudio.core.export.fit import FitMode

    app = QApplication.instance() or QApplication([])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    playback = {}
    for name, size in (("landscape", (1920, 1080)), ("portrait", (1080, 1920))):
        for look_name, switches in (("plain", {}),
                                    ("fixes", {"brighten": True, "deflicker": True})):  # fmt: skip
            rate, stall = _playback(app, size, switches)
            playback[f"{name} playback {look_name} frames composed per s"] = rate
            playback[f"{name} playback {look_name} worst stall ms"] = stall
    return {"load average at start": load, **playback,**_figures(app, "landscape", (1920, 1080), [FitMode.SCALE]),
            **_figures(app, "portrait", (1080, 1920),
                       [FitMode.BLUR, FitMode.CROP, FitMode.PAD])}  # fmt: skip


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value:.2f}")
