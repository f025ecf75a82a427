"""The window's menus and keyboard shortcuts. Each item only emits a signal: what it does is the
window's business, so the menus can change without touching the work they start."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QMenu,
    QMenuBar,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

# Widgets in which a plain key is typing, not a shortcut.
TEXT_FIELDS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)
# Modifiers that make a key a command rather than a character (Shift alone types capitals).
COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


def native_shortcut(shortcut: str) -> str:
    """A shortcut as this platform writes it (Ctrl+O, or ⌘O on a Mac), for tooltips."""
    return QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)


class MenuBar(QMenuBar):
    """File, Edit, Playback and Help.

    The window must add `shortcut_actions` to itself (QWidget.addActions): a shortcut only works
    while its action belongs to a shown widget, and a closed menu is not shown.
    """

    open_requested = Signal()
    recent_requested = Signal(str)  # a path from File › Open recent
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
    guide_requested = Signal()
    shortcuts_requested = Signal()
    welcome_requested = Signal()
    about_requested = Signal()
    open_logs_requested = Signal()

    def __init__(self, history: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shortcut_actions: list[QAction] = []
        self._build_file_menu()
        self._build_edit_menu(history)
        self._build_playback_menu()
        self._build_help_menu()

    def _action(
        self, menu: QMenu, text: str, shortcut: str | None, emit: Callable[[], None], tip: str = ""
    ) -> QAction:
        item = QAction(text, self)
        if shortcut:
            item.setShortcut(QKeySequence(shortcut))
        tip = tip or text.replace("&", "").rstrip("…")
        item.setToolTip(f"{tip} ({native_shortcut(shortcut)})" if shortcut else tip)
        item.setStatusTip(tip)
        item.triggered.connect(lambda: emit())  # not `checked`: the signals carry no argument
        menu.addAction(item)
        self.shortcut_actions.append(item)
        return item

    def _build_file_menu(self) -> None:
        menu = self.addMenu("&File")
        self._action(menu, "&Open clips…", "Ctrl+O", self.open_requested.emit)
        self.recent_menu = menu.addMenu("Open &recent")
        self.recent_menu.setToolTipsVisible(True)
        self.set_recent([])
        self.export_action = self._action(
            menu, "&Make the video", "Ctrl+E", self.export_requested.emit
        )
        menu.addSeparator()
        self._action(menu, "&Brand kit…", "Ctrl+B", self.brand_kit_requested.emit,
                     "Your party's colours, logo, imprint and call to action")  # fmt: skip
        self._action(menu, "&Settings…", "Ctrl+,", self.settings_requested.emit)
        menu.addSeparator()
        self._action(menu, "&Quit", "Ctrl+Q", self.quit_requested.emit)

    def set_recent(self, paths: list[str]) -> None:
        """File › Open recent: the clips opened lately that are still on the disk."""
        self.recent_menu.clear()
        for path in paths:
            item = self.recent_menu.addAction(Path(path).name)
            item.setToolTip(path)
            item.triggered.connect(lambda _checked=False, p=path: self.recent_requested.emit(p))
        self.recent_menu.setEnabled(bool(paths))

    def _build_edit_menu(self, history: QUndoStack) -> None:
        menu = self.addMenu("&Edit")
        # The window's one history (gui/history.py): the last edit of any clip.
        self.undo_action = history.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = history.createRedoAction(self, "&Redo")
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

    def _build_help_menu(self) -> None:
        menu = self.addMenu("&Help")
        self._action(menu, "How to make a good &campaign clip", "F1", self.guide_requested.emit)
        self._action(menu, "&Keyboard shortcuts", "Ctrl+/", self.shortcuts_requested.emit)
        self._action(menu, "Show the &welcome again", None, self.welcome_requested.emit)
        menu.addSeparator()
        self._action(menu, "Open the &log folder", None, self.open_logs_requested.emit,
                     "The log helps whoever fixes a problem for you")  # fmt: skip
        self._action(menu, "&About Clip Studio", None, self.about_requested.emit)

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(what, keys) for every item with a shortcut: Help › Keyboard shortcuts shows it."""
        rows = []
        for item in self.shortcut_actions:
            keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                             for s in item.shortcuts())  # fmt: skip
            if keys:
                rows.append((item.text().replace("&", "").rstrip("…"), keys))
        return rows


def is_command_key(key: int, modifiers: Qt.KeyboardModifier) -> bool:
    """A key press that types nothing: with Ctrl, Alt or Meta, or a function key."""
    return bool(modifiers & COMMAND_MODIFIERS) or Qt.Key.Key_F1 <= key <= Qt.Key.Key_F35


class FieldShortcuts(QObject):
    """The window's command shortcuts (Ctrl+E, Ctrl+Z, F1...) also work while a text field of
    the window has the focus. On X11 a line edit takes Ctrl+E (end of line), Ctrl+Z and
    Ctrl+Shift+Z for itself, so "Make the video" did nothing from the imprint field and undo
    undid typing instead of the window's last step. Plain keys (Space, I, O, J, K, L, arrows)
    stay the field's: they are typing. A caption being edited in its table keeps everything
    until it is committed."""

    def __init__(self, window: QWidget, actions: list[QAction]) -> None:
        super().__init__(window)
        self.window_ = window
        self.actions = actions
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        # Watch only the focused field: a filter on the whole application would run for
        # every event, video frames included.
        if old is not None:
            with contextlib.suppress(RuntimeError):  # deleted since it had the focus
                old.removeEventFilter(self)
        if new is None or not isinstance(new, TEXT_FIELDS) or new.window() is not self.window_:
            return
        holder = new.parentWidget()
        if holder is not None and isinstance(holder.parentWidget(), QAbstractItemView):
            return  # a table cell's editor: its own until the edit is committed
        new.installEventFilter(self)

    def action_for(self, event: QKeyEvent) -> QAction | None:
        """The window's command action `event` presses, if any."""
        if not is_command_key(event.key(), event.modifiers()):
            return None
        pressed = QKeySequence(event.keyCombination())
        for item in self.actions:
            for shortcut in item.shortcuts():
                if pressed.matches(shortcut) == QKeySequence.SequenceMatch.ExactMatch:
                    return item
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and self.action_for(event) is not None):  # fmt: skip
            event.ignore()  # not the field's: Qt then runs the window's shortcut
            return True
        return False
