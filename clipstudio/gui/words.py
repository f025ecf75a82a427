"""Cutting by editing the words: the transcript as text, one sentence a paragraph. Selecting
words and pressing Delete cuts them from the video and its sound at word boundaries; they stay
in the text, struck through, and Delete on them again puts them back. Retakes and fillers the
core found are marked, each cut by Delete or all at once.

The cut is the core's (edit/cuts.py cut_words / restore_words, the CLI's rule): the project's
kept parts change, so a struck word is one outside them (cuts.is_kept, the export's own rule),
the autosave keeps it without a field of its own, and every cut is a step of the window's one
undo history (history.WordCutEdit).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QLabel, QPushButton, QTextEdit, QToolTip, QVBoxLayout, QWidget

from clipstudio.core.speech.layout import SENTENCE_END, ends_with
from clipstudio.core.timefmt import clock
from clipstudio.gui.flow_layout import FlowLayout
from clipstudio.gui.history import WordCutEdit

if TYPE_CHECKING:
    from clipstudio.core.edit.plan import Segment
    from clipstudio.core.speech.disfluency import Disfluency
    from clipstudio.core.speech.types import Caption
    from clipstudio.gui.player import Player
    from clipstudio.gui.session import ClipSession
    from clipstudio.gui.workspace import Workspace

# A suggested cut: amber under black text reads in the light and the dark theme alike, and is
# not the grey of a struck word.
SUGGESTION_BACKGROUND = "#ffe08a"
SUGGESTION_UNDERLINE = "#c0392b"
# Space under each sentence's paragraph, pixels: the sentences read apart, the text stays dense.
SENTENCE_SPACING_PX = 4
# The word being said: this share of the selection colour over the page.
PLAYING_TINT = 0.25
# The undo menu quotes at most this many characters of the words cut.
QUOTE_CHARS = 32


class WordState(enum.Enum):
    KEPT = "kept"
    CUT = "cut"  # outside the kept parts: struck through
    SUGGESTED = "suggested"  # in the video, and a retake or filler the core suggests cutting


@dataclass(frozen=True)
class ViewWord:
    """A word as the view shows it: a caption's word, or a filler the captions leave out."""

    text: str
    start: float
    end: float
    in_captions: bool = True


class WordCuts(QObject):
    """One clip's words, which of them are cut, and the cuts as undo steps (the view-model)."""

    words_changed = Signal()  # the words themselves: captions edited, speech written out
    cuts_changed = Signal()  # which are cut or suggested: the kept parts changed

    def __init__(self, session: ClipSession) -> None:
        super().__init__(session)
        self.session = session
        self.words: tuple[ViewWord, ...] = ()
        session.captions.captions_changed.connect(self.rebuild)
        session.transcript_ready.connect(self.rebuild)
        session.suggestions_ready.connect(self.rebuild)
        # Only when the kept parts change: every keystroke in a branding field changes the
        # project too, and restyling a long transcript for it would make typing lag.
        self._segments = session.segments()
        session.project_changed.connect(self._project_changed)
        session.media_ready.connect(lambda: self.cuts_changed.emit())

    def _project_changed(self) -> None:
        if self.session.segments() != self._segments:
            self._segments = self.session.segments()
            self.cuts_changed.emit()

    # --- the words ----------------------------------------------------------------------------

    def rebuild(self) -> None:
        """The captions' timed words, with what the verbatim pass heard that they leave out:
        its fillers, and the words of a suggestion where the captions have none (Whisper's
        plain pass may tidy a false start away)."""
        words = [
            ViewWord(w.text, w.start, w.end)
            for caption in self.session.captions.captions
            if caption.has_word_timings
            for w in caption.words
        ]
        verbatim = self.session.verbatim
        if verbatim is not None:
            from clipstudio.core.speech.disfluency import is_filler

            def inside(start: float, end: float, spans: Sequence[tuple[float, float]]) -> bool:
                return any(s <= (start + end) / 2 <= e for s, e in spans)

            shown = [(w.start, w.end) for w in words]
            empty = [(d.start, d.end) for d in self.suggestions
                     if not any(d.start <= (s + e) / 2 <= d.end for s, e in shown)]  # fmt: skip
            for word in verbatim.words:
                if (is_filler(word.text) and not inside(word.start, word.end, shown)) or inside(
                    word.start, word.end, empty
                ):
                    words.append(ViewWord(word.text.strip(), word.start, word.end, False))
        # By the middle: Whisper's plain pass may stretch a word over the filler before it.
        words.sort(key=lambda w: w.start + w.end)
        self.words = tuple(words)
        self.words_changed.emit()

    def sentence_starts(self) -> set[int]:
        """Where a paragraph begins: the first word and each word after a sentence's end."""
        return {0} | {i for i in range(1, len(self.words))
                      if ends_with(self.words[i - 1].text, SENTENCE_END)}  # fmt: skip

    @property
    def suggestions(self) -> tuple[Disfluency, ...]:
        return self.session.suggestions

    def suggestion_for(self, index: int) -> Disfluency | None:
        word = self.words[index]
        middle = (word.start + word.end) / 2
        return next((d for d in self.suggestions if d.start <= middle <= d.end), None)

    def states(self) -> list[WordState]:
        from clipstudio.core.edit.cuts import is_kept

        segments = self.session.segments()
        return [
            WordState.CUT
            if not is_kept(segments, word)
            else WordState.SUGGESTED
            if self.suggestion_for(index) is not None
            else WordState.KEPT
            for index, word in enumerate(self.words)
        ]

    def pending_suggestions(self) -> list[Disfluency]:
        """Suggestions with a word still in the video."""
        states = self.states()
        pending = {
            id(d): d
            for index, state in enumerate(states)
            if state is WordState.SUGGESTED and (d := self.suggestion_for(index)) is not None
        }
        return sorted(pending.values(), key=lambda d: d.start)

    def describe(self, index: int) -> str:
        """The word's tooltip: when it is said and what the view knows of it."""
        word = self.words[index]
        parts = [f"{clock(word.start, 2)}"]
        state = self.states()[index]
        if state is WordState.CUT:
            parts.append("cut from the video: Delete puts it back")
        elif (found := self.suggestion_for(index)) is not None:
            parts.append(f"suggested cut: {found.kind.label.lower()}. Delete cuts it")
        if not word.in_captions:
            parts.append("not shown in the captions")
        return " — ".join(parts)

    # --- cuts (each one undo step) ----------------------------------------------------------------

    def captions_of(self, first: int, last: int) -> list[Caption]:
        """The captions that words[first..last] are said in (a picture goes over them)."""
        middles = [(w.start + w.end) / 2 for w in self.words[first : last + 1]]
        return [c for c in self.session.captions.captions
                if any(c.start <= m <= c.end for m in middles)]  # fmt: skip

    def can_cut(self) -> bool:
        return bool(self.words) and self.session.duration > 0 and self.session.project is not None

    def cut(self, first: int, last: int) -> bool:
        from clipstudio.core.edit.cuts import cut_words

        if not self.can_cut():
            return False
        segments = cut_words(self.session.segments(), self.words, first, last,
                             self.session.duration)  # fmt: skip
        return self._edit(segments, f"Cut {self._quote(first, last)}")

    def restore(self, first: int, last: int) -> bool:
        from clipstudio.core.edit.cuts import restore_words

        if not self.can_cut():
            return False
        segments = restore_words(self.session.segments(), self.words, first, last,
                                 self.session.duration)  # fmt: skip
        return self._edit(segments, f"Put back {self._quote(first, last)}", restoring=True)

    def press_delete(self, first: int, last: int, selected: bool) -> bool:
        """Delete in the view. Selected words all struck: they come back; else they are cut.
        Nothing selected, the word at the caret: a struck word comes back with the words cut
        with it, a suggested one is cut with its whole suggestion, another is cut alone."""
        states = self.states()[first : last + 1]
        if all(state is WordState.CUT for state in states):
            if selected:
                return self.restore(first, last)
            low, high = self._struck_run(first)
            return self.restore(low, high)
        found = self.suggestion_for(first) if not selected else None
        if found is not None:
            return self.cut_spans([found], f"Cut {found.kind.label.lower()} “{found.text}”")
        return self.cut(first, last)

    def cut_suggestions(self) -> bool:
        """Every suggestion still in the video cut: one undo step."""
        pending = self.pending_suggestions()
        count = len(pending)
        return bool(pending) and self.cut_spans(
            pending, f"Cut {count} suggestion{'s' if count != 1 else ''}"
        )

    def cut_spans(self, found: Sequence[Disfluency], text: str) -> bool:
        from clipstudio.core.edit.cuts import cut_segments
        from clipstudio.core.edit.plan import Segment

        if not self.can_cut():
            return False
        kept = self.session.segments() or (Segment(0.0, self.session.duration),)
        segments = cut_segments(kept, [(d.start, d.end) for d in found])
        return self._edit(segments, text)

    def _struck_run(self, index: int) -> tuple[int, int]:
        """The struck words around `index` with no kept word between (one cut's words)."""
        states = self.states()
        low = high = index
        while low > 0 and states[low - 1] is WordState.CUT:
            low -= 1
        while high + 1 < len(states) and states[high + 1] is WordState.CUT:
            high += 1
        return low, high

    def _edit(self, segments: tuple[Segment, ...], text: str, restoring: bool = False) -> bool:
        """One step on the window's history. No kept parts is the whole clip when everything
        is put back (restore_words), and refused for a cut: nothing would be left."""
        if segments == self.session.segments() or (not segments and not restoring):
            return False
        self.session.edit(WordCutEdit, text, segments=segments)
        return True

    def _quote(self, first: int, last: int) -> str:
        text = " ".join(w.text for w in self.words[first : last + 1])
        if len(text) > QUOTE_CHARS:
            text = text[: QUOTE_CHARS - 1].rstrip() + "…"
        return f"“{text}”"


class WordView(QTextEdit):
    """The words as read-only text that can be selected (mouse, Shift+arrows; three clicks
    take a sentence). Delete and Backspace ask for a cut; a click on a word asks to play it."""

    delete_pressed = Signal()
    word_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Words of the speech")
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)  # the window's history is the one undo
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.ranges: list[tuple[int, int]] = []  # each word's place in the document
        self.shown: list[WordState] = []  # each word's look now
        self.playing: int | None = None  # the word the preview is at
        self.describe: Callable[[int], str] | None = None
        self.menu_actions: list[QAction] = []  # the panel's, for the right-click menu

    def show_words(self, texts: Sequence[str], paragraph_starts: set[int]) -> None:
        """The words, a sentence a paragraph, all plain (show_states styles them). Inserted a
        sentence at a time: word by word, 10,000 words took 1.5 s."""
        bar = self.verticalScrollBar()
        scrolled = bar.value()
        self.clear()
        self.ranges, self.shown, self.playing = [], [WordState.KEPT] * len(texts), None
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        sentence = QTextBlockFormat()
        sentence.setBottomMargin(SENTENCE_SPACING_PX)
        cursor.setBlockFormat(sentence)
        starts = sorted(paragraph_starts | {0})
        for first, end in zip(starts, [*starts[1:], len(texts)], strict=True):
            if first >= len(texts):
                break
            if first:
                cursor.insertBlock(sentence)
            at = cursor.position()
            for text in texts[first:end]:
                self.ranges.append((at, at + len(text)))
                at += len(text) + 1
            cursor.insertText(" ".join(texts[first:end]))
        cursor.endEditBlock()
        bar.setValue(scrolled)

    def show_states(self, states: Sequence[WordState]) -> None:
        """Struck, marked or plain, word by word (the text and the selection stay); only
        the words whose look changed are restyled."""
        before = self.shown if len(self.shown) == len(states) else [None] * len(states)
        self.shown = list(states)
        changed = [i for i, (old, new) in enumerate(zip(before, states, strict=True))
                   if old is not new]  # fmt: skip
        self._style(changed)

    def show_playing(self, index: int | None) -> None:
        """Light the word the preview is at, and keep it in sight."""
        if index == self.playing:
            return
        old, self.playing = self.playing, index
        self._style([i for i in (old, index) if i is not None and i < len(self.shown)])
        if index is not None and index < len(self.ranges):
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.ranges[index][0])
            rect = self.cursorRect(cursor)
            bar = self.verticalScrollBar()
            if rect.top() < 0 or rect.bottom() > self.viewport().height():
                bar.setValue(bar.value() + rect.top() - self.viewport().height() // 3)

    def _style(self, indices: Sequence[int]) -> None:
        if not indices:
            return
        formats = self._formats()
        lit = QTextCharFormat()
        lit.setBackground(self._playing_colour())
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()  # one layout pass for the lot, not one per word
        for index in indices:
            start, end = self.ranges[index]
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(formats[self.shown[index]])
            if index == self.playing:
                cursor.mergeCharFormat(lit)
        cursor.endEditBlock()

    def word_format(self, index: int) -> QTextCharFormat:
        """The format the word is drawn with (tests read it)."""
        start, end = self.ranges[index]
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        return cursor.charFormat()

    def select_words(self, first: int, last: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(self.ranges[first][0])
        cursor.setPosition(self.ranges[last][1], QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def selected_words(self) -> tuple[int, int, bool] | None:
        """(first, last, whether they were selected) or the word at the caret, or None."""
        cursor = self.textCursor()
        if cursor.hasSelection():
            low, high = cursor.selectionStart(), cursor.selectionEnd()
            chosen = [i for i, (s, e) in enumerate(self.ranges) if s < high and e > low]
            return (chosen[0], chosen[-1], True) if chosen else None
        index = self.word_at(cursor.position())
        return None if index is None else (index, index, False)

    def word_at(self, position: int) -> int | None:
        for index, (start, end) in enumerate(self.ranges):
            if start <= position <= end:
                return index
        return None

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt's name
        """Right-click: the panel's actions on the words chosen, above Copy and Select all."""
        menu = self.createStandardContextMenu(event.pos())
        standard = menu.actions()
        if standard:
            menu.insertActions(standard[0], self.menu_actions)
            menu.insertSeparator(standard[0])
        else:
            menu.addActions(self.menu_actions)
        menu.exec(event.globalPos())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not (
            event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            self.delete_pressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            index = self.word_at(self.textCursor().position())
            if index is not None:
                self.word_clicked.emit(index)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.word_at(self.cursorForPosition(event.pos()).position())
            if index is not None and self.describe is not None:
                QToolTip.showText(event.globalPos(), self.describe(index), self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def _playing_colour(self) -> QColor:
        """A tint of the selection colour over the page: the selection itself (lighter(160)
        was tried) made the word being said look chosen, one Delete away from being cut."""
        base = self.palette().color(QPalette.ColorRole.Base)
        tint = self.palette().color(QPalette.ColorRole.Highlight)

        def mix(page: float, selection: float) -> float:
            return page + (selection - page) * PLAYING_TINT

        return QColor.fromRgbF(mix(base.redF(), tint.redF()), mix(base.greenF(), tint.greenF()),
                               mix(base.blueF(), tint.blueF()))  # fmt: skip

    def _formats(self) -> dict[WordState, QTextCharFormat]:
        cut = QTextCharFormat()
        cut.setFontStrikeOut(True)
        cut.setForeground(self.palette().color(QPalette.ColorGroup.Disabled,
                                               QPalette.ColorRole.Text))  # fmt: skip
        suggested = QTextCharFormat()
        suggested.setBackground(QColor(SUGGESTION_BACKGROUND))
        suggested.setForeground(QColor("black"))
        suggested.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        suggested.setUnderlineColor(QColor(SUGGESTION_UNDERLINE))
        return {WordState.KEPT: QTextCharFormat(), WordState.CUT: cut,
                WordState.SUGGESTED: suggested}  # fmt: skip


class WordsPanel(QWidget):
    """The word view with its key and buttons; it shows one clip's WordCuts at a time."""

    seek_requested = Signal(float)
    picture_requested = Signal(list)  # the captions of the chosen words: "Show a picture here"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: WordCuts | None = None
        self.key = QLabel(
            "Select words and press <b>Delete</b> to cut them from the video; Delete on"
            " <s>struck words</s> puts them back."
            f" <span style='background:{SUGGESTION_BACKGROUND}; color:black'>Marked</span>"
            " words are suggested cuts: a sentence started again, or “um” and “er”."
        )
        self.key.setWordWrap(True)
        self.view = WordView()
        self.view.delete_pressed.connect(self.delete_selected)
        self.view.word_clicked.connect(self._word_clicked)
        self.cut_button = QPushButton("Cut or put back")
        self.cut_button.setAccessibleName("Cut or put back the chosen words")
        self.cut_button.setToolTip("Cut the chosen words from the video, or put struck words"
                                   " back (Delete)")  # fmt: skip
        self.cut_button.clicked.connect(self.delete_selected)
        self.suggestions_button = QPushButton("Cut all suggestions")
        self.suggestions_button.setAccessibleName("Cut all suggestions")
        self.suggestions_button.setToolTip(
            "Cut every marked retake and filler in one step (Ctrl+Z brings them back)"
        )
        self.suggestions_button.clicked.connect(self.cut_suggestions)
        self.picture_button = QPushButton("Show a picture here")
        self.picture_button.setAccessibleName("Show a picture over the chosen words")
        self.picture_button.setToolTip("Show a photo or a clip over the captions of the chosen"
                                       " words while the speech carries on")  # fmt: skip
        self.picture_button.clicked.connect(self._picture_requested)
        for text, slot in (("Cut or put back the chosen words", self.delete_selected),
                           ("Cut all suggestions", self.cut_suggestions),
                           ("Show a picture here…", self._picture_requested)):  # fmt: skip
            action = QAction(text, self)
            action.triggered.connect(slot)
            self.view.menu_actions.append(action)
        self.found = QLabel("")
        self.found.setAccessibleName("Suggested cuts")
        buttons = FlowLayout()
        for widget in (self.cut_button, self.suggestions_button, self.picture_button, self.found):
            buttons.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.key)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self._update()

    def set_model(self, model: WordCuts | None) -> None:
        if self.model is not None:
            self.model.words_changed.disconnect(self._show_words)
            self.model.cuts_changed.disconnect(self._update)
        self.model = model
        self.view.describe = model.describe if model is not None else None
        if model is not None:
            model.words_changed.connect(self._show_words)
            model.cuts_changed.connect(self._update)
        self._show_words()

    def delete_selected(self) -> bool:
        chosen = self.view.selected_words()
        if self.model is None or chosen is None:
            return False
        return self.model.press_delete(*chosen)

    def cut_suggestions(self) -> bool:
        return self.model is not None and self.model.cut_suggestions()

    def _show_words(self) -> None:
        model = self.model
        if model is None:
            self.view.show_words([], set())
        else:
            self.view.show_words([w.text for w in model.words], model.sentence_starts())
        self._update()

    def _update(self) -> None:
        model = self.model
        if model is not None and len(self.view.ranges) == len(model.words):
            self.view.show_states(model.states())
        pending = model.pending_suggestions() if model is not None else []
        can_cut = model is not None and model.can_cut()
        self.cut_button.setEnabled(can_cut)
        self.picture_button.setEnabled(can_cut)
        for action, enabled in zip(self.view.menu_actions, (can_cut, can_cut and bool(pending),
                                                            can_cut), strict=True):  # fmt: skip
            action.setEnabled(enabled)
        self.suggestions_button.setEnabled(can_cut and bool(pending))
        self.suggestions_button.setText(
            f"Cut all {len(pending)} suggestions" if len(pending) > 1 else "Cut all suggestions"
        )
        found = len(model.suggestions) if model is not None else 0
        session = model.session if model is not None else None
        self.found.setText(
            "" if session is None or session.transcript is None
            else "Looking for retakes and fillers…" if session.verbatim is None
            else "No retakes or fillers found" if not found
            else f"{found} found, {len(pending)} left to cut"
        )  # fmt: skip

    def _picture_requested(self) -> None:
        chosen = self.view.selected_words()
        if self.model is not None and chosen is not None:
            captions = self.model.captions_of(chosen[0], chosen[1])
            if captions:
                self.picture_requested.emit(captions)

    def set_current_time(self, seconds: float) -> None:
        """The play position: its word is lit in the text."""
        words = self.model.words if self.model is not None else ()
        playing = next((i for i, w in enumerate(words) if w.start <= seconds < w.end), None)
        self.view.show_playing(playing)

    def _word_clicked(self, index: int) -> None:
        if self.model is not None:
            self.seek_requested.emit(self.model.words[index].start)


class CutSkipper(QObject):
    """While the preview plays, it jumps over the parts cut out between kept ones (words cut
    here, pauses an auto-trim dropped), so the volunteer hears the video as it will be. The
    trimmed ends are not its business: the start is where play begins, the end card follows
    the end (brand_preview_controller.py)."""

    def __init__(self, workspace: Workspace, player: Player, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.player = player

    def follow(self, seconds: float) -> None:
        session = self.workspace.current
        if session is None or not self.player.is_playing() or len(session.segments()) < 2:
            return
        from clipstudio.core.edit.cuts import cut_inside

        cut = cut_inside(session.segments(), seconds)
        if cut is not None:
            self.player.seek(cut.end)
