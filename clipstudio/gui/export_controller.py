"""One export of the current clip: the checks before it (the one-minute limit, the imprint
question), the file name, the worker, its progress, and what the export panel says at the end."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from clipstudio.core.branding.imprint import has_imprint
from clipstudio.core.edit.limits import fits
from clipstudio.core.process import EtaClock
from clipstudio.core.timefmt import clock
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


def result_summary(result: ExportResult) -> str:
    """What was made and whether it meets Facebook's rules, for the export panel (rich text)."""
    lines = [f"<b>Saved {result.output.name}</b> — {result.width}×{result.height},"
             f" {clock(result.duration)}"]  # fmt: skip
    for sidecar in result.sidecars:
        lines.append(f"Captions file: {Path(sidecar).name}")
    validation = result.validation
    lines.append("Checked: all Facebook rules met." if validation.ok else "Some checks failed:")
    for rule in validation.rules:
        lines.append(f"{'✔' if rule.ok else '✘'} {rule.name}: {rule.detail}")
    return "<br>".join(lines)


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
        self.panel.set_running(True)
        self.started.emit()

    def _within_limit(self, session: ClipSession) -> bool:
        """The campaign guide's one minute, end card included; over it, say how to trim."""
        card = self.workspace.branding_for(session).end_card_duration
        if fits(session.kept_duration(), card):
            return True
        with_card = " with its end card" if card else ""
        self.error.emit(
            f"The clip{with_card} is a minute or longer. Trim it first: drag the green"
            " handles, or press “Auto-trim to under a minute”.",
            "",
        )
        return False

    def _watch(self, worker: Worker) -> None:
        self.export_worker = worker
        self.export_clock = EtaClock()
        worker.signals.progress.connect(self._progress)
        worker.signals.finished.connect(self._done)
        worker.signals.failed.connect(self._failed)
        worker.signals.cancelled.connect(lambda: self.panel.show_failure("Export cancelled."))
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
        self.panel.show_result(result.output, result_summary(result))
        self.status.emit(f"Saved {result.output}", SAVED_MESSAGE_MS)
        self.export_finished.emit(result)

    def _failed(self, message: str, details: str, user_fault: bool) -> None:
        self.panel.show_failure(message)
        self.error.emit(message, "" if user_fault else details)

    def _over(self) -> None:
        self.export_worker = None
        self.panel.set_running(False)
