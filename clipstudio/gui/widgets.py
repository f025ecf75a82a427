"""Small widgets of the main window: the drop zone, the clip list and the running-tasks panel."""

from __future__ import annotations

from PySide6.QtCore import QDataStream, QIODevice, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QIcon,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from clipstudio.core.timefmt import clock
from clipstudio.gui.workers import Worker


def dropped_files(event: QDragEnterEvent | QDropEvent) -> list[str]:
    """Local file paths carried by a drag, in order."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]


class DropZone(QWidget):
    """The empty window: one big target. Click to choose files instead."""

    files_dropped = Signal(list)
    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.hovering = False
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName("Drop your phone video here, or click to choose a file")
        self.setToolTip("Drop one or more videos here, or click to choose them (Ctrl+O)")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        accent = palette.color(QPalette.ColorRole.Highlight)
        area = QRectF(self.rect()).adjusted(32, 32, -32, -32)
        fill = QColor(accent)
        fill.setAlpha(50 if self.hovering else 18)
        painter.setBrush(fill)
        pen = QPen(accent, 3, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRoundedRect(area, 24, 24)
        title = QFont(self.font())
        title.setPointSizeF(title.pointSizeF() * 2.2)
        title.setBold(True)
        painter.setFont(title)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        center = area.center()
        painter.drawText(
            QRectF(area.left(), center.y() - 60, area.width(), 60),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
            "Drop your phone video here",
        )
        body = QFont(self.font())
        body.setPointSizeF(body.pointSizeF() * 1.2)
        painter.setFont(body)
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(
            QRectF(area.left() + 24, center.y() + 8, area.width() - 48, 80),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
            "or click to choose one. Clip Studio checks it against the campaign guide, writes the"
            " captions and makes a Facebook-ready video under one minute.",
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self.open_requested.emit()

    def keyPressEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.open_requested.emit()
        else:
            super().keyPressEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if dropped_files(event):
            self.hovering = True
            self.update()
            event.acceptProposedAction()

    def dragLeaveEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt's name
        self.hovering = False
        self.update()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        self.hovering = False
        self.update()
        files = dropped_files(event)
        if files:
            event.acceptProposedAction()
            self.files_dropped.emit(files)


# What Qt's item views put in a drag of their own rows.
ROWS_FORMAT = "application/x-qabstractitemmodeldatalist"


def dragged_row(event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> int:
    """The first row an item view's own drag carries (its model's row, column, roles), or -1
    for anything else (files from the desktop go on to the window, which opens them)."""
    mime = event.mimeData()
    if not mime.hasFormat(ROWS_FORMAT):
        return -1
    data = mime.data(ROWS_FORMAT)  # held: the stream reads it in place
    stream = QDataStream(data, QIODevice.OpenModeFlag.ReadOnly)
    return stream.readInt32() if not stream.atEnd() else -1


class ClipList(QListWidget):
    """Opened clips with a thumbnail, duration and status. A row dragged to another place asks
    for the move (`move_requested`) rather than moving itself: the window's list of clips is
    the order, and the move is a step of its undo history."""

    THUMB = QSize(80, 45)  # 16:9, small enough to leave the clip's name room
    move_requested = Signal(int, int)  # the row dragged, the row it should be at

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIconSize(self.THUMB)
        self.setAccessibleName("Clips")
        self.setToolTip("Your clips. Click one to work on it.")
        self.setWordWrap(True)
        self.setSpacing(2)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setUniformItemSizes(False)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        # Room for two clips' rows at least, whatever runs below it.
        self.setMinimumHeight(2 * (self.THUMB.height() + 8))
        self.placeholder = self._placeholder_icon()
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if dragged_row(event) < 0:
            event.ignore()  # files: the window opens them
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt's name
        if dragged_row(event) < 0:
            event.ignore()
            return
        super().dragMoveEvent(event)  # the drop line between the rows
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        row = dragged_row(event)
        if row < 0:
            event.ignore()
            return
        # Nothing moves here: Qt must not take the row out itself (IgnoreAction).
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        to_row = self.drop_row(event.position().toPoint().y())
        if to_row > row:
            to_row -= 1  # the row itself leaves its place first
        if to_row != row and 0 <= row < self.count():
            self.move_requested.emit(row, to_row)

    def drop_row(self, y: int) -> int:
        """The gap a drop at height `y` falls in: before the row under it when in that row's
        upper half, after it in the lower half; after the last row below them all."""
        for row in range(self.count()):
            rect = self.visualItemRect(self.item(row))
            if y < rect.center().y():
                return row
        return self.count()

    def _placeholder_icon(self) -> QIcon:
        pixmap = QPixmap(self.THUMB)
        pixmap.fill(QColor(60, 60, 60))
        return QIcon(pixmap)

    def add_clip(self, name: str) -> QListWidgetItem:
        item = QListWidgetItem(self.placeholder, name)
        self.addItem(item)
        return item

    @staticmethod
    def describe(
        item: QListWidgetItem, name: str, duration: float | None, status: str, place: int = 0
    ) -> None:
        """`place`: its place in the joined video (1, 2, ...), 0 when there is no order to show."""
        length = f"{clock(duration)} · " if duration else ""  # a line of its own wrapped at "·"
        number = f"{place}. " if place else ""
        item.setText(f"{number}{name}\n{length}{status}")
        item.setToolTip(f"{name}\n{status}")


class TaskRow(QFrame):
    """A task's name, progress bar and cancel button. Its slots are its own methods, so Qt
    drops the connections when the row goes (a worker outliving its row used to raise
    "Internal C++ object already deleted")."""

    work_done = Signal(object)  # the Worker

    def __init__(self, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        label = QLabel(worker.name)
        label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(10)
        self.bar.setAccessibleName(f"{worker.name} progress")
        cancel = QPushButton("✕")
        cancel.setFixedWidth(28)
        cancel.setToolTip(f"Stop: {worker.name}")
        cancel.setAccessibleName(f"Cancel {worker.name}")
        cancel.clicked.connect(worker.cancel)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(label, 1)
        top.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addLayout(top)
        layout.addWidget(self.bar)
        worker.signals.progress.connect(self._progress)
        worker.signals.done.connect(self._done)

    def _progress(self, fraction: float) -> None:
        self.bar.setValue(round(fraction * 1000))

    def _done(self) -> None:
        self.work_done.emit(self.worker)


class TaskPanel(QScrollArea):
    """One row per running task, each with its progress bar and a cancel button. The rows
    scroll past TASK_ROWS_SHOWN: six clips start thirty tasks, which squeezed the clip list
    above to one row."""

    TASK_ROWS_SHOWN = 3

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[Worker, TaskRow] = {}
        body = QWidget()
        self.layout_ = QVBoxLayout(body)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(2)
        self.layout_.addStretch(1)
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName("Work in progress")
        self.setVisible(False)

    def add(self, worker: Worker) -> None:
        row = TaskRow(worker, self.widget())
        self.rows[worker] = row
        self.layout_.insertWidget(self.layout_.count() - 1, row)
        row.work_done.connect(self._remove)
        self._fit()

    def _remove(self, worker: Worker) -> None:
        row = self.rows.pop(worker, None)
        if row is not None:
            row.deleteLater()
        self._fit()

    def _fit(self) -> None:
        """As tall as its rows, up to TASK_ROWS_SHOWN of them; hidden when nothing runs."""
        rows = list(self.rows.values())
        self.setVisible(bool(rows))
        if rows:
            shown = rows[: self.TASK_ROWS_SHOWN]
            height = sum(row.sizeHint().height() for row in shown) + 2 * len(shown)
            self.setFixedHeight(height + 4)
