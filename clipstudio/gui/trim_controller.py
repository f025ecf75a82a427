"""The part of the clip that is kept: its start and end set at the play position or by dragging
the timeline's handles, and the sentence-aware auto-trim that leaves room for the end card."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from clipstudio.core.errors import BadInputError
from clipstudio.core.timefmt import clock
from clipstudio.gui.player import Player
from clipstudio.gui.timeline import TimelineWidget
from clipstudio.gui.workspace import Workspace

# How long the status bar says what the auto-trim kept.
AUTO_TRIM_MESSAGE_MS = 8000


class TrimController(QObject):
    """Changes the current clip's kept range; the clip's project_changed redraws the rest."""

    error = Signal(str)  # why the trim could not be made, in plain words
    status = Signal(str, int)  # status bar text, milliseconds

    def __init__(
        self,
        workspace: Workspace,
        player: Player,
        timeline: TimelineWidget,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.player = player
        self.timeline = timeline
        timeline.in_out_changed.connect(self._dragged)

    def set_in(self, seconds: float | None = None) -> None:
        """The clip starts at `seconds` (default: the play position), its end unchanged."""
        self._move_end(seconds, start=True)

    def set_out(self, seconds: float | None = None) -> None:
        """The clip ends at `seconds` (default: the play position), its start unchanged."""
        self._move_end(seconds, start=False)

    def _move_end(self, seconds: float | None, *, start: bool) -> None:
        session = self.workspace.current
        if session is None or session.media is None:
            return
        at = self.player.position() if seconds is None else seconds
        in_t, out_t = self.timeline.in_out()
        session.set_in_out(*((at, out_t) if start else (in_t, at)))

    def _dragged(self, start: float, end: float) -> None:
        if self.workspace.current is not None:
            # One drag is one undo step, however many moves it reports.
            self.workspace.current.set_in_out(start, end, ("drag", self.timeline.drag_number))

    def auto_trim(self) -> None:
        """Cut whole sentences to fit the minute with the end card; the status bar says what."""
        session = self.workspace.current
        if session is None or session.project is None:
            return
        card = self.workspace.branding_for(session).end_card_duration
        try:
            segments = session.auto_trim(card)  # room for the end card
        except BadInputError as exc:
            self.error.emit(str(exc).capitalize() + ".")
            return
        # The same length as the readout under the preview (kept parts plus the end card):
        # the status bar said 0:52.6 (without the card) beside a readout of the whole video.
        with_card = f", with its {card:g} s end card" if card else ""
        self.status.emit(
            f"Kept {len(segments)} part{'s' if len(segments) != 1 else ''}: the video is now "
            f"{clock(session.kept_duration() + card)} long{with_card}.", AUTO_TRIM_MESSAGE_MS
        )  # fmt: skip
