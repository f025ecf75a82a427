"""Captions editor: a table view-model over a list of Caption, where every change is an undo step.

Layout (line breaks, splitting a too-long caption) comes from clipstudio.core.speech.layout, so the
captions the user edits obey the same rules as the ones Whisper's words were turned into, and so
does keeping each caption's word timings true to its text (the word highlight and cutting by
words read them): an edited word keeps the time of the word it replaced, a split shares the
words out by when they are said, a move takes them along.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QFont, QKeySequence, QPalette, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clipstudio.core.speech.types import Caption, LayoutRules
from clipstudio.core.timefmt import clock, parse_clock
from clipstudio.gui.flow_layout import FlowLayout
from clipstudio.gui.menu_bar import native_shortcut

if TYPE_CHECKING:
    from clipstudio.gui.words import WordCuts

# One press of "Earlier"/"Later" moves a caption by this much: about three frames at 30 fps.
NUDGE_STEP_S = 0.1
# A caption is never shorter than this after an edit (shorter than ~2 frames cannot be read).
MIN_CAPTION_S = 0.1

COLUMNS = ("Start", "End", "Text")
START_COLUMN, END_COLUMN, TEXT_COLUMN = range(3)

Index = QModelIndex | QPersistentModelIndex


def format_time(seconds: float) -> str:
    """Caption times to the hundredth: the editor's cells and the play position."""
    return clock(seconds, 2)


def _reflow(captions: Sequence[Caption], rules: LayoutRules) -> list[Caption]:
    from clipstudio.core.speech.layout import reflow_captions

    return list(reflow_captions(list(captions), rules))


class CaptionsCommand(QUndoCommand):
    """Swap the whole caption list: captions are few, so a snapshot is simple and exact."""

    def __init__(
        self,
        model: CaptionTableModel,
        before: tuple[Caption, ...],
        after: tuple[Caption, ...],
        text: str,
        merge_key: int = -1,
    ) -> None:
        super().__init__(text)
        self.model = model
        self.before = before
        self.after = after
        self.merge_key = merge_key

    def redo(self) -> None:
        self._swap(self.after)

    def undo(self) -> None:
        self._swap(self.before)

    def _swap(self, captions: tuple[Caption, ...]) -> None:
        if self.model.closed:  # its clip was taken out of the window's list
            self.setObsolete(True)
            return
        self.model._apply(captions)

    def id(self) -> int:
        return self.merge_key

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        # Repeated nudges of the same caption are one undo step.
        if not isinstance(other, CaptionsCommand) or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        return True


class CaptionTableModel(QAbstractTableModel):
    """Start / End / Text of each caption, the current one highlighted."""

    captions_changed = Signal()

    def __init__(self, undo_stack: QUndoStack, rules: LayoutRules | None = None) -> None:
        super().__init__()
        self.undo_stack = undo_stack
        self.rules = rules or LayoutRules()
        self.captions: tuple[Caption, ...] = ()
        self.current_row = -1
        self.closed = False  # its clip left the window; its steps in the history lapse

    # --- Qt model interface ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.captions)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        caption = self.captions[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == START_COLUMN:
                return format_time(caption.start)
            if column == END_COLUMN:
                return format_time(caption.end)
            return caption.text
        if role == Qt.ItemDataRole.EditRole:
            if column == START_COLUMN:
                return format_time(caption.start)
            if column == END_COLUMN:
                return format_time(caption.end)
            return " ".join(caption.lines)
        if role == Qt.ItemDataRole.BackgroundRole and index.row() == self.current_row:
            return QBrush(QApplication.palette().color(QPalette.ColorRole.Highlight).lighter(160))
        if role == Qt.ItemDataRole.ForegroundRole and index.row() == self.current_row:
            return QBrush(Qt.GlobalColor.black)
        if role == Qt.ItemDataRole.FontRole and index.row() == self.current_row:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column == TEXT_COLUMN:
            return "Double-click to edit the words; the lines are re-broken to the caption rules."
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() else base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row, column = index.row(), index.column()
        if column == TEXT_COLUMN:
            return self.edit_text(row, str(value))
        try:
            seconds = parse_clock(str(value))
        except ValueError:
            return False
        caption = self.captions[row]
        if column == START_COLUMN:
            return self.set_times(row, seconds, caption.end)
        return self.set_times(row, caption.start, seconds)

    # --- edits (each one undo step) ---------------------------------------------------------------

    def set_captions(self, captions: Sequence[Caption]) -> None:
        """Load captions (from the transcript or a saved project): not an edit, so not a step
        (the history is the window's, shared with the other clips: it is not cleared)."""
        self._apply(tuple(captions))

    def _push(self, after: Sequence[Caption], text: str, merge_key: int = -1) -> bool:
        after = tuple(after)
        if after == self.captions:
            return False
        self.undo_stack.push(CaptionsCommand(self, self.captions, after, text, merge_key))
        return True

    def edit_text(self, row: int, text: str) -> bool:
        from clipstudio.core.speech.layout import retext_caption

        caption = self.captions[row]
        words = " ".join(text.split())
        if not words:
            return self.delete_rows([row])
        replaced = _reflow([retext_caption(caption, words)], self.rules)
        after = [*self.captions[:row], *replaced, *self.captions[row + 1 :]]
        return self._push(after, f"Edit caption {row + 1}")

    def set_times(self, row: int, start: float, end: float) -> bool:
        previous_end = self.captions[row - 1].end if row > 0 else 0.0
        next_start = self.captions[row + 1].start if row + 1 < len(self.captions) else None
        start = max(previous_end, round(start, 3))
        end = round(end, 3) if next_start is None else min(next_start, round(end, 3))
        if end - start < MIN_CAPTION_S:
            return False
        from clipstudio.core.speech.layout import retimed_caption

        after = list(self.captions)
        after[row] = retimed_caption(self.captions[row], start, end)
        return self._push(after, f"Change timing of caption {row + 1}")

    def nudge(self, row: int, delta: float) -> bool:
        """Move a caption earlier or later without changing its length, stopping at neighbours."""
        caption = self.captions[row]
        previous_end = self.captions[row - 1].end if row > 0 else 0.0
        next_start = self.captions[row + 1].start if row + 1 < len(self.captions) else None
        delta = max(delta, previous_end - caption.start)
        if next_start is not None:
            delta = min(delta, next_start - caption.end)
        if abs(delta) < 1e-6:
            return False
        from clipstudio.core.speech.layout import retimed_caption

        after = list(self.captions)
        after[row] = retimed_caption(
            caption, round(caption.start + delta, 3), round(caption.end + delta, 3)
        )
        return self._push(after, f"Move caption {row + 1}", merge_key=1000 + row)

    def split(self, row: int, at: float | None = None) -> bool:
        """Split a caption in two: at time `at` when it falls inside, else in the middle.

        The words said before that time go first (by their timings; without them, in
        proportion to the time on each side)."""
        from clipstudio.core.speech.layout import split_caption

        caption = self.captions[row]
        if at is None or not caption.start + MIN_CAPTION_S < at < caption.end - MIN_CAPTION_S:
            at = (caption.start + caption.end) / 2
        parts = split_caption(caption, at)
        if parts is None:
            return False
        replaced = _reflow([parts[0]], self.rules) + _reflow([parts[1]], self.rules)
        after = [*self.captions[:row], *replaced, *self.captions[row + 1 :]]
        return self._push(after, f"Split caption {row + 1}")

    def merge_with_next(self, row: int) -> bool:
        if row + 1 >= len(self.captions):
            return False
        from clipstudio.core.speech.layout import merged_captions

        first, second = self.captions[row], self.captions[row + 1]
        merged = _reflow([merged_captions(first, second)], self.rules)
        after = [*self.captions[:row], *merged, *self.captions[row + 2 :]]
        return self._push(after, f"Merge captions {row + 1} and {row + 2}")

    def delete_rows(self, rows: Sequence[int]) -> bool:
        drop = set(rows)
        after = [c for i, c in enumerate(self.captions) if i not in drop]
        return self._push(after, "Delete caption" + ("s" if len(drop) > 1 else ""))

    def replace_all(
        self, find: str, replace: str, *, match_case: bool = False, whole_words: bool = True
    ) -> int:
        """Replace `find` everywhere (e.g. a misspelt name); returns how many were replaced."""
        from clipstudio.core.speech.layout import retext_caption

        if not find:
            return 0
        pattern = re.escape(find)
        if whole_words:
            pattern = rf"(?<!\w){pattern}(?!\w)"
        regex = re.compile(pattern, 0 if match_case else re.IGNORECASE)
        total = 0
        after: list[Caption] = []
        for caption in self.captions:
            text, count = regex.subn(lambda _m: replace, " ".join(caption.lines))
            total += count
            if count:
                after.extend(_reflow([retext_caption(caption, text)], self.rules))
            else:
                after.append(caption)
        if total:
            self._push(after, f"Replace '{find}' with '{replace}'")
        return total

    def reflow_all(self) -> bool:
        return self._push(_reflow(self.captions, self.rules), "Tidy the caption lines")

    # --- queries ----------------------------------------------------------------------------------

    def row_at(self, seconds: float) -> int:
        for row, caption in enumerate(self.captions):
            if caption.start <= seconds < caption.end:
                return row
        return -1

    def caption_at(self, seconds: float) -> Caption | None:
        row = self.row_at(seconds)
        return self.captions[row] if row >= 0 else None

    def set_current_time(self, seconds: float) -> None:
        row = self.row_at(seconds)
        if row == self.current_row:
            return
        old, self.current_row = self.current_row, row
        for changed in (old, row):
            if 0 <= changed < len(self.captions):
                self.dataChanged.emit(self.index(changed, 0), self.index(changed, len(COLUMNS) - 1))

    # --- internals --------------------------------------------------------------------------------

    def _apply(self, captions: tuple[Caption, ...]) -> None:
        if len(captions) == len(self.captions):
            changed = [
                i for i, (a, b) in enumerate(zip(self.captions, captions, strict=True)) if a != b
            ]
            self.captions = captions
            if changed:
                self.dataChanged.emit(
                    self.index(min(changed), 0), self.index(max(changed), len(COLUMNS) - 1)
                )
        else:
            self.beginResetModel()
            self.captions = captions
            self.current_row = -1
            self.endResetModel()
        self.captions_changed.emit()


class FindReplaceDialog(QDialog):
    """Fix a word everywhere, e.g. a candidate's name Whisper misspelt."""

    def __init__(self, model: CaptionTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setWindowTitle("Find and replace in captions")
        self.find_edit = QLineEdit()
        self.find_edit.setAccessibleName("Find")
        self.find_edit.setPlaceholderText("e.g. Maria Lopes")
        self.replace_edit = QLineEdit()
        self.replace_edit.setAccessibleName("Replace with")
        self.replace_edit.setPlaceholderText("e.g. Maria Lopez")
        self.match_case = QCheckBox("Match capitals exactly")
        self.whole_words = QCheckBox("Whole words only")
        self.whole_words.setChecked(True)
        self.result = QLabel("")
        self.result.setAccessibleName("Replace result")
        form = QFormLayout()
        form.addRow("Find:", self.find_edit)
        form.addRow("Replace with:", self.replace_edit)
        form.addRow(self.match_case)
        form.addRow(self.whole_words)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        replace_button = buttons.addButton("Replace all", QDialogButtonBox.ButtonRole.ApplyRole)
        replace_button.setDefault(True)
        replace_button.clicked.connect(self.replace_all)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result)
        layout.addWidget(buttons)

    def replace_all(self) -> int:
        count = self.model.replace_all(
            self.find_edit.text(),
            self.replace_edit.text(),
            match_case=self.match_case.isChecked(),
            whole_words=self.whole_words.isChecked(),
        )
        self.result.setText(
            f"Replaced {count} time{'s' if count != 1 else ''}." if count else "Not found."
        )
        return count


class CaptionsPanel(QWidget):
    """The words to cut by (gui/words.py) and the table of captions with the buttons that
    edit it, one above the other as two pages of the tab."""

    seek_requested = Signal(float)
    picture_requested = Signal(list)  # the captions chosen, for "Show a picture here"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: CaptionTableModel | None = None
        self.current_time = 0.0
        self.hint = QLabel("Captions appear here once the speech has been written out.")
        self.hint.setWordWrap(True)
        self.table = QTableView()
        self.table.setAccessibleName("Captions table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several captions at once (Shift/Ctrl+click): a picture goes over all their words.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.doubleClicked.connect(self._double_clicked)

        def button(text: str, tip: str, shortcut: str | None = None) -> QPushButton:
            widget = QPushButton(text)
            widget.setAccessibleName(text)
            if shortcut:
                widget.setShortcut(QKeySequence(shortcut))
                tip += (
                    f" ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})"
                )
            widget.setToolTip(tip)
            return widget

        self.edit_button = button("Edit", "Change the words of the chosen caption", "F2")
        self.split_button = button("Split", "Split the chosen caption at the play position")
        self.merge_button = button("Merge", "Join the chosen caption with the next one")
        self.earlier_button = button("Earlier", "Show the chosen caption 0.1 s earlier", "Alt+Left")
        self.later_button = button("Later", "Show the chosen caption 0.1 s later", "Alt+Right")
        # The shortcut belongs to the menu's Edit › Find and replace only: the button had it
        # too, and Qt ignored Ctrl+H as ambiguous.
        self.find_button = button(
            "Find and replace…", f"Fix a word everywhere ({native_shortcut('Ctrl+H')})"
        )
        self.reflow_button = button(
            "Tidy the lines",
            "Break every caption into lines again by the caption rules (re-flow): after many"
            " edits, or a change of shape",
        )
        self.edit_button.clicked.connect(self._edit)
        self.split_button.clicked.connect(self._split)
        self.merge_button.clicked.connect(self._merge)
        self.earlier_button.clicked.connect(lambda: self._nudge(-NUDGE_STEP_S))
        self.later_button.clicked.connect(lambda: self._nudge(NUDGE_STEP_S))
        self.find_button.clicked.connect(self.open_find_replace)
        self.reflow_button.clicked.connect(lambda: self.model and self.model.reflow_all())
        self.picture_button = button(
            "Show a picture here",
            "Show a photo or a clip over the chosen captions' words (the speech carries on)",
        )
        self.picture_button.clicked.connect(self._picture_requested)
        # Wrapped as the column's width needs: a fixed row made the panel 442 px wide.
        buttons = FlowLayout()
        for widget in (self.edit_button, self.split_button, self.merge_button,
                       self.earlier_button, self.later_button, self.find_button,
                       self.reflow_button, self.picture_button):  # fmt: skip
            buttons.addWidget(widget)
        from clipstudio.gui.words import WordsPanel

        self.words_panel = WordsPanel()
        self.words_panel.seek_requested.connect(self.seek_requested)
        self.words_panel.picture_requested.connect(self.picture_requested)
        table_page = QWidget()
        table_layout = QVBoxLayout(table_page)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.table, 1)
        table_layout.addLayout(buttons)
        self.pages = QTabWidget()
        self.pages.setAccessibleName("Words or caption lines")
        self.pages.setDocumentMode(True)
        self.pages.addTab(self.words_panel, "Cut by words")
        self.pages.addTab(table_page, "Caption lines and times")
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.pages, 1)
        self._update_enabled()

    def set_words(self, words: WordCuts | None) -> None:
        """The clip's words to cut by (its session's WordCuts)."""
        self.words_panel.set_model(words)

    def set_model(self, model: CaptionTableModel | None) -> None:
        if self.model is not None:
            self.model.modelReset.disconnect(self._resize_rows)
            self.model.captions_changed.disconnect(self._update_enabled)
        self.model = model
        self.table.setModel(model)
        if model is not None:
            header = self.table.horizontalHeader()
            header.setSectionResizeMode(START_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(END_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(TEXT_COLUMN, QHeaderView.ResizeMode.Stretch)
            model.modelReset.connect(self._resize_rows)
            model.captions_changed.connect(self._update_enabled)
            self._resize_rows()
        self._update_enabled()

    def set_current_time(self, seconds: float) -> None:
        self.current_time = seconds
        self.words_panel.set_current_time(seconds)
        if self.model is None:
            return
        before = self.model.current_row
        self.model.set_current_time(seconds)
        if self.model.current_row >= 0 and self.model.current_row != before:
            self.table.scrollTo(self.model.index(self.model.current_row, TEXT_COLUMN))

    def selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows() if self.model else []
        if rows:
            return rows[0].row()
        return self.model.current_row if self.model else -1

    def selected_captions(self) -> list[Caption]:
        """The captions chosen in the table (the one playing when none is), in time order."""
        if self.model is None:
            return []
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows and self.model.current_row >= 0:
            rows = [self.model.current_row]
        return [self.model.captions[row] for row in rows]

    def _picture_requested(self) -> None:
        chosen = self.selected_captions()
        if chosen:
            self.picture_requested.emit(chosen)

    def _resize_rows(self) -> None:
        self.table.resizeRowsToContents()

    def _update_enabled(self) -> None:
        has = self.model is not None and len(self.model.captions) > 0
        self.hint.setVisible(not has)
        for widget in (
            self.edit_button,
            self.split_button,
            self.merge_button,
            self.earlier_button,
            self.later_button,
            self.find_button,
            self.reflow_button,
            self.picture_button,
        ):
            widget.setEnabled(has)
        if has:
            self._resize_rows()

    def _double_clicked(self, index: QModelIndex) -> None:
        """Show the caption's moment and edit the cell clicked (its words, or a time)."""
        if self.model is not None:
            self.seek_requested.emit(self.model.captions[index.row()].start)
            self.table.edit(index)

    def _edit(self) -> None:
        row = self.selected_row()
        if self.model is not None and row >= 0:
            self.table.edit(self.model.index(row, TEXT_COLUMN))

    def _split(self) -> None:
        row = self.selected_row()
        if self.model is not None and row >= 0:
            self.model.split(row, self.current_time)

    def _merge(self) -> None:
        row = self.selected_row()
        if self.model is not None and row >= 0:
            self.model.merge_with_next(row)

    def _nudge(self, delta: float) -> None:
        row = self.selected_row()
        if self.model is not None and row >= 0:
            self.model.nudge(row, delta)
            self.table.selectRow(row)

    def open_find_replace(self) -> None:
        if self.model is not None:
            FindReplaceDialog(self.model, self).exec()
