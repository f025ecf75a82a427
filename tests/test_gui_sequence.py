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
        try:
            qtbot.waitUntil(lambda s=session: not s.busy(), timeout=LOAD_TIMEOUT_MS)
        except Exception as exc:  # which work held the clip up (seen on a loaded machine)
            raise AssertionError(f"still busy: {session.name} {list(session.workers)}") from exc
    return sessions


def _names(window) -> list[str]:
    texts = [window.clips.clip_list.item(r).text() for r in range(window.clips.clip_list.count())]
    rows = [text.split("\n")[0] for text in texts]
    # The list shows the window's order, each row numbered by its place in the joined video.
    assert rows == [f"{n}. {s.name}" for n, s in enumerate(window.sessions, 1)]
    return [row.split(". ", 1)[1] for row in rows]


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


def _photo(path: Path) -> Path:
    """A plain magenta photo: easy to find in the exported frames (nothing else is magenta)."""
    from PIL import Image

    Image.new("RGB", (480, 270), (230, 20, 200)).save(path)
    return path


def _two_trimmed_clips_with_captions(qtbot, window, media):
    """Clips A (3 s, kept 0.2-2.7) and B (2 s, kept 0.5-1.0 and 1.4-2.0), each with captions
    of its own in source time."""
    from clipstudio.gui.history import TrimEdit

    a, b = _open_all(qtbot, window, _clips(media)[:2])
    a.edit(TrimEdit, "Trim", segments=(Segment(0.2, 2.7),))
    b.edit(TrimEdit, "Trim", segments=(Segment(0.5, 1.0), Segment(1.4, 2.0)))
    a.captions.set_captions((Caption(0.3, 1.5, ("Vote on Thursday",)),
                             Caption(1.6, 2.6, ("for the library",))))  # fmt: skip
    b.captions.set_captions((Caption(0.6, 0.9, ("It is ours",)),
                             Caption(1.2, 1.8, ("keep it open",))))  # fmt: skip
    return a, b


def _output_time(segments_before: float, kept: tuple[Segment, ...], t: float) -> float:
    """Where source moment `t` of a clip plays: after `segments_before` seconds of the clips
    before it, through its own kept parts (worked out here, not by the app)."""
    offset = segments_before
    for part in kept:
        if part.start <= t <= part.end:
            return offset + t - part.start
        offset += part.duration
    raise AssertionError(f"{t} is cut")


def test_show_a_picture_here_covers_the_chosen_captions_in_output_time(
    qtbot, media, user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QItemSelectionModel
    from PySide6.QtWidgets import QFileDialog

    photo = _photo(user_dirs / "library.png")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(photo), ""))
    window = _window(qtbot)
    a, b = _two_trimmed_clips_with_captions(qtbot, window, media)
    window.clips.clip_list.setCurrentRow(1)
    assert window.current is b
    panel = window.captions_panel
    table = panel.table
    # Both of B's captions chosen (Ctrl+click); the second starts in a cut part.
    table.selectRow(0)
    table.selectionModel().select(
        b.captions.index(1, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert panel.picture_button.isEnabled()
    panel.picture_button.click()
    assert window.last_error is None
    captions = b.captions.captions
    kept_a = a.project.segments[0].duration
    start = _output_time(kept_a, b.project.segments, captions[0].start)
    # The last caption ends inside a kept part here (1.8 of 1.4-2.0).
    end = _output_time(kept_a, b.project.segments, captions[1].end)
    assert (start, end) == pytest.approx((2.6, 3.4))
    plan = a.plan(window.workspace.settings, None, [b])
    assert [(c.source, c.start, c.end) for c in plan.cutaways] == [
        (str(photo.resolve()), pytest.approx(start), pytest.approx(end))]  # fmt: skip
    assert window.history.undoText() == "Show a picture here"
    rows = window.export_panel.pictures
    assert rows.topLevelItemCount() == 1
    # What a volunteer sees on a 1366x768 laptop: the list of clips and the export panel.
    window.resize(1366, 768)
    window.tabs.setCurrentWidget(window.export_panel)
    QApplication.processEvents()  # laid out before it is scrolled to
    window.export_panel.choices.ensureWidgetVisible(rows)
    QApplication.processEvents()
    ARTIFACTS.mkdir(exist_ok=True)
    window.grab().save(str(ARTIFACTS / "sequence-window-pictures.png"))
    window.tabs.setCurrentWidget(panel)
    QApplication.processEvents()
    window.grab().save(str(ARTIFACTS / "sequence-window-captions.png"))
    assert (
        rows.topLevelItem(0).text(0) == "library.png  0:02.6–0:03.4 over “It is ours keep it open”"
    )

    # Another picture over the second caption would lie over the first: refused in plain
    # words before any export, nothing added.
    table.clearSelection()
    table.selectRow(1)
    panel.picture_button.click()
    assert window.last_error is not None and "overlap" in window.last_error.text()
    window.last_error.close()
    window.last_error = None
    assert len(b.project.pictures) == 1

    # It stays over the same words when the order changes: B first, it starts 0.1 s in.
    window.open_clips.move(1, 0)
    assert [c.start for c in a.plan(window.workspace.settings, None, []).cutaways] == []
    plan = b.plan(window.workspace.settings, None, [a])
    assert [(c.start, c.end) for c in plan.cutaways] == [pytest.approx((0.1, 0.9))]
    assert rows.topLevelItem(0).text(0).startswith("library.png  0:00.1–0:00.9 over")
    window.menu_bar.undo_action.trigger()  # the move

    # Undo takes it away, redo brings it back; the list's Remove takes it away too.
    window.menu_bar.undo_action.trigger()
    assert b.project.pictures == () and rows.topLevelItemCount() == 0
    window.menu_bar.redo_action.trigger()
    assert len(b.project.pictures) == 1
    window.export_panel.pictures.topLevelItem(0).setSelected(True)
    window.export_panel.remove_picture.click()
    assert b.project.pictures == ()
    window.menu_bar.undo_action.trigger()
    assert len(b.project.pictures) == 1

    # Trimmed so the picture's words run past the end: the list says so before the export
    # and the export refuses in the same words.
    from clipstudio.gui.history import TrimEdit

    b.edit(TrimEdit, "Trim", segments=(Segment(0.5, 1.0), Segment(1.4, 1.6)))
    assert rows.topLevelItem(0).text(0).startswith("library.png  0:02.6–0:03.2 over")
    assert not window.export_panel.picture_problem.isVisible()
    window.menu_bar.undo_action.trigger()

    # Restart: the order, the pictures and where they play come back.
    for session in window.sessions:
        session.save_now()
    _close(window)
    again = _window(qtbot, restore=True)
    qtbot.waitUntil(lambda: len(again.sessions) == 2, timeout=30_000)
    for session in again.sessions:
        qtbot.waitUntil(lambda s=session: s.media is not None, timeout=60_000)
        session.cancel_all()
    assert again.sessions[1].project.pictures == b.project.pictures
    again.clips.clip_list.setCurrentRow(1)
    assert (
        again.export_panel.pictures.topLevelItem(0)
        .text(0)
        .startswith("library.png  0:02.6–0:03.4 over")
    )
    for session in again.sessions:
        qtbot.waitUntil(lambda s=session: not s.busy(), timeout=LOAD_TIMEOUT_MS)
    _close(again)


def test_span_on_timeline_maps_source_time_through_the_kept_parts() -> None:
    from fractions import Fraction

    from clipstudio.core.edit.plan import Take, span_on_timeline
    from clipstudio.core.edit.project import PictureOver, Project, place_pictures

    takes = (Take("a", 1.0, 3.0), Take("b", 0.5, 1.0), Take("b", 1.4, 2.0), Take("a", 5.0, 6.0))
    assert span_on_timeline(takes, "b", 0.6, 1.8) == pytest.approx((2.1, 2.9))  # across a cut
    assert span_on_timeline(takes, "b", 1.1, 1.3) is None  # wholly cut
    assert span_on_timeline(takes, "b", 0.0, 0.7) == pytest.approx((2.0, 2.2))  # held to the part
    assert span_on_timeline(takes, "a", 2.5, 5.5) == pytest.approx((1.5, 3.6))  # a's two takes
    assert span_on_timeline(takes, "c", 0.0, 9.0) is None
    # On the frames the render snaps the takes to (29.97 fps): a picture over the last words
    # ends with the video, not a rounding past it.
    project = Project("x.mp4", 0, 0, segments=(Segment(0.0, 1.01),),
                      pictures=(PictureOver("p.png", 0.5, 9.0),))  # fmt: skip
    placed = place_pictures([ClipTakes(project, 1.01, None)], Fraction(30000, 1001))
    assert placed[0].cutaway is not None
    assert placed[0].cutaway.end == pytest.approx(30 * 1001 / 30000)  # 30 frames, snapped


def _mean_rgb(path: Path, at: float) -> tuple[float, float, float]:
    """The picture's mean colour in the frame shown at `at` seconds (the middle of the frame,
    clear of captions and corners)."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            if frame.time is not None and frame.time + 1e-3 >= at:
                rgb = frame.to_ndarray(format="rgb24")
                h, w, _ = rgb.shape
                middle = rgb[h // 3 : h // 2, w // 4 : 3 * w // 4].reshape(-1, 3).mean(axis=0)
                return float(middle[0]), float(middle[1]), float(middle[2])
    raise AssertionError(f"no frame at {at} s")


def test_joined_export_from_the_window_with_music_and_a_photo(
    qtbot, media, user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two generated clips joined in the window with music and a photo over the second's
    words: one render that passes validation, as long as the two kept parts together, the
    photo on screen over its words only, the music under it."""
    from media_music import music_file
    from media_sync import white_frames
    from PySide6.QtWidgets import QFileDialog

    photo = _photo(user_dirs / "library.png")
    music = music_file(media)
    window = _window(qtbot)
    a, b = _two_trimmed_clips_with_captions(qtbot, window, media)
    panel = window.export_panel
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(music), ""))
    window.clips.clip_list.setCurrentRow(0)
    panel.music_button.click()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(photo), ""))
    window.clips.clip_list.setCurrentRow(1)
    window.captions_panel.table.selectRow(0)  # "It is ours", 0.6-0.9 of B: 2.6-2.9 out
    window.captions_panel.picture_button.click()
    assert len(b.project.pictures) == 1
    window.clips.clip_list.setCurrentRow(0)
    panel.folder.setText(str(user_dirs))
    panel.output_dir_changed.emit(str(user_dirs))
    plan = a.plan(window.workspace.settings, None, [b])
    assert plan.music is not None and len(plan.cutaways) == 1

    ARTIFACTS.mkdir(exist_ok=True)
    body = panel.choices.widget()
    body.grab().save(str(ARTIFACTS / "sequence-export-panel-all.png"))
    with qtbot.waitSignal(window.export_finished, timeout=240_000) as finished:
        panel.export_button.click()
        window.exports.imprint_question.export_button.click()  # no imprint: asked, then go
    result = finished.args[0]
    assert result.validation.ok, result.validation.failures
    assert result.output.name.startswith(Path(a.name).stem + "-and-1-more")
    # One video as long as A's kept 2.5 s and B's 0.5 + 0.6 s (the frames: 108 at 30 fps).
    assert result.duration == pytest.approx(2.5 + 0.5 + 0.6, abs=1 / 30 + 1e-3)
    assert "2 clips joined" in window.transport.duration_label.text()
    # The flashes of A (every second from 0.0 of the source) and B (from 0.5) land where the
    # kept parts put them: A at 1.0 and 2.0 s -> frames 24, 54; B's 0.5 at frame 75; B's
    # 1.5 at 3.0 + 0.1 -> frame 93.
    assert white_frames(result.output) == [24, 54, 75, 93]
    # The photo (magenta) over "It is ours" (2.6-2.9 s), the clips' black elsewhere.
    red, green, blue = _mean_rgb(result.output, 2.75)
    assert red > 150 and blue > 130 and green < 90
    assert max(_mean_rgb(result.output, 2.3)) < 40 and max(_mean_rgb(result.output, 3.2)) < 40
    # The music plays under it: its tones' band (none in the clips' own sound) is there in
    # every 100 ms window of the joined video, far above the clips' own level in that band.
    import numpy as np
    from media_music import music_levels

    levels = music_levels(result.output)
    floor = max(np.median(music_levels(Path(a.path))), np.median(music_levels(Path(b.path))))
    assert np.min(levels[1:-3]) > floor + 40, (levels.round(1), floor)
    window.export_panel.grab().save(str(ARTIFACTS / "sequence-export-done.png"))
    _close(window)


def test_files_dropped_on_the_clip_list_still_open(qtbot, media, user_dirs: Path) -> None:
    """The list takes its own rows' drags only: files from the desktop dropped on it go on to
    the window, which opens them."""
    from PySide6.QtCore import QMimeData, QUrl

    first, second = _clips(media)[:2]
    window = _window(qtbot)
    _open_all(qtbot, window, [first])
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(second))])
    viewport = window.clips.clip_list.viewport()
    point = QPointF(viewport.rect().center())
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)  # fmt: skip
    enter = QDragEnterEvent(point.toPoint(), *args)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(viewport, QDragMoveEvent(point.toPoint(), *args))
    QApplication.sendEvent(viewport, QDropEvent(point, *args))
    assert [s.name for s in window.sessions] == [first.name, second.name]
    for session in window.sessions:
        qtbot.waitUntil(lambda s=session: s.media is not None, timeout=60_000)
        session.cancel_all()
        qtbot.waitUntil(lambda s=session: not s.busy(), timeout=LOAD_TIMEOUT_MS)
    _close(window)
