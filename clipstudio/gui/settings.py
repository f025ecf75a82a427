"""Settings (QSettings): speech engine and model, caption style, default output folder, and where
the window was left."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from clipstudio.core.speech.types import MAX_SIZE_SCALE, MIN_SIZE_SCALE, CaptionStyle
from clipstudio.core.vocabulary import (
    DEFAULT_ENGINE,
    EMBEDDED_MODEL,
    CaptionLook,
    CaptionPosition,
    Engine,
)
from clipstudio.gui.workers import TaskRunner, Worker

ORGANISATION = APPLICATION = "clipstudio"
# Caption size is offered as a percentage of the shape's own caption size (core export.layout):
# 100 % is the readable minimum the shape's rule sets.
MIN_SIZE_PERCENT, MAX_SIZE_PERCENT = round(100 * MIN_SIZE_SCALE), round(100 * MAX_SIZE_SCALE)


@dataclass(frozen=True)
class AppSettings:
    engine: Engine = DEFAULT_ENGINE
    model: str = EMBEDDED_MODEL
    caption_style: CaptionStyle = CaptionStyle()
    output_dir: str = ""

    @property
    def speech_model(self) -> str | None:
        """The model to ask the core for: None for the built-in one."""
        return None if self.model in ("", EMBEDDED_MODEL) else self.model


def qsettings() -> QSettings:
    return QSettings(ORGANISATION, APPLICATION)


def default_output_dir() -> str:
    videos = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.MoviesLocation)
    return str(Path(videos or Path.home()) / "Clip Studio")


def load_settings() -> AppSettings:
    store = qsettings()
    defaults = CaptionStyle()
    background = str(store.value("captions/background", defaults.background))
    position = str(store.value("captions/position", defaults.position))
    engine = str(store.value("speech/engine", DEFAULT_ENGINE))
    return AppSettings(
        engine=Engine(engine) if engine in tuple(Engine) else DEFAULT_ENGINE,
        model=str(store.value("speech/model", EMBEDDED_MODEL)),
        caption_style=CaptionStyle(
            size_scale=float(store.value("captions/size_scale", defaults.size_scale)),
            background=CaptionLook(background)
            if background in tuple(CaptionLook)
            else defaults.background,
            position=CaptionPosition(position)
            if position in tuple(CaptionPosition)
            else defaults.position,
        ),
        output_dir=str(store.value("export/output_dir", "")) or default_output_dir(),
    )


def save_settings(settings: AppSettings) -> None:
    store = qsettings()
    store.setValue("speech/engine", str(settings.engine))
    store.setValue("speech/model", settings.model)
    store.setValue("captions/size_scale", settings.caption_style.size_scale)
    store.setValue("captions/background", str(settings.caption_style.background))
    store.setValue("captions/position", str(settings.caption_style.position))
    store.setValue("export/output_dir", settings.output_dir)
    store.sync()


# The window's size on a first start, before there is a remembered one.
FIRST_WINDOW_SIZE = (1360, 820)
# What a window manager adds around a window (borders, title bar), pixels: generous for the
# usual themes (openbox 4+23, GNOME's 37 title bar).
WINDOW_FRAME_ALLOWANCE = (16, 48)


def restore_window_layout(window: QMainWindow, splitter: QSplitter) -> None:
    """The size, place and column widths the window had when it was last closed; on a first
    start FIRST_WINDOW_SIZE, or the whole screen when that is smaller (a 1366x768 laptop)."""
    store = qsettings()
    geometry = store.value("window/geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    else:
        window.resize(*FIRST_WINDOW_SIZE)
    screen = window.screen()
    if screen is not None:
        area = screen.availableGeometry()
        # The title bar and borders come on top of the window's own size.
        if (window.width() + WINDOW_FRAME_ALLOWANCE[0] > area.width()
                or window.height() + WINDOW_FRAME_ALLOWANCE[1] > area.height()):  # fmt: skip
            window.resize(
                min(window.width(), area.width() - WINDOW_FRAME_ALLOWANCE[0]),
                min(window.height(), area.height() - WINDOW_FRAME_ALLOWANCE[1]),
            )
            window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    columns = store.value("window/splitter")
    if isinstance(columns, QByteArray) and not columns.isEmpty():
        splitter.restoreState(columns)


def save_window_layout(window: QMainWindow, splitter: QSplitter) -> None:
    store = qsettings()
    store.setValue("window/geometry", window.saveGeometry())
    store.setValue("window/splitter", splitter.saveState())
    store.sync()


def model_choices() -> list[tuple[str, str]]:
    """(model name, status) for every model the app knows: built in, downloaded or available."""
    from clipstudio.core.speech.models import list_models_lines

    choices: list[tuple[str, str]] = []
    for line in list_models_lines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "faster-whisper":
            status = "built in" if parts[2] == "built" else parts[2]
            choices.append((parts[1], status))
    return choices


class SettingsDialog(QDialog):
    def __init__(
        self, settings: AppSettings, tasks: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.tasks = tasks
        self.download_worker: Worker | None = None
        self.engine = QComboBox()
        self.engine.addItems(list(Engine))
        self.engine.setCurrentText(settings.engine)
        self.engine.setAccessibleName("Speech engine")
        self.model = QComboBox()
        self.model.setAccessibleName("Speech model")
        self.model.setToolTip(
            "Bigger models write better captions but are slower and need a download"
        )
        self._fill_models(settings.model)
        self.download_button = QPushButton("Download")
        self.download_button.setAccessibleName("Download model")
        self.download_button.setToolTip("Download the chosen model (needs the internet, once)")
        self.download_button.clicked.connect(self.start_download)
        self.download_progress = QProgressBar()
        self.download_progress.setRange(0, 1000)
        self.download_progress.setVisible(False)
        self.download_progress.setAccessibleName("Model download progress")
        self.download_status = QLabel("")
        self.download_status.setWordWrap(True)
        self.model.currentIndexChanged.connect(self._update_download_button)
        model_row = QHBoxLayout()
        model_row.addWidget(self.model, 1)
        model_row.addWidget(self.download_button)

        self.size = QSpinBox()
        self.size.setRange(MIN_SIZE_PERCENT, MAX_SIZE_PERCENT)
        self.size.setSingleStep(10)
        self.size.setSuffix(" % of the standard size")
        self.size.setValue(round(settings.caption_style.size_scale * 100))
        self.size.setAccessibleName("Caption size")
        # The look (box, outline, word highlight) is picked beside the preview, in the export
        # panel, where it shows at once; the dialog keeps what was picked there.
        self.look = settings.caption_style.background
        self.position = QComboBox()
        for position in CaptionPosition:
            self.position.addItem(position.label, str(position))
        self.position.setCurrentIndex(
            max(0, self.position.findData(str(settings.caption_style.position)))
        )
        self.position.setAccessibleName("Caption position")
        self.output_dir = QLineEdit(settings.output_dir)
        self.output_dir.setAccessibleName("Default output folder")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.output_dir, 1)
        folder_row.addWidget(browse)

        speech = QGroupBox("Speech to text")
        speech_form = QFormLayout(speech)
        speech_form.addRow("Engine:", self.engine)
        speech_form.addRow("Model:", model_row)
        speech_form.addRow(self.download_progress)
        speech_form.addRow(self.download_status)
        captions = QGroupBox("Captions")
        captions_form = QFormLayout(captions)
        captions_form.addRow("Size:", self.size)
        captions_form.addRow("Position:", self.position)
        export = QGroupBox("Export")
        export_form = QFormLayout(export)
        export_form.addRow("Save videos to:", folder_row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (speech, captions, export, buttons):
            layout.addWidget(widget)
        self._update_download_button()

    def _fill_models(self, selected: str) -> None:
        self.model.clear()
        try:
            choices = model_choices()
        except ImportError:
            choices = [(EMBEDDED_MODEL, "built in")]
        for name, status in choices:
            self.model.addItem(f"{name} ({status})", name)
            self.model.setItemData(self.model.count() - 1, status, 256)
        index = self.model.findData(selected)
        self.model.setCurrentIndex(max(0, index))

    def _update_download_button(self) -> None:
        status = self.model.currentData(256)
        self.download_button.setEnabled(status == "available" and self.download_worker is None)

    def start_download(self) -> None:
        name = str(self.model.currentData())

        def download(progress, cancel):  # noqa: ANN001, ANN202 - worker signature
            from clipstudio.core.speech.models import download_model

            return download_model(name, progress)

        worker = Worker(f"Downloading the {name} model", download)
        worker.signals.progress.connect(lambda f: self.download_progress.setValue(round(f * 1000)))
        worker.signals.finished.connect(lambda _p: self._download_done(name, None))
        worker.signals.failed.connect(lambda message, *_: self._download_done(name, message))
        worker.signals.done.connect(self._download_finished)
        self.download_worker = worker
        self.download_progress.setValue(0)
        self.download_progress.setVisible(True)
        self.download_status.setText(f"Downloading {name}…")
        self._update_download_button()
        self.tasks.start(worker)

    def _download_done(self, name: str, error: str | None) -> None:
        self.download_status.setText(error or f"{name} is ready to use.")
        self._fill_models(name)

    def _download_finished(self) -> None:
        self.download_worker = None
        self.download_progress.setVisible(False)
        self._update_download_button()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Save videos to", self.output_dir.text())
        if folder:
            self.output_dir.setText(folder)

    def settings(self) -> AppSettings:
        return AppSettings(
            engine=Engine(self.engine.currentText()),
            model=str(self.model.currentData() or EMBEDDED_MODEL),
            caption_style=CaptionStyle(
                size_scale=self.size.value() / 100,
                background=self.look,
                position=CaptionPosition(self.position.currentData()),
            ),
            output_dir=self.output_dir.text().strip() or default_output_dir(),
        )

    def reject(self) -> None:
        if self.download_worker is not None:
            self.download_worker.cancel()
        super().reject()
