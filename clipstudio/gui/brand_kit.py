"""Brand kit editor: the party's colours, logo, font, imprint and call to action, in one dialog.

A local party makes the kit once and hands the JSON file to its volunteers ("Import kit…"); the
kit is saved where the CLI finds it too (clipstudio.core.branding.kit.saved_brand_kit_path).
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clipstudio.core.branding.imprint import IMPRINT_EXAMPLE
from clipstudio.core.branding.kit import (
    BUNDLED_FONTS,
    CORNERS,
    Branding,
    BrandKit,
    font_file,
    load_brand_kit,
    save_brand_kit,
    saved_brand_kit_path,
)
from clipstudio.core.errors import BadInputError
from clipstudio.core.export.presets import PRESETS
from clipstudio.core.speech.types import CaptionStyle
from clipstudio.gui.brand_preview import LayerJob, LayerRenderer, RenderedLayers
from clipstudio.gui.dialogs import ErrorDialog, show_error
from clipstudio.gui.theme import warning_colour
from clipstudio.gui.workers import TaskRunner, Worker

log = logging.getLogger(__name__)

KIT_FILTER = "Brand kit (*.json);;All files (*)"
LOGO_FILTER = "Logo pictures (*.png *.svg *.jpg *.jpeg);;All files (*)"
CORNER_LABELS = {
    "top-left": "Top left",
    "top-right": "Top right",
    "bottom-left": "Bottom left",
    "bottom-right": "Bottom right",
}
# The logo thumbnail in the editor, pixels (the logo is shown small on the video too).
LOGO_THUMB = QSize(96, 96)
# Plain words for the UK rule, shown under the imprint field.
IMPRINT_NOTE = (
    "UK law (Elections Act 2022) says election material online must show who published it, who"
    " it is for, and a postal address for each. Clip Studio puts this on the end card of every"
    " video."
)
# The editor's previews: drawn at 640x360 (20 ms), shown at half that.
PREVIEW_RENDER = QSize(640, 360)
PREVIEW_SHOWN = QSize(320, 180)
# A name for the sample lower third (the real one is typed per clip in the export panel).
SAMPLE_SPEAKER = "Speaker's name, their role"
# Long enough for the whole lower third to show in the sample.
SAMPLE_DURATION_S = 10.0
# The sample frame behind the logo and the name strip: a neutral grey "video".
SAMPLE_BACKGROUND = QColor(96, 104, 112)
_font_families: dict[str, str] = {}


def brand_font_family(name: str) -> str:
    """Register a bundled brand-kit font once; the family Qt knows it by."""
    if name not in _font_families:
        font_id = QFontDatabase.addApplicationFont(str(font_file(name)))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        _font_families[name] = families[0] if families else name
    return _font_families[name]


def checkerboard(size: QSize, square: int = 8) -> QPixmap:
    """The grey squares behind a transparent picture, so the logo's see-through parts show."""
    pixmap = QPixmap(size)
    pixmap.fill(QColor(235, 235, 235))
    painter = QPainter(pixmap)
    for y in range(0, size.height(), square):
        for x in range((y // square) % 2 * square, size.width(), 2 * square):
            painter.fillRect(x, y, square, square, QColor(200, 200, 200))
    painter.end()
    return pixmap


def logo_thumbnail(logo_png: bytes | None, size: QSize = LOGO_THUMB) -> QPixmap:
    """The logo scaled into `size` over a checkerboard; the checkerboard alone when none."""
    pixmap = checkerboard(size)
    if logo_png:
        logo = QPixmap()
        if logo.loadFromData(logo_png, "PNG"):
            logo = logo.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                               Qt.TransformationMode.SmoothTransformation)  # fmt: skip
            painter = QPainter(pixmap)
            painter.drawPixmap((size.width() - logo.width()) // 2,
                               (size.height() - logo.height()) // 2, logo)  # fmt: skip
            painter.end()
    return pixmap


def sample_frame(rendered: RenderedLayers) -> QImage:
    """A grey stand-in for the video with the logo and the name strip where the export puts them."""
    layers = rendered.layers
    frame = QImage(layers.width, layers.height, QImage.Format.Format_ARGB32_Premultiplied)
    frame.fill(SAMPLE_BACKGROUND)
    painter = QPainter(frame)
    for name, layer in (("logo", layers.logo), ("lower_third", layers.lower_third)):
        image = rendered.images.get(name)
        if layer is not None and image is not None:
            painter.drawImage(layer.x, layer.y, image)
    painter.end()
    return frame


def kit_file_name(kit: BrandKit) -> str:
    """A file name from the kit's name: "North Ward Labour" -> "north-ward-labour.json"."""
    slug = re.sub(r"[^a-z0-9]+", "-", kit.name.lower()).strip("-")
    return f"{slug or 'brand-kit'}.json"


class ColourButton(QPushButton):
    """A swatch and its #RRGGBB; a click opens the colour picker."""

    colour_changed = Signal(str)

    def __init__(self, colour: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.colour = ""
        self.setAccessibleName(title)
        self.setToolTip(f"Choose the {title.lower()}")
        self.setIconSize(QSize(28, 18))
        self.clicked.connect(self.pick)
        self.set_colour(colour)

    def set_colour(self, colour: str) -> None:
        colour = QColor(colour).name().upper()
        if colour == self.colour:
            return
        self.colour = colour
        swatch = QPixmap(self.iconSize())
        swatch.fill(QColor(colour))
        painter = QPainter(swatch)
        painter.setPen(QColor(0, 0, 0, 90))
        painter.drawRect(swatch.rect().adjusted(0, 0, -1, -1))
        painter.end()
        self.setIcon(QIcon(swatch))
        self.setText(colour)
        self.colour_changed.emit(colour)

    def pick(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.colour), self, self.title)
        if chosen.isValid():
            self.set_colour(chosen.name())


class LogoRead(QObject):
    """One logo being read in the background. Its worker reports to this child of the dialog,
    not to the dialog: when the dialog is deleted this goes with it and Qt drops the worker's
    connections; and the dialog hears it only while it is the dialog's current read, which a
    newer pick, an imported kit, "No logo" and closing the dialog all end. A read that
    finishes or fails after that (a cancel comes too late once the child process has answered)
    changes nothing."""

    def __init__(self, dialog: BrandKitDialog, worker: Worker, path: Path) -> None:
        super().__init__(dialog)
        self.dialog, self.worker, self.path = dialog, worker, path
        worker.signals.finished.connect(self.finished)
        worker.signals.failed.connect(self.failed)
        worker.signals.done.connect(self.done)

    def current(self) -> bool:
        return self.dialog.logo_read is self

    @Slot(object)
    def finished(self, logo_png: bytes) -> None:
        if self.current():
            self.dialog._logo_ready(logo_png)

    @Slot(str, str, bool)
    def failed(self, message: str, details: str, user_fault: bool) -> None:
        if self.current():
            self.dialog._logo_failed(self.path, message, details, user_fault)

    @Slot()
    def done(self) -> None:
        if self.current():
            self.dialog._logo_done()
        self.deleteLater()


class BrandKitDialog(QDialog):
    """Edit, import and export the brand kit; OK saves it for the app and the CLI."""

    kit_changed = Signal(object)  # BrandKit, on every edit (the end-card preview follows it)

    def __init__(
        self, kit: BrandKit | None, tasks: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Brand kit")
        self.setAccessibleName("Brand kit")
        self.tasks = tasks
        self.logo_png: bytes | None = None
        self.logo_read: LogoRead | None = None  # the logo being read, if one is
        self.saved_kit: BrandKit | None = None
        self.last_error: ErrorDialog | None = None
        self._filling = False

        intro = QLabel(
            "Your party's look and words, added to every video: a logo in a corner, a name strip"
            " for the speaker, and an end card with what to do next and the legal imprint. Ask"
            " your local party for their kit file and import it, or fill it in here."
        )
        intro.setWordWrap(True)
        import_button = QPushButton("Import kit…")
        import_button.setAccessibleName("Import kit")
        import_button.setToolTip("Open a brand kit file your party gave you (.json)")
        import_button.clicked.connect(lambda: self.import_kit())
        export_button = QPushButton("Export kit…")
        export_button.setAccessibleName("Export kit")
        export_button.setToolTip("Save this kit as a file to give to other volunteers")
        export_button.clicked.connect(lambda: self.export_kit())
        file_row = QHBoxLayout()
        file_row.addWidget(import_button)
        file_row.addWidget(export_button)
        file_row.addStretch(1)

        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. North Ward Labour")
        self.name.setAccessibleName("Kit name")
        self.name.setToolTip("Only for you: it is not shown on the video")
        self.primary = ColourButton("#1D3557", "Main colour")
        self.primary.setToolTip("The end card's background and the name strip behind the speaker")
        self.text_colour = ColourButton("#FFFFFF", "Text colour")
        self.text_colour.setToolTip("The words on the main colour: pick one that stands out")
        self.accent = ColourButton("#F4A300", "Highlight colour")
        self.accent.setToolTip("The stripe beside the speaker's name and the link on the end card")
        colours = QHBoxLayout()
        for button in (self.primary, self.text_colour, self.accent):
            colours.addWidget(button)
        colours.addStretch(1)
        self.font_choice = QComboBox()
        self.font_choice.setAccessibleName("Font")
        for name in BUNDLED_FONTS:
            self.font_choice.addItem(name, name)
            sample = QFont(brand_font_family(name))
            sample.setBold(True)
            self.font_choice.setItemData(
                self.font_choice.count() - 1, sample, Qt.ItemDataRole.FontRole
            )

        self.logo_view = QLabel()
        self.logo_view.setFixedSize(LOGO_THUMB)
        self.logo_view.setAccessibleName("Logo")
        self.logo_button = QPushButton("Choose logo…")
        self.logo_button.setAccessibleName("Choose logo")
        self.logo_button.setToolTip("A PNG or SVG with a see-through background looks best")
        self.logo_button.clicked.connect(lambda: self.choose_logo())
        self.clear_logo_button = QPushButton("No logo")
        self.clear_logo_button.setAccessibleName("Remove logo")
        self.clear_logo_button.clicked.connect(self.clear_logo)
        self.logo_status = QLabel("")
        self.logo_status.setWordWrap(True)
        self.corner = QComboBox()
        self.corner.setAccessibleName("Logo corner")
        for corner in CORNERS:
            self.corner.addItem(CORNER_LABELS[corner], corner)
        logo_buttons = QVBoxLayout()
        logo_buttons.addWidget(self.logo_button)
        logo_buttons.addWidget(self.clear_logo_button)
        corner_row = QHBoxLayout()
        corner_row.addWidget(QLabel("Corner:"))
        corner_row.addWidget(self.corner, 1)
        logo_buttons.addLayout(corner_row)
        logo_buttons.addWidget(self.logo_status)
        logo_buttons.addStretch(1)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_view)
        logo_row.addLayout(logo_buttons, 1)

        self.imprint = QPlainTextEdit()
        self.imprint.setPlaceholderText(IMPRINT_EXAMPLE)
        self.imprint.setAccessibleName("Imprint")
        self.imprint.setTabChangesFocus(True)
        self.imprint.setFixedHeight(64)
        imprint_note = QLabel(IMPRINT_NOTE)
        imprint_note.setWordWrap(True)
        imprint_note.setStyleSheet("color: palette(placeholder-text)")
        self.call_to_action = QLineEdit()
        self.call_to_action.setPlaceholderText("e.g. Vote Sarah Jones on 7 May")
        self.call_to_action.setAccessibleName("Call to action")
        self.call_to_action.setToolTip("The big words on the end card: the one thing to do next")
        self.link = QLineEdit()
        self.link.setPlaceholderText("e.g. northwardlabour.org.uk (optional)")
        self.link.setAccessibleName("Link")
        self.link.setToolTip("A short web address shown on the end card")

        form = QFormLayout()
        form.addRow("Kit name:", self.name)
        form.addRow("Colours:", colours)
        form.addRow("Font:", self.font_choice)
        form.addRow("Logo:", logo_row)
        form.addRow("Imprint:", self.imprint)
        form.addRow("", imprint_note)
        form.addRow("Call to action:", self.call_to_action)
        form.addRow("Link:", self.link)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Save kit")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.during_view = self._preview_label("How the logo and the name strip sit on the video")
        self.card_view = self._preview_label("The end card, as it will be at the end of each video")
        self.preview_status = QLabel("")
        self.preview_status.setWordWrap(True)
        previews = QVBoxLayout()
        for title, view in (("During the video", self.during_view), ("End card", self.card_view)):
            previews.addWidget(QLabel(f"<b>{title}</b>"))
            previews.addWidget(view)
        previews.addWidget(self.preview_status)
        previews.addStretch(1)
        self.renderer = LayerRenderer(tasks, self)
        self.renderer.ready.connect(self._preview_ready)
        self.renderer.failed.connect(self._preview_failed)
        self.kit_changed.connect(self._request_preview)

        # Side by side, not stacked: laptop screens are wide and short.
        editor = QVBoxLayout()
        editor.addLayout(file_row)
        editor.addLayout(form)
        editor.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(editor, 1)
        columns.addSpacing(12)
        columns.addLayout(previews)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(columns)
        layout.addWidget(self.buttons)

        for line in (self.name, self.call_to_action, self.link):
            line.textChanged.connect(self._edited)
        self.imprint.textChanged.connect(self._edited)
        for button in (self.primary, self.text_colour, self.accent):
            button.colour_changed.connect(self._edited)
        for combo in (self.font_choice, self.corner):
            combo.currentIndexChanged.connect(self._edited)
        self.set_kit(kit or BrandKit())

    # --- the kit in the fields ----------------------------------------------------------------

    def set_kit(self, kit: BrandKit) -> None:
        self._filling = True
        try:
            self.name.setText(kit.name)
            self.primary.set_colour(kit.primary_colour)
            self.text_colour.set_colour(kit.text_colour)
            self.accent.set_colour(kit.accent_colour)
            self.font_choice.setCurrentIndex(max(0, self.font_choice.findData(kit.font)))
            self.corner.setCurrentIndex(max(0, self.corner.findData(kit.logo_corner)))
            self.imprint.setPlainText(kit.imprint)
            self.call_to_action.setText(kit.call_to_action)
            self.link.setText(kit.link)
            self.stop_logo()  # the kit's own logo wins over one still being read
            self._set_logo(kit.logo_png)
        finally:
            self._filling = False
        self._edited()

    def kit(self) -> BrandKit:
        return BrandKit(
            name=self.name.text().strip(),
            primary_colour=self.primary.colour,
            text_colour=self.text_colour.colour,
            accent_colour=self.accent.colour,
            font=str(self.font_choice.currentData()),
            logo_png=self.logo_png,
            logo_corner=self.corner.currentData(),
            imprint=self.imprint.toPlainText().strip(),
            call_to_action=self.call_to_action.text().strip(),
            link=self.link.text().strip(),
        )

    def _edited(self, *_args: Any) -> None:
        if not self._filling:
            self.kit_changed.emit(self.kit())

    def _set_logo(self, logo_png: bytes | None) -> None:
        self.logo_png = logo_png
        self.logo_view.setPixmap(logo_thumbnail(logo_png))
        self.logo_view.setToolTip("Your logo" if logo_png else "No logo")
        self.clear_logo_button.setEnabled(logo_png is not None)
        self.corner.setEnabled(logo_png is not None)

    # --- previews --------------------------------------------------------------------------------

    @staticmethod
    def _preview_label(tip: str) -> QLabel:
        label = QLabel()
        label.setFixedSize(PREVIEW_SHOWN)
        label.setToolTip(tip)
        label.setAccessibleName(tip)
        label.setStyleSheet("background: palette(mid)")
        return label

    def _request_preview(self, kit: BrandKit) -> None:
        """Drawn by the export's own renderer, off the GUI thread, once typing pauses."""
        branding = Branding.from_kit(kit, lower_third=SAMPLE_SPEAKER)
        self.renderer.request(
            LayerJob(branding, PREVIEW_RENDER.width(), PREVIEW_RENDER.height(), PRESETS["feed"],
                     SAMPLE_DURATION_S, CaptionStyle())
        )  # fmt: skip

    def _preview_ready(self, rendered: RenderedLayers | None) -> None:
        self.preview_status.setText("")
        if rendered is None:
            return

        def shown(image: QImage) -> QPixmap:
            return QPixmap.fromImage(image).scaled(
                PREVIEW_SHOWN, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )  # fmt: skip

        self.during_view.setPixmap(shown(sample_frame(rendered)))
        card = rendered.images.get("end_card")
        if card is not None:
            self.card_view.setPixmap(shown(card))
        else:
            self.card_view.clear()
            self.card_view.setText("Add a call to action or an imprint for an end card.")
            self.card_view.setWordWrap(True)
            self.card_view.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.card_view.setMargin(16)  # the words clear of the box's edges

    def _preview_failed(self, message: str) -> None:
        self.preview_status.setText(
            f"<span style='color:{warning_colour()}'>⚠ {html.escape(message)}</span>"
        )

    # --- logo ------------------------------------------------------------------------------------

    def choose_logo(self, path: Path | None = None) -> Worker | None:
        """Read a PNG, JPEG or SVG logo in the background (an SVG is drawn by ffmpeg)."""
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "Choose your logo", "", LOGO_FILTER)
            if not chosen:
                return None
            path = Path(chosen)
        self.stop_logo()

        def read_logo(progress: Any, cancel: Any) -> bytes:
            from clipstudio.core.isolate import run_isolated

            return run_isolated("clipstudio.core.branding.layers:import_logo", {"path": path},
                                progress=progress, cancel=cancel)  # fmt: skip

        worker = Worker(f"Reading the logo {path.name}", read_logo)
        self.logo_read = LogoRead(self, worker, path)
        self._show_reading(f"Reading {path.name}…")
        self.tasks.start(worker)
        return worker

    def stop_logo(self) -> None:
        """End the logo read under way, if any: what it brings later is not used."""
        if self.logo_read is not None:
            self.logo_read.worker.cancel()
            self.logo_read = None
            self._show_reading(None)

    def _show_reading(self, status: str | None) -> None:
        """While a logo is read, no other pick and no saving (the kit would lack it)."""
        self.logo_button.setEnabled(status is None)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(status is None)
        self.logo_status.setText(status or "")

    def _logo_ready(self, logo_png: bytes) -> None:
        self._set_logo(logo_png)
        self.logo_status.setText("")
        self._edited()

    def _logo_failed(self, path: Path, message: str, details: str, user_fault: bool) -> None:
        self.logo_status.setText("")
        self.last_error = show_error(
            self,
            f"Clip Studio could not use {path.name} as a logo. {message}",
            "" if user_fault else details,
        )

    def _logo_done(self) -> None:
        self.logo_read = None
        self._show_reading(None)

    def clear_logo(self) -> None:
        self.stop_logo()
        self._set_logo(None)
        self._edited()

    # --- kit files -------------------------------------------------------------------------------

    def import_kit(self, path: Path | None = None) -> bool:
        """Fill the fields from a kit file; a bad file changes nothing and says why."""
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "Import a brand kit", "", KIT_FILTER)
            if not chosen:
                return False
            path = Path(chosen)
        try:
            kit = load_brand_kit(path)
        except BadInputError as exc:
            self.last_error = show_error(
                self, f"Clip Studio cannot use {Path(path).name} as a brand kit: {exc}."
            )
            return False
        self.set_kit(kit)
        return True

    def export_kit(self, path: Path | None = None) -> bool:
        """Save the kit as it is in the fields, to hand to other volunteers."""
        kit = self.kit()
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Export the brand kit", kit_file_name(kit), KIT_FILTER
            )
            if not chosen:
                return False
            path = Path(chosen)
        try:
            save_brand_kit(kit, Path(path))
        except OSError as exc:
            self.last_error = show_error(
                self, f"Clip Studio cannot save the kit to {path}: {exc.strerror or exc}."
            )
            return False
        return True

    def accept(self) -> None:
        """Save the kit where the app and the CLI read it; stay open if that fails."""
        kit = self.kit()
        target = saved_brand_kit_path()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            save_brand_kit(kit, target)
        except OSError as exc:
            self.last_error = show_error(
                self,
                f"Clip Studio cannot save the brand kit in {target.parent}: {exc.strerror or exc}.",
            )
            return
        log.info("brand kit saved to %s", target)
        self.saved_kit = kit
        self.stop_logo()
        super().accept()

    def reject(self) -> None:
        self.stop_logo()
        super().reject()
