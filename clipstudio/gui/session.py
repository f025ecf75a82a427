"""One opened clip: its project, what the core found out about it, and the workers doing that.

Everything slow (probe, checks, transcription, waveform, thumbnail, export) runs in a Worker that
calls the core; this object only stores the results and tells the window through signals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage, QUndoStack

from clipstudio.core.branding.kit import BrandKit
from clipstudio.core.edit.limits import keep_budget
from clipstudio.core.edit.plan import Segment
from clipstudio.core.edit.project import (
    CAPTION_LANGUAGE,
    ClipTakes,
    Project,
    joined_plan,
    project_file_for,
    restore_or_new,
    save_project,
)
from clipstudio.core.errors import BadInputError
from clipstudio.core.progress import CancelToken, ProgressCallback
from clipstudio.gui.captions import CaptionTableModel
from clipstudio.gui.history import EditCommand, TrimEdit
from clipstudio.gui.settings import AppSettings
from clipstudio.gui.words import WordCuts
from clipstudio.gui.workers import TaskRunner, Worker

if TYPE_CHECKING:
    # Types only: importing the modules themselves loads PyAV and numpy, which the window's
    # start-up must not wait for (they are warmed up on a worker after it shows).
    from clipstudio.core.analysis.report import AnalysisReport
    from clipstudio.core.edit.plan import EditPlan
    from clipstudio.core.export.render import ExportJob, ExportResult
    from clipstudio.core.media.preview import Thumbnail, Waveform
    from clipstudio.core.media.probe import MediaInfo
    from clipstudio.core.speech.disfluency import Disfluency
    from clipstudio.core.speech.types import Caption, Transcript

log = logging.getLogger(__name__)

# Autosave waits this long after the last change, so typing does not write a file per key.
AUTOSAVE_DELAY_MS = 800
# The captions' language: Whisper listens for English and spells it the British way.
SPEECH_LANGUAGE = CAPTION_LANGUAGE

Result = TypeVar("Result")


class Mistakes(NamedTuple):
    """What the verbatim pass found: its words, the suggested cuts, and the captions it read
    with their words timed by it."""

    verbatim: Transcript
    suggestions: tuple[Disfluency, ...]
    captions: tuple[Caption, ...]
    retimed: tuple[Caption, ...]


class ClipSession(QObject):
    status_changed = Signal(str)
    media_ready = Signal()
    report_ready = Signal()
    transcript_ready = Signal()
    suggestions_ready = Signal()  # retakes and fillers found (self.suggestions)
    waveform_ready = Signal()
    thumbnail_ready = Signal()
    project_changed = Signal()
    task_started = Signal(object)  # Worker
    failed = Signal(str, str, str, bool)  # task, message, details, the user's input was at fault

    def __init__(
        self, path: str, tasks: TaskRunner, history: QUndoStack, parent: QObject | None = None
    ) -> None:
        """`history`: the window's one undo stack; this clip's edits are steps on it."""
        super().__init__(parent)
        self.path = str(Path(path).resolve())
        self.name = Path(path).name
        self.tasks = tasks
        self.project: Project | None = None
        self.restored = False
        self.project_file: Path | None = None
        self.media: MediaInfo | None = None
        self.report: AnalysisReport | None = None
        self.transcript: Transcript | None = None
        # Retakes and fillers the core found in a verbatim pass (`verbatim`): the word view's
        # suggested cuts.
        self.verbatim: Transcript | None = None
        self.suggestions: tuple[Disfluency, ...] = ()
        self.waveform: Waveform | None = None
        self.thumbnail: QImage | None = None
        self.unusable = False
        self.status = "Opening…"
        self.workers: dict[str, Worker] = {}
        self.history = history
        self.closed = False  # taken out of the window's list: its steps in the history lapse
        self.captions = CaptionTableModel(history)
        self.captions.captions_changed.connect(self._captions_edited)
        self._loading_captions = False
        self.word_cuts = WordCuts(self)  # the captions' words, cut by Delete (gui/words.py)
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_DELAY_MS)
        self.autosave_timer.timeout.connect(self.save_now)

    # --- starting the work ------------------------------------------------------------------------

    def open(self, settings: AppSettings) -> None:
        """Restore the autosave if any, then start every look at the clip at once."""
        try:
            self.project, self.restored = restore_or_new(self.path)
            self.project_file = project_file_for(self.path)
        except OSError as exc:
            self._unusable(f"Clip Studio cannot open {self.name}: {exc.strerror or exc}.")
            return
        if self.project.captions is not None:
            self._load_captions(self.project.captions)
        self._set_status("Restored your earlier work" if self.restored else "Looking at the clip…")
        self._start("probe", f"Opening {self.name}", self._probe, self._probe_done)
        self._start("checks", f"Checking {self.name}", self._analyse, self._report_done)
        self._start(
            "speech",
            f"Writing out the speech in {self.name}",
            lambda progress, cancel: self._transcribe(settings, progress, cancel),
            lambda transcribed: self._transcript_done(transcribed, settings),
        )
        self._start(
            "waveform", f"Drawing the sound of {self.name}", self._peaks, self._waveform_done
        )
        self._start("thumbnail", f"Making a picture of {self.name}", self._thumb, self._thumb_done)

    def _start(
        self,
        key: str,
        label: str,
        function: Callable[[ProgressCallback, CancelToken], Result],
        on_result: Callable[[Result], None],
    ) -> Worker:
        worker = Worker(label, function)
        worker.signals.finished.connect(on_result)
        worker.signals.failed.connect(
            lambda message, details, user: self._task_failed(key, message, details, user)
        )
        worker.signals.done.connect(lambda: self._task_done(key))
        self.workers[key] = worker
        self.task_started.emit(worker)
        self.tasks.start(worker)
        return worker

    def _task_done(self, key: str) -> None:
        self.workers.pop(key, None)
        self._refresh_status()

    def cancel_all(self) -> None:
        for worker in list(self.workers.values()):
            worker.cancel()

    def busy(self) -> bool:
        return bool(self.workers)

    # --- the core calls (run on worker threads) ---------------------------------------------------

    # Every media call runs in a child process (clipstudio.core.isolate): PyAV decoding, numpy
    # and Whisper hold the GIL for long stretches, and in this process that froze the window
    # (a thumbnail decode alone stalled it 1.2 s; measured with a 10 ms QTimer and py-spy).

    def _isolated(
        self, target: str, progress: ProgressCallback, cancel: CancelToken, **kwargs: object
    ) -> Any:  # the child's result; each caller names its type
        from clipstudio.core.isolate import run_isolated

        return run_isolated(target, {"path": self.path, **kwargs}, progress=progress,
                            cancel=cancel)  # fmt: skip

    def _probe(self, progress: ProgressCallback, cancel: CancelToken) -> MediaInfo:
        return self._isolated("clipstudio.core.media.probe:probe", progress, cancel)

    def _analyse(self, progress: ProgressCallback, cancel: CancelToken) -> AnalysisReport:
        return self._isolated("clipstudio.core.analysis.report:analyse_clip", progress, cancel)

    def _transcribe(
        self, settings: AppSettings, progress: ProgressCallback, cancel: CancelToken
    ) -> tuple[Transcript, list[Caption]]:
        from clipstudio.core.speech.layout import build_captions

        transcript = self._isolated(
            "clipstudio.core.speech.transcribe:transcribe_file", progress, cancel,
            engine=settings.engine, model=settings.speech_model, language=SPEECH_LANGUAGE,
        )  # fmt: skip
        # Laid out here, on the worker thread: on the GUI thread it stalled the window 0.6 s.
        return transcript, build_captions(transcript.words, self.captions.rules)

    def _find_mistakes(
        self, settings: AppSettings, progress: ProgressCallback, cancel: CancelToken
    ) -> Mistakes:
        """A second pass, verbatim as the CLI's --remove-retakes/--remove-fillers: the hint
        makes Whisper write the fillers and false starts the suggestions are found in. Its
        words are not the captions': on the 28 real recordings it wrote words nobody said
        ("Okay.", "Last. Just...") and took the captions' mean word error rate from 7.8 % to
        9.3 % (tiny.en, fillers left out), so the captions stay the plain pass's, their words
        timed by the verbatim one where both wrote the same word (disfluency.timed_by_verbatim:
        so that a suggestion's cut takes none of the kept words)."""
        from clipstudio.core.speech.disfluency import find_disfluencies, timed_by_verbatim
        from clipstudio.core.vocabulary import Cleanup

        verbatim = self._isolated(
            "clipstudio.core.speech.transcribe:transcribe_file", progress, cancel,
            engine=settings.engine, model=settings.speech_model, language=SPEECH_LANGUAGE,
            verbatim=True,
        )  # fmt: skip
        captions = self.captions.captions
        return Mistakes(verbatim, find_disfluencies(verbatim.words, set(Cleanup)), captions,
                        timed_by_verbatim(captions, verbatim.words))  # fmt: skip

    def _peaks(self, progress: ProgressCallback, cancel: CancelToken) -> Waveform:
        return self._isolated("clipstudio.core.media.preview:waveform_peaks", progress, cancel)

    def _thumb(self, progress: ProgressCallback, cancel: CancelToken) -> Thumbnail | None:
        return self._isolated("clipstudio.core.media.preview:thumbnail", progress, cancel)

    # --- results (GUI thread) ---------------------------------------------------------------------

    def _probe_done(self, media: MediaInfo) -> None:
        self.media = media
        if media.video is None:
            self._unusable(
                f"{self.name} has sound but no picture. Clip Studio needs a video from a phone or camera."
            )
            return
        self.media_ready.emit()
        self._refresh_status()

    def _report_done(self, report: AnalysisReport) -> None:
        self.report = report
        self.report_ready.emit()
        self._refresh_status()

    def _transcript_done(
        self, transcribed: tuple[Transcript, list[Caption]], settings: AppSettings
    ) -> None:
        transcript, captions = transcribed
        self.transcript = transcript
        if self.project is not None and self.project.captions is None:
            self._load_captions(captions)
        self.transcript_ready.emit()
        # After the captions, not beside them: two Whisper runs at once on two cores would
        # make the captions wait.
        self._start(
            "mistakes",
            f"Looking for retakes and fillers in {self.name}",
            lambda progress, cancel: self._find_mistakes(settings, progress, cancel),
            self._mistakes_done,
        )
        self._refresh_status()

    def _mistakes_done(self, found: Mistakes) -> None:
        self.verbatim, self.suggestions = found.verbatim, found.suggestions
        # Retimed only if the captions are still the ones the worker read (not edited since).
        if self.captions.captions is found.captions and found.retimed != found.captions:
            if self.project is not None and self.project.captions is None:
                self._load_captions(found.retimed)  # still the transcript's own
            else:
                self.captions.set_captions(found.retimed)  # the volunteer's: saved, no step
        self.suggestions_ready.emit()

    def _waveform_done(self, waveform: Waveform) -> None:
        self.waveform = waveform
        self.waveform_ready.emit()

    def _thumb_done(self, thumb: Thumbnail | None) -> None:
        if thumb is not None:
            image = QImage(thumb.rgb, thumb.width, thumb.height, 3 * thumb.width,
                           QImage.Format.Format_RGB888)  # fmt: skip
            self.thumbnail = image.copy()  # own the pixels: `thumb.rgb` may go away
            self.thumbnail_ready.emit()

    def _task_failed(self, key: str, message: str, details: str, user_fault: bool) -> None:
        if self.unusable:
            return
        if key == "probe":
            # Once: a damaged file gave the same dialog twice (here and from _unusable).
            text = message if user_fault else f"Clip Studio could not open {self.name}."
            self._unusable(text, details, user_fault)
            return
        self.failed.emit(key, message, details, user_fault)
        self._refresh_status()

    def _unusable(self, message: str, details: str = "", user_fault: bool = True) -> None:
        self.unusable = True
        self.cancel_all()
        self._set_status(message)
        self.failed.emit("probe", message, details, user_fault)

    def _refresh_status(self) -> None:
        if self.unusable:
            return
        parts = []
        if "checks" in self.workers:
            parts.append("checking")
        if "speech" in self.workers:
            parts.append("writing captions")
        if "mistakes" in self.workers:
            parts.append("looking for retakes and fillers")
        if parts:
            self._set_status(" and ".join(parts).capitalize() + "…")
            return
        problems = 0
        if self.report is not None:
            problems = sum(1 for f in self.report.findings if f.severity != "info")
        self._set_status(
            "Ready"
            if not problems
            else f"Ready — {problems} thing{'s' if problems > 1 else ''} to look at"
        )

    def _set_status(self, text: str) -> None:
        self.status = text
        self.status_changed.emit(text)

    # --- the user's decisions ---------------------------------------------------------------------

    def _load_captions(self, captions: Sequence[Caption]) -> None:
        self._loading_captions = True
        try:
            self.captions.set_captions(tuple(captions))
        finally:
            self._loading_captions = False

    def _captions_edited(self) -> None:
        # The caption table's own command is the undo step (gui/captions.py CaptionsCommand).
        if not self._loading_captions:
            self.update_project(captions=self.captions.captions)

    def edit(
        self, kind: type[EditCommand], text: str, merge_key: object = None, **changes: Any
    ) -> None:
        """A change the volunteer made: one step on the window's undo history (history.py)."""
        if self.project is None or self.closed:
            return
        before = {name: getattr(self.project, name) for name in changes}
        if before == changes:
            return
        self.history.push(kind(self, before, changes, text, merge_key))

    def update_project(self, **changes: Any) -> None:
        """A change that is not a step of its own (captions following their table's undo
        step, an imprint filled in for the volunteer): applied, autosaved, not recorded."""
        self.apply(changes)

    def apply(self, changes: dict[str, Any]) -> None:
        """Set project fields (an edit, its undo or its redo) and tell the window."""
        if self.project is None or self.closed:
            return
        self.project = self.project.with_changes(**changes)
        self.project_changed.emit()
        self.autosave_timer.start()

    def close(self) -> None:
        """Taken out of the window: work stops, the autosave is written, steps lapse."""
        self.cancel_all()
        self.save_now()
        self.closed = True
        self.captions.closed = True

    def save_now(self) -> None:
        self.autosave_timer.stop()
        if self.project is None or self.project_file is None or self.closed:
            return
        try:
            save_project(self.project, self.project_file)
        except (OSError, BadInputError) as exc:
            # The work stays in memory; the next change tries again.
            log.warning("autosave of %s failed: %s", self.project_file, exc)

    @property
    def duration(self) -> float:
        return float(self.media.duration) if self.media is not None else 0.0

    def segments(self) -> tuple[Segment, ...]:
        return self.project.segments if self.project is not None else ()

    def kept_duration(self) -> float:
        segments = self.segments()
        return sum(s.duration for s in segments) if segments else self.duration

    def set_in_out(self, start: float, end: float, merge_key: object = None) -> None:
        """Keep [start, end]; inner cuts from an auto-trim are kept where they fall inside.
        `merge_key`: the timeline drag this is part of (one drag, one undo step)."""
        start, end = max(0.0, start), min(self.duration or end, end)
        if end - start < 0.1:
            return
        inside = [
            Segment(max(s.start, start), min(s.end, end))
            for s in self.segments()
            if s.end > start and s.start < end
        ]
        segments = tuple(inside) if len(inside) > 1 else (Segment(round(start, 3), round(end, 3)),)
        self.edit(TrimEdit, "Trim", merge_key, segments=segments)

    def auto_trim(self, end_card: float) -> tuple[Segment, ...]:
        """Sentence-aware cut to under the limit with room for the end card: the command
        line's --auto-trim rule (edit.trim.plan_segments), on the transcript we have."""
        if self.transcript is None:
            raise BadInputError("the speech has not been written out yet")
        from clipstudio.core.edit.trim import plan_segments

        segments = plan_segments(
            self.duration,
            None,
            None,
            keep_budget(end_card=end_card),
            find_silences=None,
            transcript=self.transcript,
            auto_trim=True,
        )
        # The words cut by hand stay cut (core edit/cuts.inner_cuts): the trim chooses the
        # sentences, the volunteer chose the mistakes. The trim counted them in its minute,
        # so the video may come out a little shorter than it needs to be, never longer.
        from clipstudio.core.edit.cuts import cut_segments, inner_cuts

        segments = cut_segments(segments, inner_cuts(self.segments())) or segments
        self.edit(TrimEdit, "Trim to under a minute", segments=segments)
        return segments

    # --- export -----------------------------------------------------------------------------------

    def clip_takes(self) -> ClipTakes:
        """This clip's part of a video: its project, length and the caption editor's captions
        (until the speech has been written out, None: the export transcribes it itself)."""
        assert self.project is not None
        captions = self.captions.captions if self.transcript is not None or (
            self.project.captions is not None) else None  # fmt: skip
        return ClipTakes(self.project, self.duration,
                         None if captions is None else tuple(captions))  # fmt: skip

    def plan(
        self, settings: AppSettings, kit: BrandKit | None, joined: Sequence[ClipSession] = ()
    ) -> EditPlan:
        """What the export renders: this clip, then `joined` in order, as one plan (core
        edit.project.joined_plan: this clip's project says the shape, fixes, branding, music)."""
        assert self.media is not None and self.media.video is not None
        return joined_plan([s.clip_takes() for s in (self, *joined)], kit=kit,
                           caption_style=settings.caption_style,
                           frame_rate=self.media.video.frame_rate)  # fmt: skip

    def export_job(
        self,
        output: Path,
        settings: AppSettings,
        kit: BrandKit | None,
        joined: Sequence[ClipSession] = (),
    ) -> tuple[EditPlan, ExportJob]:
        """What the export renders (the plan) and how (the job)."""
        from clipstudio.core.export.render import ExportJob

        plan = self.plan(settings, kit, joined)
        job = ExportJob(output=output, engine=settings.engine, model=settings.speech_model)
        return plan, job

    def start_export(
        self,
        output: Path,
        settings: AppSettings,
        kit: BrandKit | None,
        joined: Sequence[ClipSession] = (),
    ) -> Worker:
        """The export in a child process; `joined`: the clips that follow this one in it."""
        plan, job = self.export_job(output, settings, kit, joined)

        def export(progress: ProgressCallback, cancel: CancelToken) -> ExportResult:
            from clipstudio.core.isolate import run_isolated

            result = run_isolated(
                "clipstudio.core.export.render:export_clip",
                {"plan": plan, "job": job},
                progress=progress,
                cancel=cancel,
            )
            for line in result.log:
                log.info("export: %s", line)
            return result

        names = self.name if not joined else f"{len(joined) + 1} clips"
        worker = Worker(f"Making the video from {names}", export)
        worker.signals.done.connect(lambda: self.workers.pop("export", None))
        self.workers["export"] = worker
        self.task_started.emit(worker)
        self.tasks.start(worker)
        return worker
