"""The window's left column: a row per opened clip and the progress of the work on them."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import QLabel, QListWidgetItem, QMenu, QPushButton, QVBoxLayout, QWidget

from clipstudio.gui.menu_bar import native_shortcut
from clipstudio.gui.session import ClipSession
from clipstudio.gui.widgets import ClipList, TaskPanel


class ClipColumn(QWidget):
    """Each clip's row follows its session (name, length, status, thumbnail) on its own; the
    window only hears which row was chosen and that more clips are wanted."""

    open_requested = Signal()
    remove_requested = Signal(int)  # a row: Delete on the list, or its right-click menu

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clip_list = ClipList()
        # Delete works while the list has the focus only: in a text field it deletes text.
        self.remove_action = QAction("Remove from the list", self.clip_list)
        self.remove_action.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.remove_action.setToolTip("Take the clip out of the list (the file and your work stay)")
        self.remove_action.triggered.connect(self._remove_current)
        self.clip_list.addAction(self.remove_action)
        self.clip_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.clip_list.customContextMenuRequested.connect(self._context_menu)
        add_button = QPushButton("Add clips…")
        add_button.setAccessibleName("Add clips")
        add_button.setToolTip(f"Open more videos ({native_shortcut('Ctrl+O')})")
        add_button.clicked.connect(lambda: self.open_requested.emit())
        self.task_panel = TaskPanel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(QLabel("<b>Clips</b>"))
        layout.addWidget(self.clip_list, 1)
        layout.addWidget(add_button)
        layout.addWidget(self.task_panel)

    def add(self, session: ClipSession) -> None:
        """A row for `session`, kept up to date, and a progress row for each task it starts."""
        item = self.clip_list.add_clip(session.name)
        session.task_started.connect(self.task_panel.add)
        session.status_changed.connect(lambda _text: self._describe(session, item))
        session.media_ready.connect(lambda: self._describe(session, item))
        session.thumbnail_ready.connect(lambda: self._show_thumbnail(session, item))

    def remove_row(self, row: int) -> None:
        """The row of a clip taken out; the list then shows its neighbour."""
        self.clip_list.takeItem(row)

    def _remove_current(self) -> None:
        row = self.clip_list.currentRow()
        if row >= 0:
            self.remove_requested.emit(row)

    def _context_menu(self, point: QPoint) -> QMenu | None:
        item = self.clip_list.itemAt(point)
        if item is None:
            return None
        self.clip_list.setCurrentItem(item)
        menu = QMenu(self)
        menu.addAction(self.remove_action)
        menu.popup(self.clip_list.viewport().mapToGlobal(point))
        return menu

    @staticmethod
    def _show_thumbnail(session: ClipSession, item: QListWidgetItem) -> None:
        if session.thumbnail is not None:
            item.setIcon(QIcon(QPixmap.fromImage(session.thumbnail)))

    @staticmethod
    def _describe(session: ClipSession, item: QListWidgetItem) -> None:
        duration = session.media.duration if session.media is not None else None
        ClipList.describe(item, session.name, duration, session.status)
