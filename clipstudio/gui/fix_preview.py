"""The clip's picture in the preview as the export will make it: placed where the export puts it
(core export/fit.picture_placement: scaled, cropped by the crop's shares, between bars, or over
the blurred fill) with cheap copies of the picture fixes drawn from the export's own numbers
(core export/look.py).

Where the preview differs from the export (measured in tests/test_gui_fix_preview.py):
- Brighten: the export's `curves` (a spline through BRIGHTEN_CURVE, per R, G, B) is drawn as the
  picture screened over itself at look.self_screen_opacity, within 11 of 255 levels of the
  curve at its points (tests/test_look.py); it lifts the darkest footage a little less (a clip
  at mean luma 31: +19.7 in the preview, +22.1 in the file).
- Deflicker: the export's `deflicker` brings each frame's luma to the power mean of a window of
  DEFLICKER_FRAMES around it, on the luma codes only; the preview takes the same power mean
  (look.deflicker_gain) of the frames it has shown (begun again at every jump, not at a
  frame's step, so the first frames after a jump are not evened out yet) and scales R, G and B by it, so colours scale too.
- Blur-fill: the export blurs the covering copy with two box blurs of BACKGROUND_BLUR_RADIUS
  output pixels (colour twice as far: its 4:2:0 chroma planes are half size) and lowers its
  luma codes with eq; the preview shrinks the copy to FILL_SHRINK of the output's size, blurs
  light there with the same boxes scaled down (radius 2) and colour at half that size, lowers
  the light by eq's amount (look.darkened_level) and draws it back enlarged (bilinear).
- Every fix is drawn at the preview's size, not the output's, and the frame is the one Qt's
  player shows (its colour conversion differs from the file's by a few levels).

Cost on the GUI thread, per 1080p frame (bench/bench_preview.py, `make bench`; measured at
load 4 on this 2-core machine): turning the decoded frame into a picture, the plain preview's
cost and QGraphicsVideoItem's before it, 12 ms (9 upright); composing the 744x418 preview
2.2 ms plain, brighten +0.6, deflicker +0.1, both +0.9; upright over the blurred fill 3.6 ms
(+2.4 for the fill), with both fixes 4.1. Playing 1080p: 30 frames composed a second with or
without the fixes, worst GUI stall 29-34 ms (the old player's: 36-185 ms in two runs).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtMultimedia import QVideoFrame, QVideoSink
from PySide6.QtWidgets import QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from clipstudio.core.export.fit import Fit, FitMode, Placement, fill_placement, picture_placement
from clipstudio.core.export.look import (
    BACKGROUND_BLUR_PASSES,
    BACKGROUND_BLUR_RADIUS,
    BACKGROUND_DARKEN,
    CHROMA_BLUR_SCALE,
    DEFLICKER_FRAMES,
    EQ_BRIGHTNESS_CODES,
    LIMITED_RANGE_CODES,
    curve_points,
    deflicker_gain,
    self_screen_opacity,
)

# The blurred fill is made at this share of the output's size, where the export's box blur
# becomes a radius of 2 pixels (128x72 for a 1080p frame): small enough to cost a millisecond
# or two, large enough that the boxes keep their shape.
FILL_SHRINK = 2 / BACKGROUND_BLUR_RADIUS
# BT.709 luma weights (the export's pictures are BT.709) and the limited range's codes, where
# ffmpeg's deflicker measures and scales.
LUMA_WEIGHTS_BGR = np.array([0.0722, 0.7152, 0.2126], np.float32)
LIMITED_BLACK, LIMITED_SPAN = 16.0, float(LIMITED_RANGE_CODES)
# eq's brightness in 0-255 levels (look.darkened_level, on every level at once).
FILL_DARKEN_LEVELS = BACKGROUND_DARKEN * EQ_BRIGHTNESS_CODES * 255 / LIMITED_RANGE_CODES
# Every 4th pixel each way is plenty for a frame's mean level.
MEAN_STEP = 4
SCREEN_OPACITY = self_screen_opacity(curve_points())


@dataclass(frozen=True)
class PictureLook:
    """What the export does to the picture: where it goes in the frame and which fixes are on."""

    fit: Fit
    source_width: int  # the picture as the viewer sees it (display size, upright)
    source_height: int
    brighten: bool = False
    deflicker: bool = False


def _pixels(image: QImage) -> np.ndarray:
    """A read-only numpy view (rows, columns, BGRA) of a 32-bit QImage's pixels (constBits: no
    copy is made of an image a painter is drawing into)."""
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 4].reshape(image.height(), image.width(), 4)


def _box_blur(levels: np.ndarray, radius: int, passes: int) -> np.ndarray:
    """`passes` box blurs of `radius` pixels down and across one plane (float32 rows x columns),
    edges repeated: running sums, so the cost does not grow with the radius."""
    width = 2 * radius + 1
    for _ in range(2 * passes):
        # Blur down the columns, then turn the plane a quarter so the next blur goes across.
        # A zero row, the first row r times, the rows, the last row r times: window sums are
        # then differences of the running sum `width` rows apart.
        rows = levels.shape[0]
        padded = np.empty((rows + width, levels.shape[1]), np.float32)
        padded[0] = 0.0
        padded[1 : radius + 1] = levels[0]
        padded[radius + 1 : radius + 1 + rows] = levels
        padded[radius + 1 + rows :] = levels[-1]
        summed = np.cumsum(padded, axis=0, out=padded)
        levels = np.ascontiguousarray(((summed[width:] - summed[:-width]) / width).T)
    return levels


def mean_luma(image: QImage, area: QRect) -> float:
    """Mean luma (0-255, full range) of `area` of a 32-bit image, every MEAN_STEP-th pixel."""
    area = area.intersected(image.rect())
    if area.isEmpty():
        return 0.0
    pixels = _pixels(image)[area.top() : area.bottom() + 1 : MEAN_STEP,
                            area.left() : area.right() + 1 : MEAN_STEP, :3]  # fmt: skip
    return float((pixels.astype(np.float32) @ LUMA_WEIGHTS_BGR).mean())


def _scaled_rect(place: Placement, scale: float) -> QRectF:
    return QRectF(place.x * scale, place.y * scale, place.width * scale, place.height * scale)


class FixedPicture(QGraphicsObject):
    """The video frame drawn into the output frame's rectangle with the export's placement and
    fixes. Frames come through `sink` (the player's video output); each new one is composed once
    into a picture of the frame's size in device pixels, which paint() only copies."""

    def __init__(self, parent: QGraphicsObject | None = None) -> None:
        super().__init__(parent)
        self.sink = QVideoSink(self)
        self.sink.videoFrameChanged.connect(self._frame_arrived)
        self.frame = QRectF(0, 0, 16, 9)
        self.device_ratio = 1.0
        self.look: PictureLook | None = None
        self.image = QImage()  # the last frame, full size
        self.composed = QImage()  # what the preview shows: the frame's rectangle, device pixels
        self.recent_means: deque[float] = deque(maxlen=DEFLICKER_FRAMES)
        self.frame_mean: float | None = None  # the last frame's, in limited-range luma codes
        self._pending: QVideoFrame | None = None
        # Frames arriving faster than they are drawn are dropped, newest kept: one pass a turn
        # of the event loop, never a queue of old frames.
        self._compose_timer = QTimer(self)
        self._compose_timer.setSingleShot(True)
        self._compose_timer.setInterval(0)
        self._compose_timer.timeout.connect(self._take_pending)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        return self.frame

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if not self.composed.isNull():
            painter.drawImage(self.frame.topLeft(), self.composed)

    # --- inputs ---------------------------------------------------------------------------------

    def set_frame_rect(self, frame: QRectF, device_ratio: float) -> None:
        if frame == self.frame and device_ratio == self.device_ratio:
            return
        self.prepareGeometryChange()
        self.frame, self.device_ratio = frame, device_ratio
        self.compose()

    def set_look(self, look: PictureLook | None) -> None:
        if look == self.look:
            return
        if look is None or self.look is None or look.deflicker != self.look.deflicker:
            self.restart_flicker()
        self.look = look
        self.compose()

    def restart_flicker(self) -> None:
        """A seek or a new clip: the frames shown before are no longer the ones around this."""
        self.recent_means.clear()

    def clear(self) -> None:
        self._pending = None
        self.image, self.composed, self.frame_mean = QImage(), QImage(), None
        self.recent_means.clear()
        self.update()

    def _frame_arrived(self, frame: QVideoFrame) -> None:
        self._pending = QVideoFrame(frame)
        if not self._compose_timer.isActive():
            self._compose_timer.start()

    def _take_pending(self) -> None:
        frame, self._pending = self._pending, None
        # The player hands over an empty frame when playback reaches the end: the last picture
        # stays up (a new clip or none clears it: Player.load and unload).
        if frame is not None and frame.isValid():
            self.show_image(frame.toImage())

    def show_image(self, image: QImage) -> None:
        """A new frame (upright, as QVideoFrame.toImage gives it)."""
        if image.isNull():
            self.clear()
            return
        if image.format() not in (QImage.Format.Format_RGB32, QImage.Format.Format_ARGB32,
                                  QImage.Format.Format_ARGB32_Premultiplied):  # fmt: skip
            image = image.convertToFormat(QImage.Format.Format_RGB32)
        self.image = image
        self.frame_mean = None
        self.compose(new_frame=True)

    # --- composing ------------------------------------------------------------------------------

    def compose(self, new_frame: bool = False) -> None:
        """Draw the last frame as the export will show it, into `composed`."""
        width = round(self.frame.width() * self.device_ratio)
        height = round(self.frame.height() * self.device_ratio)
        if self.image.isNull() or width <= 0 or height <= 0:
            self.composed = QImage()
            self.update()
            return
        look = self.look
        source_w = look.source_width if look and look.source_width > 0 else self.image.width()
        source_h = look.source_height if look and look.source_height > 0 else self.image.height()
        fit = look.fit if look is not None else Fit(FitMode.PAD, width, height)
        scale = width / fit.width
        canvas = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        canvas.fill(QColor(0, 0, 0, 0))
        picture = _scaled_rect(picture_placement(fit, source_w, source_h), scale)
        painter = QPainter(canvas)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(picture, self.image)
        shown = picture.toAlignedRect().intersected(canvas.rect())
        if look is not None and look.deflicker:
            self._deflicker(painter, canvas, shown, new_frame)
        if look is not None and look.brighten:
            # x + a*x*(1 - x): the export's curve's lift, with no per-pixel work of our own.
            self._blend_copy(painter, canvas, shown, QPainter.CompositionMode.CompositionMode_Screen,
                             SCREEN_OPACITY)  # fmt: skip
        if fit.mode is FitMode.BLUR:
            fill = _scaled_rect(fill_placement(fit, source_w, source_h), scale)
            painter.setOpacity(1.0)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_DestinationOver)
            painter.drawImage(QRectF(canvas.rect()), self._blurred_fill(canvas, picture, fill, fit))
        painter.end()
        canvas.setDevicePixelRatio(self.device_ratio)
        self.composed = canvas
        self.update()

    @staticmethod
    def _blend_copy(
        painter: QPainter, canvas: QImage, area: QRect, mode: QPainter.CompositionMode,
        opacity: float,
    ) -> None:  # fmt: skip
        """Draw `area` of what is drawn over itself, in `mode` at `opacity`."""
        if area.isEmpty() or opacity <= 0:
            return
        copy = canvas.copy(area)
        painter.setCompositionMode(mode)
        painter.setOpacity(min(1.0, opacity))
        painter.drawImage(area.topLeft(), copy)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        painter.setOpacity(1.0)

    def _deflicker(self, painter: QPainter, canvas: QImage, area: QRect, new_frame: bool) -> None:
        """Scale the picture by the gain that brings it to the recent frames' mean level."""
        if self.frame_mean is None:
            self.frame_mean = LIMITED_BLACK + mean_luma(canvas, area) * LIMITED_SPAN / 255
            if new_frame:
                self.recent_means.append(self.frame_mean)
        if not self.recent_means:
            self.recent_means.append(self.frame_mean)  # the first frame after a seek: as it is
        gain = deflicker_gain(self.recent_means, self.frame_mean)
        if gain > 1:
            remaining = gain - 1  # Plus at opacity o: x + o*x
            while remaining > 1e-3:
                self._blend_copy(painter, canvas, area, QPainter.CompositionMode.CompositionMode_Plus,
                                 min(1.0, remaining))  # fmt: skip
                remaining -= 1.0
        elif gain < 1:
            painter.setOpacity(1 - gain)  # black over at 1 - g: x*g
            painter.fillRect(area, QColor("black"))
            painter.setOpacity(1.0)
        # The gain is on the limited range's codes (16 is black): in 0-255 levels that is
        # x*g + (g - 1)*16*255/219, the second part added (Plus) or taken off (Difference,
        # |x - c|, which is wrong only below c: a level or two in the blacks).
        offset = round((gain - 1) * LIMITED_BLACK * 255 / LIMITED_SPAN)
        if offset:
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Plus if offset > 0
                                       else QPainter.CompositionMode.CompositionMode_Difference)  # fmt: skip
            level = min(255, abs(offset))
            painter.fillRect(area, QColor(level, level, level))
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)

    @staticmethod
    def _blurred_fill(canvas: QImage, picture: QRectF, fill: QRectF, fit: Fit) -> QImage:
        """The frame's blurred, darkened background: the part of the covering copy (`fill`) that
        the frame shows, made from the picture as drawn (fixes and all: the export's split comes
        after its repairs), blurred at FILL_SHRINK of the output's size."""
        if picture.width() <= 0 or picture.height() <= 0 or fill.width() <= 0:
            return QImage()
        # Only the picture's whole pixels, so the edges repeat its own pixels, not the empty
        # canvas beside it (an edge column only partly covered is darker).
        left, top = math.ceil(picture.left()), math.ceil(picture.top())
        inner = QRect(left, top, math.floor(picture.right()) - left,
                      math.floor(picture.bottom()) - top)  # fmt: skip
        drawn = canvas.copy(inner.intersected(canvas.rect()))
        if drawn.isNull():
            return QImage()
        # The frame (0, 0, width, height) in the drawn picture's own pixels.
        across, down = drawn.width() / fill.width(), drawn.height() / fill.height()
        source = QRectF(-fill.x() * across, -fill.y() * down, canvas.width() * across,
                        canvas.height() * down).toRect().intersected(drawn.rect())  # fmt: skip
        # Whole rows and columns of 2x2 blocks, for the colour's half size below.
        half = CHROMA_BLUR_SCALE
        columns = max(half, round(fit.width * FILL_SHRINK / half) * half)
        rows = max(half, round(fit.height * FILL_SHRINK / half) * half)
        tiny = drawn.copy(source).scaled(columns, rows, Qt.AspectRatioMode.IgnoreAspectRatio,
                                         Qt.TransformationMode.SmoothTransformation)  # fmt: skip
        planes = _pixels(tiny).astype(np.float32)
        blue, green, red = planes[:, :, 0], planes[:, :, 1], planes[:, :, 2]
        weight_b, weight_g, weight_r = (float(w) for w in LUMA_WEIGHTS_BGR)
        luma = weight_b * blue + weight_g * green + weight_r * red
        radius = max(1, round(BACKGROUND_BLUR_RADIUS * FILL_SHRINK))

        def spread(difference: np.ndarray) -> np.ndarray:
            """Colour as the export's 4:2:0 chroma: at half the size each way, blurred by the
            same boxes there (so twice as far as light and shade), then back to full size."""
            halved = (difference[0::2, 0::2] + difference[1::2, 0::2] + difference[0::2, 1::2]
                      + difference[1::2, 1::2]) / 4  # fmt: skip
            blurred = _box_blur(halved, radius, BACKGROUND_BLUR_PASSES)
            return np.repeat(np.repeat(blurred, half, axis=0), half, axis=1)

        light = _box_blur(luma, radius, BACKGROUND_BLUR_PASSES) + FILL_DARKEN_LEVELS
        blue, red = light + spread(blue - luma), light + spread(red - luma)
        green = (light - weight_b * blue - weight_r * red) / weight_g
        out = np.empty((rows, columns, 4), np.uint8)
        for index, plane in enumerate((blue, green, red)):
            out[:, :, index] = np.clip(plane + 0.5, 0, 255)
        out[:, :, 3] = 255
        return QImage(out.data, columns, rows, 4 * columns, QImage.Format.Format_RGB32).copy()
