"""The main window: drop zone first, then clip list, preview, timeline and the four work panels.

It lays the pieces out and wires their signals; each owns its own work: the menus (menu_bar.py),
the clip list (clip_column.py), the transport row (transport.py), the trims (trim_controller.py),
the export (export_controller.py) and the preview's branding (brand_preview_controller.py). The
settings and brand kit are given to it (app.py loads them), in a Workspace the controllers read.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QDragEnterEvent, QDropEvent, QUndoGroup
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clipstudio import __version__
from clipstudio.core.branding.imprint import publish_findings
from clipstudio.core.branding.kit import Branding, BrandKit
from clipstudio.core.paths import log_dir
from clipstudio.core.vocabulary import CaptionLook, Fix
from clipstudio.gui.brand_kit import BrandKitDialog
from clipstudio.gui.brand_preview_controller import BrandPreviewController
from clipstudio.gui.captions import CaptionsPanel
from clipstudio.gui.checks import ChecksPanel
from clipstudio.gui.clip_column import ClipColumn
from clipstudio.gui.dialogs import ErrorDialog, show_error
from clipstudio.gui.export_controller import ExportController
from clipstudio.gui.export_panel import ExportPanel
from clipstudio.gui.menu_bar import MenuBar
from clipstudio.gui.player import Player
from clipstudio.gui.postcopy_panel import PostCopyPanel
from clipstudio.gui.session import ClipSession
from clipstudio.gui.settings import (
    AppSettings,
    SettingsDialog,
    restore_window_layout,
    save_settings,
    save_window_layout,
)
from clipstudio.gui.timeline import SignalStrip, TimelineWidget
from clipstudio.gui.transport import TransportBar
from clipstudio.gui.trim_controller import TrimController
from clipstudio.gui.widgets import DropZone, dropped_files
from clipstudio.gui.workers import TaskRunner
from clipstudio.gui.workspace import Workspace

VIDEO_FILTER = "Videos (*.mp4 *.mov *.m4v *.3gp *.mkv *.webm *.avi);;All files (*)"
# How long the status bar keeps a clip's problem.
PROBLEM_MESSAGE_MS = 10_000


class MainWindow(QMainWindow):
    """Shows the clip chosen in the list on every panel, and carries each panel's edits to it."""

    session_loaded = Signal(object)  # ClipSession, when probe, checks and speech have all finished
    export_finished = Signal(object)  # ExportResult (the export controller's, passed on)

    def __init__(
        self, settings: AppSettings, brand_kit: BrandKit | None, brand_kit_problem: str = ""
    ) -> None:
        """`brand_kit_problem`: why a saved kit could not be used, shown in the status bar."""
        super().__init__()
        self.setWindowTitle(f"Clip Studio {__version__}")
        self.setAcceptDrops(True)
        self.workspace = Workspace(settings, brand_kit)
        self.tasks = TaskRunner(self)
        self.tasks.pool.setMaxThreadCount(max(4, self.tasks.pool.maxThreadCount()))
        self.sessions: list[ClipSession] = []
        self.undo_group = QUndoGroup(self)
        self.last_error: ErrorDialog | None = None
        self.brand_dialog: BrandKitDialog | None = None

        self.stack = QStackedWidget()
        self.drop_zone = DropZone()
        self.drop_zone.files_dropped.connect(self.add_clips)
        self.drop_zone.open_requested.connect(self.choose_files)
        self.stack.addWidget(self.drop_zone)
        self.stack.addWidget(self._build_editor())
        self.setCentralWidget(self.stack)
        self.exports = self._build_exports()
        self.brand_preview = self._build_brand_preview()
        self.menu_bar = self._build_menu_bar()
        self._set_editor_enabled(False)
        self.statusBar().showMessage(brand_kit_problem or "Drop a video to start.")
        restore_window_layout(self, self.splitter)

    @property
    def current(self) -> ClipSession | None:
        """The clip being edited."""
        return self.workspace.current

    # --- layout ---------------------------------------------------------------------------------

    def _build_editor(self) -> QWidget:
        self.clips = ClipColumn()
        self.clips.clip_list.currentRowChanged.connect(self._select_row)
        self.clips.open_requested.connect(self.choose_files)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.clips)
        self.splitter.addWidget(self._build_centre())
        self.splitter.addWidget(self._build_tabs())
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([220, 640, 460])
        return self.splitter

    def _build_centre(self) -> QWidget:
        """The preview, the transport row, the timeline and the picture-and-sound strip."""
        self.player = Player()
        self.player.position_changed.connect(self._position_changed)
        self.player.duration_changed.connect(self._player_duration)
        self.transport = TransportBar()
        self.transport.play_clicked.connect(self.player.toggle_play)
        self.player.playing_changed.connect(self.transport.show_playing)
        self.timeline = TimelineWidget()
        self.timeline.seek_requested.connect(self.seek)
        self.trims = TrimController(self.workspace, self.player, self.timeline, self)
        self.trims.error.connect(self.report_error)
        self.trims.status.connect(self.statusBar().showMessage)
        self.transport.set_in_clicked.connect(lambda: self.trims.set_in())
        self.transport.set_out_clicked.connect(lambda: self.trims.set_out())
        self.transport.auto_trim_clicked.connect(self.trims.auto_trim)
        self.strip = SignalStrip()
        self.strip.seek_requested.connect(self.seek)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 6, 0, 6)
        centre_layout.addWidget(self.player, 1)
        centre_layout.addWidget(self.transport)
        centre_layout.addWidget(self.timeline)
        centre_layout.addWidget(self.strip)
        return centre

    def _build_tabs(self) -> QTabWidget:
        self.checks_panel = ChecksPanel()
        self.checks_panel.seek_requested.connect(self.seek)
        self.checks_panel.fix_toggled.connect(self._fix_toggled)
        self.checks_panel.action_requested.connect(lambda _id: self.focus_imprint())
        self.captions_panel = CaptionsPanel()
        self.captions_panel.seek_requested.connect(self.seek)
        self.export_panel = ExportPanel()
        self.export_panel.branding_edited.connect(self._branding_edited)
        self.export_panel.brand_kit_requested.connect(self.open_brand_kit)
        self.export_panel.preset_changed.connect(lambda p: self._update_project(preset=p))
        self.export_panel.caption_mode_changed.connect(
            lambda mode: self._update_project(caption_mode=mode)
        )
        self.export_panel.caption_look_changed.connect(self.set_caption_look)
        self.export_panel.portrait_changed.connect(lambda p: self._update_project(portrait=p))
        self.export_panel.output_dir_changed.connect(lambda d: self._update_project(output_dir=d))
        self.postcopy_panel = PostCopyPanel()
        self.postcopy_panel.changed.connect(lambda copy: self._update_project(post_copy=copy))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Work panels")
        self.tabs.addTab(self.checks_panel, "1 Checks")
        self.tabs.addTab(self.captions_panel, "2 Captions")
        self.tabs.addTab(self.export_panel, "3 Export")
        self.tabs.addTab(self.postcopy_panel, "4 Post text")
        return self.tabs

    def _build_exports(self) -> ExportController:
        exports = ExportController(self.workspace, self.export_panel, self)
        exports.started.connect(lambda: self.tabs.setCurrentWidget(self.export_panel))
        exports.imprint_wanted.connect(self.focus_imprint)
        exports.error.connect(self.report_error)
        exports.status.connect(self.statusBar().showMessage)
        exports.export_finished.connect(self.export_finished)
        return exports

    def _build_brand_preview(self) -> BrandPreviewController:
        preview = BrandPreviewController(
            self.workspace, self.player, self.tasks, lambda: self.timeline.in_out()[1], self
        )
        preview.branding_problem.connect(self.export_panel.show_branding_problem)
        preview.status.connect(self.statusBar().showMessage)
        self.export_panel.end_card_preview_requested.connect(preview.preview_end_card)
        return preview

    def _build_menu_bar(self) -> MenuBar:
        menu_bar = MenuBar(self.undo_group, self)
        for signal, slot in (
            (menu_bar.open_requested, self.choose_files),
            (menu_bar.export_requested, lambda: self.exports.start_export()),
            (menu_bar.brand_kit_requested, self.open_brand_kit),
            (menu_bar.settings_requested, self.open_settings),
            (menu_bar.quit_requested, self.close),
            (menu_bar.find_replace_requested, self._find_replace),
            (menu_bar.play_pause_requested, self.player.toggle_play),
            (menu_bar.back_requested, self.player.shuttle_back),
            (menu_bar.pause_requested, self.player.pause),
            (menu_bar.forward_requested, self.player.shuttle_forward),
            (menu_bar.set_in_requested, lambda: self.trims.set_in()),
            (menu_bar.set_out_requested, lambda: self.trims.set_out()),
            (menu_bar.open_logs_requested, self._open_logs),
        ):
            signal.connect(slot)
        menu_bar.step_requested.connect(self.player.step)
        self.setMenuBar(menu_bar)
        self.addActions(menu_bar.shortcut_actions)  # shortcuts work while the menus are closed
        return menu_bar

    def report_error(self, message: str, details: str = "") -> None:
        """Every error dialog of the window; the last one is kept for whoever asks (tests)."""
        self.last_error = show_error(self, message, details)

    # --- opening clips --------------------------------------------------------------------------

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Choose videos", "", VIDEO_FILTER)
        if files:
            self.add_clips(files)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if dropped_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        files = dropped_files(event)
        if files:
            event.acceptProposedAction()
            self.add_clips(files)

    def add_clips(self, paths: list[str]) -> list[ClipSession]:
        """Open each video and show the first; one already open is shown, not opened twice."""
        added: list[ClipSession] = []
        for path in paths:
            if Path(path).is_dir():
                self.report_error(
                    f"“{Path(path).name}” is a folder. Drop the video files inside it."
                )
                continue
            existing = next((s for s in self.sessions if s.path == str(Path(path).resolve())), None)
            if existing is not None:
                self.clips.clip_list.setCurrentRow(self.sessions.index(existing))
                continue
            session = ClipSession(path, self.tasks, self)
            self.clips.add(session)
            self._watch(session)
            self.sessions.append(session)
            self.undo_group.addStack(session.undo_stack)
            session.open(self.workspace.settings)
            added.append(session)
        if added:
            self.statusBar().clearMessage()
            self.stack.setCurrentIndex(1)
            self.clips.clip_list.setCurrentRow(self.sessions.index(added[0]))
        return added

    def _watch(self, session: ClipSession) -> None:
        """Its results reach the panels while it is the clip shown; its problems always do."""
        session.failed.connect(lambda *a: self._session_failed(session, *a))
        for signal, slot in (
            (session.media_ready, self._media_ready),
            (session.report_ready, self._report_ready),
            (session.transcript_ready, self._transcript_ready),
            (session.waveform_ready, self._waveform_ready),
            (session.project_changed, self._project_changed),
        ):
            signal.connect(lambda f=slot: f(session) if session is self.current else None)
        session.status_changed.connect(lambda _t: self._maybe_loaded(session))

    def _maybe_loaded(self, session: ClipSession) -> None:
        if not session.busy() and (session.media is not None or session.unusable):
            self.session_loaded.emit(session)

    def _session_failed(
        self, session: ClipSession, task: str, message: str, details: str, user_fault: bool
    ) -> None:
        if task == "probe" and user_fault:
            self.statusBar().showMessage(message, PROBLEM_MESSAGE_MS)
            self.report_error(message)
        elif not user_fault:
            self.report_error(message, details)
        elif session is self.current:
            self.statusBar().showMessage(message, PROBLEM_MESSAGE_MS)
            if task == "speech":
                self.captions_panel.hint.setText(f"No captions: {message}")
            if task == "checks":
                self.checks_panel.show_message(f"The checks could not run: {message}")

    # --- switching clips ------------------------------------------------------------------------

    def _select_row(self, row: int) -> None:
        session = self.sessions[row] if 0 <= row < len(self.sessions) else None
        if session is self.current:
            return
        if self.current is not None:
            self.current.save_now()
        self.workspace.current = session
        self.player.captions_source = session.captions.caption_at if session else None
        if session is None or session.unusable:
            self.player.unload()
            self.brand_preview.clear()
            self._set_editor_enabled(False)
            if session is not None:
                self.checks_panel.show_message(session.status)
            return
        self.undo_group.setActiveStack(session.undo_stack)
        self.captions_panel.set_model(session.captions)
        if session.project is not None:
            # Before _project_changed: it may fill the post's imprint in from the video's.
            self.postcopy_panel.set_post_copy(session.project.post_copy)
        self.brand_preview.hide_end_card()
        self._project_changed(session)
        self.player.load(session.path)
        self.checks_panel.show_message("Looking at the clip…")
        for ready, slot in (
            (session.media is not None, self._media_ready),
            (session.report is not None, self._report_ready),
            (session.transcript is not None, self._transcript_ready),
            (session.waveform is not None, self._waveform_ready),
        ):
            if ready:
                slot(session)

    def _set_editor_enabled(self, enabled: bool) -> None:
        self.export_panel.export_button.setEnabled(enabled)
        can_auto_trim = self.current is not None and self.current.transcript is not None
        self.transport.set_trimming_enabled(enabled, can_auto_trim)

    def _media_ready(self, session: ClipSession) -> None:
        media = session.media
        assert media is not None and media.video is not None  # a clip without video is unusable
        self.timeline.set_duration(media.duration)
        if media.video.real_frame_rate:
            self.player.frame_seconds = 1 / media.video.real_frame_rate
        self._set_editor_enabled(True)
        self._project_changed(session)

    def _report_ready(self, session: ClipSession) -> None:
        report = session.report
        assert report is not None
        project = session.project
        self.checks_panel.set_findings(report.findings, project.fixes if project else frozenset())
        spans = [
            (f.start, f.end) for f in report.findings if f.start is not None and f.end is not None
        ]
        self.strip.set_data(report.media.duration, report.brightness, report.loudness, spans)

    def _transcript_ready(self, session: ClipSession) -> None:
        self._set_editor_enabled(session.media is not None)
        self.player.refresh_caption()

    def _waveform_ready(self, session: ClipSession) -> None:
        assert session.waveform is not None
        self.timeline.set_waveform(session.waveform.peaks, session.waveform.bucket_seconds)

    def _project_changed(self, session: ClipSession) -> None:
        project = session.project
        if project is None:
            return
        self.timeline.set_segments(project.segments)
        branding = self.branding_for(session)
        self.transport.show_length(session.kept_duration(), branding.end_card_duration)
        self.export_panel.set_choices(
            project.preset, project.caption_mode, project.portrait,
            project.output_dir or self.workspace.settings.output_dir,
        )  # fmt: skip
        self.export_panel.set_branding(branding)
        self.export_panel.set_caption_look(self.workspace.settings.caption_style.background)
        self.checks_panel.set_publish_findings(publish_findings(branding.imprint))
        self.brand_preview.show_output(session, branding)
        self.player.refresh_caption()
        self.player.refresh_brand()
        self.postcopy_panel.set_video_link(branding.link)
        # Last: filling the post's imprint in saves the project, which calls this again.
        self.postcopy_panel.suggest_imprint(branding.imprint)

    # --- branding -------------------------------------------------------------------------------

    def branding_for(self, session: ClipSession) -> Branding:
        """The clip's own choices over the brand kit's defaults."""
        return self.workspace.branding_for(session)

    def _branding_edited(self, name: str, value: Any) -> None:  # the type of field `name`
        session = self.current
        if session is not None and session.project is not None:
            self._update_project(branding=replace(session.project.branding, **{name: value}))

    def focus_imprint(self) -> None:
        """Where the imprint is typed: what the no-imprint finding and question lead to."""
        self.tabs.setCurrentWidget(self.export_panel)
        self.export_panel.focus_imprint()

    def open_brand_kit(self) -> BrandKitDialog:
        """The editor opens without blocking; its "Save kit" applies the kit to every clip."""
        dialog = BrandKitDialog(self.workspace.brand_kit, self.tasks, self)
        dialog.accepted.connect(lambda: self.set_brand_kit(dialog.saved_kit))
        self.brand_dialog = dialog
        dialog.open()
        return dialog

    def set_brand_kit(self, kit: BrandKit | None) -> None:
        """Use `kit` from now on; the clip shown takes its defaults at once."""
        self.workspace.brand_kit = kit
        if self.current is not None:
            self._project_changed(self.current)

    def _update_project(self, **changes: object) -> None:
        if self.current is not None:
            self.current.update_project(**changes)

    def _fix_toggled(self, option: Fix, on: bool) -> None:
        if self.current is None or self.current.project is None:
            return
        fixes = self.current.project.fixes
        self._update_project(fixes=fixes | {option} if on else fixes - {option})

    # --- playback -------------------------------------------------------------------------------

    def seek(self, seconds: float) -> None:
        """Jump the preview there (the end card gives way) and move every readout with it."""
        self.brand_preview.hide_end_card()
        self.player.seek(seconds)
        self.brand_preview.jumped_to(seconds)
        self._position_changed(seconds)

    def _position_changed(self, seconds: float) -> None:
        self.transport.show_position(seconds)
        self.timeline.set_playhead(seconds)
        self.captions_panel.set_current_time(seconds)
        self.brand_preview.follow_position(seconds)

    def _player_duration(self, seconds: float) -> None:
        if self.current is not None and self.current.media is None and seconds > 0:
            self.timeline.set_duration(seconds)

    def _find_replace(self) -> None:
        self.tabs.setCurrentWidget(self.captions_panel)
        self.captions_panel.open_find_replace()

    # --- settings, logs, closing ----------------------------------------------------------------

    def set_caption_look(self, look: CaptionLook) -> None:
        """The caption style picked beside the preview: saved, and shown on the clip at once."""
        style = replace(self.workspace.settings.caption_style, background=look)
        self.workspace.settings = replace(self.workspace.settings, caption_style=style)
        save_settings(self.workspace.settings)
        if self.current is not None:
            self._project_changed(self.current)

    def open_settings(self) -> None:
        """Modal, as before; new settings are saved and reach the clip shown at once."""
        dialog = SettingsDialog(self.workspace.settings, self.tasks, self)
        if dialog.exec():
            self.workspace.settings = dialog.settings()
            save_settings(self.workspace.settings)
            if self.current is not None:
                self._project_changed(self.current)

    def _open_logs(self) -> None:
        QDesktopServices.openUrl(log_dir().as_uri())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        save_window_layout(self, self.splitter)
        for session in self.sessions:
            session.save_now()
        self.tasks.cancel_all()
        self.player.unload()
        self.tasks.wait(5000)
        super().closeEvent(event)
