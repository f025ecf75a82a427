"""Several clips, one video, in the window: the clip list put in order (drag, Alt+Up/Down,
undo), the joined plan, music, pictures over the speech, restart, and a real joined export."""

from __future__ import annotations

from pathlib import Path

import pytest
from media_sync import flashing

pytest.importorskip("pytestqt")

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from clipstudio.core.edit.plan import Segment
from clipstudio.core.edit.project import ClipTakes, joined_plan, new_project
from clipstudio.core.speech.types import Caption, CaptionStyle

LOAD_TIMEOUT_MS = 180_000
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture
def user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own autosaves and record of open clips: another test's would reopen here."""
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_STATE_HOME", "state")):  # fmt: skip
        monkeypatch.setenv(var, str(tmp_path / sub))
    return tmp_path


def _window(qtbot, restore: bool = False):
    from clipstudio.gui.app import create_window

    window = create_window(restore=restore)
    qtbot.addWidget(window)
    window.show()
    return window


def _close(window) -> None:
    window.close()
    window.history.clear()


def _clips(media) -> list[Path]:
    """Three small clips that tell themselves apart by size and length."""
    return [flashing(media, "320x180", 30, 0.0, 3.0), flashing(media, "320x240", 30, 0.5, 2.0),
            flashing(media, "320x180", 30, 0.2, 4.0)]  # fmt: skip


def _open_all(qtbot, window, paths: list[Path]) -> list:
    """Open `paths`; wait for their pictures and stop the slow looks (checks, speech)."""
    sessions = window.add_clips([str(p) for p in paths])
    for session in sessions:
        qtbot.waitUntil(lambda s=session: s.media is not None, timeout=60_000)
        session.cancel_all()
    for session in sessions:
        qtbot.waitUntil(lambda s=session: not s.busy(), timeout=LOAD_TIMEOUT_MS)
    return sessions


def _names(window) -> list[str]:
    rows = [window.clips.clip_list.item(r).text().split(" ·")[0].split("\n")[0]
            for r in range(window.clips.clip_list.count())]  # fmt: skip
    assert rows == [s.name for s in window.sessions]  # the list shows the window's order
    return rows


def _drag_row(clip_list, row: int, to_gap_y: int) -> None:
    """A drag of `row`'s item (Qt's own drag data) dropped at height `to_gap_y`."""
    mime = clip_list.mimeData([clip_list.item(row)])
    point = QPointF(clip_list.viewport().width() / 2, to_gap_y)
    args = (Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)  # fmt: skip
    for kind in (QDragEnterEvent, QDragMoveEvent, QDropEvent):
        event = kind(point.toPoint() if kind is not QDropEvent else point, *args)
        QApplication.sendEvent(clip_list.viewport(), event)
        assert event.isAccepted(), kind.__name__


def test_clip_order_by_drag_keys_and_buttons_undoes_and_comes_back_after_restart(
    qtbot, media, user_dirs: Path
) -> None:
    paths = _clips(media)
    window = _window(qtbot)
    _open_all(qtbot, window, paths)
    a, b, c = (p.name for p in paths)
    assert _names(window) == [a, b, c]
    clip_list = window.clips.clip_list
    assert window.clips.up_button.isVisible() and window.export_panel.join.isChecked()

    # Drag the first clip to below the last.
    last = clip_list.visualItemRect(clip_list.item(2))
    _drag_row(clip_list, 0, last.bottom() - 2)
    assert _names(window) == [b, c, a]
    assert window.history.undoText() == f"Move {a} later"

    # Alt+Up on the list moves the chosen clip earlier; the clip shown stays shown.
    clip_list.setCurrentRow(2)
    shown = window.current
    assert shown.name == a
    clip_list.setFocus()
    qtbot.keyClick(clip_list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert _names(window) == [b, a, c] and window.current is shown
    assert clip_list.currentRow() == 1
    # The arrow button does the same.
    window.clips.up_button.click()
    assert _names(window) == [a, b, c] and window.current is shown

    # Each move is one step of the one undo history.
    window.menu_bar.undo_action.trigger()
    assert _names(window) == [b, a, c]
    window.menu_bar.undo_action.trigger()
    assert _names(window) == [b, c, a]
    window.menu_bar.redo_action.trigger()
    assert _names(window) == [b, a, c]

    # The joined video is the list's order, its length theirs together.
    assert [s.name for s in window.open_clips.joined()] == [b, a, c]
    assert "3 clips joined" in window.transport.duration_label.text()
    assert "Length 0:09.0" in window.transport.duration_label.text()
    clip_list.setCurrentRow(0)
    ARTIFACTS.mkdir(exist_ok=True)
    window.clips.grab().save(str(ARTIFACTS / "sequence-clip-list.png"))
    window.export_panel.grab().save(str(ARTIFACTS / "sequence-export-join.png"))
    _close(window)

    # A restart brings the order back (core edit/recent.py records it), joined still on.
    again = _window(qtbot, restore=True)
    qtbot.waitUntil(lambda: len(again.sessions) == 3, timeout=30_000)
    assert [s.name for s in again.sessions] == [b, a, c] and _names(again) == [b, a, c]
    assert again.open_clips.join
    for session in again.sessions:
        qtbot.waitUntil(lambda s=session: s.media is not None, timeout=60_000)
        session.cancel_all()
    # Joining off: the clip shown is a video of its own.
    again.export_panel.join.click()
    assert again.open_clips.joined() == [] and "clips joined" not in (
        again.transport.duration_label.text())  # fmt: skip
    for session in again.sessions:
        qtbot.waitUntil(lambda s=session: not s.busy(), timeout=LOAD_TIMEOUT_MS)
    _close(again)


def test_joined_plan_is_each_clips_kept_parts_in_order(tmp_path: Path) -> None:
    """Core's joined plan: takes in list order, each clip's own kept parts and captions; what a
    video has once (shape, fixes, branding) from the first clip."""
    from clipstudio.core.vocabulary import Fix, Shape

    files = []
    for name in ("one.mp4", "two.mp4"):
        files.append(tmp_path / name)
        files[-1].write_bytes(b"x")
    one = new_project(files[0]).with_changes(
        segments=(Segment(1.0, 2.5), Segment(4.0, 6.0)), preset=Shape.SQUARE,
        fixes=frozenset({Fix.BRIGHTEN}))  # fmt: skip
    two = new_project(files[1]).with_changes(preset=Shape.REELS)
    said = (Caption(0.2, 1.0, ("hello",)),)
    plan = joined_plan([ClipTakes(one, 8.0, None), ClipTakes(two, 3.0, said)], kit=None,
                       caption_style=CaptionStyle())  # fmt: skip
    assert [(t.source, t.start, t.end) for t in plan.takes] == [
        (one.source, 1.0, 2.5), (one.source, 4.0, 6.0), (two.source, 0.0, 3.0)]  # fmt: skip
    assert [t.captions for t in plan.takes] == [None, None, said]
    assert plan.preset is Shape.SQUARE and Fix.BRIGHTEN in plan.fixes
    assert plan.kept_duration == pytest.approx(6.5)


def test_music_pick_level_and_removal_are_undoable_and_reach_the_plan(
    qtbot, media, user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from media_music import music_file
    from PySide6.QtWidgets import QFileDialog

    from clipstudio.core.edit.plan import DEFAULT_MUSIC_LEVEL_DB, MUSIC_LEVEL_STEPS

    music = music_file(media)
    window = _window(qtbot)
    (session,) = _open_all(qtbot, window, _clips(media)[:1])
    panel = window.export_panel
    asked: list[str] = []

    def pick(parent, title, folder, filters):
        asked.append(folder)
        return str(music), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick)
    assert panel.music_name.text() == "No music" and not panel.music_level.isEnabled()
    panel.music_button.click()
    assert session.project.music is not None
    assert session.project.music.source == str(music.resolve())
    assert session.project.music.level_db == DEFAULT_MUSIC_LEVEL_DB
    assert panel.music_name.text() == f"Music: {music.name}" and panel.music_level.isEnabled()
    assert window.history.undoText() == "Add music"
    # The next dialog opens where this one was left.
    panel.music_button.click()
    assert asked[-1] == str(music.parent)

    # A plain step of level, mapped onto Music.level_db; it reaches the plan.
    quiet = [words for words, _ in MUSIC_LEVEL_STEPS].index("Quiet")
    panel.music_level.setCurrentIndex(quiet)
    assert session.project.music.level_db == MUSIC_LEVEL_STEPS[quiet][1]
    plan = session.plan(window.workspace.settings, None)
    assert plan.music is not None and plan.music.source == str(music.resolve())
    assert plan.music.level_db == MUSIC_LEVEL_STEPS[quiet][1]
    window.menu_bar.undo_action.trigger()
    assert session.project.music.level_db == DEFAULT_MUSIC_LEVEL_DB
    assert panel.music_level.currentText() == "Normal"
    window.menu_bar.redo_action.trigger()

    # Removed, and back with Ctrl+Z.
    panel.remove_music.click()
    assert session.project.music is None and panel.music_name.text() == "No music"
    assert session.plan(window.workspace.settings, None).music is None
    window.menu_bar.undo_action.trigger()
    assert session.project.music.level_db == MUSIC_LEVEL_STEPS[quiet][1]

    # Autosaved with the project (format 3) and read back after a restart.
    session.save_now()
    _close(window)
    again = _window(qtbot)
    (restored,) = _open_all(qtbot, again, _clips(media)[:1])
    assert restored.restored and restored.project.music == session.project.music
    assert again.export_panel.music_name.text() == f"Music: {music.name}"
    assert again.export_panel.music_level.currentText() == "Quiet"
    _close(again)


def test_music_and_pictures_round_trip_and_older_autosaves_still_load(tmp_path: Path) -> None:
    from clipstudio.core.edit.plan import Music
    from clipstudio.core.edit.project import (
        PROJECT_FORMAT_VERSION,
        PictureOver,
        project_from_dict,
        project_to_dict,
    )

    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"x")
    project = new_project(clip).with_changes(
        music=Music(str(tmp_path / "song.mp3"), -24.0),
        pictures=(PictureOver(str(tmp_path / "library.jpg"), 1.5, 3.25),),
    )
    saved = project_to_dict(project)
    assert saved["version"] == PROJECT_FORMAT_VERSION == 3
    assert project_from_dict(saved) == project
    # Version 2 had neither: it loads with no music and no pictures, the rest as it was.
    older = {k: v for k, v in saved.items() if k not in ("music", "pictures")} | {"version": 2}
    assert project_from_dict(older) == project.with_changes(music=None, pictures=())
    # A level out of the window's range (a hand-edited file) is brought inside it.
    loud = saved | {"music": {"source": "song.mp3", "level_db": 12.0}}
    assert project_from_dict(loud).music == Music("song.mp3", 0.0)
