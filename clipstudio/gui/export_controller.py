"""One export of the current clip: the checks before it (the one-minute limit, the imprint
question), the file name, the worker, its progress, and what the export panel says at the end."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from clipstudio.core.branding.imprint import has_imprint
from clipstudio.core.edit.limits import fits
from clipstudio.core.edit.project import Project
from clipstudio.core.export.summary import export_summary, plain_rules
from clipstudio.core.process import EtaClock
from clipstudio.gui.dialogs import ImprintQuestion
from clipstudio.gui.export_panel import ExportPanel
from clipstudio.gui.session import ClipSession
from clipstudio.gui.workers import Worker
from clipstudio.gui.workspace import Workspace

if TYPE_CHECKING:
    from clipstudio.core.export.render import ExportResult  # loads PyAV: types only

# How long the status bar shows where the video was saved.
SAVED_MESSAGE_MS = 10_000


def output_path(session: ClipSession, default_folder: str) -> Path:
    """A file name that does not overwrite an earlier export."""
    project = session.project
    assert project is not None
    folder = Path(project.output_dir or default_folder).expanduser()
    stem = f"{Path(session.name).stem}-{project.preset}"
    candidate = folder / f"{stem}.mp4"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}.mp4"
        number += 1
    return candidate


class ExportController(QObject):
    """Starts an export from the panel's button (or `start_export`) and reports on the panel."""

    export_finished = Signal(object)  # ExportResult
    started = Signal()  # the export panel should be in front while it runs
    imprint_wanted = Signal()  # "Add imprint" rather than export without one
    error = Signal(str, str)  # plain-words message, technical details ("" for the user's fault)
    status = Signal(str, int)  # status bar text, milliseconds

    def __init__(self, workspace: Workspace, panel: ExportPanel, dialog_parent: QWidget) -> None:
        super().__init__(dialog_parent)
        self.workspace = workspace
        self.panel = panel
        self.dialog_parent = dialog_parent
        self.export_worker: Worker | None = None
        self.export_clock: EtaClock | None = None
        self.imprint_question: ImprintQuestion | None = None
        # The clip and the choices the last result (or failure) on the panel was made from.
        self.shown_for: tuple[ClipSession, Project] | None = None
        self.running_for: tuple[ClipSession, Project] | None = None
        panel.export_requested.connect(lambda: self.start_export())
        panel.cancel_requested.connect(self.cancel_export)

    def start_export(self, imprint_confirmed: bool = False) -> None:
        """Export the current clip; without an imprint, ask first (UK law wants one)."""
        session = self.workspace.current
        if session is None or session.media is None or self.export_worker is not None:
            return
        if session.project is None or not self._within_limit(session):
            return
        imprint = self.workspace.branding_for(session).imprint
        if not has_imprint(imprint) and not imprint_confirmed:
            if self.imprint_question is None:  # a second press while it is open asks nothing new
                self._ask_about_imprint()
            return
        output = output_path(session, self.workspace.settings.output_dir)
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.error.emit(f"Clip Studio cannot save to {output.parent}: {exc.strerror}.", "")
            return
        session.save_now()
        self._watch(session.start_export(output, self.workspace.settings, self.workspace.brand_kit))
        self.running_for = (session, session.project)
        self.shown_for = None
        self.panel.set_running(True)
        self.started.emit()

    def plan_changed(self, session: ClipSession | None) -> None:
        """The clip shown or its choices changed: a result about another plan goes, so the
        panel never says "Ready" about a video that is not what the volunteer now sees."""
        if self.shown_for is None:
            return
        shown_session, shown_project = self.shown_for
        if session is not shown_session or session.project != shown_project:
            self.shown_for = None
            self.panel.clear_result()

    def _within_limit(self, session: ClipSession) -> bool:
        """The campaign guide's one minute, end card included; over it, say how to trim."""
        card = self.workspace.branding_for(session).end_card_duration
        if fits(session.kept_duration(), card):
            return True
        with_card = " with its end card" if card else ""
        self.error.emit(
            f"The clip{with_card} is a minute or longer. Trim it first: drag the green"
            " handles, or press “Trim to 1 minute”.",
            "",
        )
        return False

    def _watch(self, worker: Worker) -> None:
        self.export_worker = worker
        self.export_clock = EtaClock()
        worker.signals.progress.connect(self._progress)
        worker.signals.finished.connect(self._done)
        worker.signals.failed.connect(self._failed)
        worker.signals.cancelled.connect(self._cancelled)
        worker.signals.done.connect(self._over)

    def _ask_about_imprint(self) -> ImprintQuestion:
        question = ImprintQuestion(self.dialog_parent)
        question.finished.connect(lambda _result: self._imprint_answered(question))
        self.imprint_question = question
        question.open()
        return question

    def _imprint_answered(self, question: ImprintQuestion) -> None:
        self.imprint_question = None
        if question.export_chosen():
            self.start_export(imprint_confirmed=True)
        else:
            self.imprint_wanted.emit()

    def cancel_export(self) -> None:
        """Ask the running export to stop; the worker's `cancelled` then reports it."""
        if self.export_worker is not None:
            self.export_worker.cancel()

    def _progress(self, fraction: float) -> None:
        remaining = self.export_clock.remaining(fraction) if self.export_clock else None
        self.panel.set_progress(fraction, remaining)

    def _done(self, result: ExportResult) -> None:
        self.panel.show_result(
            result.output, export_summary(result), plain_rules(result.validation)
        )
        self.shown_for = self.running_for
        self.status.emit(f"Saved {result.output}", SAVED_MESSAGE_MS)
        self.export_finished.emit(result)

    def _failed(self, message: str, details: str, user_fault: bool) -> None:
        self.panel.show_failure(message)
        self.shown_for = self.running_for
        self.error.emit(message, "" if user_fault else details)

    def _cancelled(self) -> None:
        self.panel.show_failure("Export cancelled. Nothing was saved.")
        self.shown_for = self.running_for

    def _over(self) -> None:
        self.export_worker = None
        self.running_for = None
        self.panel.set_running(False)
        workspace_session = self.workspace.current
        self.plan_changed(workspace_session)  # changed while it ran: the result is already old
