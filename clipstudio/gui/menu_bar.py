"""The window's menus and keyboard shortcuts. Each item only emits a signal: what it does is the
window's business, so the menus can change without touching the work they start."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget


def native_shortcut(shortcut: str) -> str:
    """A shortcut as this platform writes it (Ctrl+O, or ⌘O on a Mac), for tooltips."""
    return QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)


class MenuBar(QMenuBar):
    """File, Edit, Playback and Help.

    The window must add `shortcut_actions` to itself (QWidget.addActions): a shortcut only works
    while its action belongs to a shown widget, and a closed menu is not shown.
    """

    open_requested = Signal()
    export_requested = Signal()
    brand_kit_requested = Signal()
    settings_requested = Signal()
    quit_requested = Signal()
    find_replace_requested = Signal()
    play_pause_requested = Signal()
    back_requested = Signal()  # one second back
    pause_requested = Signal()
    forward_requested = Signal()  # play, or play faster
    step_requested = Signal(int)  # frames, -1 or 1
    set_in_requested = Signal()  # the clip starts at the play position
    set_out_requested = Signal()  # the clip ends at the play position
    open_logs_requested = Signal()

    def __init__(self, undo_group: QUndoGroup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shortcut_actions: list[QAction] = []
        self._build_file_menu()
        self._build_edit_menu(undo_group)
        self._build_playback_menu()
        help_menu = self.addMenu("&Help")
        self._action(help_menu, "Open the log folder", None, self.open_logs_requested.emit)

    def _action(
        self, menu: QMenu, text: str, shortcut: str | None, emit: Callable[[], None], tip: str = ""
    ) -> QAction:
        item = QAction(text, self)
        if shortcut:
            item.setShortcut(QKeySequence(shortcut))
        tip = tip or text
        item.setToolTip(f"{tip} ({native_shortcut(shortcut)})" if shortcut else tip)
        item.setStatusTip(tip)
        item.triggered.connect(lambda: emit())  # not `checked`: the signals carry no argument
        menu.addAction(item)
        self.shortcut_actions.append(item)
        return item

    def _build_file_menu(self) -> None:
        menu = self.addMenu("&File")
        self._action(menu, "&Open clips…", "Ctrl+O", self.open_requested.emit)
        self.export_action = self._action(
            menu, "&Make the video", "Ctrl+E", self.export_requested.emit
        )
        menu.addSeparator()
        self._action(menu, "&Brand kit…", "Ctrl+B", self.brand_kit_requested.emit,
                     "Your party's colours, logo, imprint and call to action")  # fmt: skip
        self._action(menu, "&Settings…", "Ctrl+,", self.settings_requested.emit)
        menu.addSeparator()
        self._action(menu, "&Quit", "Ctrl+Q", self.quit_requested.emit)

    def _build_edit_menu(self, undo_group: QUndoGroup) -> None:
        menu = self.addMenu("&Edit")
        # Undo and redo act on the current clip's stack; the group follows the clip switches.
        self.undo_action = undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for item in (self.undo_action, self.redo_action):
            menu.addAction(item)
            self.shortcut_actions.append(item)
        menu.addSeparator()
        self._action(
            menu, "&Find and replace in captions…", "Ctrl+H", self.find_replace_requested.emit
        )

    def _build_playback_menu(self) -> None:
        menu = self.addMenu("&Playback")
        self._action(menu, "Play / pause", "Space", self.play_pause_requested.emit)
        self._action(menu, "Back one second", "J", self.back_requested.emit)
        self._action(menu, "Pause", "K", self.pause_requested.emit)
        self._action(menu, "Play / faster", "L", self.forward_requested.emit)
        self._action(menu, "Previous frame", "Left", lambda: self.step_requested.emit(-1))
        self._action(menu, "Next frame", "Right", lambda: self.step_requested.emit(1))
        menu.addSeparator()
        self._action(menu, "Start the clip here", "I", self.set_in_requested.emit)
        self._action(menu, "End the clip here", "O", self.set_out_requested.emit)
