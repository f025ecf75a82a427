"""The window's decisions reach the file: every "Fix on export" switch changes the export, and
the window's auto-trim cuts where the command line's --auto-trim does."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from media import frame_at

from clipstudio.core.analysis.types import Finding
from clipstudio.core.export.render import export_clip
from clipstudio.core.vocabulary import SWITCHED_FIXES, Fix

pytestmark = pytest.mark.slow


def _audio(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        return np.concatenate([f.to_ndarray() for f in container.decode(stream)], axis=1)


def _picture_and_sound(path: Path) -> tuple[np.ndarray, np.ndarray]:
    return frame_at(path, 1.0).astype(np.int16), _audio(path)


def _changed(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> bool:
    picture = np.abs(a[0] - b[0]).mean() > 0.5
    n = min(a[1].shape[1], b[1].shape[1])
    sound = np.abs(a[1][:, :n] - b[1][:, :n]).max() > 1e-3
    return bool(picture or sound)


def test_every_fix_switch_changes_the_exported_file(qtbot, media, tmp_path, monkeypatch) -> None:
    """A card per repair (the checks' own findings name these members); ticking or unticking
    its switch must change what the export makes. The portrait one once changed nothing."""
    from clipstudio.gui.app import create_window

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    window = create_window()
    qtbot.addWidget(window)
    session = window.add_clips([str(media.rotated_portrait(seconds=2.0))])[0]
    qtbot.waitUntil(lambda: session.media is not None, timeout=60_000)
    session.cancel_all()
    qtbot.waitUntil(lambda: not session.busy(), timeout=120_000)
    findings = [Finding(f"test.{fix}", "warning", fix.label, "", fix=fix) for fix in SWITCHED_FIXES]
    window.checks_panel.set_findings(findings, session.project.fixes)

    def exported(name: str) -> tuple[np.ndarray, np.ndarray]:
        plan, job = session.export_job(tmp_path / f"{name}.mp4", window.workspace.settings, None)
        return _picture_and_sound(export_clip(plan, job).output)

    baseline = exported("baseline")
    for fix in SWITCHED_FIXES:
        card = next(c for c in window.checks_panel.cards if c.finding.fix is fix)
        assert card.fix_switch is not None
        was_on = fix in session.project.fixes
        assert card.fix_switch.isChecked() == was_on
        card.fix_switch.click()
        assert (fix in session.project.fixes) != was_on, fix
        assert _changed(exported(str(fix)), baseline), f"{fix} changed nothing in the file"
        card = next(c for c in window.checks_panel.cards if c.finding.fix is fix)
        card.fix_switch.click()
        assert (fix in session.project.fixes) == was_on
    assert Fix.PORTRAIT in session.project.fixes  # on by default: the sides are filled
    window.close()
