"""Drives the real window on a real X server (run by tests/test_gui_xvfb.py as a subprocess):
opens a clip, looks at every tab, types an imprint and presses Ctrl+E in that text field (real
key presses through the window manager, with xdotool), waits for the export and looks again.

Writes OUT/report.json with the screen, the window's frame and minimum size, each tab's minimum
size, every control that does not fit the screen (scrolled into view first when it sits in
a scrolling panel) and every button or one-line label too narrow for its words; and a
screenshot of the whole screen per tab and stage in OUT.
Usage: python tests/xvfb_window.py CLIP OUT_FOLDER PREFIX
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

# Generous: two cores shared with other test runs.
LOAD_TIMEOUT_S = 180
EXPORT_TIMEOUT_S = 240
IMPRINT = "Promoted by A. Agent on behalf of C. Candidate, both at 1 High Street, Town, AB1 2CD"


def wait(app, done, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            return False
        app.processEvents()
        time.sleep(0.02)
    return True


def settle(app, seconds: float = 0.4) -> None:
    wait(app, lambda: False, seconds)


def controls(window):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QProgressBar,
        QWidget,
    )

    kinds = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox,
             QAbstractItemView, QProgressBar)  # fmt: skip
    return [w for w in window.findChildren(QWidget)
            if isinstance(w, kinds) and w.isVisible() and w.window() is window]  # fmt: skip


def scroll_to(area, widget) -> None:
    """Scroll `area` so all of `widget` shows (QScrollArea.ensureWidgetVisible shows only a
    text field's cursor)."""
    from PySide6.QtCore import QPoint

    bar = area.verticalScrollBar()
    top = widget.mapTo(area.widget(), QPoint(0, 0)).y()
    shown = area.viewport().height()
    if top < bar.value():
        bar.setValue(top)
    elif top + widget.height() > bar.value() + shown:
        bar.setValue(top + widget.height() - shown)


def misfits(app, window, screen_rect) -> list[str]:
    """Controls (visible now) that are not wholly on the screen, after scrolling to them."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QScrollArea

    found = []
    for widget in controls(window):
        area, parent = None, widget.parentWidget()
        while parent is not None and parent is not window:
            if (
                isinstance(parent, QScrollArea)
                and parent.widget() is not None
                and (parent.widget().isAncestorOf(widget))
            ):
                area = parent
                break
            parent = parent.parentWidget()
        if area is not None:
            scroll_to(area, widget)
            app.processEvents()
        rect = QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())
        if area is not None:
            viewport = area.viewport()
            shown = QRect(viewport.mapToGlobal(viewport.rect().topLeft()), viewport.size())
            if rect.height() <= shown.height() and not shown.contains(rect):
                found.append(f"{type(widget).__name__} {widget.accessibleName()!r}: {rect} "
                             f"outside its panel {shown}")  # fmt: skip
        if not screen_rect.contains(rect):
            found.append(f"{type(widget).__name__} {widget.accessibleName() or widget.objectName()!r}:"
                         f" {rect} off the screen {screen_rect}")  # fmt: skip
    return found


def cut_off(window) -> list[str]:
    """Buttons and labels (visible now) narrower than their words: the text is cut off. A
    word-wrapped label wraps instead, and a label Qt elides on purpose says so in its tooltip."""
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QWidget

    found = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not window:
            continue
        if isinstance(widget, QLabel) and (widget.wordWrap() or not widget.text()):
            continue
        if not isinstance(widget, (QAbstractButton, QComboBox, QLabel)):
            continue
        if isinstance(widget, QAbstractButton) and not widget.text():
            continue  # an icon button
        if widget.width() + 1 < widget.minimumSizeHint().width():
            found.append(f"{type(widget).__name__} {widget.accessibleName() or widget.objectName()!r}"
                         f" {widget.width()} px wide for {widget.minimumSizeHint().width()}")  # fmt: skip
    return found


def look(app, window, stage: str, out: Path, prefix: str, report: dict) -> None:
    screen = window.screen()
    screen_rect = screen.geometry()
    frame = window.frameGeometry()
    hint = window.minimumSizeHint()
    entry = {
        "screen": [screen_rect.width(), screen_rect.height()],
        "available": [screen.availableGeometry().width(), screen.availableGeometry().height()],
        "scale": screen.devicePixelRatio(),
        "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
        "window_min": [hint.width(), hint.height()],
        "tabs": {},
        "misfits": [],
        "cut_off": [],
    }
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        settle(app)
        tab = window.tabs.widget(index)
        name = window.tabs.tabText(index)
        tab_hint = tab.minimumSizeHint()
        entry["tabs"][name] = [tab_hint.width(), tab_hint.height()]
        entry["misfits"] += [f"{name}: {m}" for m in misfits(app, window, screen_rect)]
        entry["cut_off"] += [f"{name}: {m}" for m in cut_off(window)]
        shot = out / f"{prefix}-{stage}-{index + 1}.png"
        screen.grabWindow(0).save(str(shot))
    report[stage] = entry


def press_ctrl_e_in(app, window, field) -> str:
    """Type the imprint and press Ctrl+E in `field`, as a volunteer would."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window.activateWindow()
    field.setFocus()
    settle(app)
    xdotool = shutil.which("xdotool")
    if xdotool and app.focusWidget() is field:
        subprocess.run([xdotool, "type", "--delay", "5", IMPRINT], check=True)
        settle(app, 0.5)
        subprocess.run([xdotool, "key", "ctrl+e"], check=True)
        return "xdotool"
    QTest.keyClicks(field, IMPRINT)
    QTest.keyClick(field, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    return "QTest"


def main() -> int:
    clip, out, prefix = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    out.mkdir(parents=True, exist_ok=True)
    from PySide6.QtTest import QTest

    from clipstudio.gui.app import create_window, ensure_application

    app = ensure_application()
    window = create_window([str(clip)])
    window.show()
    report: dict = {"active": QTest.qWaitForWindowActive(window, 10_000)}
    session = window.sessions[0]
    report["loaded"] = wait(app, lambda: not session.busy() and session.media is not None,
                            LOAD_TIMEOUT_S)  # fmt: skip
    settle(app, 1.0)
    window.seek(1.5)  # a frame with a caption
    look(app, window, "opened", out, prefix, report)

    finished: list = []
    window.export_finished.connect(finished.append)
    session.update_project(output_dir=str(out / "videos"))
    window.tabs.setCurrentWidget(window.export_panel)
    report["keys"] = press_ctrl_e_in(app, window, window.export_panel.imprint)
    report["imprint"] = window.export_panel.imprint.toPlainText()
    report["export_started"] = wait(app, lambda: window.exports.export_worker is not None, 10)
    report["exported"] = wait(app, lambda: bool(finished), EXPORT_TIMEOUT_S)
    settle(app, 1.0)
    report["summary"] = window.export_panel.summary.text()
    window.export_panel.details_button.setChecked(True)  # the longest the panel gets
    look(app, window, "exported", out, prefix, report)
    (out / f"{prefix}-report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
