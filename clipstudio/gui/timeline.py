"""Timeline: waveform, kept ranges with in/out handles, playhead; and the brightness/loudness strip.

Both only draw numbers the core measured (peaks from clipstudio.core.media.preview, curves from the
analysis report); they compute nothing about the media themselves.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPainterPath, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from clipstudio.core.edit.plan import Segment

# A press this close (pixels) to a handle grabs it instead of seeking.
HANDLE_GRAB_PX = 8
# The analysis report gives mean luma on the 8-bit scale (0..255).
LUMA_MAX = 255.0
# Loudness axis of the strip: -60 LUFS (near silence) to 0 LUFS.
LOUDNESS_FLOOR_LUFS = -60.0


def _time_to_x(t: float, duration: float, rect: QRectF) -> float:
    return rect.left() + (t / duration) * rect.width() if duration > 0 else rect.left()


class TimelineWidget(QWidget):
    """Click to seek; drag the in/out handles; kept ranges shown lighter."""

    seek_requested = Signal(float)
    in_out_changed = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.duration = 0.0
        self.peaks: Sequence[float] = ()
        self.bucket_seconds = 0.01
        self.segments: tuple[Segment, ...] = ()
        self.playhead = 0.0
        self._dragging: str | None = None
        # Counts handle drags: every move of one drag carries its number (one undo step).
        self.drag_number = 0
        self.setMinimumHeight(64)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Timeline")
        self.setToolTip(
            "Click to jump there. Drag the green handles to choose where the clip starts and ends"
            " (I and O keys set them at the play position)."
        )
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(600, 72)

    def set_duration(self, duration: float) -> None:
        self.duration = max(0.0, duration)
        self.update()

    def clear(self) -> None:
        """Nothing to show: no clip, or one that could not be opened."""
        self.duration, self.peaks, self.segments, self.playhead = 0.0, (), (), 0.0
        self.update()

    def set_waveform(self, peaks: Sequence[float], bucket_seconds: float) -> None:
        self.peaks, self.bucket_seconds = peaks, bucket_seconds
        self.update()

    def set_segments(self, segments: tuple[Segment, ...]) -> None:
        self.segments = segments
        self.update()

    def set_playhead(self, seconds: float) -> None:
        self.playhead = seconds
        self.update()

    def in_out(self) -> tuple[float, float]:
        if not self.segments:
            return 0.0, self.duration
        return self.segments[0].start, self.segments[-1].end

    def _area(self) -> QRectF:
        return QRectF(self.rect()).adjusted(6, 4, -6, -4)

    def _x_to_time(self, x: float) -> float:
        area = self._area()
        if area.width() <= 0 or self.duration <= 0:
            return 0.0
        return min(self.duration, max(0.0, (x - area.left()) / area.width() * self.duration))

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        area = self._area()
        painter.fillRect(area, palette.color(QPalette.ColorRole.AlternateBase).darker(115))
        if self.duration <= 0:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "Timeline")
            return
        kept = self.segments or (Segment(0.0, self.duration),)
        for segment in kept:
            x0 = _time_to_x(segment.start, self.duration, area)
            x1 = _time_to_x(segment.end, self.duration, area)
            painter.fillRect(
                QRectF(x0, area.top(), x1 - x0, area.height()), QColor(60, 140, 90, 70)
            )
        if self.peaks:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Text), 1))
            mid = area.center().y()
            half = area.height() / 2 - 2
            columns = max(1, int(area.width()))
            per_column = len(self.peaks) / columns
            for column in range(columns):
                first = int(column * per_column)
                last = max(first + 1, int((column + 1) * per_column))
                chunk = self.peaks[first:last]
                if not chunk:
                    continue
                height = max(chunk) * half
                x = area.left() + column
                painter.drawLine(QPointF(x, mid - height), QPointF(x, mid + height))
        in_t, out_t = self.in_out()
        for t in (in_t, out_t):
            x = _time_to_x(t, self.duration, area)
            painter.setPen(QPen(QColor(40, 170, 80), 3))
            painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()))
            painter.setBrush(QColor(40, 170, 80))
            painter.drawPolygon(
                QPolygonF([QPointF(x - 6, area.top()), QPointF(x + 6, area.top()),
                           QPointF(x, area.top() + 8)])
            )  # fmt: skip
        x = _time_to_x(self.playhead, self.duration, area)
        painter.setPen(QPen(QColor(220, 50, 50), 2))
        painter.drawLine(QPointF(x, self.rect().top()), QPointF(x, self.rect().bottom()))

    def _handle_near(self, x: float) -> str | None:
        area = self._area()
        in_t, out_t = self.in_out()
        for name, t in (("in", in_t), ("out", out_t)):
            if abs(_time_to_x(t, self.duration, area) - x) <= HANDLE_GRAB_PX:
                return name
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self.duration <= 0 or event.button() != Qt.MouseButton.LeftButton:
            return
        x = event.position().x()
        self._dragging = self._handle_near(x)
        self.drag_number += 1
        if self._dragging is None:
            self._dragging = "playhead"
            self.seek_requested.emit(self._x_to_time(x))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        x = event.position().x()
        if self._dragging is None:
            near = self._handle_near(x)
            self.setCursor(
                Qt.CursorShape.SizeHorCursor if near else Qt.CursorShape.PointingHandCursor
            )
            return
        t = self._x_to_time(x)
        in_t, out_t = self.in_out()
        if self._dragging == "in":
            self.in_out_changed.emit(min(t, out_t - 0.1), out_t)
        elif self._dragging == "out":
            self.in_out_changed.emit(in_t, max(t, in_t + 0.1))
        else:
            self.seek_requested.emit(t)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        self._dragging = None


class SignalStrip(QWidget):
    """Brightness (yellow) and loudness (blue) over time, under the timeline."""

    seek_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.duration = 0.0
        self.brightness: Sequence[tuple[float, float]] = ()
        self.loudness: Sequence[tuple[float, float]] = ()
        self.spans: Sequence[tuple[float, float]] = ()
        self.setMinimumHeight(36)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Brightness and loudness over time")
        self.setToolTip("Yellow: how bright the picture is. Blue: how loud the sound is.")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(600, 40)

    def set_data(
        self,
        duration: float,
        brightness: Sequence[tuple[float, float]],
        loudness: Sequence[tuple[float, float]],
        spans: Sequence[tuple[float, float]] = (),
    ) -> None:
        self.duration = duration
        self.brightness, self.loudness, self.spans = brightness, loudness, spans
        self.update()

    def _area(self) -> QRectF:
        return QRectF(self.rect()).adjusted(6, 2, -6, -2)

    def _path(self, points: Sequence[tuple[float, float]], low: float, high: float) -> QPainterPath:
        area = self._area()
        path = QPainterPath()
        for number, (t, value) in enumerate(points):
            share = (min(high, max(low, value)) - low) / (high - low)
            point = QPointF(
                _time_to_x(t, self.duration, area), area.bottom() - share * area.height()
            )
            if number == 0:
                path.moveTo(point)
            else:
                path.lineTo(point)
        return path

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = self._area()
        painter.fillRect(area, self.palette().color(QPalette.ColorRole.AlternateBase))
        if self.duration <= 0 or not (self.brightness or self.loudness):
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "Brightness and loudness")
            return
        for start, end in self.spans:
            x0 = _time_to_x(start, self.duration, area)
            x1 = _time_to_x(end, self.duration, area)
            painter.fillRect(QRectF(x0, area.top(), max(2.0, x1 - x0), area.height()),
                             QColor(230, 120, 30, 60))  # fmt: skip
        if self.brightness:
            painter.setPen(QPen(QColor(230, 180, 20), 2))
            painter.drawPath(self._path(self.brightness, 0.0, LUMA_MAX))
        if self.loudness:
            painter.setPen(QPen(QColor(60, 130, 230), 2))
            painter.drawPath(self._path(self.loudness, LOUDNESS_FLOOR_LUFS, 0.0))

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        area = self._area()
        if self.duration > 0 and area.width() > 0:
            share = (event.position().x() - area.left()) / area.width()
            self.seek_requested.emit(min(self.duration, max(0.0, share * self.duration)))
