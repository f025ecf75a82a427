"""A volunteer's first look at the real window on a real X server (run by tests/test_gui_xvfb.py
as a subprocess): the empty window, the first-run welcome, each Help page, the brand kit
editor, then a clip's four tabs, in the light or the dark scheme (a dark desktop: Xvfb has no
desktop theme to ask, and QStyleHints.setColorScheme is a request the xcb platform ignores
there, so theme.system_scheme is told). Writes a screenshot of the screen per step and
OUT/PREFIX-report.json with every dialog's frame and the screen it must fit.
Last, an upright clip with "Brighten" ticked: the preview as the export will make it, over its
blurred fill (the preview frame's place on the screen goes in the report).
Usage: python tests/xvfb_tour.py CLIP UPRIGHT_CLIP OUT_FOLDER PREFIX light|dark
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from xvfb_window import LOAD_TIMEOUT_S, settle, wait


def shoot(app, window, out: Path, name: str) -> str:
    settle(app, 0.6)
    path = out / f"{name}.png"
    window.screen().grabWindow(0).save(str(path))
    return path.name


def frame_of(widget) -> list[int]:
    frame = widget.frameGeometry()
    return [frame.x(), frame.y(), frame.width(), frame.height()]


def main() -> int:
    clip, upright, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    prefix, scheme = sys.argv[4], sys.argv[5]
    out.mkdir(parents=True, exist_ok=True)
    from PySide6.QtTest import QTest

    from clipstudio.gui import theme
    from clipstudio.gui.app import create_window, ensure_application

    app = ensure_application()
    if scheme == "dark":
        theme.system_scheme = lambda: "dark"
    window = create_window([])
    theme.follow_system_scheme(lambda: window.workspace.brand_kit)
    window.show()
    available = window.screen().availableGeometry()
    report: dict = {
        "scheme": theme.system_scheme(),
        "active": QTest.qWaitForWindowActive(window, 10_000),
        "available": [available.x(), available.y(), available.width(), available.height()],
        "dialogs": {},
        "shots": [],
    }
    report["shots"].append(shoot(app, window, out, f"{prefix}-empty"))

    welcome = window.help.first_start()
    pages = [("welcome", welcome)] if welcome is not None else []
    for name, page in pages + [
        ("guide", window.help.guide),
        ("shortcuts", lambda: window.help.shortcuts(window.menu_bar.shortcut_rows())),
        ("about", window.help.about),
        ("brand-kit", window.open_brand_kit),
    ]:
        dialog = page() if callable(page) else page
        settle(app, 0.6)
        report["dialogs"][name] = frame_of(dialog)
        report["shots"].append(shoot(app, window, out, f"{prefix}-{name}"))
        dialog.reject()
        settle(app, 0.2)

    session = window.add_clips([str(clip)])[0]
    report["loaded"] = wait(app, lambda: not session.busy() and session.media is not None,
                            LOAD_TIMEOUT_S)  # fmt: skip
    settle(app, 1.0)
    window.seek(1.5)
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        report["shots"].append(shoot(app, window, out, f"{prefix}-tab-{index + 1}"))
    report["window"] = frame_of(window)

    from clipstudio.core.vocabulary import Fix

    session = window.add_clips([str(upright)])[0]
    wait(app, lambda: not session.busy() and session.media is not None, LOAD_TIMEOUT_S)
    window.open_clips.set_join(False)  # its own video: its own fixes
    window.edits.fix_toggled(Fix.BRIGHTEN, True)
    view = window.player.view
    frame = view.picture.frame
    corner = view.viewport().mapToGlobal(view.mapFromScene(frame.topLeft()))
    report["preview_frame"] = [corner.x(), corner.y(), round(frame.width()), round(frame.height())]
    report["shots"].append(shoot(app, window, out, f"{prefix}-upright-brightened"))
    (out / f"{prefix}-report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
