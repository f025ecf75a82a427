"""One export: of the current clip, or of every clip open joined into one video in the list's
order. The checks before it (the one-minute limit on the whole video, the pictures' places,
the imprint question), the file name, the worker, its progress, and what the export panel
says at the end."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from clipstudio.core.branding.imprint import has_imprint
from clipstudio.core.edit.limits import fits
from clipstudio.core.edit.plan import EditPlan
from clipstudio.core.edit.project import Project
from clipstudio.core.export.summary import export_summary, plain_rules
from clipstudio.core.process import EtaClock
from clipstudio.gui.dialogs import ImprintQuestion
from clipstudio.gui.export_panel import ExportPanel
from clipstudio.gui.pictures import video_pictures
from clipstudio.gui.session import ClipSession
from clipstudio.gui.workers import Worker
from clipstudio.gui.workspace import Workspace

if TYPE_CHECKING:
    from clipstudio.core.export.render import ExportResult  # loads PyAV: types only

# How long the status bar shows where the video was saved.
SAVED_MESSAGE_MS = 10_000


def output_path(session: ClipSession, default_folder: str, joined: int = 0) -> Path:
    """A file name that does not overwrite an earlier export (`joined`: how many clips
    follow `session` in it)."""
    project = session.project
    assert project is not None
    folder = Path(project.output_dir or default_folder).expanduser()
    more = f"-and-{joined}-more" if joined else ""
    stem = f"{Path(session.name).stem}{more}-{project.preset}"
    candidate = folder / f"{stem}.mp4"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}.mp4"
        number += 1
    return candidate


# The clips an export is made of and their projects, in the video's order.
Made = tuple[tuple[ClipSession, ...], tuple[Project, ...]]


class ExportController(QObject):
    """Starts an export from the panel's button (or `start_export`) and reports on the panel."""

    export_finished = Signal(object)  # ExportResult
    started = Signal()  # the export panel should be in front while it runs
    imprint_wanted = Signal()  # "Add imprint" rather than export without one
    error = Signal(str, str)  # plain-words message, technical details ("" for the user's fault)
    status = Signal(str, int)  # status bar text, milliseconds

    def __init__(
        self,
        workspace: Workspace,
        panel: ExportPanel,
        dialog_parent: QWidget,
        joined: Callable[[], list[ClipSession]] = list,
    ) -> None:
        """`joined`: the clips of the one video in order when they are joined, else []."""
        super().__init__(dialog_parent)
        self.workspace = workspace
        self.panel = panel
        self.dialog_parent = dialog_parent
        self.joined = joined
        self.export_worker: Worker | None = None
        self.export_clock: EtaClock | None = None
        self.imprint_question: ImprintQuestion | None = None
        # The clips and their choices the last result (or failure) on the panel was made from.
        self.shown_for: Made | None = None
        self.running_for: Made | None = None
        panel.export_requested.connect(lambda: self.start_export())
        panel.cancel_requested.connect(self.cancel_export)

    def clips(self) -> list[ClipSession]:
        """What the export makes now: the joined clips in order, else the clip shown."""
        joined = self.joined()
        current = self.workspace.current
        return joined if joined else ([current] if current is not None else [])

    def made_of(self) -> Made | None:
        clips = self.clips()
        if not clips or any(s.project is None for s in clips):
            return None
        return tuple(clips), tuple(s.project for s in clips if s.project is not None)

    def start_export(self, imprint_confirmed: bool = False) -> None:
        """Export the clip shown, or the joined clips; without an imprint, ask first (UK law
        wants one)."""
        clips = self.clips()
        if not clips or self.export_worker is not None:
            return
        lead, others = clips[0], clips[1:]
        if not self._ready(clips):
            return
        plan = self._checked_plan(lead, others)
        if plan is None:
            return
        imprint = self.workspace.branding_for(lead).imprint
        if not has_imprint(imprint) and not imprint_confirmed:
            if self.imprint_question is None:  # a second press while it is open asks nothing new
                self._ask_about_imprint()
            return
        output = output_path(lead, self.workspace.settings.output_dir, len(others))
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.error.emit(f"Clip Studio cannot save to {output.parent}: {exc.strerror}.", "")
            return
        for session in clips:
            session.save_now()
        settings, kit = self.workspace.settings, self.workspace.brand_kit
        if others:
            worker = lead.start_export(output, settings, kit, joined=others)
        else:
            worker = lead.start_export(output, settings, kit)
        self._watch(worker)
        self.running_for = self.made_of()
        self.shown_for = None
        self.panel.set_running(True)
        self.started.emit()

    def _ready(self, clips: list[ClipSession]) -> bool:
        """Every clip of the video opened and usable; else say which one holds it up."""
        for session in clips:
            if session.unusable:
                self.error.emit(f"{session.name} cannot be used in the video. Take it out of the"
                                " list (Delete) to make the video from the others.", "")  # fmt: skip
                return False
            if session.media is None or session.project is None:
                if len(clips) > 1:
                    self.status.emit(f"Wait a moment: {session.name} is still opening.",
                                     SAVED_MESSAGE_MS)  # fmt: skip
                return False
        return True

    def _checked_plan(self, lead: ClipSession, others: list[ClipSession]) -> EditPlan | None:
        """The plan, if it keeps the one-minute rule and its pictures fit; else why not."""
        plan = lead.plan(self.workspace.settings, self.workspace.brand_kit, others)
        if not self._within_limit(plan, joined=bool(others)):
            return None
        _placed, problem = video_pictures([lead, *others])
        if problem:
            self.error.emit(problem, "")
            return None
        return plan

    def plan_changed(self, session: ClipSession | None = None) -> None:
        """The clip shown, the clips joined or their choices changed: a result about another
        plan goes, so the panel never says "Ready" about a video that is not what the
        volunteer now sees."""
        if self.shown_for is None:
            return
        if self.made_of() != self.shown_for:
            self.shown_for = None
            self.panel.clear_result()

    def _within_limit(self, plan: EditPlan, joined: bool = False) -> bool:
        """The campaign guide's one minute for the whole video, end card included; over it,
        say how to trim."""
        card = plan.end_card_duration
        if fits(plan.kept_duration, card):
            return True
        with_card = " with its end card" if card else ""
        what = "The joined video" if joined else "The clip"
        self.error.emit(
            f"{what}{with_card} is a minute or longer. Trim it first: drag the green"
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
        self.plan_changed()  # changed while it ran: the result is already old
