"""Post text helper: headline, body and link description with live counters, tips and the imprint."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clipstudio.core.branding.imprint import Imprint, format_imprint, imprint_from_text
from clipstudio.core.branding.postcopy import (
    FieldCount,
    PostCopy,
    body_count,
    compose_post,
    headline_count,
    link_description_count,
    tips,
)
from clipstudio.gui.theme import warning_colour

# How long "Copied" stays beside the button.
COPIED_MESSAGE_MS = 6000


class PostCopyPanel(QWidget):
    changed = Signal(object)  # PostCopy, as the volunteer typed it
    filled_in = Signal(object)  # PostCopy, with the imprint filled in for them from the video's

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headline = QLineEdit()
        self.headline.setPlaceholderText("e.g. Save our library")
        self.body = QPlainTextEdit()
        self.body.setPlaceholderText("e.g. Sign the petition today to keep it open.")
        self.body.setFixedHeight(70)
        self.link = QLineEdit()
        self.link.setPlaceholderText("e.g. Takes one minute")
        self.headline_counter, self.body_counter, self.link_counter = QLabel(), QLabel(), QLabel()
        for widget, name in (
            (self.headline, "Headline"),
            (self.body, "Body text"),
            (self.link, "Link description"),
            (self.headline_counter, "Headline character count"),
            (self.body_counter, "Body character count"),
            (self.link_counter, "Link description character count"),
        ):
            widget.setAccessibleName(name)
        self.promoter = QLineEdit()
        self.promoter.setPlaceholderText("Who pays for or promotes the post")
        self.behalf = QLineEdit()
        self.behalf.setPlaceholderText("The candidate or party, if different")
        self.address = QLineEdit()
        self.address.setPlaceholderText("Postal address")
        for widget, name in (
            (self.promoter, "Promoted by"),
            (self.behalf, "On behalf of"),
            (self.address, "Address"),
        ):
            widget.setAccessibleName(name)
        # The imprint last filled in from the video's; replaced while the volunteer leaves it be.
        self.suggested: Imprint | None = None
        self.imprint_preview = QLabel()
        self.imprint_preview.setWordWrap(True)
        self.tips_label = QLabel()
        self.tips_label.setWordWrap(True)
        self.tips_label.setAccessibleName("Tips")
        # The video's web address (the end card's): the post sends people to the same place.
        self.video_link = ""
        self.copy_button = QPushButton("Copy post text")
        self.copy_button.setAccessibleName("Copy post text")
        self.copy_button.setToolTip(
            "Copy the text, the video's link and the imprint, ready to paste into Facebook"
        )
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        self.copied = QLabel("")
        self.copied.setAccessibleName("Copy result")
        self.copied_timer = QTimer(self)
        self.copied_timer.setSingleShot(True)
        self.copied_timer.setInterval(COPIED_MESSAGE_MS)
        self.copied_timer.timeout.connect(lambda: self.copied.setText(""))
        copy_row = QHBoxLayout()
        copy_row.addWidget(self.copy_button)
        copy_row.addWidget(self.copied, 1)

        def with_counter(field: QWidget, counter: QLabel) -> QHBoxLayout:
            row = QHBoxLayout()
            row.addWidget(field, 1)
            row.addWidget(counter)
            return row

        form = QFormLayout()
        form.addRow("Headline:", with_counter(self.headline, self.headline_counter))
        form.addRow("Body text:", with_counter(self.body, self.body_counter))
        form.addRow("Link description:", with_counter(self.link, self.link_counter))
        imprint_box = QGroupBox("Digital imprint (UK law: say who is behind the post)")
        imprint_form = QFormLayout(imprint_box)
        imprint_form.addRow("Promoted by:", self.promoter)
        imprint_form.addRow("On behalf of:", self.behalf)
        imprint_form.addRow("Address:", self.address)
        imprint_form.addRow(self.imprint_preview)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addLayout(form)
        body_layout.addWidget(imprint_box)
        body_layout.addWidget(self.tips_label)
        body_layout.addStretch(1)
        # The fields and tips scroll inside the panel; the copy button stays in view.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(copy_row)
        for line in (self.headline, self.link, self.promoter, self.behalf, self.address):
            line.textChanged.connect(self._refresh)
        self.body.textChanged.connect(self._refresh)
        self._refresh()

    def post_copy(self) -> PostCopy:
        return PostCopy(
            headline=self.headline.text(),
            body=self.body.toPlainText(),
            link_description=self.link.text(),
            imprint=Imprint(self.promoter.text(), self.behalf.text(), self.address.text()),
        )

    def set_post_copy(self, copy: PostCopy) -> None:
        widgets = (self.headline, self.body, self.link, self.promoter, self.behalf, self.address)
        for widget in widgets:
            widget.blockSignals(True)
        self.headline.setText(copy.headline)
        self.body.setPlainText(copy.body)
        self.link.setText(copy.link_description)
        self.promoter.setText(copy.imprint.promoter)
        self.behalf.setText(copy.imprint.on_behalf_of)
        self.address.setText(copy.imprint.address)
        for widget in widgets:
            widget.blockSignals(False)
        self.suggested = None  # another clip: what was suggested for the last one does not count
        self._refresh(emit=False)

    def show_post_copy(self, copy: PostCopy) -> None:
        """The clip's post text after an undo or redo; a no-op while it is what is typed."""
        if copy == self.post_copy():
            return
        suggested = self.suggested
        self.set_post_copy(copy)
        self.suggested = suggested

    def suggest_imprint(self, text: str) -> bool:
        """Fill the imprint from the video's (brand kit or export panel) unless the volunteer
        has typed their own here. Returns whether the fields changed."""
        current = self.post_copy().imprint
        if current != Imprint() and current != self.suggested:
            return False  # the volunteer's own words: never overwritten
        suggestion = imprint_from_text(text) if text.strip() else Imprint()
        if suggestion is None or suggestion == current:
            return False
        self.suggested = suggestion
        for line, value in (
            (self.promoter, suggestion.promoter),
            (self.behalf, suggestion.on_behalf_of),
            (self.address, suggestion.address),
        ):
            line.blockSignals(True)
            line.setText(value)
            line.blockSignals(False)
        self._refresh(emit=False)
        self.filled_in.emit(self.post_copy())
        return True

    def set_video_link(self, link: str) -> None:
        """The clip's link (brand kit or export panel), added to the copied text."""
        self.video_link = link

    def copy_to_clipboard(self) -> str:
        """Put the post on the clipboard and say so beside the button."""
        text = compose_post(self.post_copy(), self.video_link)
        QGuiApplication.clipboard().setText(text)
        self.copied.setText("✔ Copied. Paste it into your Facebook post.")
        self.copied_timer.start()
        return text

    @staticmethod
    def _show_count(label: QLabel, count: FieldCount) -> None:
        colour = warning_colour() if count.over else "palette(placeholder-text)"
        label.setText(f"<span style='color:{colour}'>{count.label()}</span>")
        label.setToolTip(
            f"{-count.remaining} characters over the limit"
            if count.over
            else f"{count.remaining} characters left"
        )

    def _refresh(self, *_args: object, emit: bool = True) -> None:
        copy = self.post_copy()
        self._show_count(self.headline_counter, headline_count(copy.headline))
        self._show_count(self.body_counter, body_count(copy.body))
        self._show_count(self.link_counter, link_description_count(copy.link_description))
        imprint = format_imprint(copy.imprint)
        self.imprint_preview.setText(f"<i>{html.escape(imprint)}</i>" if imprint else "")
        marks = {"ok": "✔", "advice": "•"}
        self.tips_label.setText(
            "<br>".join(f"{marks[tip.level]} {html.escape(tip.text)}" for tip in tips(copy))
        )
        if emit:
            self.changed.emit(copy)
