"""The first start: three steps (drop a clip; fix what the checks say; make the video), and,
once, an offer to set up the brand kit and the imprint that go on every video."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clipstudio.core.branding.imprint import has_imprint
from clipstudio.core.branding.kit import BrandKit
from clipstudio.gui.settings import qsettings

STEPS = (
    ("Drop a clip", "Drag a video from your phone onto the window, or click to choose one."),
    (
        "Fix what the checks say",
        "Clip Studio looks at the picture and the sound and says, in plain words, what to"
        " fix. Tick “Fix on export” where it can do it for you; correct the captions.",
    ),
    (
        "Make the video",
        "Choose the shape, press “Make the video” (Ctrl+E), then upload the MP4 and its"
        " caption file to Facebook.",
    ),
)
# QSettings keys: the welcome has been seen; the brand kit has been offered.
SEEN_KEY = "welcome/seen"
KIT_OFFERED_KEY = "welcome/kit_offered"


def kit_needs_setting_up(kit: BrandKit | None) -> bool:
    """No kit, or one without the imprint UK law wants on the video."""
    return kit is None or not has_imprint(kit.imprint)


class WelcomeDialog(QDialog):
    """Three numbered steps; with `offer_kit`, a button that opens the brand kit editor."""

    brand_kit_wanted = Signal()

    def __init__(self, offer_kit: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Clip Studio")
        self.setAccessibleName("Welcome")
        layout = QVBoxLayout(self)
        title = QLabel("<h2>Welcome to Clip Studio</h2>"
                       "<p>A campaign clip for Facebook in three steps:</p>")  # fmt: skip
        layout.addWidget(title)
        for number, (heading, text) in enumerate(STEPS, start=1):
            row = QHBoxLayout()
            badge = QLabel(f"<span style='font-size:20pt; font-weight:bold'>{number}</span>")
            badge.setAlignment(Qt.AlignmentFlag.AlignTop)
            badge.setFixedWidth(36)
            words = QLabel(f"<b>{heading}</b><br>{text}")
            words.setWordWrap(True)
            row.addWidget(badge)
            row.addWidget(words, 1)
            layout.addLayout(row)
        self.kit_button: QPushButton | None = None
        if offer_kit:
            offer = QLabel(
                "<b>Set up your party's brand kit once.</b> Its logo, colours and the"
                " digital imprint (UK law: who published the video, and their address) then"
                " go on every video you make."
            )
            offer.setWordWrap(True)
            layout.addSpacing(8)
            layout.addWidget(offer)
        buttons = QDialogButtonBox()
        start = buttons.addButton("Start", QDialogButtonBox.ButtonRole.AcceptRole)
        start.setDefault(True)
        if offer_kit:
            self.kit_button = buttons.addButton(
                "Set up the brand kit…", QDialogButtonBox.ButtonRole.ActionRole
            )
            self.kit_button.clicked.connect(self._kit_chosen)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def _kit_chosen(self) -> None:
        self.accept()
        self.brand_kit_wanted.emit()


def first_run_welcome(kit: BrandKit | None, parent: QWidget) -> WelcomeDialog | None:
    """The welcome on the first start only (and the kit offer only once); None afterwards."""
    store = qsettings()
    if store.value(SEEN_KEY, False, type=bool):
        return None
    offer = kit_needs_setting_up(kit) and not store.value(KIT_OFFERED_KEY, False, type=bool)
    store.setValue(SEEN_KEY, True)
    if offer:
        store.setValue(KIT_OFFERED_KEY, True)
    store.sync()
    dialog = WelcomeDialog(offer, parent)
    dialog.open()
    return dialog
