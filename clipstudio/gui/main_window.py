"""The main window: drop zone first, then clip list, preview, timeline and the four work panels.

It lays the pieces out and wires their signals (the controllers' to the panels and menus in
wiring.py); each owns its own work: the menus (menu_bar.py),
the clips open and the record that reopens them (open_clips.py), the clip list
(clip_column.py), the transport row (transport.py), the trims (trim_controller.py), the
export (export_controller.py), the preview's branding (brand_preview_controller.py), the
panels' edits on the one undo history (panel_edits.py, history.py), the help pages (help.py),
the first-run welcome (welcome.py) and the look (theme.py). The settings and brand kit are
given to it (app.py loads them), in a Workspace the controllers read.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QUndoStack
from PySide6.QtWidgets import (
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
from clipstudio.core.vocabulary import CaptionLook
from clipstudio.gui import wiring
from clipstudio.gui.brand_kit import BrandKitDialog
from clipstudio.gui.captions import CaptionsPanel
from clipstudio.gui.checks import ChecksPanel
from clipstudio.gui.clip_column import ClipColumn
from clipstudio.gui.dialogs import ErrorDialog, show_error
from clipstudio.gui.export_panel import ExportPanel
from clipstudio.gui.help import HelpPages
from clipstudio.gui.open_clips import OpenClips
from clipstudio.gui.panel_edits import PanelEdits
from clipstudio.gui.player import Player
from clipstudio.gui.postcopy_panel import PostCopyPanel
from clipstudio.gui.session import ClipSession
from clipstudio.gui.settings import (
    AppSettings,
    SettingsDialog,
    restore_window_layout,
    save_window_layout,
)
from clipstudio.gui.theme import apply_theme
from clipstudio.gui.timeline import SignalStrip, TimelineWidget
from clipstudio.gui.transport import TransportBar
from clipstudio.gui.trim_controller import TrimController
from clipstudio.gui.widgets import DropZone, dropped_files
from clipstudio.gui.words import CutSkipper
from clipstudio.gui.workers import TaskRunner
from clipstudio.gui.workspace import Workspace

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
        self.history = QUndoStack(self)  # every clip's edits, one after another (history.py)
        self.open_clips = OpenClips(self.tasks, self.history, self)
        self.open_clips.opened.connect(self._opened)
        self.open_clips.error.connect(self.report_error)
        self.open_clips.reordered.connect(self._reordered)
        self.open_clips.join_changed.connect(lambda _on: self._refresh())
        self.last_error: ErrorDialog | None = None
        self.brand_dialog: BrandKitDialog | None = None
        self.help = HelpPages(self.workspace, self)
        self.help.brand_kit_wanted.connect(self.open_brand_kit)

        self.stack = QStackedWidget()
        self.drop_zone = DropZone()
        self.drop_zone.files_dropped.connect(self.add_clips)
        self.drop_zone.open_requested.connect(self.choose_files)
        self.stack.addWidget(self.drop_zone)
        self.stack.addWidget(self._build_editor())
        self.setCentralWidget(self.stack)
        self.exports = wiring.exports(self)
        self.pictures = wiring.pictures(self)
        self.brand_preview = wiring.brand_preview(self)
        self.menu_bar = wiring.menu_bar(self)
        self.open_clips.recent_changed.connect(self.menu_bar.set_recent)
        self.menu_bar.set_recent(self.open_clips.record.existing_recent())
        self._set_editor_enabled(False)
        self.statusBar().showMessage(brand_kit_problem or "Drop a video to start.")
        restore_window_layout(self, self.splitter)

    @property
    def current(self) -> ClipSession | None:
        """The clip being edited."""
        return self.workspace.current

    @property
    def sessions(self) -> list[ClipSession]:
        """The clips open, in the list's order."""
        return self.open_clips.sessions

    # --- layout ---------------------------------------------------------------------------------

    def _build_editor(self) -> QWidget:
        self.clips = ClipColumn()
        self.clips.clip_list.currentRowChanged.connect(self._select_row)
        self.clips.open_requested.connect(self.choose_files)
        self.clips.remove_requested.connect(lambda row: self.remove_clip(self.sessions[row]))
        self.clips.move_requested.connect(self.open_clips.move)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.clips)
        self.splitter.addWidget(self._build_centre())
        self.splitter.addWidget(self._build_tabs())
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([250, 640, 460])  # the clip column shows a name and its length
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
        self.cut_skipper = CutSkipper(self.workspace, self.player, self)
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
        self.checks_panel.action_requested.connect(lambda _id: self.focus_imprint())
        self.captions_panel = CaptionsPanel()
        self.captions_panel.seek_requested.connect(self.seek)
        self.export_panel = ExportPanel()
        self.export_panel.brand_kit_requested.connect(self.open_brand_kit)
        # A setting, not the clip's: not a step of the undo history.
        self.export_panel.caption_look_changed.connect(self.set_caption_look)
        # The window's, like the clips' order: saved with the list of open clips.
        self.export_panel.join_changed.connect(lambda on: self.open_clips.set_join(on))
        self.export_panel.dialog_folder = lambda: self.open_clips.record.dialog_folder()
        self.export_panel.folder_used.connect(self.open_clips.use_folder)
        self.postcopy_panel = PostCopyPanel()
        self.edits = PanelEdits(self.workspace, self.checks_panel, self.export_panel,
                                self.postcopy_panel, self)  # fmt: skip
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Work panels")
        self.tabs.addTab(self.checks_panel, "1 Checks")
        self.tabs.addTab(self.captions_panel, "2 Captions")
        self.tabs.addTab(self.export_panel, "3 Export")
        self.tabs.addTab(self.postcopy_panel, "4 Post text")
        return self.tabs

    def report_error(self, message: str, details: str = "") -> None:
        """Every error dialog of the window; the last one is kept for whoever asks (tests)."""
        self.last_error = show_error(self, message, details)

    # --- opening clips --------------------------------------------------------------------------

    def choose_files(self) -> None:
        """The file dialog opens in the last folder used, else the user's Videos."""
        files = self.open_clips.choose(self)
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
        added, already = self.open_clips.open(paths)
        shown = added[0] if added else already
        if shown is not None:
            self.statusBar().clearMessage()
            self.stack.setCurrentIndex(1)
            self.clips.clip_list.setCurrentRow(self.sessions.index(shown))
        return added

    def restore_clips(self) -> list[ClipSession]:
        """The clips open when the app was last closed, in their order, the same one shown;
        each brings its own work back from its autosave."""
        paths, shown = self.open_clips.to_restore()
        added = self.add_clips(paths)
        if added:
            self.clips.clip_list.setCurrentRow(shown)
            self.statusBar().showMessage(
                f"Reopened {len(added)} clip{'s' if len(added) != 1 else ''} with your work.",
                PROBLEM_MESSAGE_MS,
            )
        return added

    def _opened(self, session: ClipSession) -> None:
        self.clips.add(session)
        self._watch(session)
        session.open(self.workspace.settings)
        self._refresh()  # the joined video's length and the join switch

    def _reordered(self) -> None:
        """The clips' order changed (a move, its undo or redo): the list shows it, the
        clip shown stays shown, the joined video's length and result follow."""
        self.clips.show_order(self.sessions, self.open_clips.current)
        self._refresh()

    def remove_clip(self, session: ClipSession) -> None:
        """Out of the list (its autosave stays, so opening it again brings the work back)."""
        showing = session is self.current
        row = self.open_clips.remove(session)
        self.clips.remove_row(row)  # selects a neighbour, which _select_row shows
        if showing and self.current is session:
            self._select_row(self.clips.clip_list.currentRow())
        if not self.sessions:
            self.stack.setCurrentIndex(0)
            self.statusBar().showMessage("Drop a video to start.")
        self._refresh()

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
        session.project_changed.connect(lambda: self._follow_history(session))

    def _follow_history(self, session: ClipSession) -> None:
        """Undo or redo changed another clip: show it, once the step has been applied."""
        if session is not self.current and session in self.sessions and not session.unusable:
            QTimer.singleShot(0, lambda: self.clips.clip_list.setCurrentRow(
                self.sessions.index(session) if session in self.sessions else -1))  # fmt: skip

    def _maybe_loaded(self, session: ClipSession) -> None:
        if not session.busy() and (session.media is not None or session.unusable):
            self.session_loaded.emit(session)

    def _session_failed(
        self, session: ClipSession, task: str, message: str, details: str, user_fault: bool
    ) -> None:
        if task == "probe" and session is self.current:
            self.workspace.current = None  # shown again as the clip it now is: unusable
            self._select_row(self.sessions.index(session))
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
        self.open_clips.shown(row)
        if session is self.current:
            return
        if self.current is not None:
            self.current.save_now()
        self.workspace.current = session
        self.exports.plan_changed(session)
        self.player.captions_source = session.captions.caption_at if session else None
        if session is None or session.unusable:
            self.player.unload()
            self.brand_preview.clear()
            self.timeline.clear()  # not the last clip's waveform under a broken one
            self.strip.set_data(0.0, (), ())
            self.captions_panel.set_model(None)
            self.captions_panel.set_words(None)
            self._set_editor_enabled(False)
            self.checks_panel.show_message(session.status if session else "")
            return
        self.captions_panel.set_model(session.captions)
        self.captions_panel.set_words(session.word_cuts)
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
        self.exports.plan_changed(session)
        self.timeline.set_segments(project.segments)
        branding = self.branding_for(session)
        self._show_length(session)
        self.export_panel.set_choices(
            project.preset, project.caption_mode, project.portrait,
            project.output_dir or self.workspace.settings.output_dir,
        )  # fmt: skip
        self.export_panel.set_branding(branding)
        self.export_panel.set_music(project.music)
        self.pictures.refresh()
        self.export_panel.set_caption_look(self.workspace.settings.caption_style.background)
        self.checks_panel.set_publish_findings(publish_findings(branding.imprint))
        self.checks_panel.set_fixes_on(project.fixes)
        self.postcopy_panel.show_post_copy(project.post_copy)
        self.brand_preview.show_output(session, branding)
        self.player.refresh_caption()
        self.player.refresh_brand()
        self.postcopy_panel.set_video_link(branding.link)
        # Last: filling the post's imprint in saves the project, which calls this again.
        self.postcopy_panel.suggest_imprint(branding.imprint)

    def _show_length(self, session: ClipSession) -> None:
        """The finished video's length: the clip's, or with several clips joined, theirs
        together with the first clip's end card (what the one-minute rule holds to)."""
        joined = self.open_clips.joined()
        lead = joined[0] if joined else session
        card = self.branding_for(lead).end_card_duration if lead.project else 0.0
        kept = sum(s.kept_duration() for s in joined) if joined else session.kept_duration()
        self.transport.show_length(kept, card, len(joined) or 1)
        self.export_panel.set_join(len(self.sessions), self.open_clips.join, lead.name,
                                   session is lead)  # fmt: skip

    # --- branding -------------------------------------------------------------------------------

    def branding_for(self, session: ClipSession) -> Branding:
        """The clip's own choices over the brand kit's defaults."""
        return self.workspace.branding_for(session)

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
        apply_theme(kit)  # the kit's accent is the window's too
        self._refresh()

    # --- playback -------------------------------------------------------------------------------

    def seek(self, seconds: float) -> None:
        """Jump the preview there (the end card gives way) and move every readout with it."""
        self.brand_preview.hide_end_card()
        self.player.seek(seconds)
        self.brand_preview.jumped_to(seconds)
        self._position_changed(seconds)

    def _position_changed(self, seconds: float) -> None:
        self.cut_skipper.follow(seconds)  # words cut: the preview plays on past them
        self.transport.show_position(seconds)
        self.timeline.set_playhead(seconds)
        self.captions_panel.set_current_time(seconds)
        self.brand_preview.follow_position(seconds)

    def _player_duration(self, seconds: float) -> None:
        if self.current is not None and self.current.media is None and seconds > 0:
            self.timeline.set_duration(seconds)

    def find_replace(self) -> None:
        self.tabs.setCurrentWidget(self.captions_panel)
        self.captions_panel.open_find_replace()

    # --- settings, logs, closing ----------------------------------------------------------------

    def set_caption_look(self, look: CaptionLook) -> None:
        """The caption style picked beside the preview: saved, and shown on the clip at once."""
        style = replace(self.workspace.settings.caption_style, background=look)
        self.workspace.use_settings(replace(self.workspace.settings, caption_style=style))
        self._refresh()

    def open_settings(self) -> None:
        """Modal, as before; new settings are saved and reach the clip shown at once."""
        dialog = SettingsDialog(self.workspace.settings, self.tasks, self)
        if dialog.exec():
            self.workspace.use_settings(dialog.settings())
            self._refresh()

    def _refresh(self) -> None:
        """The settings or the kit changed: the clip shown takes them at once."""
        if self.current is not None:
            self._project_changed(self.current)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        save_window_layout(self, self.splitter)
        self.open_clips.remember()
        for session in self.sessions:
            session.save_now()
        self.tasks.cancel_all()
        self.player.unload()
        self.tasks.wait(5000)
        super().closeEvent(event)
