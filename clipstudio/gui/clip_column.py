"""The window's left column: a row per opened clip, in the order a joined video plays them
(drag a row, Alt+Up/Alt+Down or the arrows to move one), and the progress of the work on them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clipstudio.gui.menu_bar import native_shortcut
from clipstudio.gui.session import ClipSession
from clipstudio.gui.widgets import ClipList, TaskPanel


class ClipColumn(QWidget):
    """Each clip's row follows its session (name, length, status, thumbnail) on its own; the
    window only hears which row was chosen, that more clips are wanted, and that a row should
    move (the window's list of clips is the order; this column shows it)."""

    open_requested = Signal()
    remove_requested = Signal(int)  # a row: Delete on the list, or its right-click menu
    move_requested = Signal(int, int)  # a row, the row it should be at

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clip_list = ClipList()
        self.clip_list.move_requested.connect(self.move_requested)
        self.items: dict[ClipSession, QListWidgetItem] = {}
        # Delete and Alt+arrows work while the list has the focus only: in a text field
        # Delete deletes text.
        self.remove_action = self._action("Remove from the list", Qt.Key.Key_Delete,
                                          "Take the clip out of the list (the file and your"
                                          " work stay)", self._remove_current)  # fmt: skip
        self.up_action = self._action("Move earlier", "Alt+Up",
                                      "Play this clip earlier in the joined video",
                                      lambda: self._move_current(-1))  # fmt: skip
        self.down_action = self._action("Move later", "Alt+Down",
                                        "Play this clip later in the joined video",
                                        lambda: self._move_current(1))  # fmt: skip
        self.clip_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.clip_list.customContextMenuRequested.connect(self._context_menu)
        add_button = QPushButton("Add clips…")
        add_button.setAccessibleName("Add clips")
        add_button.setToolTip(f"Open more videos ({native_shortcut('Ctrl+O')})")
        add_button.clicked.connect(lambda: self.open_requested.emit())
        self.up_button = self._arrow("▲", self.up_action)
        self.down_button = self._arrow("▼", self.down_action)
        buttons = QHBoxLayout()
        buttons.addWidget(add_button, 1)
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        self.task_panel = TaskPanel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(QLabel("<b>Clips</b>"))
        layout.addWidget(self.clip_list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.task_panel)
        self.clip_list.currentRowChanged.connect(lambda _row: self._update_arrows())
        self._update_arrows()

    def _action(self, text: str, key: object, tip: str, slot: object) -> QAction:
        action = QAction(text, self.clip_list)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        self.clip_list.addAction(action)
        return action

    @staticmethod
    def _arrow(text: str, action: QAction) -> QPushButton:
        """A small button doing `action`, its shortcut in the tooltip (found without a drag)."""
        button = QPushButton(text)
        button.setAccessibleName(action.text())
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(f"{action.toolTip()} ({shortcut}, or drag the clip in the list)")
        button.setFixedWidth(button.fontMetrics().horizontalAdvance("▲") + 24)
        button.clicked.connect(action.trigger)
        return button

    def add(self, session: ClipSession) -> None:
        """A row for `session`, kept up to date, and a progress row for each task it starts."""
        item = self.clip_list.add_clip(session.name)
        self.items[session] = item
        session.task_started.connect(self.task_panel.add)
        session.status_changed.connect(lambda _text: self._describe(session, item))
        session.media_ready.connect(lambda: self._describe(session, item))
        session.thumbnail_ready.connect(lambda: self._show_thumbnail(session, item))
        self._update_arrows()
        self._describe_all()

    def remove_row(self, row: int) -> None:
        """The row of a clip taken out; the list then shows its neighbour."""
        item = self.clip_list.takeItem(row)
        self.items = {s: i for s, i in self.items.items() if i is not item}
        self._update_arrows()
        self._describe_all()

    def show_order(self, sessions: Sequence[ClipSession], current: int) -> None:
        """The rows in the order of `sessions`, `current` chosen; the list's own signals stay
        quiet (the clip shown does not change, only its row)."""
        self.clip_list.blockSignals(True)
        try:
            for row, session in enumerate(sessions):
                item = self.items[session]
                at = self.clip_list.row(item)
                if at != row:
                    self.clip_list.insertItem(row, self.clip_list.takeItem(at))
            self.clip_list.setCurrentRow(current)
        finally:
            self.clip_list.blockSignals(False)
        self._update_arrows()
        self._describe_all()

    def _move_current(self, step: int) -> None:
        row = self.clip_list.currentRow()
        if row >= 0 and 0 <= row + step < self.clip_list.count():
            self.move_requested.emit(row, row + step)

    def _update_arrows(self) -> None:
        """The arrows only where a move is possible (and only with clips to put in order)."""
        row, count = self.clip_list.currentRow(), self.clip_list.count()
        for widget in (self.up_button, self.down_button):
            widget.setVisible(count > 1)
        self.up_action.setEnabled(row > 0)
        self.down_action.setEnabled(0 <= row < count - 1)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)

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
        if self.clip_list.count() > 1:
            menu.addAction(self.up_action)
            menu.addAction(self.down_action)
        menu.addAction(self.remove_action)
        menu.popup(self.clip_list.viewport().mapToGlobal(point))
        return menu

    @staticmethod
    def _show_thumbnail(session: ClipSession, item: QListWidgetItem) -> None:
        if session.thumbnail is not None:
            item.setIcon(QIcon(QPixmap.fromImage(session.thumbnail)))

    def _describe(self, session: ClipSession, item: QListWidgetItem) -> None:
        """Its name (numbered by its place when there are several: the joined video's
        order), length and status."""
        duration = session.media.duration if session.media is not None else None
        place = self.clip_list.row(item) + 1 if self.clip_list.count() > 1 else 0
        ClipList.describe(item, session.name, duration, session.status, place)

    def _describe_all(self) -> None:
        for session, item in self.items.items():
            self._describe(session, item)
