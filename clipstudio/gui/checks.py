"""Checks panel: each finding with its icon, title, advice and time span; a "Fix on export" switch.

Footage findings come from the analysis; the imprint findings (clipstudio.core.branding.
imprint) follow the imprint field as the volunteer types, with no new look at the clip.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from clipstudio.core.analysis.types import Finding
from clipstudio.core.vocabulary import Fix
from clipstudio.gui.captions import format_time

SEVERITY_ICONS = {
    "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
# Findings answered by typing something rather than by an export option: the button's words.
ACTIONS = {
    "publish.no_imprint": "Add the imprint",
    "publish.imprint_no_address": "Add the address",
}


class FindingCard(QFrame):
    seek_requested = Signal(float)
    fix_toggled = Signal(object, bool)  # Fix, on
    action_requested = Signal(str)  # the finding's id

    def __init__(self, finding: Finding, fix_on: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.finding = finding
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("FindingCard")
        self.setAccessibleName(f"{finding.severity}: {finding.title}")
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) * 2
        icon.setPixmap(self.style().standardIcon(SEVERITY_ICONS[finding.severity]).pixmap(size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = QLabel(f"<b>{finding.title}</b>")
        title.setTextFormat(Qt.TextFormat.RichText)
        advice = QLabel(finding.advice)
        advice.setWordWrap(True)
        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(advice)
        controls = QHBoxLayout()
        self.span_button: QPushButton | None = None
        if finding.start is not None:
            end = f"–{format_time(finding.end)}" if finding.end is not None else ""
            self.span_button = QPushButton(f"▶ {format_time(finding.start)}{end}")
            self.span_button.setFlat(True)
            self.span_button.setToolTip("Show this moment in the preview")
            self.span_button.setAccessibleName(f"Go to {finding.title}")
            self.span_button.clicked.connect(lambda: self.seek_requested.emit(finding.start))
            controls.addWidget(self.span_button)
        controls.addStretch(1)
        self.fix_switch: QCheckBox | None = None
        self.action_button: QPushButton | None = None
        if finding.id in ACTIONS:
            self.action_button = QPushButton(ACTIONS[finding.id])
            self.action_button.setAccessibleName(ACTIONS[finding.id])
            self.action_button.clicked.connect(lambda: self.action_requested.emit(finding.id))
            controls.addWidget(self.action_button)
        elif finding.fix is not None and finding.fix.is_switch:
            self.fix_switch = QCheckBox("Fix on export")
            self.fix_switch.setChecked(fix_on)
            self.fix_switch.setAccessibleName(f"Fix {finding.title} on export")
            self.fix_switch.setToolTip("Let Clip Studio repair this when it makes the video")
            fix = finding.fix
            self.fix_switch.toggled.connect(lambda on: self.fix_toggled.emit(fix, on))
            controls.addWidget(self.fix_switch)
        text.addLayout(controls)
        layout = QHBoxLayout(self)
        layout.addWidget(icon)
        layout.addLayout(text, 1)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self.finding.start is not None:
            self.seek_requested.emit(self.finding.start)
        super().mousePressEvent(event)


class ChecksPanel(QScrollArea):
    seek_requested = Signal(float)
    fix_toggled = Signal(object, bool)  # Fix, on
    action_requested = Signal(str)  # a finding's id whose answer is typing something

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setAccessibleName("Checks")
        self.cards: list[FindingCard] = []
        self.footage: list[Finding] | None = None  # None until the clip has been looked at
        self.publish: list[Finding] = []
        self.fixes_on: frozenset[Fix] = frozenset()
        self.message = ""
        self.show_message("Checks appear here once the clip has been looked at.")

    def show_message(self, text: str) -> None:
        """Say what is happening instead of the footage findings (the imprint ones stay)."""
        self.message, self.footage = text, None
        self._rebuild()

    def set_findings(self, findings: Sequence[Finding], fixes_on: frozenset[Fix]) -> None:
        self.footage, self.fixes_on = list(findings), fixes_on
        self._rebuild()

    def set_fixes_on(self, fixes_on: frozenset[Fix]) -> None:
        """The switches as the clip's project has them (after an undo, say), without a rebuild."""
        self.fixes_on = fixes_on
        for card in self.cards:
            fix = card.finding.fix
            if card.fix_switch is not None and fix is not None:
                card.fix_switch.blockSignals(True)
                card.fix_switch.setChecked(fix in fixes_on)
                card.fix_switch.blockSignals(False)

    def set_publish_findings(self, findings: Sequence[Finding]) -> None:
        """The imprint findings; rebuilt only when they change, not on every key typed."""
        if list(findings) != self.publish:
            self.publish = list(findings)
            self._rebuild()

    def _rebuild(self) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        self.cards = []
        findings = self.publish + (self.footage or [])
        ordered = sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), f.start or 0))
        if self.footage is None:
            label = QLabel(self.message)
            label.setWordWrap(True)
            layout.addWidget(label)
        elif not ordered:
            label = QLabel("✔ No problems found. This clip follows the campaign guide.")
            label.setWordWrap(True)
            layout.addWidget(label)
        for finding in ordered:
            on = finding.fix is not None and finding.fix in self.fixes_on
            card = FindingCard(finding, on)
            card.seek_requested.connect(self.seek_requested)
            card.fix_toggled.connect(self.fix_toggled)
            card.action_requested.connect(self.action_requested)
            layout.addWidget(card)
            self.cards.append(card)
        layout.addStretch(1)
        self.setWidget(body)

    def finding_ids(self) -> list[str]:
        return [card.finding.id for card in self.cards]
