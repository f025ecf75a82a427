"""The window's captions: the editor keeps word timings true to the text, the preview draws the
shape's lines and lights the spoken word as the export will, and the style picker beside the
preview changes it at once (measured on painted pixels)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter, QUndoStack
from test_gui_branding import _open, _window, sample_kit, user_dirs  # noqa: F401

from clipstudio.core.export.contrast import hex_rgb, readable_on_box
from clipstudio.core.export.layout import box_opacity
from clipstudio.core.export.presets import PRESETS
from clipstudio.core.speech.types import Caption, CaptionStyle, CaptionWord
from clipstudio.core.vocabulary import CaptionLook, Shape

ACCENT = "#F4A300"
SPOKEN = Caption(1.0, 4.0, ("Please vote for Maria Lopez on Thursday.",), (
    CaptionWord("Please", 1.0, 1.3), CaptionWord("vote", 1.35, 1.6), CaptionWord("for", 1.65, 1.8),
    CaptionWord("Maria", 1.85, 2.2), CaptionWord("Lopez", 2.25, 2.7), CaptionWord("on", 2.75, 2.9),
    CaptionWord("Thursday.", 2.95, 3.6),
))  # fmt: skip


@pytest.fixture
def model():
    from clipstudio.gui.captions import CaptionTableModel

    stack = QUndoStack()
    model = CaptionTableModel(stack)
    model.set_captions([SPOKEN, Caption(5.0, 6.0, ("Thank you",))])
    yield model
    stack.clear()  # see test_gui.caption_model: the stack must empty before Qt goes


def timings(caption: Caption) -> list[tuple[str, float, float]]:
    return [(w.text, w.start, w.end) for w in caption.words]


def test_the_editor_keeps_word_timings_true_to_the_text(qtbot, model) -> None:
    original = timings(SPOKEN)
    # A corrected word keeps the time of the word it replaced.
    assert model.edit_text(0, "Please vote for Maria Lopes on Thursday.")
    edited = model.captions[0]
    assert edited.has_word_timings and timings(edited)[4] == ("Lopes", 2.25, 2.7)
    assert timings(edited)[:4] == original[:4]
    # Split at 2.22 s: the words said before it go first, with their own times.
    assert model.split(0, at=2.22)
    first, second = model.captions[0], model.captions[1]
    assert [w.text for w in first.words] == ["Please", "vote", "for", "Maria"]
    assert [w.text for w in second.words] == ["Lopes", "on", "Thursday."]
    assert first.has_word_timings and second.has_word_timings
    # Merged back, the timings are whole again.
    assert model.merge_with_next(0)
    assert timings(model.captions[0])[:4] == original[:4]
    # A moved caption takes its words along; a shortened one holds them inside.
    assert model.nudge(0, 0.3)
    assert model.captions[0].words[0].start == pytest.approx(1.3)
    assert model.set_times(0, 1.3, 3.0)
    assert all(1.3 <= w.start <= w.end <= 3.0 for w in model.captions[0].words)
    # Replace-all keeps every untouched word's time.
    assert model.replace_all("Lopes", "Lopez") == 1
    assert model.captions[0].has_word_timings
    assert [w.text for w in model.captions[0].words][4] == "Lopez"
    # A caption from a file has no timings to keep, and gets none invented.
    assert model.edit_text(1, "Thank you all")
    assert model.captions[1].words == ()


def paint(caption: Caption, at: float, look: CaptionLook, shape: Shape = Shape.FEED) -> np.ndarray:
    """The preview's caption overlay painted at output size, as RGB."""
    from clipstudio.gui.player import CaptionOverlay

    preset = PRESETS[shape]
    overlay = CaptionOverlay()
    overlay.set_geometry(QRectF(0, 0, preset.width, preset.height), preset,
                         CaptionStyle(background=look), ACCENT)  # fmt: skip
    overlay.set_caption(caption, at)
    image = QImage(preset.width, preset.height, QImage.Format.Format_RGB888)
    image.fill(0x2860A0)
    painter = QPainter(image)
    overlay.paint(painter, None)
    painter.end()
    stride = image.bytesPerLine()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8)[: stride * preset.height]
    return (
        raw.reshape(preset.height, stride)[:, : preset.width * 3]
        .reshape(preset.height, preset.width, 3)
        .astype(int)
    )


def lit_centre(picture: np.ndarray) -> tuple[float, float] | None:
    colour = np.array(hex_rgb(readable_on_box(ACCENT, box_opacity(CaptionLook.HIGHLIGHT))))
    ys, xs = np.nonzero(np.abs(picture - colour).max(axis=2) < 30)
    return (float(xs.mean()), float(ys.mean())) if len(xs) > 20 else None


def test_the_preview_lights_the_spoken_word_as_the_export_does(qtbot) -> None:
    places = [lit_centre(paint(SPOKEN, (w.start + w.end) / 2, CaptionLook.HIGHLIGHT))
              for w in SPOKEN.words]  # fmt: skip
    assert all(p is not None for p in places)
    xs = [p[0] for p in places if p is not None]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)  # one line, word after word
    # Before the first word and in the box look nothing is lit.
    assert lit_centre(paint(SPOKEN, 1.0 - 0.2, CaptionLook.HIGHLIGHT)) is None
    assert lit_centre(paint(SPOKEN, 2.0, CaptionLook.BOX)) is None


def test_the_preview_draws_the_shapes_lines(qtbot) -> None:
    """A 40-character line of the editor is more lines on Reels (25 a line), as burned."""
    from clipstudio.gui.player import burned_parts

    (reels,) = burned_parts(SPOKEN, PRESETS[Shape.REELS], CaptionStyle())
    assert len(reels.lines) >= 2 and all(len(line) <= 25 for line in reels.lines)
    (feed,) = burned_parts(SPOKEN, PRESETS[Shape.FEED], CaptionStyle())
    assert feed.lines == SPOKEN.lines
    picture = paint(SPOKEN, 3.2, CaptionLook.HIGHLIGHT, Shape.REELS)
    lit = lit_centre(picture)
    white = np.nonzero((picture > 240).all(axis=2))[0]
    assert lit is not None and lit[1] > white.min() + 40  # "Thursday." lit on a lower line


def test_the_style_picker_changes_the_preview_at_once(qtbot, user_dirs, media) -> None:  # noqa: F811
    from gui_media import gui_speech_clip

    from clipstudio.gui.settings import load_settings

    window = _window(qtbot, sample_kit())
    session = _open(qtbot, window, gui_speech_clip(media))
    session.captions.set_captions([SPOKEN])
    window.player.seek(2.0)  # "Maria"
    overlay = window.player.view.overlay
    assert overlay.shown is not None and overlay.shown[1] is None  # the box look
    picker = window.export_panel.caption_look
    picker.setCurrentIndex(picker.findData(str(CaptionLook.HIGHLIGHT)))
    assert overlay.style.background is CaptionLook.HIGHLIGHT
    assert overlay.accent == sample_kit().accent_colour
    assert overlay.shown[1] == 3  # "Maria", lit at once
    assert load_settings().caption_style.background is CaptionLook.HIGHLIGHT
    picker.setCurrentIndex(picker.findData(str(CaptionLook.OUTLINE)))
    assert overlay.shown[1] is None and not overlay.style.background.boxed
    # Back to the default: Qt keeps the settings file it first found for the whole run.
    picker.setCurrentIndex(picker.findData(str(CaptionLook.BOX)))
