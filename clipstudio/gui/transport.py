"""The row under the preview: play, the play position, the trim buttons and the length readout."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from clipstudio.core.edit.limits import fits
from clipstudio.core.timefmt import clock
from clipstudio.gui.captions import format_time
from clipstudio.gui.flow_layout import FlowLayout
from clipstudio.gui.menu_bar import native_shortcut
from clipstudio.gui.theme import warning_colour


class TransportBar(QWidget):
    """Buttons that ask for playback and trims by signal, and readouts the window keeps current."""

    play_clicked = Signal()
    set_in_clicked = Signal()  # the clip starts at the play position
    set_out_clicked = Signal()  # the clip ends at the play position
    auto_trim_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.play_button = QPushButton("▶ Play")
        self.play_button.setAccessibleName("Play or pause")
        self.play_button.setToolTip(f"Play or pause ({native_shortcut('Space')})")
        self.play_button.clicked.connect(lambda: self.play_clicked.emit())
        self.time_label = QLabel("0:00.00")
        self.time_label.setAccessibleName("Play position")
        self.in_button = QPushButton("Start here")
        self.in_button.setToolTip(f"The clip starts at the play position ({native_shortcut('I')})")
        self.in_button.setAccessibleName("Set start")
        self.in_button.clicked.connect(lambda: self.set_in_clicked.emit())
        self.out_button = QPushButton("End here")
        self.out_button.setToolTip(f"The clip ends at the play position ({native_shortcut('O')})")
        self.out_button.setAccessibleName("Set end")
        self.out_button.clicked.connect(lambda: self.set_out_clicked.emit())
        # Short: the row must fit the preview's column on a 1280 px screen.
        self.auto_trim_button = QPushButton("Trim to 1 minute")
        self.auto_trim_button.setAccessibleName("Trim to under a minute")
        self.auto_trim_button.setToolTip(
            "Cut whole sentences so the clip is under one minute (needs the captions first)"
        )
        self.auto_trim_button.clicked.connect(lambda: self.auto_trim_clicked.emit())
        self.duration_label = QLabel("")
        self.duration_label.setAccessibleName("Length of the finished clip")
        # One line on a wide window, wrapped onto two when the preview's column is narrow.
        row = FlowLayout(self)
        for widget in (self.play_button, self.time_label, self.in_button, self.out_button,
                       self.auto_trim_button, self.duration_label):  # fmt: skip
            row.addWidget(widget)

    def show_position(self, seconds: float) -> None:
        """The play position in the captions' own time format, so the two agree."""
        self.time_label.setText(format_time(seconds))

    def show_playing(self, playing: bool) -> None:
        """The button offers what a press would do next."""
        self.play_button.setText("❚❚ Pause" if playing else "▶ Play")

    def set_trimming_enabled(self, enabled: bool, can_auto_trim: bool) -> None:
        """Trims need a probed clip; the auto-trim also needs its transcript."""
        self.in_button.setEnabled(enabled)
        self.out_button.setEnabled(enabled)
        self.auto_trim_button.setEnabled(enabled and can_auto_trim)

    def show_length(self, kept: float, end_card: float, clips: int = 1) -> None:
        """The finished video's length, red when it breaks the one-minute rule; `clips`: how
        many clips are joined in it (the length is theirs together)."""
        over = not fits(kept, end_card)
        colour = warning_colour() if over else "palette(window-text)"
        # On a second, smaller line: the transport row must not get wider than a laptop screen.
        parts = [f"{clips} clips joined"] if clips > 1 else []
        if end_card:
            parts.append(f"with a {end_card:g} s end card")
        with_card = f"<br><small>{', '.join(parts)}</small>" if parts else ""
        self.duration_label.setText(
            f"<span style='color:{colour}; font-weight:bold'>Length {clock(kept + end_card)}"
            f"</span>{with_card}"
        )
        self.duration_label.setToolTip(
            "Longer than the guide's one minute: trim it" if over else "Under one minute: good"
        )
        self.duration_label.setProperty("over_limit", over)
