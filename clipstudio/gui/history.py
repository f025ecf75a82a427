"""The window's one undo history: every edit of every clip is a step on one QUndoStack, so
Ctrl+Z undoes the last thing the volunteer did, whatever it was (a trim, a caption, a fix, a
shape, a word of the imprint), and brings its clip back on screen.

A step is an EditCommand: the project fields it changed, before and after (projects are frozen
dataclasses, so a snapshot of a field is exact), applied to its clip by `ClipSession.apply`.
Only the fields it names are restored, so undoing a trim never takes back captions that arrived
since. Captions edited in the table are CaptionsCommand steps (gui/captions.py) on the same
stack. A new kind of edit is a subclass here: its words and, if repeated changes should be one
step (typing, dragging), a `merge_id` of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from clipstudio.gui.session import ClipSession


class EditCommand(QUndoCommand):
    """One edit of one clip's project. `merge_key`: consecutive commands of the same class,
    clip and key are one step (None: never merged)."""

    merge_id: ClassVar[int] = -1  # Qt merges only commands whose id() is the same and >= 0

    def __init__(
        self,
        session: ClipSession,
        before: Mapping[str, Any],
        after: Mapping[str, Any],
        text: str,
        merge_key: object = None,
    ) -> None:
        super().__init__(text)
        self.session = session
        self.before = dict(before)
        self.after = dict(after)
        self.merge_key = merge_key

    def redo(self) -> None:
        self._apply(self.after)

    def undo(self) -> None:
        self._apply(self.before)

    def _apply(self, fields: dict[str, Any]) -> None:
        if self.session.closed:  # the clip was taken out of the list: nothing left to change
            self.setObsolete(True)
            return
        self.session.apply(fields)

    def id(self) -> int:
        return self.merge_id if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if not (type(other) is type(self) and isinstance(other, EditCommand)):
            return False
        if other.session is not self.session or other.merge_key != self.merge_key:
            return False
        self.after.update(other.after)
        return True


class TrimEdit(EditCommand):
    """Where the clip starts and ends, and the parts an auto-trim keeps. One drag of a timeline
    handle is one step (its merge key is the drag's number)."""

    merge_id = 1


class FixEdit(EditCommand):
    """A "Fix on export" switch."""


class ChoiceEdit(EditCommand):
    """The shape, the captions' place, the portrait fill, the folder to save in."""


class BrandingEdit(EditCommand):
    """A branded part of the video (speaker, call to action, link, imprint, end card, logo).
    Typing in one field is one step until another field or edit comes between."""

    merge_id = 2


class PostTextEdit(EditCommand):
    """The Facebook post's text and imprint; typing in it is one step, as for branding."""

    merge_id = 3


class ClipOrderEdit(QUndoCommand):
    """The clip list's order (the order a joined video plays them in): a drag, Alt+Up/Down or
    the list's arrows. Not one clip's project but the window's, so it restores the list
    through `apply_order`, which skips clips taken out since and keeps clips opened since."""

    def __init__(
        self,
        apply_order: Callable[[Sequence[ClipSession]], None],
        before: Sequence[ClipSession],
        after: Sequence[ClipSession],
        text: str,
    ) -> None:
        super().__init__(text)
        self.apply_order = apply_order
        self.before = tuple(before)
        self.after = tuple(after)

    def redo(self) -> None:
        self.apply_order(self.after)

    def undo(self) -> None:
        self.apply_order(self.before)


class MusicEdit(EditCommand):
    """The music under the video and its level (one step per pick, level or removal)."""


class PictureEdit(EditCommand):
    """A picture put over the speech, or taken away."""


class WordCutEdit(EditCommand):
    """Words cut from the video or put back (the caption editor's word view, its Delete and
    "Cut all suggestions"): the kept parts change, as a trim changes them, so the export, the
    timeline and the length readout follow, and the autosave keeps them."""
