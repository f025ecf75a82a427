"""How the window's controllers are joined to its panels, menus and status bar: built once
by MainWindow, which keeps only the layout and what the clip shown changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clipstudio.gui.brand_preview_controller import BrandPreviewController
from clipstudio.gui.export_controller import ExportController
from clipstudio.gui.menu_bar import FieldShortcuts, MenuBar
from clipstudio.gui.pictures import PicturesController

if TYPE_CHECKING:
    from clipstudio.gui.main_window import MainWindow


def exports(window: MainWindow) -> ExportController:
    """One export from the button to the result; its messages reach the window's."""
    exports = ExportController(window.workspace, window.export_panel, window,
                               joined=window.open_clips.joined)  # fmt: skip
    exports.started.connect(lambda: window.tabs.setCurrentWidget(window.export_panel))
    exports.imprint_wanted.connect(window.focus_imprint)
    exports.error.connect(window.report_error)
    exports.status.connect(window.statusBar().showMessage)
    exports.export_finished.connect(window.export_finished)
    return exports


def pictures(window: MainWindow) -> PicturesController:
    """Photos over the speech, asked for from the caption editor, listed in the export panel."""
    pictures = PicturesController(
        window.workspace, window.captions_panel, window.export_panel, window.exports.clips,
        lambda: window.open_clips.record.dialog_folder(), window,
    )  # fmt: skip
    pictures.error.connect(window.report_error)
    pictures.folder_used.connect(window.open_clips.use_folder)
    return pictures


def brand_preview(window: MainWindow) -> BrandPreviewController:
    """The preview's logo, lower third and end card, as the export will draw them."""
    preview = BrandPreviewController(
        window.workspace,
        window.player,
        window.tasks,
        lambda: window.timeline.in_out()[1],
        window,
        joined=window.open_clips.joined,
    )
    preview.branding_problem.connect(window.export_panel.show_branding_problem)
    preview.status.connect(window.statusBar().showMessage)
    window.export_panel.end_card_preview_requested.connect(preview.preview_end_card)
    return preview


def menu_bar(window: MainWindow) -> MenuBar:
    """The menus, and their shortcuts working while the menus are closed and from text fields."""
    bar = MenuBar(window.history, window)
    for signal, slot in (
        (bar.open_requested, window.choose_files),
        (bar.recent_requested, lambda path: window.add_clips([path])),
        (bar.export_requested, lambda: window.exports.start_export()),
        (bar.brand_kit_requested, window.open_brand_kit),
        (bar.settings_requested, window.open_settings),
        (bar.quit_requested, window.close),
        (bar.find_replace_requested, window.find_replace),
        (bar.play_pause_requested, window.player.toggle_play),
        (bar.back_requested, window.player.shuttle_back),
        (bar.pause_requested, window.player.pause),
        (bar.forward_requested, window.player.shuttle_forward),
        (bar.set_in_requested, lambda: window.trims.set_in()),
        (bar.set_out_requested, lambda: window.trims.set_out()),
    ):
        signal.connect(slot)
    bar.step_requested.connect(window.player.step)
    window.help.serve(bar)  # the Help menu's items
    window.setMenuBar(bar)
    window.addActions(bar.shortcut_actions)  # shortcuts work while the menus are closed
    window.field_shortcuts = FieldShortcuts(window, bar.shortcut_actions)
    return bar
