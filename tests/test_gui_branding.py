"""Branding in the desktop app: the brand kit editor, per-clip branding, the imprint question,
the checks panel's imprint finding, the preview's layers and the length readout (pytest-qt)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtGui import QColor, QImage  # noqa: E402

from clipstudio.core.branding import (  # noqa: E402
    BrandKit,
    brand_kit_to_json,
    load_brand_kit,
    save_brand_kit,
    saved_brand_kit_path,
)
from clipstudio.core.project import (  # noqa: E402
    ClipBranding,
    new_project,
    project_from_dict,
    project_to_dict,
)

IMPRINT = "Promoted by A. Agent on behalf of C. Candidate, both at 1 High Street, Town, AB1 2CD"


def png_bytes(width: int, height: int, colour: QColor) -> bytes:
    """A small PNG with alpha, made with Qt (no file on disk)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(colour)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def sample_kit() -> BrandKit:
    return BrandKit(
        name="North Ward Labour",
        primary_colour="#C8102E",
        text_colour="#FFFFFF",
        accent_colour="#FFD100",
        font="DejaVu Serif Bold",
        logo_png=png_bytes(40, 20, QColor(0, 120, 255, 128)),
        logo_corner="bottom-left",
        imprint=IMPRINT,
        call_to_action="Vote Sarah Jones on 7 May",
        link="northward.example.org",
    )


@pytest.fixture
def no_saved_kit():  # noqa: ANN201
    saved_brand_kit_path().unlink(missing_ok=True)
    yield
    saved_brand_kit_path().unlink(missing_ok=True)


# --- per-clip branding in the autosave (pure core) ----------------------------------------------


def test_clip_branding_round_trip_and_old_autosaves(tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"identity only")
    branding = ClipBranding(
        lower_third="Cllr Sarah Jones, Labour candidate for North Ward",
        call_to_action="",
        link=None,
        imprint="Promoted by Jo Bloggs, 1 High St",
        show_logo=False,
        end_card_seconds=2.5,
    )
    project = new_project(clip).with_changes(branding=branding)
    assert project_from_dict(json.loads(json.dumps(project_to_dict(project)))) == project
    # An autosave written before branding existed still opens, with the kit's defaults.
    old = project_to_dict(new_project(clip))
    del old["branding"]
    assert project_from_dict(old).branding == ClipBranding()


def test_clip_branding_resolves_against_the_kit() -> None:
    kit = sample_kit()
    untouched = ClipBranding(lower_third="Sarah Jones").resolve(kit)
    assert (untouched.imprint, untouched.call_to_action, untouched.link) == (
        kit.imprint, kit.call_to_action, kit.link,
    )  # fmt: skip
    assert untouched.kit == kit and untouched.has_logo and untouched.lower_third == "Sarah Jones"
    # A text the volunteer cleared on purpose stays cleared; the kit does not bring it back.
    cleared = ClipBranding(imprint="", call_to_action="Come to the hustings").resolve(kit)
    assert cleared.imprint == "" and cleared.call_to_action == "Come to the hustings"
    assert not ClipBranding(show_logo=False).resolve(kit).has_logo
    assert ClipBranding().resolve(None).kit == BrandKit()


# --- the brand kit editor -----------------------------------------------------------------------


def _dialog(qtbot, kit: BrandKit | None = None):  # noqa: ANN001, ANN202
    from clipstudio.gui.brand_kit import BrandKitDialog
    from clipstudio.gui.workers import TaskRunner

    dialog = BrandKitDialog(kit, TaskRunner())
    qtbot.addWidget(dialog)
    return dialog


def test_editor_fields_save_the_kit_for_the_app_and_the_cli(qtbot, no_saved_kit) -> None:  # noqa: ANN001
    wanted = sample_kit()
    dialog = _dialog(qtbot)
    dialog.name.setText(wanted.name)
    dialog.primary.set_colour("#c8102e")  # the picker may hand back lower case
    dialog.text_colour.set_colour(wanted.text_colour)
    dialog.accent.set_colour(wanted.accent_colour)
    dialog.font_choice.setCurrentIndex(dialog.font_choice.findData(wanted.font))
    dialog._set_logo(wanted.logo_png)
    dialog.corner.setCurrentIndex(dialog.corner.findData(wanted.logo_corner))
    dialog.imprint.setPlainText(wanted.imprint + "\n")
    dialog.call_to_action.setText(wanted.call_to_action)
    dialog.link.setText(wanted.link)
    assert dialog.primary.text() == "#C8102E"
    assert not dialog.logo_view.pixmap().isNull()
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.saved_kit == wanted
    assert load_brand_kit(saved_brand_kit_path()) == wanted


def test_editor_imports_and_exports_kit_files(qtbot, tmp_path: Path, no_saved_kit) -> None:  # noqa: ANN001
    kit = sample_kit()
    kit_file = tmp_path / "party.json"
    save_brand_kit(kit, kit_file)
    dialog = _dialog(qtbot)
    with qtbot.waitSignal(dialog.kit_changed):
        assert dialog.import_kit(kit_file)
    assert dialog.name.text() == "North Ward Labour"
    assert dialog.primary.colour == "#C8102E" and dialog.accent.text() == "#FFD100"
    assert dialog.font_choice.currentText() == "DejaVu Serif Bold"
    assert dialog.corner.currentData() == "bottom-left"
    assert dialog.imprint.toPlainText() == IMPRINT
    assert dialog.link.text() == kit.link and dialog.logo_png == kit.logo_png
    assert dialog.kit() == kit
    # Export what the fields hold now; the file is a kit that parses back to the same thing.
    dialog.call_to_action.setText("Come to the hustings")
    out = tmp_path / "for volunteers.json"
    assert dialog.export_kit(out)
    exported = load_brand_kit(out)
    assert exported.call_to_action == "Come to the hustings" and exported.logo_png == kit.logo_png
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "clipstudio-brand-kit"
    # Nothing is saved for the app until the volunteer presses "Save kit".
    assert not saved_brand_kit_path().exists()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{ not json", "not valid JSON"),
        ('{"format": "something-else", "version": 1}', "not a Clip Studio brand kit"),
        (
            brand_kit_to_json(BrandKit()).replace('"#1D3557"', '"red"'),
            "#RRGGBB",
        ),
    ],
)
def test_bad_kit_file_says_why_and_keeps_the_kit(
    qtbot,
    tmp_path: Path,
    content: str,
    words: str,  # noqa: ANN001
) -> None:
    from clipstudio.gui.dialogs import ErrorDialog

    kit = sample_kit()
    dialog = _dialog(qtbot, kit)
    bad = tmp_path / "bad kit.json"
    bad.write_text(content, encoding="utf-8")
    assert not dialog.import_kit(bad)
    error = dialog.last_error
    assert isinstance(error, ErrorDialog) and error.isVisible()
    assert "bad kit.json" in error.text() and words in error.text()
    assert "Traceback" not in error.text()
    assert dialog.kit() == kit
    error.close()


def test_editor_cannot_save_kit_stays_open(qtbot, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    blocker = tmp_path / "not a folder"
    blocker.write_text("a file where the config folder should be")
    monkeypatch.setattr(
        "clipstudio.gui.brand_kit.saved_brand_kit_path", lambda: blocker / "brand-kit.json"
    )
    dialog = _dialog(qtbot, sample_kit())
    dialog.show()
    dialog.accept()
    assert dialog.isVisible() and dialog.saved_kit is None
    assert "cannot save the brand kit" in dialog.last_error.text()
    dialog.last_error.close()


def test_logo_thumbnail_shows_alpha_over_a_checkerboard(qtbot) -> None:  # noqa: ANN001
    from clipstudio.gui.brand_kit import logo_thumbnail

    logo = png_bytes(200, 100, QColor(255, 0, 0, 255))
    image = logo_thumbnail(logo).toImage()
    assert (image.width(), image.height()) == (96, 96)
    assert image.pixelColor(48, 48).red() > 240 and image.pixelColor(48, 48).green() < 20
    # The logo is wider than tall: the strip above it shows the checkerboard, not red.
    assert image.pixelColor(48, 5).red() == image.pixelColor(48, 5).green()
