"""Export panel: shape, captions, folder; progress with time remaining; the validated result."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from clipstudio.core.presets import PRESETS, Preset

CAPTION_MODE_LABELS = {
    "burn": "Burned into the picture",
    "srt": "Separate caption file (.srt)",
    "both": "Both (recommended)",
    "none": "No captions",
}
PORTRAIT_LABELS = {"blur": "Fill the sides with a blurred copy", "crop": "Crop to fill the frame"}


def preset_icon(preset: Preset, size: int = 56) -> QIcon:
    """A picture of the output shape: a phone-screen rectangle of the preset's aspect ratio."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scale = (size - 6) / max(preset.width, preset.height)
    w, h = preset.width * scale, preset.height * scale
    rect = QRectF((size - w) / 2, (size - h) / 2, w, h)
    painter.setPen(QPen(QColor(40, 120, 200), 2))
    painter.setBrush(QColor(40, 120, 200, 60))
    painter.drawRoundedRect(rect, 3, 3)
    unsafe = rect.height() * preset.bottom_unsafe_fraction
    painter.fillRect(
        QRectF(rect.left() + 1, rect.bottom() - unsafe, rect.width() - 2, unsafe),
        QColor(40, 120, 200, 110),
    )
    painter.end()
    return QIcon(pixmap)


def format_seconds(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class ExportPanel(QWidget):
    export_requested = Signal()
    cancel_requested = Signal()
    preset_changed = Signal(str)
    caption_mode_changed = Signal(str)
    portrait_changed = Signal(str)
    output_dir_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.last_output: Path | None = None
        self.preset_group = QButtonGroup(self)
        self.preset_group.setExclusive(True)
        shapes = QGridLayout()
        for number, preset in enumerate(PRESETS.values()):
            button = QToolButton()
            button.setText(preset.label)
            button.setIcon(preset_icon(preset))
            button.setIconSize(QSize(56, 56))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setMinimumWidth(110)
            button.setAccessibleName(preset.label)
            button.setToolTip(f"{preset.label}: {preset.width}×{preset.height}")
            button.setProperty("preset", preset.name)
            self.preset_group.addButton(button)
            shapes.addWidget(button, 0, number)
        self.preset_group.buttonToggled.connect(self._preset_toggled)
        self.caption_mode = QComboBox()
        self.caption_mode.setAccessibleName("Captions")
        for mode, label in CAPTION_MODE_LABELS.items():
            self.caption_mode.addItem(label, mode)
        self.caption_mode.currentIndexChanged.connect(
            lambda _i: self.caption_mode_changed.emit(self.caption_mode.currentData())
        )
        self.portrait = QComboBox()
        self.portrait.setAccessibleName("Portrait footage")
        for mode, label in PORTRAIT_LABELS.items():
            self.portrait.addItem(label, mode)
        self.portrait.currentIndexChanged.connect(
            lambda _i: self.portrait_changed.emit(self.portrait.currentData())
        )
        self.folder = QLineEdit()
        self.folder.setAccessibleName("Output folder")
        self.folder.editingFinished.connect(
            lambda: self.output_dir_changed.emit(self.folder.text())
        )
        browse = QPushButton("Choose…")
        browse.setAccessibleName("Choose output folder")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Captions:", self.caption_mode)
        form.addRow("Portrait footage:", self.portrait)
        form.addRow("Save to:", folder_row)

        self.export_button = QPushButton("Make the video")
        self.export_button.setAccessibleName("Export")
        self.export_button.setToolTip("Render a Facebook-ready MP4 (Ctrl+E)")
        self.export_button.setMinimumHeight(36)
        self.export_button.clicked.connect(self.export_requested)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Export progress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)
        self.progress.setFormat("")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel export")
        self.cancel_button.clicked.connect(self.cancel_requested)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAccessibleName("Export summary")
        self.show_folder = QPushButton("Show in folder")
        self.show_folder.setAccessibleName("Show in folder")
        self.show_folder.clicked.connect(self.open_folder)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Shape</b>"))
        layout.addLayout(shapes)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addWidget(self.export_button)
        layout.addLayout(progress_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.show_folder, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.set_running(False)
        self.show_folder.setVisible(False)

    # --- state from the window ----------------------------------------------------------------

    def set_choices(self, preset: str, caption_mode: str, portrait: str, output_dir: str) -> None:
        for button in self.preset_group.buttons():
            if button.property("preset") == preset:
                button.blockSignals(True)
                button.setChecked(True)
                button.blockSignals(False)
        for combo, value in ((self.caption_mode, caption_mode), (self.portrait, portrait)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        self.folder.setText(output_dir)

    def preset(self) -> str:
        button = self.preset_group.checkedButton()
        return str(button.property("preset")) if button else "feed"

    def set_running(self, running: bool) -> None:
        self.export_button.setEnabled(not running)
        self.cancel_button.setVisible(running)
        self.progress.setVisible(running)
        if running:
            self.progress.setValue(0)
            self.progress.setFormat("Starting…")
            self.summary.setText("")
            self.show_folder.setVisible(False)

    def set_progress(self, fraction: float, remaining: float | None) -> None:
        self.progress.setValue(round(fraction * 1000))
        left = f" — about {format_seconds(remaining)} left" if remaining is not None else ""
        self.progress.setFormat(f"{fraction * 100:.0f}%{left}")

    def show_result(self, output: Path, summary: str) -> None:
        self.last_output = output
        self.summary.setText(summary)
        self.show_folder.setVisible(True)

    def show_failure(self, text: str) -> None:
        self.summary.setText(text)

    def open_folder(self) -> None:
        if self.last_output is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_output.parent)))

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Save videos to", self.folder.text())
        if folder:
            self.folder.setText(folder)
            self.output_dir_changed.emit(folder)

    def _preset_toggled(self, button: QToolButton, checked: bool) -> None:
        if checked:
            self.preset_changed.emit(str(button.property("preset")))
