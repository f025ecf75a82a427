"""The Help menu's pages: how to make a good campaign clip (the guide's rules and the checks
that catch each), the keyboard shortcuts, and About (version, licence, what is bundled).
Each is a small dialog whose text scrolls, so none is taller than a laptop screen."""

from __future__ import annotations

import html
from importlib.metadata import PackageNotFoundError, version

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from clipstudio import __version__
from clipstudio.core.analysis.guide import GUIDE_RULES
from clipstudio.core.paths import log_dir
from clipstudio.gui.menu_bar import MenuBar
from clipstudio.gui.welcome import WelcomeDialog, first_run_welcome, kit_needs_setting_up
from clipstudio.gui.workspace import Workspace
from clipstudio.resources import BUNDLED_PARTS, licence_file

# The pages' size: readable lines, and well inside a 1280x720 screen with its title bar.
PAGE_SIZE = (620, 520)


class HelpPage(QDialog):
    """A titled page of rich text with a Close button; links open in the browser."""

    def __init__(self, title: str, body_html: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(True)
        self.text.setHtml(body_html)
        self.text.setAccessibleName(title)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(*PAGE_SIZE)


def guide_html() -> str:
    """The guide's rules in the app's words, each with the checks that catch it."""
    parts = [
        "<h2>How to make a good campaign clip</h2>",
        "<p>The party's campaign guide in short. Clip Studio checks your clip against each"
        " rule when you open it (tab 1, Checks) and fixes what it can when it makes the"
        " video.</p>",
    ]
    for number, rule in enumerate(GUIDE_RULES, start=1):
        checks = ", ".join(html.escape(name) for _id, name in rule.checks)
        caught = f"<br><i>The checks that catch it:</i> {checks}" if checks else ""
        parts.append(
            f"<h3>{number}. {html.escape(rule.title)}</h3>"
            f"<p>{html.escape(rule.why)}{caught}<br>"
            f"<i>What Clip Studio does:</i> {html.escape(rule.app_help)}</p>"
        )
    return "".join(parts)


def shortcuts_html(rows: list[tuple[str, str]]) -> str:
    """(what, keys) rows as a table."""
    cells = "".join(
        f"<tr><td>{html.escape(what)}</td><td><b>{html.escape(keys)}</b></td></tr>"
        for what, keys in rows
    )
    return (
        "<h2>Keyboard shortcuts</h2><p>The keys with Ctrl work while you type in a box;"
        " the single letters and Space only when you are not typing.</p>"
        f"<table cellpadding='4'>{cells}</table>"
    )


def _installed(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def about_html() -> str:
    """Version, licence and the bundled parts with their versions and licences."""
    rows = "".join(
        f"<tr><td>{html.escape(name)} {html.escape(_installed(name))}</td>"
        f"<td>{html.escape(role)}</td><td>{html.escape(licence)}</td></tr>"
        for name, role, licence in BUNDLED_PARTS
    )
    return (
        f"<h2>Clip Studio {html.escape(__version__)}</h2>"
        "<p>Turns phone footage into a Facebook-ready campaign clip: checks, captions,"
        " trims, branding and the UK digital imprint, on your own computer.</p>"
        "<p>Free software under the GNU General Public License, version 3 or later"
        " (GPL-3.0-or-later): you may use, share and change it. Read"
        f" <a href='{html.escape(QUrl.fromLocalFile(str(licence_file())).toString())}'>the"
        " licence</a>.</p>"
        "<h3>Made with</h3>"
        f"<table cellpadding='3'>{rows}</table>"
    )


class HelpPages(QObject):
    """Opens the Help menu's pages and the welcome without blocking; the one on show is
    `page` (tests read it)."""

    brand_kit_wanted = Signal()  # the welcome's "Set up the brand kit…"

    def __init__(self, workspace: Workspace, window: QWidget) -> None:
        super().__init__(window)
        self.workspace = workspace
        self.window_ = window
        self.page: QDialog | None = None

    def serve(self, menu_bar: MenuBar) -> None:
        """Answer the Help menu's items."""
        menu_bar.guide_requested.connect(self.guide)
        menu_bar.shortcuts_requested.connect(lambda: self.shortcuts(menu_bar.shortcut_rows()))
        menu_bar.about_requested.connect(self.about)
        menu_bar.welcome_requested.connect(self.welcome)
        menu_bar.open_logs_requested.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))
        )

    def _show(self, page: QDialog) -> QDialog:
        self.page = page
        page.open()
        return page

    def guide(self) -> QDialog:
        return self._show(HelpPage("How to make a good campaign clip", guide_html(), self.window_))

    def shortcuts(self, rows: list[tuple[str, str]]) -> QDialog:
        return self._show(HelpPage("Keyboard shortcuts", shortcuts_html(rows), self.window_))

    def about(self) -> QDialog:
        return self._show(HelpPage("About Clip Studio", about_html(), self.window_))

    def welcome(self) -> QDialog:
        """Help › Show the welcome again (the kit is offered while it lacks an imprint)."""
        dialog = WelcomeDialog(kit_needs_setting_up(self.workspace.brand_kit), self.window_)
        dialog.brand_kit_wanted.connect(self.brand_kit_wanted)
        return self._show(dialog)

    def first_start(self) -> QDialog | None:
        """The three steps on the very first start, with the brand kit offered once."""
        dialog = first_run_welcome(self.workspace.brand_kit, self.window_)
        if dialog is not None:
            dialog.brand_kit_wanted.connect(self.brand_kit_wanted)
            self.page = dialog
        return dialog
