"""Preview player: the clip inside the chosen output frame, with captions drawn as they will burn in.

The caption overlay uses the burned-in style's numbers (font file, size as a fraction of the output
height, bottom safe margin of the preset), so what the volunteer sees is what Facebook will show.
The brand overlay shows the export's own logo, lower-third and end-card pictures
(clipstudio.core.branding.layers), scaled from output pixels to the preview's frame.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Q_ARG, QEventLoop, QMetaObject, QRectF, Qt, QUrl, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QResizeEvent,
    QTransform,
)
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from clipstudio.core.branding.layers import layer_opacity
from clipstudio.core.export.contrast import readable_on_box
from clipstudio.core.export.layout import box_alpha, box_opacity, caption_box
from clipstudio.core.export.presets import PRESETS, Preset
from clipstudio.core.speech.subtitles import DEFAULT_ACCENT
from clipstudio.core.speech.types import Caption, CaptionStyle
from clipstudio.core.vocabulary import CaptionPosition, Shape
from clipstudio.gui.fix_preview import FixedPicture, PictureLook
from clipstudio.resources import CAPTION_FONT_NAME, caption_font_file

if TYPE_CHECKING:
    from clipstudio.core.branding.layers import BrandLayers

# J/K/L shuttle: each press of L (or J) doubles the speed up to this.
MAX_SHUTTLE_RATE = 8.0
# Fallback frame length for arrow-key stepping when the frame rate is unknown (30 fps).
DEFAULT_FRAME_S = 1 / 30
_font_family: str | None = None


def caption_font_family() -> str:
    """Register the bundled caption font once; the family Qt knows it by."""
    global _font_family
    if _font_family is None:
        font_id = QFontDatabase.addApplicationFont(str(caption_font_file()))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        _font_family = families[0] if families else CAPTION_FONT_NAME
    return _font_family


@functools.lru_cache(maxsize=64)
def burned_parts(caption: Caption, preset: Preset, style: CaptionStyle) -> tuple[Caption, ...]:
    """`caption` as the export burns it on `preset`: re-broken to the shape's lines (a caption
    too long for them becomes consecutive parts, cut at its words' times)."""
    from clipstudio.core.export.layout import caption_rules
    from clipstudio.core.speech.layout import reflow_captions

    rules = caption_rules(preset, preset.width, preset.height, style)
    return tuple(reflow_captions([caption], rules)) or (caption,)


def lit_word(caption: Caption, at: float | None) -> int | None:
    """The word the highlight look lights at source time `at` (as the ASS events do)."""
    from clipstudio.core.speech.subtitles import highlight_spans

    if at is None or not caption.has_word_timings:
        return None
    return next((lit for start, end, lit in highlight_spans(caption) if start <= at < end), None)


class CaptionOverlay(QGraphicsItem):
    """Draws one caption inside the output frame rectangle, as libass will: the shape's lines,
    and in the highlight look the word being spoken in the accent colour."""

    def __init__(self) -> None:
        super().__init__()
        self.frame = QRectF(0, 0, 16, 9)
        self.preset: Preset = PRESETS[Shape.FEED]
        self.style = CaptionStyle()
        self.accent = DEFAULT_ACCENT
        self.caption: Caption | None = None
        self.shown: tuple[tuple[str, ...], int | None] | None = None  # lines, lit word
        self.setZValue(10)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        return self.frame

    def set_geometry(
        self, frame: QRectF, preset: Preset, style: CaptionStyle, accent: str = DEFAULT_ACCENT
    ) -> None:
        self.prepareGeometryChange()
        self.frame, self.preset, self.style, self.accent = frame, preset, style, accent
        self._show(self.caption, None)
        self.update()

    def set_caption(self, caption: Caption | None, at: float | None = None) -> None:
        """The caption on screen at source time `at` (None: not playing a time)."""
        self.caption = caption
        self._show(caption, at)

    def _show(self, caption: Caption | None, at: float | None) -> None:
        shown = None
        if caption is not None and caption.lines:
            parts = burned_parts(caption, self.preset, self.style)
            part = next((p for p in parts if at is not None and p.start <= at < p.end), parts[0])
            lit = lit_word(part, at) if self.style.background.highlights_words else None
            shown = (part.lines, lit)
        if shown != self.shown:
            self.shown = shown
            self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if self.shown is None:
            return
        lines, lit = self.shown
        # Work in output pixels with the export's own caption box, then scale to the preview.
        width, height = self.preset.width, self.preset.height
        box = caption_box(self.preset, width, height, self.style)
        font = caption_font(box.font_size)
        metrics = QFontMetricsF(font)
        line_h = metrics.height()
        block_h = line_h * len(lines)
        top = (
            box.margin_v if box.position is CaptionPosition.TOP else height - box.margin_v - block_h
        )
        painter.save()
        painter.translate(self.frame.topLeft())
        painter.scale(self.frame.width() / width, self.frame.height() / height)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        boxed = self.style.background.boxed
        box_colour = QColor(0, 0, 0, 255 - box_alpha(self.style.background))
        lit_colour = QColor(readable_on_box(self.accent, box_opacity(self.style.background)))
        padding, outline = box.padding, box.outline
        first_word = 0
        for number, line in enumerate(lines):
            text_w = metrics.horizontalAdvance(line)
            x = (width - text_w) / 2
            baseline = top + number * line_h + metrics.ascent()
            path = QPainterPath()
            path.addText(x, baseline, font, line)
            if boxed:
                box_rect = path.boundingRect().adjusted(-padding, -padding, padding, padding)
                painter.fillRect(box_rect, box_colour)
            else:
                painter.strokePath(path, QPen(QColor("black"), 2 * outline))
            painter.fillPath(path, QBrush(QColor("white")))
            tokens = line.split()
            if lit is not None and first_word <= lit < first_word + len(tokens):
                before = " ".join(tokens[: lit - first_word])
                offset = metrics.horizontalAdvance(before + " ") if before else 0.0
                word = QPainterPath()
                word.addText(x + offset, baseline, font, tokens[lit - first_word])
                painter.fillPath(word, QBrush(lit_colour))
            first_word += len(tokens)
        painter.restore()


def caption_font(size_px: int) -> QFont:
    """The caption font at libass's size: ASS sizes the line (ascent + descent), Qt the em."""
    font = QFont(caption_font_family())
    font.setBold(True)
    font.setPixelSize(100)
    line_per_em = QFontMetricsF(font).height() / 100
    font.setPixelSize(max(1, round(size_px / line_per_em)))
    return font


class BrandOverlay(QGraphicsItem):
    """The export's brand pictures over the video: logo, lower third (faded by output time) and
    the full-frame end card. Children sit at their output-pixel positions; this item's transform
    maps output pixels onto the preview's frame rectangle."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(12)  # the export overlays the pictures after burning the captions
        self.layers: BrandLayers | None = None
        self.logo_item = self._child(1)
        self.lower_third_item = self._child(2)
        # The end card covers captions too: on the exported timeline it comes after the speech.
        self.end_card_item = self._child(30)
        self.frame = QRectF(0, 0, 16, 9)
        self.end_card_showing = False
        self.time: float | None = None

    def _child(self, z: float) -> QGraphicsPixmapItem:
        item = QGraphicsPixmapItem(self)
        item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        item.setZValue(z)
        item.setVisible(False)
        return item

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        return QRectF()  # draws nothing itself; the children draw

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        pass

    def set_frame(self, frame: QRectF) -> None:
        self.frame = frame
        self._place()

    def set_layers(self, layers: BrandLayers | None, images: dict[str, QImage]) -> None:
        """New pictures (drawn off the GUI thread); kept as pixmaps until the next change."""
        self.layers = layers
        for name, item, layer in (
            ("logo", self.logo_item, layers.logo if layers else None),
            ("lower_third", self.lower_third_item, layers.lower_third if layers else None),
            ("end_card", self.end_card_item, None),
        ):
            image = images.get(name)
            item.setPixmap(QPixmap.fromImage(image) if image is not None else QPixmap())
            item.setPos(layer.x if layer else 0, layer.y if layer else 0)
        self._place()
        self.set_time(self.time)
        self.show_end_card(self.end_card_showing)

    def _place(self) -> None:
        if self.layers is None or self.layers.width <= 0 or self.layers.height <= 0:
            return
        self.setTransform(
            QTransform.fromTranslate(self.frame.left(), self.frame.top()).scale(
                self.frame.width() / self.layers.width, self.frame.height() / self.layers.height
            )
        )

    def set_time(self, t: float | None) -> None:
        """`t`: seconds on the exported timeline, or None where the export cuts this moment."""
        self.time = t
        layers = self.layers
        for item, layer in (
            (self.logo_item, layers.logo if layers else None),
            (self.lower_third_item, layers.lower_third if layers else None),
        ):
            opacity = layer_opacity(layer, t) if layer is not None and t is not None else 0.0
            item.setOpacity(opacity)
            item.setVisible(opacity > 0 and not item.pixmap().isNull())

    def has_end_card(self) -> bool:
        return not self.end_card_item.pixmap().isNull()

    def show_end_card(self, on: bool) -> None:
        self.end_card_showing = on and self.has_end_card()
        self.end_card_item.setVisible(self.end_card_showing)


class PreviewView(QGraphicsView):
    """Scene with the output frame, the video fitted inside it, and the caption overlay."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scene_ = QGraphicsScene(self)
        self.setScene(self.scene_)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setBackgroundBrush(QColor(24, 24, 24))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.frame_item = self.scene_.addRect(QRectF(), QPen(QColor(90, 90, 90)), QColor("black"))
        # The picture is a child of the frame, clipped to it, so a crop shows exactly what is cut;
        # it places the picture and draws the fixes as the export will (gui/fix_preview.py).
        self.frame_item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape)
        self.picture = FixedPicture(self.frame_item)
        self.overlay = CaptionOverlay()
        self.scene_.addItem(self.overlay)
        self.brand = BrandOverlay()
        self.scene_.addItem(self.brand)
        self.preset: Preset = PRESETS[Shape.FEED]
        self.style = CaptionStyle()
        self.accent = DEFAULT_ACCENT
        # 16:9 at a size that leaves the timeline and the buttons on a 720 px high screen.
        self.setMinimumSize(240, 135)
        self.setAccessibleName("Preview")
        self.setToolTip("Preview with captions as they will appear. Click to play or pause.")

    def set_output(
        self,
        preset: Preset,
        style: CaptionStyle,
        look: PictureLook | None = None,
        accent: str = DEFAULT_ACCENT,
    ) -> None:
        """`look` is the export's placement and picture fixes (None: the picture shown whole
        until the clip is known). `accent` lights the word being spoken in the highlight look
        (the brand kit's)."""
        self.preset, self.style, self.accent = preset, style, accent
        self.picture.set_look(look)
        self._layout()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._layout()

    def mousePressEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt's name
        self.clicked.emit()
        super().mousePressEvent(event)

    def _layout(self) -> None:
        view = QRectF(self.viewport().rect())
        margin = 8.0
        available = view.adjusted(margin, margin, -margin, -margin)
        if available.width() <= 0 or available.height() <= 0:
            return
        aspect = self.preset.width / self.preset.height
        width = min(available.width(), available.height() * aspect)
        height = width / aspect
        frame = QRectF(
            available.center().x() - width / 2, available.center().y() - height / 2, width, height
        )
        self.scene_.setSceneRect(view)
        self.frame_item.setRect(frame)  # in scene coordinates, as its children's
        self.picture.set_frame_rect(frame, self.devicePixelRatioF())
        self.overlay.set_geometry(frame, self.preset, self.style, self.accent)
        self.brand.set_frame(frame)


class Player(QWidget):
    """QMediaPlayer plus the preview; owns play/pause, shuttle (J/K/L), stepping and seeking."""

    position_changed = Signal(float)  # seconds
    duration_changed = Signal(float)
    playing_changed = Signal(bool)
    reached_end = Signal()  # playback ran to the end of the source

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QVBoxLayout

        self.view = PreviewView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.media = QMediaPlayer(self)
        self.audio = QAudioOutput(self)
        self.media.setAudioOutput(self.audio)
        self.media.setVideoSink(self.view.picture.sink)
        self.media.positionChanged.connect(lambda ms: self.position_changed.emit(ms / 1000))
        self.media.durationChanged.connect(lambda ms: self.duration_changed.emit(ms / 1000))
        self.media.playbackStateChanged.connect(
            lambda state: self.playing_changed.emit(
                state == QMediaPlayer.PlaybackState.PlayingState
            )
        )
        self.media.mediaStatusChanged.connect(self._status_changed)
        self.view.clicked.connect(self.toggle_play)
        self.frame_seconds = DEFAULT_FRAME_S
        self.captions_source: Callable[[float], Caption | None] | None = None
        # Source seconds -> seconds on the exported timeline (None where the export cuts).
        self.output_time_source: Callable[[float], float | None] | None = None
        self.position_changed.connect(self._update_caption)
        self.position_changed.connect(self._update_brand)

    def load(self, path: str, frame_rate: float | None = None) -> None:
        self._from_event_loop(("stop",), ("setSource", QUrl.fromLocalFile(path)))
        self.view.picture.clear()  # not the last clip's picture until this one's first frame
        self.frame_seconds = 1 / frame_rate if frame_rate else DEFAULT_FRAME_S
        self.view.overlay.set_caption(None)

    def _status_changed(self, status: QMediaPlayer.MediaStatus) -> None:
        # Show the first frame instead of a black box as soon as the clip is loaded.
        if status == QMediaPlayer.MediaStatus.LoadedMedia and not self.is_playing():
            self.media.pause()
        elif status == QMediaPlayer.MediaStatus.EndOfMedia:
            self.reached_end.emit()

    def unload(self) -> None:
        self._from_event_loop(("stop",), ("setSource", QUrl()))
        self.view.picture.clear()

    def _from_event_loop(self, *calls: tuple[object, ...]) -> None:
        """Call QMediaPlayer slots from Qt's event loop, not from Python, and wait for them.

        stop() and setSource() wait for the FFmpeg backend's threads to finish, and those
        threads can need the GIL on their way out (PySide looks for Python overrides while their
        objects are deleted). Called from Python, the GUI thread holds the GIL while it waits:
        the window froze for good (2 of 5 runs of 30 load/seek/unload rounds, py-spy showed both
        threads waiting). A nested event loop runs the calls with the GIL free."""
        loop = QEventLoop()
        for name, *args in calls:
            arguments = [Q_ARG(type(arg), arg) for arg in args]
            QMetaObject.invokeMethod(self.media, str(name), Qt.ConnectionType.QueuedConnection,
                                     *arguments)  # fmt: skip
        # Posted after the calls, to the same thread: it runs once they have.
        QMetaObject.invokeMethod(loop, "quit", Qt.ConnectionType.QueuedConnection)
        loop.exec()

    def position(self) -> float:
        return self.media.position() / 1000

    def duration(self) -> float:
        return self.media.duration() / 1000

    def is_playing(self) -> bool:
        return self.media.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def seek(self, seconds: float, nearby: bool = False) -> None:
        """`nearby`: a frame's step, after which the frames shown before still count for the
        preview's deflicker (the export's window takes frames on both sides too)."""
        self.media.setPosition(max(0, round(seconds * 1000)))
        if not nearby:
            self.view.picture.restart_flicker()
        self._update_caption(seconds)
        self._update_brand(seconds)

    def toggle_play(self) -> None:
        if self.is_playing():
            self.media.pause()
        else:
            self.media.setPlaybackRate(1.0)
            self.media.play()

    def pause(self) -> None:
        self.media.setPlaybackRate(1.0)
        self.media.pause()

    def shuttle_forward(self) -> None:
        """L: play, or play faster when already playing forward."""
        rate = self.media.playbackRate()
        if self.is_playing() and rate >= 1.0:
            self.media.setPlaybackRate(min(MAX_SHUTTLE_RATE, rate * 2))
        else:
            self.media.setPlaybackRate(1.0)
            self.media.play()

    def shuttle_back(self) -> None:
        """J: jump back a second per press (reverse playback is not reliable in QtMultimedia)."""
        self.seek(max(0.0, self.position() - 1.0))

    def step(self, frames: int) -> None:
        self.pause()
        self.seek(max(0.0, self.position() + frames * self.frame_seconds), nearby=abs(frames) == 1)

    def refresh_caption(self) -> None:
        self._update_caption(self.position())

    def _update_caption(self, seconds: float) -> None:
        caption = self.captions_source(seconds) if self.captions_source else None
        self.view.overlay.set_caption(caption, seconds)

    def set_brand_layers(self, layers: BrandLayers | None, images: dict[str, QImage]) -> None:
        self.view.brand.set_layers(layers, images)

    def refresh_brand(self) -> None:
        self._update_brand(self.position())

    def _update_brand(self, seconds: float) -> None:
        source = self.output_time_source
        self.view.brand.set_time(source(seconds) if source is not None else None)

    def show_end_card(self, on: bool) -> None:
        self.view.brand.show_end_card(on)
