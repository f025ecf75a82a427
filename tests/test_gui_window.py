"""The window as a volunteer's tool (offscreen): one undo history over every edit, shortcuts that
are unique and work from text fields, the clip list back after a restart, the help pages, the
first-run welcome, and a broken clip that can be taken out of the list."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_media import gui_speech_clip

pytest.importorskip("pytestqt")

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QAbstractButton, QApplication

from clipstudio.core.vocabulary import Fix, Shape

LOAD_TIMEOUT_MS = 180_000


def _opened(qtbot, window, path: Path):
    session = window.add_clips([str(path)])[0]
    qtbot.waitUntil(lambda: session.media is not None, timeout=LOAD_TIMEOUT_MS)
    return session


def _drag(widget, start: float, end: float, steps: int = 5) -> None:
    """A mouse drag across the timeline from x=start to x=end, a few moves on the way."""

    def send(kind: QEvent.Type, x: float, buttons: Qt.MouseButton) -> None:
        point = QPointF(x, widget.height() / 2)
        event = QMouseEvent(kind, point, widget.mapToGlobal(point), Qt.MouseButton.LeftButton,
                            buttons, Qt.KeyboardModifier.NoModifier)  # fmt: skip
        QApplication.sendEvent(widget, event)

    send(QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
    for n in range(1, steps + 1):
        send(QEvent.Type.MouseMove, start + (end - start) * n / steps, Qt.MouseButton.LeftButton)
    send(QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def test_one_history_undoes_trims_fixes_and_choices_across_clips(qtbot, window, media) -> None:
    first = _opened(qtbot, window, gui_speech_clip(media))
    second = _opened(qtbot, window, media.p720())
    for session in (first, second):
        session.cancel_all()  # speech and checks are not needed here
    window.clips.clip_list.setCurrentRow(0)
    assert window.current is first
    undo, redo = window.menu_bar.undo_action, window.menu_bar.redo_action

    # The clip's autosave (other tests opened it) may bring work back: start from it.
    fixes_before, segments_before = first.project.fixes, first.project.segments
    window.edits.fix_toggled(Fix.BRIGHTEN, Fix.BRIGHTEN not in fixes_before)
    window.trims.set_in(1.25)
    window.trims.set_out(5.75)
    assert [(s.start, s.end) for s in first.project.segments] == [(1.25, 5.75)]
    assert undo.text().replace("&", "") == "Undo Trim"
    # Ctrl+Z after a trim restores the trim (it used to undo an older caption edit instead).
    undo.trigger()
    assert first.project.segments[0].start == 1.25 and first.project.segments[-1].end != 5.75
    assert window.timeline.in_out()[1] == pytest.approx(first.project.segments[-1].end)
    undo.trigger()
    assert first.project.segments == segments_before
    assert first.project.fixes != fixes_before  # only the trim's field was restored
    undo.trigger()
    assert first.project.fixes == fixes_before
    redo.trigger()
    assert first.project.fixes != fixes_before

    # One drag of a handle is one step, however many moves it reports.
    steps = window.history.index()
    from clipstudio.gui.timeline import _time_to_x

    timeline = window.timeline
    out_before = timeline.in_out()[1]
    x_out = _time_to_x(out_before, timeline.duration, timeline._area())
    _drag(timeline, x_out, x_out - 100)
    assert window.history.index() == steps + 1
    assert first.project.segments[-1].end < out_before - 0.5

    # A shape chosen on clip 2, then Ctrl+Z on clip 1: clip 2 comes back on screen, undone.
    window.clips.clip_list.setCurrentRow(1)
    shape_before = second.project.preset
    other = Shape.SQUARE if shape_before is not Shape.SQUARE else Shape.REELS
    window.export_panel.preset_changed.emit(other)
    assert second.project.preset is other
    window.clips.clip_list.setCurrentRow(0)
    undo.trigger()
    qtbot.waitUntil(lambda: window.current is second, timeout=2000)
    assert second.project.preset is shape_before
    assert window.export_panel.preset() is shape_before

    # Typing in one field is one step; the field shows the undone text.
    window.clips.clip_list.setCurrentRow(0)
    steps = window.history.index()
    typed_before = window.export_panel.call_to_action.text()
    for text in ("V", "Vo", "Vote"):
        window.export_panel.call_to_action.setText(typed_before + text)
    assert window.history.index() == steps + 1
    undo.trigger()
    assert window.export_panel.call_to_action.text() == typed_before
    for session in (first, second):
        qtbot.waitUntil(lambda s=session: not s.busy(), timeout=LOAD_TIMEOUT_MS)


def _shortcut_owners(window) -> dict[str, list[str]]:
    owners: dict[str, list[str]] = {}
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            owners.setdefault(sequence.toString(), []).append(action.text())
    for button in window.findChildren(QAbstractButton):
        if not button.shortcut().isEmpty():
            owners.setdefault(button.shortcut().toString(), []).append(button.text())
    return owners


def test_every_shortcut_is_unique_and_command_keys_work_from_text_fields(qtbot, window) -> None:
    owners = _shortcut_owners(window)
    assert owners, "no shortcuts found"
    clashes = {keys: names for keys, names in owners.items() if len(names) > 1}
    assert not clashes, clashes
    for keys in ("Ctrl+O", "Ctrl+E", "Ctrl+Z", "Ctrl+H", "F1", "Space", "I", "O"):
        assert keys in owners, keys

    # A line edit takes Ctrl+Z for itself (on X11 Ctrl+E too): the window's filter hands the
    # command keys back to the window while a field of it has the focus; plain keys are typing.
    field = window.export_panel.speaker
    window.tabs.setCurrentWidget(window.export_panel)
    filters = window.field_shortcuts
    filters._focus_changed(None, field)

    def overridden(key: Qt.Key, modifiers: Qt.KeyboardModifier) -> bool:
        event = QKeyEvent(QEvent.Type.ShortcutOverride, key, modifiers)
        event.ignore()
        QApplication.sendEvent(field, event)
        return event.isAccepted()

    assert not overridden(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not overridden(Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert filters.action_for(QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_E,
                                        Qt.KeyboardModifier.ControlModifier)) is (
        window.menu_bar.export_action
    )  # fmt: skip
    assert (
        filters.action_for(
            QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_I, Qt.KeyboardModifier.NoModifier)
        )
        is None
    )  # "I" in a field is a letter, not "start the clip here"
    filters._focus_changed(field, None)
    assert overridden(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the field's again

    # Help › Keyboard shortcuts lists them.
    window.menu_bar.shortcuts_requested.emit()
    page = window.help.page
    text = page.text.toPlainText()
    assert "Make the video" in text and QKeySequence("Ctrl+E").toString() in text
    page.close()


def test_restart_brings_back_the_clip_list_and_the_work(qtbot, media) -> None:
    from clipstudio.gui.app import create_window

    clips = [gui_speech_clip(media), media.p720()]
    before = create_window()
    qtbot.addWidget(before)
    sessions = before.add_clips([str(c) for c in clips])
    for session in sessions:
        qtbot.waitUntil(lambda s=session: s.media is not None, timeout=LOAD_TIMEOUT_MS)
        session.cancel_all()
    before.clips.clip_list.setCurrentRow(1)
    before.trims.set_in(1.5)
    before.close()
    before.history.clear()

    after = create_window(restore=True)
    qtbot.addWidget(after)
    assert [s.path for s in after.sessions] == [str(c.resolve()) for c in clips]
    assert after.current is after.sessions[1] and after.stack.currentIndex() == 1
    assert after.current.restored  # the trim came back with the clip's autosave
    assert after.current.project.segments[0].start == pytest.approx(1.5)
    recent = [a.toolTip() for a in after.menu_bar.recent_menu.actions()]
    assert str(clips[0].resolve()) in recent and str(clips[1].resolve()) in recent
    for session in after.sessions:
        qtbot.waitUntil(lambda s=session: not s.busy(), timeout=LOAD_TIMEOUT_MS)
    after.close()


def test_help_pages_and_the_first_run_welcome(qtbot, window) -> None:
    from clipstudio import __version__
    from clipstudio.core.analysis.guide import GUIDE_RULES
    from clipstudio.gui.settings import qsettings
    from clipstudio.gui.welcome import KIT_OFFERED_KEY, SEEN_KEY, WelcomeDialog

    window.menu_bar.guide_requested.emit()
    guide = window.help.page.text.toPlainText()
    assert all(rule.title in guide for rule in GUIDE_RULES)
    assert "Too dark" in guide and "Filmed upright" in guide
    window.help.page.close()
    window.menu_bar.about_requested.emit()
    about = window.help.page.text.toPlainText()
    assert __version__ in about and "GPL-3.0-or-later" in about and "faster-whisper" in about
    window.help.page.close()

    store = qsettings()
    store.remove(SEEN_KEY)
    store.remove(KIT_OFFERED_KEY)
    welcome = window.help.first_start()
    assert isinstance(welcome, WelcomeDialog) and welcome.isVisible()
    assert welcome.kit_button is not None  # no kit yet: offered, once
    with qtbot.waitSignal(window.help.brand_kit_wanted):
        welcome.kit_button.click()
    assert window.brand_dialog is not None and window.brand_dialog.isVisible()
    window.brand_dialog.reject()
    assert window.help.first_start() is None  # the welcome is for the first start only


def test_a_broken_clip_gives_one_dialog_and_can_be_taken_out(
    qtbot, window, media, tmp_path
) -> None:
    from clipstudio.gui.dialogs import ErrorDialog

    good = _opened(qtbot, window, gui_speech_clip(media))
    good.cancel_all()
    qtbot.waitUntil(lambda: bool(window.timeline.peaks) or not good.busy(), timeout=60_000)
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x17" * 4000)
    session = window.add_clips([str(broken)])[0]
    qtbot.waitUntil(lambda: session.unusable and not session.busy(), timeout=60_000)
    shown = [d for d in window.findChildren(ErrorDialog) if d.isVisible()]
    assert len(shown) == 1, [d.text() for d in shown]
    shown[0].close()
    # The broken clip on screen shows nothing of the clip before it.
    assert window.current is session
    assert window.timeline.peaks == () and window.timeline.duration == 0
    # Delete on the list takes it out; the good clip is shown again.
    window.clips.clip_list.setFocus()
    window.clips.remove_action.trigger()
    assert window.sessions == [good] and window.current is good
    assert window.clips.clip_list.count() == 1
    menu = window.clips._context_menu(window.clips.clip_list.visualItemRect(
        window.clips.clip_list.item(0)).center())  # fmt: skip
    assert menu is not None and window.clips.remove_action in menu.actions()
    menu.close()


def test_six_clips_leave_the_list_usable(qtbot, window, media) -> None:
    """Six clips start thirty tasks: their progress rows scroll, and the list keeps its rows
    (they squeezed it to one row)."""
    clips = [gui_speech_clip(media), media.p720(), media.landscape_1080p(), media.mono(),
             media.portrait_1080x1920(), media.no_audio()]  # fmt: skip
    window.resize(1366, 700)
    sessions = window.add_clips([str(c) for c in clips])
    QApplication.processEvents()
    assert len(window.clips.task_panel.rows) >= 12
    row_height = window.clips.clip_list.sizeHintForRow(0)
    assert window.clips.clip_list.height() >= 3 * row_height
    assert window.clips.task_panel.height() <= 4 * 60
    for session in sessions:
        session.cancel_all()
    for session in sessions:
        qtbot.waitUntil(lambda s=session: not s.busy(), timeout=LOAD_TIMEOUT_MS)
