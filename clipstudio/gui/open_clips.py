"""The clips open in the window, in the list's order (the order a joined video plays them in,
changed as a step of the undo history), and what brings them back after a restart: the
record of open clips, their order and whether they are joined, and recent files (core
edit/recent.py), File › Open recent, and the folder the file dialog starts in (the last one
used, else the user's Videos)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFileDialog, QWidget

from clipstudio.core.edit.recent import OpenRecord, load_record, save_record
from clipstudio.core.errors import BadInputError
from clipstudio.gui.history import ClipOrderEdit
from clipstudio.gui.session import ClipSession
from clipstudio.gui.workers import TaskRunner

log = logging.getLogger(__name__)

VIDEO_FILTER = "Videos (*.mp4 *.mov *.m4v *.3gp *.mkv *.webm *.avi);;All files (*)"


class OpenClips(QObject):
    """Opens and removes clips; every change is written to the record at once, so a crash
    loses no more than the autosaves would."""

    opened = Signal(object)  # ClipSession, new in the list (at its end)
    removed = Signal(int, object)  # its row, the ClipSession
    error = Signal(str)  # a path that cannot be opened, in plain words
    recent_changed = Signal(list)  # recent files still on the disk, newest first
    reordered = Signal()  # the list's order changed (a move, its undo or redo)
    join_changed = Signal(bool)

    def __init__(
        self, tasks: TaskRunner, history: QUndoStack, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.history = history
        self.sessions: list[ClipSession] = []
        self.record: OpenRecord = load_record()
        self.current = -1

    def open(self, paths: list[str]) -> tuple[list[ClipSession], ClipSession | None]:
        """(the clips newly opened, the first path's clip if it was open already)."""
        added: list[ClipSession] = []
        already: ClipSession | None = None
        for path in paths:
            if Path(path).is_dir():
                self.error.emit(f"“{Path(path).name}” is a folder. Drop the video files inside it.")
                continue
            existing = next((s for s in self.sessions if s.path == str(Path(path).resolve())), None)
            if existing is not None:
                already = already or existing
                continue
            session = ClipSession(path, self.tasks, self.history, self.parent())
            self.sessions.append(session)
            added.append(session)
            self.opened.emit(session)
        if added:
            self.record = self.record.with_opened([s.path for s in added])
            self.remember()
        return added, already

    def remove(self, session: ClipSession) -> int:
        """Take `session` out of the list (its autosave stays); returns the row it had."""
        row = self.sessions.index(session)
        self.sessions.pop(row)
        session.close()
        self.removed.emit(row, session)
        self.remember()
        return row

    def move(self, row: int, to_row: int) -> bool:
        """Move the clip at `row` to `to_row`: one step of the undo history."""
        if not (0 <= row < len(self.sessions) and 0 <= to_row < len(self.sessions)):
            return False
        if row == to_row:
            return False
        after = list(self.sessions)
        session = after.pop(row)
        after.insert(to_row, session)
        words = "later" if to_row > row else "earlier"
        self.history.push(ClipOrderEdit(self.set_order, self.sessions, after,
                                        f"Move {session.name} {words}"))  # fmt: skip
        return True

    def set_order(self, order: Sequence[ClipSession]) -> None:
        """The list in `order`: clips taken out since are skipped, clips opened since stay
        at the end."""
        open_now = set(self.sessions)
        ordered = [s for s in order if s in open_now]
        ordered += [s for s in self.sessions if s not in ordered]
        if ordered == self.sessions:
            return
        shown = self.sessions[self.current] if 0 <= self.current < len(self.sessions) else None
        self.sessions[:] = ordered
        if shown is not None:
            self.current = ordered.index(shown)  # the clip shown stays shown, at its new row
        self.reordered.emit()
        self.remember()

    @property
    def join(self) -> bool:
        """Several clips open make one video (the export panel's switch)."""
        return self.record.join

    def joined(self) -> list[ClipSession]:
        """The clips of the one video, in order, when joining; else empty."""
        return list(self.sessions) if self.join and len(self.sessions) > 1 else []

    def set_join(self, join: bool) -> None:
        if join != self.record.join:
            self.record = self.record.with_join(join)
            self._save()
            self.join_changed.emit(join)

    def choose(self, parent: QWidget) -> list[str]:
        """The file dialog, in the last folder used (else Videos); remembers where it ended."""
        files, _ = QFileDialog.getOpenFileNames(
            parent, "Choose videos", self.record.dialog_folder(), VIDEO_FILTER
        )
        if files:
            self.record = self.record.with_folder(Path(files[0]).parent)
            self._save()
        return files

    def use_folder(self, folder: str) -> None:
        """Another file dialog (music, a picture) was left in `folder`: the next one opens there."""
        self.record = self.record.with_folder(folder)
        self._save()

    def to_restore(self) -> tuple[list[str], int]:
        """The clips that were open at the last close and are still there, and the one shown."""
        paths = [p for p in self.record.clips if Path(p).is_file()]
        shown = self.record.clips[self.record.current] if self.record.current >= 0 else None
        return paths, paths.index(shown) if shown in paths else 0

    def shown(self, row: int) -> None:
        """The list's current row changed."""
        if row != self.current:
            self.current = row
            self.remember()

    def remember(self) -> None:
        self.record = self.record.with_clips([s.path for s in self.sessions], self.current)
        self._save()

    def _save(self) -> None:
        try:
            save_record(self.record)
        except (OSError, BadInputError) as exc:
            # Not worth a dialog: only the list of what to reopen is at stake.
            log.warning("the list of open clips was not saved: %s", exc)
        self.recent_changed.emit(self.record.existing_recent())
