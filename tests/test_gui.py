"""The desktop app under pytest-qt (offscreen): real drop events, checks, captions, undo, trim, export."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from gui_media import gui_speech_clip

pytest.importorskip("pytestqt")

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QUndoStack
from PySide6.QtWidgets import QApplication, QWidget

from clipstudio.core.speech.types import Caption

# Generous: two cores shared with other test runs; transcription and checks run at once.
LOAD_TIMEOUT_MS = 180_000
EXPORT_TIMEOUT_MS = 240_000


def needs(module: str, what: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{what} ({module}) has not landed yet")


def _drag_event(kind, centre, mime):
    """PySide6 6.12 takes a QPointF position, 6.11 and older a QPoint."""
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)  # fmt: skip
    try:
        return kind(QPointF(centre), *args)
    except TypeError:
        return kind(centre, *args)


def drop_files(target: QWidget, paths: list[Path]) -> None:
    """A real drag-enter + drop of file URLs, as the window manager would deliver it."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    centre = target.rect().center()
    enter = _drag_event(QDragEnterEvent, centre, mime)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted(), "the drop target refused the drag"
    drop = _drag_event(QDropEvent, centre, mime)
    QApplication.sendEvent(target, drop)
    assert drop.isAccepted()


def test_drop_check_edit_undo_trim_export(qtbot, window, media, tmp_path: Path) -> None:
    needs("clipstudio.core.analysis.report", "the footage checks")
    clip = gui_speech_clip(media)
    assert window.stack.currentWidget() is window.drop_zone
    drop_files(window.drop_zone, [clip])
    assert window.stack.currentIndex() == 1 and len(window.sessions) == 1
    session = window.sessions[0]
    # Probe, checks, speech, waveform and thumbnail start at once, each with a progress row.
    assert {"probe", "checks", "speech"} <= set(session.workers)
    assert len(window.clips.task_panel.rows) >= 3

    qtbot.waitUntil(
        lambda: session.report is not None and len(session.captions.captions) >= 2,
        timeout=LOAD_TIMEOUT_MS,
    )
    qtbot.waitUntil(lambda: not session.busy(), timeout=LOAD_TIMEOUT_MS)
    assert window.checks_panel.cards or session.report.findings == []
    assert window.strip.brightness and window.strip.loudness
    assert window.timeline.peaks and max(window.timeline.peaks) > 0.1  # the speech is there
    assert window.clips.clip_list.item(0).icon().isNull() is False
    assert "0:08" in window.clips.clip_list.item(0).text()

    # Edit a caption inline, undo it, redo it.
    model = session.captions
    original = model.captions[0]
    edited_words = "Vote for Maria Lopez today"
    assert model.setData(model.index(0, 2), edited_words)
    assert " ".join(model.captions[0].lines) == edited_words
    assert model.captions[0].start == original.start
    window.menu_bar.undo_action.trigger()
    assert model.captions[0] == original
    window.menu_bar.redo_action.trigger()
    assert " ".join(model.captions[0].lines) == edited_words

    # The current caption follows the play position; the overlay shows it.
    window.seek(original.start + 0.2)
    assert model.current_row == 0
    assert window.player.view.overlay.caption == model.captions[0]

    # In and out with the I and O keys at the play position.
    window.seek(0.3)
    qtbot.waitUntil(lambda: abs(window.player.position() - 0.3) < 0.05, timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_I)
    window.seek(7.6)
    qtbot.waitUntil(lambda: abs(window.player.position() - 7.6) < 0.05, timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_O)
    segments = session.project.segments
    assert len(segments) == 1
    assert segments[0].start == pytest.approx(0.3, abs=0.05)
    assert segments[0].end == pytest.approx(7.6, abs=0.05)
    assert "0:07.3" in window.transport.duration_label.text()

    # The project autosaves (debounced) with the edit and the trim.
    qtbot.waitUntil(lambda: session.project_file.exists(), timeout=5000)
    qtbot.waitUntil(
        lambda: edited_words in session.project_file.read_text(encoding="utf-8"), timeout=5000
    )
    saved = json.loads(session.project_file.read_text(encoding="utf-8"))
    assert saved["segments"][0][0] == pytest.approx(0.3, abs=0.05)

    # Export, captions burned and as a sidecar file.
    panel = window.export_panel
    panel.caption_mode.setCurrentIndex(panel.caption_mode.findData("both"))
    panel.folder.setText(str(tmp_path))
    panel.output_dir_changed.emit(str(tmp_path))
    with qtbot.waitSignal(window.export_finished, timeout=EXPORT_TIMEOUT_MS) as finished:
        qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
        # No brand kit and no imprint: the app asks first (tests/test_gui_branding.py covers it).
        assert window.exports.imprint_question is not None and not panel.progress.isVisible()
        window.exports.imprint_question.export_button.click()
        assert panel.progress.isVisible() and panel.cancel_button.isVisible()
    result = finished.args[0]
    assert result.output.exists() and result.output.parent == tmp_path
    assert result.validation.ok, result.validation.failures
    assert result.duration == pytest.approx(7.3, abs=0.2)
    assert result.width * 9 == result.height * 16  # the feed shape (small sources are not upscaled)
    srt = [Path(p) for p in result.sidecars if str(p).endswith(".srt")]
    assert srt and "Maria Lopez today" in srt[0].read_text(encoding="utf-8")
    assert panel.summary.text().startswith("Ready for Facebook: 0:07.")
    assert "captions burned in and saved as" in panel.summary.text()
    assert panel.show_folder.isVisible() and not panel.details.isVisible()
    # Every rule the real file was checked against has plain words behind Details.
    from clipstudio.core.export.summary import plain_words

    assert all(plain_words(rule.name) for rule in result.validation.rules), [
        rule.name for rule in result.validation.rules if not plain_words(rule.name)
    ]
    panel.details_button.click()
    assert panel.details.isVisible()
    assert panel.details.topLevelItemCount() == len(result.validation.rules)
    # Another choice: the result was about a video that is no longer what is on screen.
    panel.caption_mode.setCurrentIndex(panel.caption_mode.findData("burn"))
    assert not panel.has_result() and not panel.show_folder.isVisible()


def test_restores_autosaved_work(qtbot, media) -> None:
    from clipstudio.core.edit.plan import Segment
    from clipstudio.core.edit.project import new_project, project_file_for, save_project
    from clipstudio.gui.app import create_window

    clip = gui_speech_clip(media)
    edited = (Caption(0.5, 3.0, ("Restored caption",)),)
    project = new_project(clip).with_changes(
        captions=edited, segments=(Segment(1.0, 6.0),), preset="square"
    )
    save_project(project, project_file_for(clip))
    window = create_window()
    qtbot.addWidget(window)
    session = window.add_clips([str(clip)])[0]
    assert session.restored
    assert session.captions.captions == edited
    assert window.export_panel.preset() == "square"
    assert window.timeline.segments == (Segment(1.0, 6.0),)
    session.cancel_all()
    qtbot.waitUntil(lambda: not session.busy(), timeout=LOAD_TIMEOUT_MS)
    # The transcript arriving later never overwrites the user's restored captions.
    assert session.captions.captions == edited
    window.close()


def test_unsupported_file_gets_a_friendly_message(qtbot, window, tmp_path: Path) -> None:
    from clipstudio.gui.dialogs import ErrorDialog

    notes = tmp_path / "speech notes.txt"
    notes.write_text("Thank you all for coming tonight.\n")
    drop_files(window, [notes])
    session = window.sessions[0]
    qtbot.waitUntil(lambda: session.unusable, timeout=30_000)
    dialog = window.last_error
    assert isinstance(dialog, ErrorDialog)
    assert "speech notes.txt" in dialog.text() and "Traceback" not in dialog.text()
    assert "not a video" in dialog.text()
    assert "not a video" in window.clips.clip_list.item(0).text()
    qtbot.waitUntil(lambda: not session.busy(), timeout=30_000)
    dialog.close()


def test_length_readout_turns_red_over_a_minute(qtbot, window, media) -> None:
    long_clip = media.long_with_pauses()
    session = window.add_clips([str(long_clip)])[0]
    qtbot.waitUntil(lambda: session.media is not None, timeout=60_000)
    session.cancel_all()
    assert window.transport.duration_label.property("over_limit") is True
    assert "#c0392b" in window.transport.duration_label.text()
    window.trims.set_in(5.0)
    window.trims.set_out(50.0)
    assert window.transport.duration_label.property("over_limit") is False
    assert "0:45" in window.transport.duration_label.text()
    qtbot.waitUntil(lambda: not session.busy(), timeout=LOAD_TIMEOUT_MS)


@pytest.fixture
def caption_model():
    """A caption model on its own undo stack, emptied at teardown: the stack owns commands that
    hold the model, a cycle Python's GC cannot see, and left to the interpreter's last
    collection QUndoStack's destructor ran after Qt had gone (a segfault at exit, code 139)."""
    from clipstudio.gui.captions import CaptionTableModel

    stack = QUndoStack()
    model = CaptionTableModel(stack)
    model.set_captions(
        [
            Caption(1.0, 3.0, ("Please vote for Maria Lopes",)),
            Caption(3.5, 6.0, ("on Thursday, says Maria Lopes",)),
            Caption(7.0, 9.0, ("Thank you",)),
        ]
    )
    yield model, stack
    stack.clear()


def test_caption_edits_are_undoable(qtbot, caption_model) -> None:
    needs("clipstudio.core.speech.layout", "caption layout")
    model, stack = caption_model
    original = model.captions
    assert stack.count() == 0  # loading captions is not an edit

    assert model.replace_all("maria lopes", "Maria Lopez") == 2
    assert all("Lopes" not in c.text for c in model.captions)
    assert "Maria Lopez" in model.captions[1].text

    assert model.split(0, at=2.0)
    assert len(model.captions) == 4
    first, second = model.captions[0], model.captions[1]
    assert (first.start, first.end, second.start, second.end) == (1.0, 2.0, 2.0, 3.0)
    assert " ".join([first.text, second.text]) == "Please vote for Maria Lopez"

    assert model.merge_with_next(0)
    assert len(model.captions) == 3 and model.captions[0].text == "Please vote for Maria Lopez"

    # Three nudges are one undo step, and a caption never runs into its neighbour.
    for _ in range(3):
        model.nudge(2, 0.1)
    assert model.captions[2].start == pytest.approx(7.3)
    steps = stack.count()
    model.nudge(1, 5.0)
    assert model.captions[1].end == pytest.approx(model.captions[2].start)
    assert stack.count() == steps + 1

    # A time typed into the table is clamped between the neighbours.
    assert model.setData(model.index(1, 0), "0:02.5")
    assert model.captions[1].start == pytest.approx(3.0)  # previous caption ends at 3.0
    assert not model.setData(model.index(1, 1), "nonsense")

    # Text too long for two lines is re-flowed into more captions within the same time.
    long_text = " ".join(["campaign"] * 20)
    model.edit_text(2, long_text)
    assert len(model.captions) > 3
    rules = model.rules
    assert all(len(line) <= rules.max_chars_per_line for c in model.captions for line in c.lines)
    assert all(len(c.lines) <= rules.max_lines for c in model.captions)

    while stack.canUndo():
        stack.undo()
    assert model.captions == original
    while stack.canRedo():
        stack.redo()
    assert len(model.captions) > 3
    assert model.row_at(1.5) == 0 and model.row_at(100.0) == -1


def test_post_copy_panel_counts_and_copies(qtbot) -> None:
    from clipstudio.gui.postcopy_panel import PostCopyPanel

    panel = PostCopyPanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.changed):
        panel.headline.setText("Save our library from closure")
    assert "29 / 25" in panel.headline_counter.text()
    assert "#c0392b" in panel.headline_counter.text()
    panel.body.setPlainText("Sign the petition today.")
    assert "24 / 90" in panel.body_counter.text() and "#c0392b" not in panel.body_counter.text()
    panel.promoter.setText("Jo Bloggs")
    panel.behalf.setText("Ann Smith")
    panel.address.setText("1 High St, Town")
    assert "Promoted by Jo Bloggs on behalf of Ann Smith, both at 1 High St, Town" in (
        panel.imprint_preview.text()
    )
    assert "One clear call to action" in panel.tips_label.text()
    panel.set_video_link("northward.example.org")
    assert panel.copied.text() == ""
    qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
    text = QGuiApplication.clipboard().text()
    assert "\n\nnorthward.example.org\n\n" in text  # the video's link, with the post
    assert text.endswith("Promoted by Jo Bloggs on behalf of Ann Smith, both at 1 High St, Town")
    assert "Copied" in panel.copied.text()  # the volunteer is told it worked


def test_settings_round_trip(qtbot) -> None:
    from clipstudio.core.speech.types import CaptionStyle
    from clipstudio.gui.settings import AppSettings, load_settings, save_settings

    wanted = AppSettings(
        engine="openai-whisper",
        model="base",
        caption_style=CaptionStyle(size_scale=1.3, background="outline", position="top"),
        output_dir="/tmp/clipstudio-out",
    )
    save_settings(wanted)
    assert load_settings() == wanted
    save_settings(AppSettings(output_dir=wanted.output_dir))


def test_caption_overlay_matches_the_burned_style(qtbot) -> None:
    """The preview draws captions in the bundled font at the ASS size, above the safe band."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QFontMetricsF, QImage, QPainter

    from clipstudio.core.export.layout import caption_box, shape_layout
    from clipstudio.core.export.presets import PRESETS
    from clipstudio.core.speech.types import CaptionStyle
    from clipstudio.gui.player import CaptionOverlay, caption_font, caption_font_family

    assert caption_font_family() == "DejaVu Sans"
    preset, style = PRESETS["reels"], CaptionStyle()
    box = caption_box(preset, preset.width, preset.height, style)
    size = box.font_size
    assert QFontMetricsF(caption_font(size)).height() == pytest.approx(size, rel=0.03)
    # Draw at output resolution; the lowest text pixel must sit just above the unsafe band.
    overlay = CaptionOverlay()
    overlay.set_geometry(QRectF(0, 0, preset.width, preset.height), preset, style)
    overlay.set_caption(Caption(0, 1, ("Vote on Thursday",)))
    image = QImage(preset.width, preset.height, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    overlay.paint(painter, None)
    painter.end()
    rows = [y for y in range(preset.height) if image.pixelColor(preset.width // 2, y).alpha()]
    assert rows, "nothing drawn"
    margin = box.margin_v
    box_bottom = preset.height - rows[-1]
    # The box's lower edge is within a few pixels of where libass puts it (margin minus padding).
    expected = margin - box.padding
    assert box_bottom > preset.height * shape_layout(preset.name).bottom
    assert box_bottom == pytest.approx(expected, abs=size * 0.35)
