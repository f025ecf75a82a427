"""Cutting by editing the words (offscreen): selected words and Delete cut them from the plan at
word boundaries, struck through in the text and undoable on the window's one history; retakes
and fillers found in a generated clip are marked and cut in one step; an exported word-cut
project is shorter by the words' length."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_media import gui_speech_clip
from media_disfluency import mistakes_clip, score

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from clipstudio.core.edit.plan import captions_on_timeline
from clipstudio.core.edit.project import load_project
from clipstudio.core.timefmt import clock
from clipstudio.core.vocabulary import Cleanup
from clipstudio.gui.words import SUGGESTION_BACKGROUND, WordState

LOAD_TIMEOUT_MS = 180_000
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
# A retake ("Our library is closing on" said again) and two fillers, each marked as a mistake.
MIXED_PARTS: tuple[tuple[str, float, bool], ...] = (
    ("Good evening everyone.", 0.8, False),
    ("Our library is closing on", 0.5, True),
    ("Our library is closing on Mondays and Tuesdays.", 0.8, False),
    ("Um,", 0.25, True),
    ("we are here to save the library.", 0.8, False),
    ("Please sign the petition.", 0.8, False),
    ("Erm,", 0.25, True),
    ("the council wants to close it.", 0.0, False),
)


@pytest.fixture
def own_autosaves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own autosaves: another test's trim or captions of the same clip would
    come back in this one (requested before `window`)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def _loaded(qtbot, window, path: Path):
    session = window.add_clips([str(path)])[0]
    qtbot.waitUntil(lambda: session.media is not None and session.transcript is not None
                    and not session.busy(), timeout=LOAD_TIMEOUT_MS)  # fmt: skip
    window.tabs.setCurrentWidget(window.captions_panel)
    window.activateWindow()
    qtbot.waitUntil(lambda: bool(session.word_cuts.words))
    return session


def _plan(window, session):
    plan, _job = session.export_job(Path("/nonexistent/out.mp4"), window.workspace.settings, None)
    return plan


def normalised_words(text: str) -> list[str]:
    return [w.strip(".,").lower() for w in text.split()]


def _index(words, text: str) -> int:
    return next(i for i, w in enumerate(words) if w.text.strip(".,").lower() == text.lower())


def _press(qtbot, widget, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, key, modifiers)


def test_deleted_words_are_struck_left_out_and_undoable(
    own_autosaves, qtbot, window, media, monkeypatch
) -> None:
    session = _loaded(qtbot, window, gui_speech_clip(media))
    cuts, panel = session.word_cuts, window.captions_panel.words_panel
    view = panel.view
    words = cuts.words
    first, last = _index(words, "Maria"), _index(words, "Lopez")
    end_card = window.branding_for(session).end_card_duration
    whole = session.duration
    assert window.transport.duration_label.text().count(clock(whole + end_card))
    steps = window.history.count()

    view.select_words(first, last)
    _press(qtbot, view, Qt.Key.Key_Delete)
    assert window.history.count() == steps + 1
    assert window.history.undoText().startswith("Cut “Maria Lopez")
    segments = session.project.segments
    assert len(segments) == 2  # the clip now plays as two takes of its source
    # The export's plan leaves out exactly those words, cut in the pauses around them.
    takes = _plan(window, session).takes
    for index, word in enumerate(words):
        inside = [t for t in takes if t.start <= word.start and word.end <= t.end]
        outside = all(word.end <= t.start or word.start >= t.end for t in takes)
        if first <= index <= last:
            assert outside, (word, takes)
        else:
            assert len(inside) == 1, (word, takes)
    spoken = " ".join(" ".join(c.lines) for c in captions_on_timeline(takes))
    assert "Maria" not in spoken and "Lopez" not in spoken and "vote for on Thursday" in spoken
    # Struck through in the text, not taken out of it; the length readout follows.
    states = cuts.states()
    assert [i for i, s in enumerate(states) if s is WordState.CUT] == [first, last]
    assert view.word_format(first).fontStrikeOut() and view.word_format(last).fontStrikeOut()
    assert not view.word_format(first - 1).fontStrikeOut()
    assert "Maria Lopez" in view.toPlainText()
    kept = sum(s.duration for s in segments)
    assert kept <= whole - (words[last].end - words[first].start) + 1e-6
    assert clock(kept + end_card) in window.transport.duration_label.text()
    # Playing, the preview jumps over the cut; paused, it shows what is there.
    seeks: list[float] = []
    monkeypatch.setattr(window.player, "seek", seeks.append)
    window._position_changed(words[first].start + 0.05)
    monkeypatch.setattr(window.player, "is_playing", lambda: True)
    window._position_changed(words[first].start + 0.05)
    window._position_changed(words[last].end + 0.5)
    assert seeks == [segments[1].start]
    monkeypatch.undo()

    # Ctrl+Z in the view restores the kept parts, the text's look and the readout; both redo
    # keys cut again.
    _press(qtbot, view, Qt.Key.Key_Z, CTRL)
    assert session.project.segments == ()
    assert not view.word_format(first).fontStrikeOut()
    assert clock(whole + end_card) in window.transport.duration_label.text()
    _press(qtbot, view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert session.project.segments == segments
    _press(qtbot, view, Qt.Key.Key_Z, CTRL)
    _press(qtbot, view, Qt.Key.Key_Y, CTRL)
    assert session.project.segments == segments and view.word_format(last).fontStrikeOut()

    # The cut survives a restart: it is the autosave's kept parts.
    session.save_now()
    assert load_project(session.project_file).segments == segments

    # Delete on the struck words puts them back (the clip whole again, as before any cut);
    # with the caret in one struck word, Delete puts back the words cut with it.
    view.select_words(first, last)
    _press(qtbot, view, Qt.Key.Key_Delete)
    assert session.project.segments == () and cuts.states()[first] is WordState.KEPT
    window.history.undo()
    cursor = view.textCursor()
    cursor.setPosition(view.ranges[last][0] + 1)
    view.setTextCursor(cursor)
    assert panel.delete_selected()
    assert session.project.segments == ()
    assert clock(whole + end_card) in window.transport.duration_label.text()

    # The right-click menu's "Cut or put back" does what Delete does.
    view.select_words(first, last)
    cut_action = view.menu_actions[0]
    assert cut_action.isEnabled()
    cut_action.trigger()
    assert session.project.segments == segments
    window.history.undo()
    assert session.project.segments == ()

    # "Trim to 1 minute" keeps the words cut by hand cut.
    view.select_words(first, last)
    _press(qtbot, view, Qt.Key.Key_Delete)
    window.trims.auto_trim()
    assert window.history.undoText() == "Trim to under a minute"
    states = cuts.states()
    assert [i for i, s in enumerate(states) if s is WordState.CUT] == [first, last]
    assert session.project.segments[0].start > 0  # the silence before the speech trimmed
    window.history.undo()
    window.history.undo()
    assert session.project.segments == ()

    # The word at the play position is lit, and only while it is said.
    window.seek(words[first].start + 0.05)
    assert view.playing == first
    assert (
        view.word_format(first).background().color()
        != view.word_format(first - 1).background().color()
    )
    window.seek(words[last].end + 0.5)
    assert view.playing != first
    assert view.word_format(first).background() == view.word_format(first - 1).background()

    # "Show a picture here" from the words: over the captions they are said in.
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: ("", ""))
    view.select_words(_index(words, "keep"), _index(words, "library"))
    with qtbot.waitSignal(window.captions_panel.picture_requested) as asked:
        qtbot.mouseClick(panel.picture_button, Qt.MouseButton.LeftButton)
    (chosen,) = asked.args[0]
    assert "keep the library" in " ".join(chosen.lines)


def test_retakes_and_fillers_are_suggested_and_cut_in_one_step(
    own_autosaves, qtbot, window, media
) -> None:
    clip = mistakes_clip(media, MIXED_PARTS)
    session = _loaded(qtbot, window, clip.path)
    cuts, panel = session.word_cuts, window.captions_panel.words_panel
    view = panel.view
    kinds = [d.kind for d in session.suggestions]
    assert kinds.count(Cleanup.RETAKES) == 1 and kinds.count(Cleanup.FILLERS) == 2, kinds
    # The earlier try and each filler are marked, in a style of their own; the captions leave
    # the fillers out (as Whisper's plain pass does) while the word view shows them.
    words, states = cuts.words, cuts.states()
    marked = " ".join(w.text for w, s in zip(words, states, strict=True)
                      if s is WordState.SUGGESTED)  # fmt: skip
    assert marked.lower().replace(".", "").split() == [
        "our", "library", "is", "closing", "on", "um,", "erm,"
    ]  # fmt: skip
    captions = " ".join(" ".join(c.lines) for c in session.captions.captions).lower()
    assert "um" not in captions.replace(",", "").split() and "erm" not in captions
    filler = _index(words, "um")
    assert not words[filler].in_captions
    shown = view.word_format(filler)
    assert shown.background().color() == QColor(SUGGESTION_BACKGROUND)
    assert not shown.fontStrikeOut()
    assert panel.suggestions_button.isEnabled() and "3" in panel.suggestions_button.text()

    # Delete with the caret in the retake accepts that suggestion whole.
    steps = window.history.count()
    retake_word = _index(words, "library")
    cursor = view.textCursor()
    cursor.setPosition(view.ranges[retake_word][0] + 1)
    view.setTextCursor(cursor)
    _press(qtbot, view, Qt.Key.Key_Delete)
    attempt = _index(words, "our")
    cut = [i for i, state in enumerate(cuts.states()) if state is WordState.CUT]
    assert cut == list(range(attempt, attempt + 5))  # "Our library is closing on."
    assert window.history.count() == steps + 1

    # The volunteer's view with struck words and suggestions, as a picture to look at.
    ARTIFACTS.mkdir(exist_ok=True)
    window.resize(1366, 768)
    qtbot.wait(50)
    assert window.grab().save(str(ARTIFACTS / "gui-words.png"))
    window.history.undo()

    # "Cut all suggestions": one undo step; what it cuts is the mistakes, whole, and nothing
    # that was meant (scored against the voice of each part in the audio).
    qtbot.mouseClick(panel.suggestions_button, Qt.MouseButton.LeftButton)
    assert window.history.count() == steps + 1
    assert all(s is not WordState.SUGGESTED for s in cuts.states())
    segments = session.project.segments
    holes = [(a.end, b.start) for a, b in zip(segments, segments[1:], strict=False)]
    result = score(clip, MIXED_PARTS, holes)
    assert (result.found, result.missed, result.false_cuts) == (3, 0, 0), result
    assert not panel.suggestions_button.isEnabled()
    # The captions keep every word of the tries and sentences kept, and only those (their
    # words are timed by the verbatim pass: the plain one ran "the" over "Erm").
    kept = captions_on_timeline(_plan(window, session).takes)
    said = " ".join(text for text, _pause, mistake in MIXED_PARTS if not mistake)
    assert normalised_words(" ".join(" ".join(c.lines) for c in kept)) == normalised_words(said)
    window.history.undo()
    assert session.project.segments == ()
    assert panel.suggestions_button.isEnabled()


def test_a_word_cut_export_is_shorter_by_the_words(
    own_autosaves, qtbot, window, media, tmp_path: Path
) -> None:
    from clipstudio.core.export.render import export_clip
    from clipstudio.core.media.probe import probe

    session = _loaded(qtbot, window, gui_speech_clip(media))
    cuts = session.word_cuts
    words = cuts.words
    first, last = _index(words, "Maria"), _index(words, "Lopez")
    assert cuts.cut(first, last)
    cut = session.duration - session.kept_duration()
    assert cut >= words[last].end - words[first].start - 1e-6
    plan, job = session.export_job(tmp_path / "cut.mp4", window.workspace.settings, None)
    result = export_clip(plan, job)
    exported = probe(result.output).duration
    frame = 1 / 30
    # Each of the two takes is a whole number of frames: within a frame of each, so two.
    assert abs(exported - plan.end_card_duration - (session.duration - cut)) <= 2 * frame, (
        exported, session.duration, cut,
    )  # fmt: skip
    assert session.duration - exported + plan.end_card_duration >= cut - 2 * frame

    # A restart brings the cut back from the autosave, struck in the text again.
    from clipstudio.gui.app import create_window

    segments = session.project.segments
    window.close()
    after = create_window(restore=True)
    qtbot.addWidget(after)
    again = after.current
    assert again is not None and again.restored and again.project.segments == segments
    qtbot.waitUntil(
        lambda: not again.busy() and bool(again.word_cuts.words), timeout=LOAD_TIMEOUT_MS
    )
    states = again.word_cuts.states()
    assert [i for i, s in enumerate(states) if s is WordState.CUT] == [first, last]
    after.tabs.setCurrentWidget(after.captions_panel)
    assert after.captions_panel.words_panel.view.word_format(first).fontStrikeOut()
    after.close()
    after.history.clear()


def _timed(text: str, pause_after: dict[int, float] | None = None):
    from clipstudio.core.speech.types import CaptionWord

    words, t = [], 1.0
    for index, token in enumerate(text.split()):
        words.append(CaptionWord(token, round(t, 3), round(t + 0.3, 3)))
        t += 0.3 + (pause_after or {}).get(index, 0.1)
    return words


def test_putting_words_back_undoes_their_cut_exactly() -> None:
    from clipstudio.core.edit.cuts import cut_words, is_kept, restore_words

    words = _timed("please vote for maria lopez on thursday", {2: 0.4})
    duration = 10.0
    once = cut_words((), words, 2, 4, duration)
    assert [is_kept(once, w) for w in words] == [True, True, False, False, False, True, True]
    assert restore_words(once, words, 2, 4, duration) == ()  # the whole clip, as never cut
    # One word of a cut put back alone; the others stay struck, and come back one by one.
    middle = restore_words(once, words, 3, 3, duration)
    assert [is_kept(middle, w) for w in words] == [True, True, False, True, False, True, True]
    again = restore_words(restore_words(middle, words, 2, 2, duration), words, 4, 4, duration)
    assert again == ()
    # A trimmed clip keeps its trim when a cut inside it is put back.
    from clipstudio.core.edit.plan import Segment

    trimmed = (Segment(0.5, 6.0),)
    assert restore_words(cut_words(trimmed, words, 3, 3, duration), words, 3, 3, duration) == (
        trimmed
    )


def _heard(*timed: tuple[str, float, float]):
    from clipstudio.core.speech.types import Word

    return [Word(f" {text}", start, end, 0.9) for text, start, end in timed]


def _caption(*timed: tuple[str, float, float]):
    from clipstudio.core.speech.types import Caption, CaptionWord

    words = tuple(CaptionWord(text, start, end) for text, start, end in timed)
    return Caption(words[0].start, words[-1].end, (" ".join(w.text for w in words),), words)


def _kept_text(captions, spans, duration: float) -> str:
    from clipstudio.core.edit.cuts import cut_segments
    from clipstudio.core.edit.plan import Segment, Take

    kept = cut_segments((Segment(0.0, duration),), spans)
    takes = [Take("clip.mp4", s.start, s.end, tuple(captions)) for s in kept]
    return " ".join(" ".join(c.lines) for c in captions_on_timeline(takes))


def test_caption_words_timed_by_the_verbatim_pass_keep_the_kept_words() -> None:
    from clipstudio.core.speech.disfluency import find_disfluencies, timed_by_verbatim

    # Measured on espeak: the plain pass ran "the" over the "Erm" before it, so cutting the
    # filler took "the" from the captions.
    plain = [_caption(("it.", 8.0, 8.6), ("the", 9.3, 10.2), ("council", 10.2, 10.7))]
    heard = _heard(("it.", 8.0, 8.6), ("Erm,", 9.3, 9.6), ("the", 9.85, 10.0),
                   ("council", 10.0, 10.7))  # fmt: skip
    spans = [(d.start, d.end) for d in find_disfluencies(heard, set(Cleanup))]
    assert _kept_text(plain, spans, 12.0) == "it. council"
    assert _kept_text(timed_by_verbatim(plain, heard), spans, 12.0) == "it. the council"
    # A try the plain pass tidied away: its words are the last tries, the one kept
    # (difflib alone matched them to the first tries: the sentence before is the longer run).
    first_words = ["we", "will", "fight", "for", "the", "parks."]
    before = [(t, 0.4 * i, 0.4 * i + 0.3) for i, t in enumerate(first_words)]
    tries = [("please", 3.0), ("come", 3.3), ("to", 3.6), ("the,", 3.8)]
    said = [(t, s + offset, s + offset + 0.2) for offset in (0.0, 2.0, 4.0) for t, s in tries]
    heard = _heard(*before, *said, ("meeting.", 8.2, 8.6))
    plain = [_caption(*before), _caption(
        ("please", 3.0, 3.2), ("come", 3.3, 3.5), ("to", 3.6, 3.8), ("the,", 3.8, 4.0),
        ("please", 5.0, 5.2), ("come", 5.3, 7.9), ("to", 7.9, 8.0), ("the", 8.0, 8.1),
        ("meeting.", 8.2, 8.6))]  # fmt: skip
    spans = [(d.start, d.end) for d in find_disfluencies(heard, set(Cleanup))]
    expected = "we will fight for the parks. please come to the meeting."
    assert _kept_text(plain, spans, 9.0) != expected
    assert _kept_text(timed_by_verbatim(plain, heard), spans, 9.0) == expected
