"""Errors in plain words, with the technical text one click away for whoever helps the volunteer."""

from __future__ import annotations

import logging

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

log = logging.getLogger(__name__)


class ErrorDialog(QMessageBox):
    def __init__(self, message: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle("Clip Studio")
        self.setText(message)
        self.details = details
        if details:
            self.setDetailedText(details)
            copy = self.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
            copy.setAccessibleName("Copy details")
            copy.clicked.disconnect()  # keep the dialog open after copying
            copy.clicked.connect(self.copy_details)
        self.addButton(QMessageBox.StandardButton.Ok)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(f"{self.text()}\n\n{self.details}")


def show_error(parent: QWidget | None, message: str, details: str = "") -> ErrorDialog:
    """Log the failure and show it without blocking the event loop (tests can find the dialog).
    With `details` it is our failure (logged as an error); without, the user's input was at
    fault and has been told (a warning)."""
    if details:
        log.error("%s\n%s", message, details)
    else:
        log.warning("%s", message)
    dialog = ErrorDialog(message, details, parent)
    dialog.setModal(True)
    dialog.open()
    return dialog


NO_IMPRINT_QUESTION = (
    "This clip has no digital imprint.\n\n"
    "UK law (Elections Act 2022) says election material published online must show who"
    " promoted it, on whose behalf, and a postal address for each. Without one, do not post it"
    " as election material.\n\n"
    "Export anyway?"
)


class ImprintQuestion(QMessageBox):
    """Asked before an export without an imprint. Not blocking, so tests can press a button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle("No imprint")
        self.setText(NO_IMPRINT_QUESTION)
        self.add_button = self.addButton("Add imprint", QMessageBox.ButtonRole.RejectRole)
        self.add_button.setAccessibleName("Add imprint")
        self.export_button = self.addButton(
            "Export without imprint", QMessageBox.ButtonRole.DestructiveRole
        )
        self.export_button.setAccessibleName("Export without imprint")
        self.setDefaultButton(self.add_button)
        self.setEscapeButton(self.add_button)

    def export_chosen(self) -> bool:
        return self.clickedButton() is self.export_button
