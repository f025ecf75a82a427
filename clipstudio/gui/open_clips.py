"""The clips open in the window, in the list's order, and what brings them back after a
restart: the record of open clips and recent files (core edit/recent.py), File › Open recent,
and the folder the file dialog starts in (the last one used, else the user's Videos)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFileDialog, QWidget

from clipstudio.core.edit.recent import OpenRecord, load_record, save_record
from clipstudio.core.errors import BadInputError
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

    def choose(self, parent: QWidget) -> list[str]:
        """The file dialog, in the last folder used (else Videos); remembers where it ended."""
        files, _ = QFileDialog.getOpenFileNames(
            parent, "Choose videos", self.record.dialog_folder(), VIDEO_FILTER
        )
        if files:
            self.record = self.record.with_folder(Path(files[0]).parent)
            self._save()
        return files

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
