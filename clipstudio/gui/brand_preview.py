"""Draws the brand layers for the preview off the GUI thread, once per change, newest first.

The pictures come from clipstudio.core.branding.layers.render_layers, the same call the export makes,
so the preview shows the export's pixels. Measured on this machine: 82 ms per render at 1920x1080
(110 ms for 1080x1920 Reels, 23 ms at 640x360), too slow for the GUI thread on every keystroke.
On a pool thread, with the PNGs decoded by Pillow, a 5 ms QTimer's longest gap was 13 ms while
drawing 20 renders in a row (9 ms idle); QImage.fromData held the GIL and made it 40 ms.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from PIL import Image
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

from clipstudio.core.branding.kit import Branding
from clipstudio.core.branding.layers import BrandLayers, render_layers
from clipstudio.core.export.presets import Preset
from clipstudio.core.speech.types import CaptionStyle
from clipstudio.gui.workers import TaskRunner, Worker

# Wait this long after the last change before drawing, so typing draws once, not per key.
RENDER_DELAY_MS = 120


@dataclass(frozen=True)
class LayerJob:
    """Everything the pictures depend on: a change to any of it means a new render."""

    branding: Branding
    width: int  # output pixels (the export's frame, which is never upscaled)
    height: int
    preset: Preset
    main_duration: float  # seconds of the clip before the end card
    caption_style: CaptionStyle


@dataclass(frozen=True)
class RenderedLayers:
    job: LayerJob
    layers: BrandLayers
    images: dict[str, QImage]  # "logo", "lower_third", "end_card" -> decoded picture


def render_job(job: LayerJob) -> RenderedLayers:
    """Render and decode on the worker thread (QImage, unlike QPixmap, may live off it)."""
    layers = render_layers(job.branding, job.width, job.height, job.preset, job.main_duration,
                           caption_style=job.caption_style)  # fmt: skip
    pictures = {
        "logo": layers.logo.png if layers.logo else None,
        "lower_third": layers.lower_third.png if layers.lower_third else None,
        "end_card": layers.end_card,
    }
    images = {name: _decoded(png) for name, png in pictures.items() if png}
    return RenderedLayers(job, layers, images)


def _decoded(png: bytes) -> QImage:
    """Decode with Pillow, which lets go of the GIL while it works; QImage.fromData held it for
    the whole decode (a 30-40 ms stall of the window per 1080p render, measured)."""
    with Image.open(io.BytesIO(png)) as picture:
        rgba = picture.convert("RGBA")
    pixels = rgba.tobytes()
    # copy(): the QImage then owns its pixels instead of pointing into a Python bytes object.
    return QImage(pixels, rgba.width, rgba.height, 4 * rgba.width,
                  QImage.Format.Format_RGBA8888).copy()  # fmt: skip


class LayerRenderer(QObject):
    """Asks for pictures with `request(job)`; `ready` brings the newest job's pictures only."""

    ready = Signal(object)  # RenderedLayers
    failed = Signal(str)  # why the branding cannot be drawn, in plain words

    def __init__(self, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.wanted: LayerJob | None = None
        self.latest: RenderedLayers | None = None
        self.running: Worker | None = None
        self.started: LayerJob | None = None  # the job the last worker drew (or failed on)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(RENDER_DELAY_MS)
        self.timer.timeout.connect(self._start)

    def request(self, job: LayerJob | None) -> None:
        if job == self.wanted:
            return
        self.wanted = job
        if job is None:
            self.timer.stop()
            self.latest = None
            self.ready.emit(None)
            return
        self.timer.start()

    def busy(self) -> bool:
        return self.timer.isActive() or self.running is not None

    def _start(self) -> None:
        if self.running is not None:
            return  # started again when the running one is done
        job = self.wanted
        if job is None:
            return

        def draw(progress: Any, cancel: Any) -> RenderedLayers:
            return render_job(job)

        self.started = job
        worker = Worker("Drawing the branding", draw)
        worker.signals.finished.connect(self._finished)
        worker.signals.failed.connect(lambda message, *_: self._failed(job, message))
        worker.signals.done.connect(self._done)
        self.running = worker
        self.tasks.start(worker)

    def _finished(self, rendered: RenderedLayers) -> None:
        if rendered.job == self.wanted:
            self.latest = rendered
            self.ready.emit(rendered)

    def _failed(self, job: LayerJob, message: str) -> None:
        if job == self.wanted:
            self.failed.emit(message)

    def _done(self) -> None:
        self.running = None
        if self.wanted is not None and self.wanted != self.started and not self.timer.isActive():
            self._start()  # the volunteer changed something while the last one was drawing
