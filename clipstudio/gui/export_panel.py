"""Export panel: one video from all the clips or one each, shape, captions, folder, the branded
parts, music under the speech and pictures over it; progress; the validated result."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clipstudio.core.branding.imprint import IMPRINT_EXAMPLE
from clipstudio.core.branding.kit import END_CARD_MAX_S, END_CARD_MIN_S, Branding
from clipstudio.core.edit.plan import DEFAULT_MUSIC_LEVEL_DB, MUSIC_LEVEL_STEPS, Music
from clipstudio.core.export.layout import shape_layout
from clipstudio.core.export.presets import PRESETS, Preset
from clipstudio.core.export.summary import PlainRule
from clipstudio.core.timefmt import clock
from clipstudio.core.vocabulary import DEFAULT_SHAPE, CaptionLook, CaptionMode, PortraitFill, Shape
from clipstudio.gui.flow_layout import FlowLayout
from clipstudio.gui.theme import warning_colour

NO_IMPRINT_WARNING = (
    "No imprint. UK law says election material online must show who published it and their"
    " address. Add it here or in the brand kit."
)
# The imprint field's look while it is empty: the same red as the over-a-minute readout.
MISSING_STYLE = "QPlainTextEdit { border: 2px solid #c0392b; }"
# The shape buttons' pictures: big enough to tell 4:5 from 1:1, small enough for a 768 px screen.
SHAPE_ICON_PX = 40
# A choice list is at least this many characters wide (the rest of a long choice is cut).
COMBO_MIN_CHARACTERS = 14
MUSIC_FILTER = "Music (*.mp3 *.m4a *.aac *.wav *.flac *.ogg *.opus);;All files (*)"
RIGHTS_NOTE = (
    "Use only music you have the rights to: your own, or music licensed for this. Facebook"
    " may mute or take down a video with music you may not use."
)
# The list of pictures over the speech shows this many rows before it scrolls.
PICTURE_ROWS = 3
# The list of checks behind "Details" scrolls beyond this many rows, so an export's result
# never makes the window taller than a laptop screen (it raised the minimum to 892 px).
DETAILS_ROWS = 5


def narrow_combo() -> QComboBox:
    """A list that may be narrower than its longest choice (shown whole when it opens): the
    longest caption style made the panel wider than its column on a 1280 px screen."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(COMBO_MIN_CHARACTERS)
    return combo


def wrapping_form(parent: QWidget | None = None) -> QFormLayout:
    """Labels beside their fields, or above them when the column is narrow."""
    form = QFormLayout(parent)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


def shape_button_text(label: str) -> str:
    """ "Facebook feed 16:9" on two lines ("Facebook feed" over "16:9"): one line was cut to
    "Faceboo...ed 16:9" in the export panel's column."""
    name, _, ratio = label.rpartition(" ")
    return f"{name}\n{ratio}" if name else label


def preset_icon(preset: Preset, size: int = SHAPE_ICON_PX) -> QIcon:
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
    unsafe = rect.height() * shape_layout(preset.name).bottom
    painter.fillRect(
        QRectF(rect.left() + 1, rect.bottom() - unsafe, rect.width() - 2, unsafe),
        QColor(40, 120, 200, 110),
    )
    painter.end()
    return QIcon(pixmap)


class ExportPanel(QWidget):
    export_requested = Signal()
    cancel_requested = Signal()
    preset_changed = Signal(object)  # Shape
    caption_mode_changed = Signal(object)  # CaptionMode
    caption_look_changed = Signal(object)  # CaptionLook
    portrait_changed = Signal(object)  # PortraitFill
    output_dir_changed = Signal(str)
    # A ClipBranding field the volunteer changed, and its new value.
    branding_edited = Signal(str, object)
    end_card_preview_requested = Signal()
    brand_kit_requested = Signal()
    join_changed = Signal(bool)  # several clips: one video (True) or one each
    music_changed = Signal(object, str)  # Music or None, the undo menu's words
    folder_used = Signal(str)  # a file dialog was left in this folder
    picture_removed = Signal(object)  # the key of the picture row taken away

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.last_output: Path | None = None
        self.preset_group = QButtonGroup(self)
        self.preset_group.setExclusive(True)
        shapes = FlowLayout()  # four across when there is room, else two rows
        for preset in PRESETS.values():
            button = QToolButton()
            button.setText(shape_button_text(preset.label))
            button.setIcon(preset_icon(preset))
            button.setIconSize(QSize(SHAPE_ICON_PX, SHAPE_ICON_PX))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            button.setAccessibleName(preset.label)
            button.setToolTip(f"{preset.label}: {preset.width}×{preset.height}")
            button.setProperty("preset", str(preset.name))
            self.preset_group.addButton(button)
            shapes.addWidget(button)
        self.preset_group.buttonToggled.connect(self._preset_toggled)
        self.caption_mode = narrow_combo()
        self.caption_mode.setAccessibleName("Captions")
        for mode in CaptionMode:
            self.caption_mode.addItem(mode.label, str(mode))
        self.caption_mode.currentIndexChanged.connect(
            lambda _i: self.caption_mode_changed.emit(CaptionMode(self.caption_mode.currentData()))
        )
        self.caption_look = narrow_combo()
        self.caption_look.setAccessibleName("Caption style")
        self.caption_look.setToolTip("How burned-in captions look; the preview shows it at once")
        for look in CaptionLook:
            self.caption_look.addItem(look.label, str(look))
        self.caption_look.currentIndexChanged.connect(
            lambda _i: self.caption_look_changed.emit(CaptionLook(self.caption_look.currentData()))
        )
        self.portrait = narrow_combo()
        self.portrait.setAccessibleName("Portrait footage")
        for fill in PortraitFill:
            self.portrait.addItem(fill.label, str(fill))
        self.portrait.currentIndexChanged.connect(
            lambda _i: self.portrait_changed.emit(PortraitFill(self.portrait.currentData()))
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
        form = wrapping_form()
        form.addRow("Captions:", self.caption_mode)
        form.addRow("Caption style:", self.caption_look)
        form.addRow("Portrait footage:", self.portrait)
        form.addRow("Save to:", folder_row)
        branding = self._build_branding()
        extras = self._build_music_and_pictures()

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self._build_join())
        body_layout.addWidget(QLabel("<b>Shape</b>"))
        body_layout.addLayout(shapes)
        body_layout.addLayout(form)
        body_layout.addWidget(branding)
        body_layout.addWidget(extras)
        body_layout.addStretch(1)
        # The choices scroll inside the panel; the button and the result stay in view below.
        self.choices = QScrollArea()
        self.choices.setWidgetResizable(True)
        self.choices.setFrameShape(QScrollArea.Shape.NoFrame)
        self.choices.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.choices.setWidget(body)

        layout = QVBoxLayout(self)
        layout.addWidget(self.choices, 1)
        layout.addWidget(self._build_result())
        self.set_running(False)
        self.clear_result()

    def _build_music_and_pictures(self) -> QGroupBox:
        """Music under the speech (a file, its level in plain steps, the rights note) and the
        pictures put over the speech from the caption editor."""
        self.dialog_folder: Callable[[], str] = lambda: str(Path.home())
        self.music: Music | None = None
        self.music_button = QPushButton("Add music…")
        self.music_button.setAccessibleName("Choose music")
        self.music_button.setToolTip("A music file to play quietly under the speech")
        self.music_button.clicked.connect(self._choose_music)
        self.music_name = QLabel("No music")
        self.music_name.setAccessibleName("Music file")
        self.music_name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.music_name.setWordWrap(True)  # a long file name on two lines, not cut
        self.remove_music = QPushButton("Remove")
        self.remove_music.setAccessibleName("Remove the music")
        self.remove_music.clicked.connect(lambda: self.music_changed.emit(None, "Remove the music"))
        self.music_level = QComboBox()
        self.music_level.setAccessibleName("Music level")
        self.music_level.setToolTip(
            "How loud the music is where nobody speaks; under the speech it is turned well down"
        )
        for words, level in MUSIC_LEVEL_STEPS:
            self.music_level.addItem(words, level)
        self.music_level.currentIndexChanged.connect(self._music_level_chosen)
        rights = QLabel(f"<small>{html.escape(RIGHTS_NOTE)}</small>")
        rights.setWordWrap(True)
        rights.setAccessibleName("Music rights")
        music_row = QHBoxLayout()
        music_row.addWidget(self.music_button)
        music_row.addWidget(self.remove_music)
        music_row.addStretch(1)
        music_row.addWidget(QLabel("Level:"))
        music_row.addWidget(self.music_level)
        self.pictures = QTreeWidget()
        self.pictures.setAccessibleName("Pictures over the speech")
        self.pictures.setHeaderHidden(True)
        self.pictures.setRootIsDecorated(False)
        row_height = self.fontMetrics().height() + 6
        self.pictures.setFixedHeight(PICTURE_ROWS * row_height + 8)
        self.pictures.itemSelectionChanged.connect(self._picture_chosen)
        self.picture_hint = QLabel(
            "<small>To show a photo or clip over the speech, choose captions in"
            " <b>2 Captions</b> and press “Show a picture here”.</small>"
        )
        self.picture_hint.setWordWrap(True)
        self.remove_picture = QPushButton("Remove picture")
        self.remove_picture.setAccessibleName("Remove picture")
        self.remove_picture.clicked.connect(self._remove_picture)
        self.picture_problem = QLabel("")
        self.picture_problem.setWordWrap(True)
        self.picture_problem.setAccessibleName("Picture problem")
        self.picture_problem.setVisible(False)
        remove_row = QHBoxLayout()
        remove_row.addStretch(1)
        remove_row.addWidget(self.remove_picture)
        box = QGroupBox("Music and pictures")
        layout = QVBoxLayout(box)
        layout.addWidget(self.music_name)
        layout.addLayout(music_row)
        layout.addWidget(rights)
        layout.addWidget(QLabel("Pictures over the speech:"))
        layout.addWidget(self.pictures)
        layout.addWidget(self.picture_problem)
        layout.addWidget(self.picture_hint)
        layout.addLayout(remove_row)
        self.set_music(None)
        self.set_pictures([], "")
        return box

    def _choose_music(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose music", self.dialog_folder(), MUSIC_FILTER
        )
        if path:
            self.folder_used.emit(str(Path(path).parent))
            level = self.music.level_db if self.music is not None else DEFAULT_MUSIC_LEVEL_DB
            words = "Change the music" if self.music is not None else "Add music"
            self.music_changed.emit(Music(str(Path(path).resolve()), level), words)

    def _music_level_chosen(self, _index: int) -> None:
        if self.music is not None:
            level = float(self.music_level.currentData())
            self.music_changed.emit(Music(self.music.source, level), "Change the music level")

    def set_music(self, music: Music | None) -> None:
        """The clip's music: its file's name, its level's step; the level and Remove only
        with music."""
        self.music = music
        self.music_name.setText(f"Music: {Path(music.source).name}" if music else "No music")
        self.music_name.setToolTip(music.source if music else "")
        self.music_button.setText("Change music…" if music else "Add music…")
        self.remove_music.setEnabled(music is not None)
        self.music_level.setEnabled(music is not None)
        level = music.level_db if music else DEFAULT_MUSIC_LEVEL_DB
        nearest = min(range(len(MUSIC_LEVEL_STEPS)),
                      key=lambda i: abs(MUSIC_LEVEL_STEPS[i][1] - level))  # fmt: skip
        self.music_level.blockSignals(True)
        self.music_level.setCurrentIndex(nearest)
        self.music_level.blockSignals(False)

    def set_pictures(self, rows: list[tuple[str, str, object]], problem: str) -> None:
        """The pictures over the video: (words, tooltip, key) per row, and why they cannot
        go where they are ("" when they can), in the export's own words."""
        self.pictures.clear()
        for words, tip, key in rows:
            item = QTreeWidgetItem([words])
            item.setToolTip(0, tip)
            item.setData(0, Qt.ItemDataRole.UserRole, key)
            self.pictures.addTopLevelItem(item)
        self.pictures.setVisible(bool(rows))
        self.picture_hint.setVisible(not rows)
        shown = (
            f"<span style='color:{warning_colour()}'>⚠ {html.escape(problem)}</span>"
            if problem
            else ""
        )
        self.picture_problem.setText(shown)
        self.picture_problem.setVisible(bool(problem))
        self.remove_picture.setVisible(bool(rows))
        self._picture_chosen()

    def _picture_chosen(self) -> None:
        self.remove_picture.setEnabled(bool(self.pictures.selectedItems()))

    def _remove_picture(self) -> None:
        for item in self.pictures.selectedItems():
            self.picture_removed.emit(item.data(0, Qt.ItemDataRole.UserRole))

    def _build_join(self) -> QWidget:
        """Shown only with several clips open: join them, and where the one video's choices
        come from."""
        self.join = QCheckBox("Join all clips into one video")
        self.join.setAccessibleName("Join all clips into one video")
        self.join.setToolTip(
            "On: one video of every clip in the list's order (drag them in the list, or"
            " Alt+Up/Alt+Down). Off: a video of the clip shown only."
        )
        self.join.toggled.connect(self.join_changed)
        self.join_note = QLabel("")
        self.join_note.setWordWrap(True)
        self.join_note.setAccessibleName("Joined video")
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.addWidget(self.join)
        layout.addWidget(self.join_note)
        box.setVisible(False)
        self.join_box = box
        return box

    def set_join(self, clips: int, on: bool, lead: str, showing_lead: bool) -> None:
        """`clips` open; joined or not; the first clip's name (the one video takes its shape,
        captions, fixes, branding and music from it) and whether it is the one shown."""
        self.join_box.setVisible(clips > 1)
        self.join.blockSignals(True)
        self.join.setChecked(on)
        self.join.blockSignals(False)
        self.join.setText(f"Join all {clips} clips into one video" if clips > 1
                          else "Join all clips into one video")  # fmt: skip
        if not on or clips < 2:
            self.join_note.setText("Each clip is made into a video of its own.")
            return
        note = (
            f"In the order of the list. The shape, captions, fixes, words on the video"
            f" and music below are the first clip's ({html.escape(lead)})"
        )
        if showing_lead:
            self.join_note.setText(note + ".")
        else:
            self.join_note.setText(f"{note}: <b>select it to change them</b>.")

    def _build_result(self) -> QWidget:
        """The button, the progress, and the result: a short line, Details, Show in folder."""
        self.export_button = QPushButton("Make the video")
        self.export_button.setObjectName("PrimaryButton")
        self.export_button.setAccessibleName("Export")
        self.export_button.setToolTip("Make a Facebook-ready MP4 (Ctrl+E)")
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
        self.details_button = QToolButton()
        self.details_button.setText("Details")
        self.details_button.setCheckable(True)
        self.details_button.setArrowType(Qt.ArrowType.RightArrow)
        self.details_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_button.setAccessibleName("Details")
        self.details_button.setToolTip("Every check the video passed before it was kept")
        self.details_button.toggled.connect(self._show_details)
        self.show_folder = QPushButton("Show in folder")
        self.show_folder.setAccessibleName("Show in folder")
        self.show_folder.clicked.connect(self.open_folder)
        result_row = QHBoxLayout()
        result_row.addWidget(self.details_button)
        result_row.addStretch(1)
        result_row.addWidget(self.show_folder)
        self.details = QTreeWidget()
        self.details.setAccessibleName("Checks the video passed")
        self.details.setHeaderHidden(True)
        self.details.setRootIsDecorated(False)
        self.details.setVisible(False)
        row_height = self.fontMetrics().height() + 6
        self.details.setMaximumHeight(DETAILS_ROWS * row_height + 8)
        footer = QWidget()
        footer_layout = QVBoxLayout(footer)
        footer_layout.setContentsMargins(0, 4, 0, 0)
        footer_layout.addWidget(self.export_button)
        footer_layout.addLayout(progress_row)
        footer_layout.addWidget(self.summary)
        footer_layout.addLayout(result_row)
        footer_layout.addWidget(self.details)
        return footer

    def _build_branding(self) -> QGroupBox:
        self.speaker = QLineEdit()
        self.speaker.setPlaceholderText("e.g. Cllr Sarah Jones, Labour candidate for North Ward")
        self.speaker.setAccessibleName("Speaker")
        self.speaker.setToolTip("Shown in a strip near the bottom for the first few seconds")
        self.call_to_action = QLineEdit()
        self.call_to_action.setPlaceholderText("e.g. Vote Sarah Jones on 7 May")
        self.call_to_action.setAccessibleName("Call to action")
        self.call_to_action.setToolTip("The big words on the end card: the one thing to do next")
        self.link = QLineEdit()
        self.link.setPlaceholderText("Optional short web address")
        self.link.setAccessibleName("Link")
        self.imprint = QPlainTextEdit()
        self.imprint.setPlaceholderText(IMPRINT_EXAMPLE)
        self.imprint.setAccessibleName("Imprint")
        self.imprint.setToolTip(
            "Who published this video, on whose behalf, and their postal address (UK law)"
        )
        self.imprint.setTabChangesFocus(True)
        # Three lines: the Electoral Commission's example wording takes three in this column.
        self.imprint.setFixedHeight(3 * self.imprint.fontMetrics().lineSpacing() + 14)
        self.imprint_warning = QLabel(
            f"<span style='color:{warning_colour()}'>⚠ {NO_IMPRINT_WARNING}</span>"
        )
        self.imprint_warning.setWordWrap(True)
        self.imprint_warning.setAccessibleName("No imprint warning")
        self.branding_problem = QLabel("")
        self.branding_problem.setWordWrap(True)
        self.branding_problem.setAccessibleName("Branding problem")
        self.branding_problem.setVisible(False)
        self.end_card_seconds = QDoubleSpinBox()
        self.end_card_seconds.setRange(END_CARD_MIN_S, END_CARD_MAX_S)
        self.end_card_seconds.setSingleStep(0.5)
        self.end_card_seconds.setDecimals(1)
        self.end_card_seconds.setSuffix(" s")
        self.end_card_seconds.setAccessibleName("End card length")
        self.end_card_seconds.setToolTip("How long the end card stays on screen")
        self.preview_end_card = QPushButton("Show the end card")
        self.preview_end_card.setAccessibleName("Show the end card")
        self.preview_end_card.setToolTip("Show the end card in the preview")
        self.preview_end_card.clicked.connect(self.end_card_preview_requested)
        self.show_logo = QCheckBox("Show the party logo")
        self.show_logo.setAccessibleName("Show the party logo")
        kit_button = QPushButton("Brand kit…")
        kit_button.setAccessibleName("Brand kit")
        kit_button.setToolTip("The party's colours, logo, font and default words")
        kit_button.clicked.connect(self.brand_kit_requested)
        card_row = QHBoxLayout()
        card_row.addWidget(self.end_card_seconds)
        card_row.addWidget(self.preview_end_card)
        card_row.addStretch(1)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.show_logo)
        logo_row.addStretch(1)
        logo_row.addWidget(kit_button)
        box = QGroupBox("On the video")
        form = wrapping_form(box)
        form.addRow("Speaker:", self.speaker)
        form.addRow("Call to action:", self.call_to_action)
        form.addRow("Link:", self.link)
        form.addRow("Imprint:", self.imprint)
        form.addRow(self.imprint_warning)
        form.addRow(self.branding_problem)
        form.addRow("End card:", card_row)
        form.addRow(logo_row)
        self.speaker.textChanged.connect(
            lambda text: self.branding_edited.emit("lower_third", text)
        )
        self.call_to_action.textChanged.connect(
            lambda text: self.branding_edited.emit("call_to_action", text)
        )
        self.link.textChanged.connect(lambda text: self.branding_edited.emit("link", text))
        self.imprint.textChanged.connect(self._imprint_edited)
        self.end_card_seconds.valueChanged.connect(
            lambda value: self.branding_edited.emit("end_card_seconds", float(value))
        )
        self.show_logo.toggled.connect(lambda on: self.branding_edited.emit("show_logo", on))
        self._show_imprint_state()
        return box

    def _imprint_edited(self) -> None:
        self._show_imprint_state()
        self.branding_edited.emit("imprint", self.imprint.toPlainText())

    def _show_imprint_state(self) -> None:
        missing = self.imprint_missing()
        self.imprint_warning.setVisible(missing)
        self.imprint.setStyleSheet(MISSING_STYLE if missing else "")

    def imprint_missing(self) -> bool:
        return not self.imprint.toPlainText().strip()

    def set_branding(self, branding: Branding) -> None:
        """Show the clip's branding; fields the volunteer is typing in are left as they are."""
        for line, text in (
            (self.speaker, branding.lower_third),
            (self.call_to_action, branding.call_to_action),
            (self.link, branding.link),
        ):
            if line.text() != text:
                line.blockSignals(True)
                line.setText(text)
                line.setCursorPosition(line.cursorPosition() if line.hasFocus() else 0)  # its start
                line.blockSignals(False)
        if self.imprint.toPlainText() != branding.imprint:
            self.imprint.blockSignals(True)
            self.imprint.setPlainText(branding.imprint)
            self.imprint.blockSignals(False)
        self.end_card_seconds.blockSignals(True)
        self.end_card_seconds.setValue(branding.end_card_seconds)
        self.end_card_seconds.blockSignals(False)
        has_logo = branding.kit.logo_png is not None
        self.show_logo.blockSignals(True)
        self.show_logo.setChecked(branding.show_logo and has_logo)
        self.show_logo.blockSignals(False)
        self.show_logo.setEnabled(has_logo)
        self.show_logo.setToolTip(
            "Put the logo from your brand kit in a corner of the video"
            if has_logo
            else "Your brand kit has no logo: add one with “Brand kit…”"
        )
        self.preview_end_card.setEnabled(branding.has_end_card)
        self._show_imprint_state()

    def show_branding_problem(self, text: str | None) -> None:
        """Why the branded parts cannot be drawn (e.g. an imprint too long to read), or None."""
        shown = (
            f"<span style='color:{warning_colour()}'>⚠ {html.escape(text)}</span>" if text else ""
        )
        self.branding_problem.setText(shown)
        self.branding_problem.setVisible(bool(text))

    def focus_imprint(self) -> None:
        self.imprint.setFocus()
        self.imprint.selectAll()

    # --- state from the window ----------------------------------------------------------------

    def set_choices(self, preset: str, caption_mode: str, portrait: str, output_dir: str) -> None:
        for button in self.preset_group.buttons():
            if button.property("preset") == preset:
                button.blockSignals(True)
                button.setChecked(True)
                button.blockSignals(False)
        for combo, value in ((self.caption_mode, caption_mode), (self.portrait, portrait)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(str(value))))
            combo.blockSignals(False)
        self.folder.setText(output_dir)

    def set_caption_look(self, look: CaptionLook) -> None:
        self.caption_look.blockSignals(True)
        self.caption_look.setCurrentIndex(max(0, self.caption_look.findData(str(look))))
        self.caption_look.blockSignals(False)

    def preset(self) -> Shape:
        button = self.preset_group.checkedButton()
        return Shape(button.property("preset")) if button else DEFAULT_SHAPE

    def set_running(self, running: bool) -> None:
        self.export_button.setEnabled(not running)
        self.cancel_button.setVisible(running)
        self.progress.setVisible(running)
        if running:
            self.progress.setValue(0)
            self.progress.setFormat("Starting…")
            self.clear_result()

    def set_progress(self, fraction: float, remaining: float | None) -> None:
        self.progress.setValue(round(fraction * 1000))
        left = f" — about {clock(remaining, 0)} left" if remaining is not None else ""
        self.progress.setFormat(f"{fraction * 100:.0f}%{left}")

    def show_result(self, output: Path, summary: str, rules: list[PlainRule]) -> None:
        """The short line, and each check in plain words behind Details (technical in tips)."""
        self.last_output = output
        self.summary.setText(summary)
        self.summary.setToolTip(str(output))
        self.summary.setVisible(True)
        self.details.clear()
        for rule in rules:
            item = QTreeWidgetItem([f"{'✔' if rule.ok else '✘'} {rule.words}"])
            item.setToolTip(0, rule.technical)
            self.details.addTopLevelItem(item)
        self.details_button.setVisible(bool(rules))
        self.details_button.setChecked(any(not rule.ok for rule in rules))
        self.show_folder.setVisible(True)

    def show_failure(self, text: str) -> None:
        self.clear_result()
        self.summary.setText(text)
        self.summary.setVisible(True)

    def clear_result(self) -> None:
        """No result on show: another clip, or the choices changed since that export."""
        self.last_output = None
        self.summary.setText("")
        self.summary.setToolTip("")
        self.summary.setVisible(False)
        self.details.clear()
        self.details_button.setChecked(False)
        self.details_button.setVisible(False)
        self.show_folder.setVisible(False)

    def has_result(self) -> bool:
        return bool(self.summary.text())

    def _show_details(self, shown: bool) -> None:
        self.details_button.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )
        self.details.setVisible(shown)

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
            self.preset_changed.emit(Shape(button.property("preset")))
