"""Branding in the desktop app: the brand kit editor, per-clip branding, the imprint question,
the checks panel's imprint finding, the preview's layers and the length readout (pytest-qt)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from media import frame_at
from PySide6.QtGui import QColor, QImage

from clipstudio.core.branding.kit import (
    BrandKit,
    brand_kit_to_json,
    load_brand_kit,
    save_brand_kit,
    saved_brand_kit_path,
)
from clipstudio.core.edit.project import (
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
def no_saved_kit():
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


def _dialog(qtbot, kit: BrandKit | None = None):
    from clipstudio.gui.brand_kit import BrandKitDialog
    from clipstudio.gui.workers import TaskRunner

    dialog = BrandKitDialog(kit, TaskRunner())
    qtbot.addWidget(dialog)
    return dialog


def test_editor_fields_save_the_kit_for_the_app_and_the_cli(qtbot, no_saved_kit) -> None:
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


def test_editor_imports_and_exports_kit_files(qtbot, tmp_path: Path, no_saved_kit) -> None:
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
    words: str,
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


def test_editor_cannot_save_kit_stays_open(qtbot, tmp_path: Path, monkeypatch) -> None:
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


class HeldLogoReads:
    """Stands in for the child process that reads a logo: each read waits until the test lets
    it answer (with picture bytes or an error), whether or not it was cancelled meanwhile, as
    a child process that has already answered does."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import threading

        self.gates: dict[str, threading.Event] = {}
        self.answers: dict[str, bytes | Exception] = {}
        for name in ("first.png", "second.png", "third.png"):
            self.gates[name] = threading.Event()
        monkeypatch.setattr("clipstudio.core.isolate.run_isolated", self.read)

    def read(self, target: str, arguments: dict, progress=None, cancel=None) -> bytes:
        name = Path(arguments["path"]).name
        assert self.gates[name].wait(30), f"{name} was never answered"
        answer = self.answers[name]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def answer(self, name: str, answer: bytes | Exception) -> None:
        self.answers[name] = answer
        self.gates[name].set()


def test_a_logo_read_that_ends_late_changes_nothing(qtbot, tmp_path: Path, monkeypatch) -> None:
    """A logo read that answers after a newer pick, an imported kit, "No logo" or the dialog's
    closing (the child process answered before the cancel reached it) is ignored: it neither
    replaces the logo, nor shows an error, nor frees the buttons of the read under way."""
    from clipstudio.core.errors import BadInputError
    from clipstudio.gui.dialogs import ErrorDialog

    reads = HeldLogoReads(monkeypatch)
    red, blue, green = (png_bytes(40, 20, QColor(c)) for c in ("red", "blue", "green"))
    dialog = _dialog(qtbot)
    save = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    first = dialog.choose_logo(tmp_path / "first.png")
    assert not dialog.logo_button.isEnabled() and not save.isEnabled()  # no half-made kit saved
    second = dialog.choose_logo(tmp_path / "second.png")  # a newer pick: the first is let go
    assert first is not None and first.cancel_token.cancelled
    assert dialog.logo_status.text() == "Reading second.png…"
    reads.answer("first.png", BadInputError("not a picture"))
    qtbot.waitUntil(lambda: first not in dialog.tasks.running, timeout=10_000)
    assert dialog.last_error is None  # the first one's failure is not the volunteer's problem now
    assert dialog.logo_status.text() == "Reading second.png…"
    assert not dialog.logo_button.isEnabled() and not save.isEnabled()
    reads.answer("second.png", red)
    qtbot.waitUntil(lambda: dialog.logo_png == red, timeout=10_000)
    qtbot.waitUntil(lambda: second not in dialog.tasks.running, timeout=10_000)
    assert dialog.logo_button.isEnabled() and save.isEnabled() and dialog.logo_status.text() == ""

    # "No logo", then an imported kit, while a read is under way: theirs is the last word.
    third = dialog.choose_logo(tmp_path / "third.png")
    dialog.clear_logo()
    assert dialog.logo_png is None and dialog.logo_button.isEnabled() and save.isEnabled()
    kit = sample_kit()
    dialog.set_kit(kit)
    reads.answer("third.png", blue)
    qtbot.waitUntil(lambda: third not in dialog.tasks.running, timeout=10_000)
    assert dialog.logo_png == kit.logo_png and dialog.kit() == kit

    # The dialog closed, then deleted, before the read answers: nothing is touched.
    for name in ("first.png", "second.png"):
        reads.gates[name].clear()
    late = dialog.choose_logo(tmp_path / "first.png")
    dialog.reject()
    reads.answer("first.png", green)
    qtbot.waitUntil(lambda: late not in dialog.tasks.running, timeout=10_000)
    assert dialog.logo_png == kit.logo_png and dialog.logo_read is None
    from clipstudio.gui.brand_kit import BrandKitDialog
    from clipstudio.gui.workers import TaskRunner

    tasks = TaskRunner()
    gone = BrandKitDialog(None, tasks)  # not given to qtbot, which would close it after
    deleted = gone.choose_logo(tmp_path / "second.png")
    from shiboken6 import delete

    delete(gone)  # pytest-qt fails the test if a slot then touches the deleted widgets
    reads.answer("second.png", BadInputError("too late"))
    qtbot.waitUntil(lambda: deleted not in tasks.running, timeout=10_000)
    qtbot.wait(50)  # the queued signals are delivered, or dropped with their receiver
    assert not isinstance(dialog.last_error, ErrorDialog)


def test_logo_thumbnail_shows_alpha_over_a_checkerboard(qtbot) -> None:
    from clipstudio.gui.brand_kit import logo_thumbnail

    logo = png_bytes(200, 100, QColor(255, 0, 0, 255))
    image = logo_thumbnail(logo).toImage()
    assert (image.width(), image.height()) == (96, 96)
    assert image.pixelColor(48, 48).red() > 240 and image.pixelColor(48, 48).green() < 20
    # The logo is wider than tall: the strip above it shows the checkerboard, not red.
    assert image.pixelColor(48, 5).red() == image.pixelColor(48, 5).green()


def test_logo_is_read_in_the_background_and_a_bad_one_is_refused(
    qtbot,
    tmp_path: Path,
) -> None:
    from clipstudio.gui.dialogs import ErrorDialog

    dialog = _dialog(qtbot)
    logo_file = tmp_path / "rosette.png"
    logo_file.write_bytes(png_bytes(1600, 800, QColor(200, 16, 46, 200)))
    worker = dialog.choose_logo(logo_file)
    assert worker is not None and not dialog.logo_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.logo_png is not None, timeout=60_000)
    logo = QImage.fromData(dialog.logo_png, "PNG")
    assert (logo.width(), logo.height()) == (1024, 512)  # scaled down to MAX_LOGO_SIDE
    assert logo.hasAlphaChannel() and logo.pixelColor(10, 10).alpha() == 200
    qtbot.waitUntil(dialog.logo_button.isEnabled, timeout=10_000)
    assert dialog.kit().logo_png == dialog.logo_png

    # An SVG logo is drawn by the bundled ffmpeg, in the child process, with its see-through parts.
    svg = tmp_path / "rosette.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
        '<circle cx="50" cy="50" r="45" fill="#C8102E"/></svg>'
    )
    png_logo = dialog.logo_png
    dialog.choose_logo(svg)
    qtbot.waitUntil(lambda: dialog.logo_png != png_logo, timeout=60_000)
    drawn = QImage.fromData(dialog.logo_png, "PNG")
    assert drawn.width() == 2 * drawn.height()
    assert drawn.pixelColor(drawn.width() - 3, 3).alpha() == 0
    assert drawn.pixelColor(drawn.height() // 2, drawn.height() // 2).name() == "#c8102e"
    qtbot.waitUntil(dialog.logo_button.isEnabled, timeout=10_000)

    not_a_picture = tmp_path / "logo.png"
    not_a_picture.write_text("a text file with the wrong name")
    kept = dialog.logo_png
    dialog.choose_logo(not_a_picture)
    qtbot.waitUntil(lambda: isinstance(dialog.last_error, ErrorDialog), timeout=60_000)
    assert "logo.png" in dialog.last_error.text() and "Traceback" not in dialog.last_error.text()
    assert dialog.logo_png == kept
    dialog.last_error.close()
    dialog.clear_logo()
    assert dialog.kit().logo_png is None and not dialog.corner.isEnabled()


def test_editor_previews_the_end_card_in_the_kit_colours(qtbot) -> None:
    dialog = _dialog(qtbot, sample_kit())
    qtbot.waitUntil(lambda: dialog.card_view.pixmap() is not None
                    and not dialog.card_view.pixmap().isNull(), timeout=10_000)  # fmt: skip
    card = dialog.card_view.pixmap().toImage()
    assert card.pixelColor(3, card.height() // 2).name() == "#c8102e"
    during = dialog.during_view.pixmap().toImage()
    assert not during.isNull()
    # The sample name strip is drawn in the kit's main colour, lower left.
    strip = [
        (x, y)
        for x in range(0, during.width() // 2, 2)
        for y in range(during.height() // 2, during.height(), 2)
        if during.pixelColor(x, y).name() == "#c8102e"
    ]
    assert strip
    # A new colour redraws the preview.
    dialog.primary.set_colour("#005EB8")
    qtbot.waitUntil(
        lambda: (
            dialog.card_view.pixmap().toImage().pixelColor(3, card.height() // 2).name()
            == "#005eb8"
        ),
        timeout=10_000,
    )


# --- the main window ----------------------------------------------------------------------------

LOAD_TIMEOUT_MS = 180_000


@pytest.fixture
def user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own kit and autosaves: a project autosaved by another test would carry
    its own trim and branding into this one."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path


def _window(qtbot, kit: BrandKit | None = None):
    from clipstudio.gui.app import create_window

    if kit is not None:
        save_brand_kit(kit, saved_brand_kit_path())
    window = create_window()
    qtbot.addWidget(window)
    window.show()
    return window


def _open(qtbot, window, clip: Path):
    """Open `clip` and stop the slow looks at it (checks, speech): these tests need the picture."""
    session = window.add_clips([str(clip)])[0]
    qtbot.waitUntil(lambda: session.media is not None, timeout=60_000)
    session.cancel_all()
    qtbot.waitUntil(lambda: not session.busy(), timeout=LOAD_TIMEOUT_MS)
    return session


def test_imprint_flows_from_kit_to_clip_checks_and_post_text(
    qtbot,
    user_dirs: Path,
    media,
) -> None:
    from gui_media import gui_speech_clip

    kit = sample_kit()
    window = _window(qtbot, kit)
    session = _open(qtbot, window, gui_speech_clip(media))
    panel = window.export_panel
    assert panel.imprint.toPlainText() == IMPRINT
    assert panel.call_to_action.text() == kit.call_to_action and panel.link.text() == kit.link
    assert panel.imprint_warning.isHidden() and panel.show_logo.isChecked()
    assert "publish.no_imprint" not in window.checks_panel.finding_ids()
    post = window.postcopy_panel
    assert (post.promoter.text(), post.behalf.text(), post.address.text()) == (
        "A. Agent", "C. Candidate", "1 High Street, Town, AB1 2CD",
    )  # fmt: skip
    assert session.project.post_copy.imprint.promoter == "A. Agent"

    # Cleared on purpose: the warning shows, the checks say so, the kit does not refill it.
    panel.imprint.setPlainText("")
    assert not panel.imprint_warning.isHidden()
    assert "publish.no_imprint" in window.checks_panel.finding_ids()
    assert session.project.branding.imprint == ""
    assert window.branding_for(session).imprint == ""
    assert post.promoter.text() == ""  # it was only the suggestion, so it follows

    panel.imprint.setPlainText("Promoted by Jo Bloggs, 1 High St, Town AB1 2CD")
    assert panel.imprint_warning.isHidden()
    assert "publish.no_imprint" not in window.checks_panel.finding_ids()
    assert (post.promoter.text(), post.address.text()) == ("Jo Bloggs", "1 High St, Town AB1 2CD")
    # The volunteer's own words in the post text are never overwritten.
    post.promoter.setText("Jo Bloggs (agent)")
    panel.imprint.setPlainText("Promoted by Ann Smith, 2 Low Rd, Town AB1 3EF")
    assert post.promoter.text() == "Jo Bloggs (agent)"

    panel.speaker.setText("Cllr Sarah Jones, Labour candidate for North Ward")
    qtbot.waitUntil(
        lambda: "Cllr Sarah Jones" in session.project_file.read_text(encoding="utf-8")
        if session.project_file.exists() else False,
        timeout=5000,
    )  # fmt: skip
    saved = json.loads(session.project_file.read_text(encoding="utf-8"))["branding"]
    assert saved["imprint"] == "Promoted by Ann Smith, 2 Low Rd, Town AB1 3EF"
    assert saved["call_to_action"] is None  # still the kit's: a new kit will reach this clip
    window.close()


def test_no_imprint_finding_leads_to_the_field(qtbot, user_dirs: Path, media) -> None:
    from gui_media import gui_speech_clip

    window = _window(qtbot)
    _open(qtbot, window, gui_speech_clip(media))
    window.tabs.setCurrentWidget(window.checks_panel)
    card = next(c for c in window.checks_panel.cards if c.finding.id == "publish.no_imprint")
    assert card.finding.severity == "warning" and card.fix_switch is None
    assert card.action_button is not None
    card.action_button.click()
    assert window.tabs.currentWidget() is window.export_panel
    qtbot.waitUntil(window.export_panel.imprint.hasFocus, timeout=5000)
    window.export_panel.imprint.setPlainText(IMPRINT)
    assert "publish.no_imprint" not in window.checks_panel.finding_ids()
    window.close()


def test_export_without_imprint_asks_first_and_the_request_carries_the_branding(
    qtbot,
    user_dirs: Path,
    media,
    tmp_path: Path,
) -> None:
    from gui_media import gui_speech_clip

    from clipstudio.core.branding.kit import Branding
    from clipstudio.core.errors import Cancelled
    from clipstudio.gui.dialogs import ImprintQuestion
    from clipstudio.gui.workers import Worker

    window = _window(qtbot)
    session = _open(qtbot, window, gui_speech_clip(media))
    requests = []
    workers: list[Worker] = []

    def record_export(output: Path, settings, kit=None) -> Worker:
        """The plan and job the real export would get; the render itself is test_gui.py's job."""
        requests.append(session.export_job(output, settings, kit))

        def cancelled(progress, cancel) -> None:
            raise Cancelled("not rendering in this test")

        workers.append(Worker("Making the video", cancelled))
        return workers[-1]

    session.start_export = record_export
    panel = window.export_panel
    panel.folder.setText(str(tmp_path))
    panel.output_dir_changed.emit(str(tmp_path))

    panel.export_button.click()
    question = window.exports.imprint_question
    assert isinstance(question, ImprintQuestion) and question.isVisible()
    assert "no digital imprint" in question.text() and "Export anyway?" in question.text()
    panel.export_button.click()  # pressed again while the question is open: still one question
    assert window.exports.imprint_question is question
    assert requests == []
    question.add_button.click()  # "Add imprint": nothing exported, the field is ready to type in
    assert window.exports.imprint_question is None and requests == []
    assert window.tabs.currentWidget() is panel
    qtbot.waitUntil(panel.imprint.hasFocus, timeout=5000)

    panel.export_button.click()
    window.exports.imprint_question.export_button.click()  # "Export without imprint"
    assert len(requests) == 1 and requests[0][0].branding.imprint == ""
    workers[-1].run()  # ends the recorded export (cancelled) so the next one may start
    assert window.exports.export_worker is None

    panel.speaker.setText("Cllr Sarah Jones, Labour candidate for North Ward")
    panel.call_to_action.setText("Vote Sarah Jones on 7 May")
    panel.imprint.setPlainText(IMPRINT)
    panel.end_card_seconds.setValue(2.5)
    panel.export_button.click()
    assert window.exports.imprint_question is None  # an imprint: no question
    plan, job = requests[-1]
    assert plan.branding == Branding(
        kit=BrandKit(),
        lower_third="Cllr Sarah Jones, Labour candidate for North Ward",
        call_to_action="Vote Sarah Jones on 7 May",
        imprint=IMPRINT,
        end_card_seconds=2.5,
    )
    assert plan.sources == (session.path,) and job.output.parent == tmp_path
    workers[-1].run()
    window.close()


def _wait_for_layers(qtbot, window, lower_third: bool = True):
    renderer = window.brand_preview.layer_renderer
    qtbot.waitUntil(
        lambda: not renderer.busy() and renderer.latest is not None
        and (renderer.latest.layers.lower_third is not None) == lower_third,
        timeout=20_000,
    )  # fmt: skip
    return renderer.latest


def test_preview_draws_the_exports_layers(qtbot, user_dirs: Path, media) -> None:
    from gui_media import gui_speech_clip
    from PySide6.QtCore import QSize

    from clipstudio.core.branding.kit import FADE_S, LOWER_THIRD_DURATION_S, LOWER_THIRD_START_S

    window = _window(qtbot, sample_kit())
    session = _open(qtbot, window, gui_speech_clip(media))
    window.export_panel.speaker.setText("Cllr Sarah Jones, Labour candidate for North Ward")
    rendered = _wait_for_layers(qtbot, window)
    layers = rendered.layers
    # The export's own frame: a 640x360 source is not upscaled for the feed shape.
    assert (layers.width, layers.height) == (640, 360)
    brand = window.player.view.brand
    for item, layer in (
        (brand.logo_item, layers.logo),
        (brand.lower_third_item, layers.lower_third),
    ):
        assert item.pixmap().size() == QSize(*layer.size)
        assert (item.pos().x(), item.pos().y()) == (layer.x, layer.y)
    assert brand.end_card_item.pixmap().size() == QSize(640, 360)
    frame = window.player.view.frame_item.rect()
    shown = brand.end_card_item.sceneBoundingRect()
    assert shown.topLeft() == frame.topLeft()
    assert shown.width() == pytest.approx(frame.width()) and shown.height() == pytest.approx(
        frame.height()
    )
    # The logo sits in the kit's corner (bottom left), scaled with the frame.
    logo = brand.logo_item.sceneBoundingRect()
    assert logo.left() < frame.center().x() and logo.top() > frame.center().y()

    # Lower third: out before it starts, fading in, fully in, out after it ends.
    start, end = LOWER_THIRD_START_S, LOWER_THIRD_START_S + LOWER_THIRD_DURATION_S
    lower = brand.lower_third_item
    for seconds, opacity in (
        (start - 0.3, 0.0),
        (start + FADE_S / 2, 0.5),
        (start + LOWER_THIRD_DURATION_S / 2, 1.0),
        (end + 0.3, 0.0),
    ):
        window.seek(seconds)
        assert lower.opacity() == pytest.approx(opacity, abs=0.02), seconds
        assert lower.isVisible() == (opacity > 0)
        assert brand.logo_item.isVisible() and not brand.end_card_item.isVisible()

    # With the first second trimmed off, times are those of the exported video.
    window.trims.set_in(1.0)
    rendered = _wait_for_layers(qtbot, window)
    window.seek(1.0 + start - 0.3)
    assert lower.opacity() == 0.0
    window.seek(1.0 + start + 1.0)
    assert lower.opacity() == 1.0
    window.seek(0.5)  # cut from the video: nothing branded shows there
    assert not lower.isVisible() and not brand.logo_item.isVisible()

    # Text changes redraw the pictures; an unrelated change does not.
    width_before = lower.pixmap().width()
    window.export_panel.speaker.setText("Sarah Jones")
    _wait_for_layers(qtbot, window)
    assert lower.pixmap().width() < width_before
    renderer = window.brand_preview.layer_renderer
    job = renderer.wanted
    window._project_changed(session)
    assert renderer.wanted is job and not renderer.busy()
    # No name and no logo: those pictures go.
    window.export_panel.speaker.setText("")
    window.export_panel.show_logo.setChecked(False)
    _wait_for_layers(qtbot, window, lower_third=False)
    assert lower.pixmap().isNull() and brand.logo_item.pixmap().isNull()
    assert not brand.end_card_item.pixmap().isNull()  # the call to action and imprint remain
    window.close()


def test_end_card_shows_for_its_seconds_and_after_the_end_point(
    qtbot,
    user_dirs: Path,
    media,
) -> None:
    from gui_media import gui_speech_clip

    window = _window(qtbot, sample_kit())
    _open(qtbot, window, gui_speech_clip(media))
    window.export_panel.end_card_seconds.setValue(2.0)
    _wait_for_layers(qtbot, window, lower_third=False)
    card = window.player.view.brand.end_card_item
    assert not card.isVisible()
    window.export_panel.preview_end_card.click()
    assert card.isVisible() and window.brand_preview.end_card_showing()
    # It stays up for the card's own 2 s (the timer's, not a wall clock's), then goes.
    timer = window.brand_preview.end_card_timer
    assert timer.isActive() and timer.interval() == 2000
    qtbot.waitUntil(lambda: not card.isVisible(), timeout=5000)

    # Playing across the end point pauses there and shows the end card, as the video will.
    window.trims.set_out(3.0)
    window.seek(2.0)
    qtbot.waitUntil(lambda: abs(window.player.position() - 2.0) < 0.1, timeout=10_000)
    window.player.toggle_play()
    qtbot.waitUntil(window.brand_preview.end_card_showing, timeout=15_000)
    assert not window.player.is_playing()
    assert window.player.position() == pytest.approx(3.0, abs=0.3)
    window.seek(1.0)  # moving away puts the video back
    assert not card.isVisible()
    window.close()


def test_length_readout_and_auto_trim_leave_room_for_the_end_card(
    qtbot,
    user_dirs: Path,
    media,
) -> None:
    from clipstudio.core.speech.types import Transcript, Word
    from clipstudio.gui.dialogs import ErrorDialog

    window = _window(qtbot, sample_kit())
    session = _open(qtbot, window, media.long_with_pauses())
    window.trims.set_in(5.0)
    window.trims.set_out(50.0)
    label = window.transport.duration_label
    assert "0:48.0" in label.text() and "3 s end card" in label.text()
    assert label.property("over_limit") is False
    window.trims.set_in(0.0)
    window.trims.set_out(58.0)  # 58 s of clip is under a minute, but not with the 3 s card
    assert "1:01.0" in label.text() and label.property("over_limit") is True
    window.exports.start_export()
    assert isinstance(window.last_error, ErrorDialog)
    assert "with its end card" in window.last_error.text()
    window.last_error.close()
    assert window.exports.export_worker is None

    # Sentence-aware auto-trim keeps the whole video, card included, under the minute.
    words = []
    for sentence in range(18):  # a three-word sentence every 4 s, like the tone bursts
        t = 2.0 + 4 * sentence  # different words each time: repeats look like a Whisper loop
        words += [
            Word(f" Point{sentence}", t, t + 0.8, 0.9),
            Word(f" number{sentence}", t + 1.0, t + 1.8, 0.9),
            Word(f" made{sentence}.", t + 2.0, t + 2.8, 0.9),
        ]
    session.transcript = Transcript(tuple(words), "en", session.duration)
    window.trims.auto_trim()
    kept = session.kept_duration()
    assert kept > 50.0 and kept + 3.0 < 60.0
    assert label.property("over_limit") is False
    window.close()


def test_brand_kit_from_the_menu_reaches_the_open_clip(
    qtbot,
    user_dirs: Path,
    media,
) -> None:
    from gui_media import gui_speech_clip

    window = _window(qtbot)
    session = _open(qtbot, window, gui_speech_clip(media))
    assert window.export_panel.imprint.toPlainText() == ""
    dialog = window.open_brand_kit()
    assert dialog.isVisible() and dialog.kit() == BrandKit()
    dialog.set_kit(sample_kit())
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert (
        window.workspace.brand_kit == sample_kit()
        and load_brand_kit(saved_brand_kit_path()) == window.workspace.brand_kit
    )
    assert window.export_panel.imprint.toPlainText() == IMPRINT
    assert window.export_panel.call_to_action.text() == "Vote Sarah Jones on 7 May"
    assert "publish.no_imprint" not in window.checks_panel.finding_ids()
    assert window.branding_for(session).kit.font == "DejaVu Serif Bold"
    # Cancel changes nothing.
    dialog = window.open_brand_kit()
    dialog.name.setText("Something else")
    dialog.reject()
    assert window.workspace.brand_kit == sample_kit()
    window.close()


def test_branded_export_from_the_window_matches_the_preview(
    qtbot,
    user_dirs: Path,
    media,
    tmp_path: Path,
) -> None:
    """A real export: the file carries the name strip and the end card the preview showed."""
    import numpy as np
    from gui_media import gui_speech_clip

    window = _window(qtbot, sample_kit())
    session = _open(qtbot, window, gui_speech_clip(media))
    panel = window.export_panel
    panel.speaker.setText("Cllr Sarah Jones, Labour candidate for North Ward")
    panel.end_card_seconds.setValue(2.0)
    window.trims.set_in(0.5)
    window.trims.set_out(6.5)
    rendered = _wait_for_layers(qtbot, window)
    panel.folder.setText(str(tmp_path))
    panel.output_dir_changed.emit(str(tmp_path))
    with qtbot.waitSignal(window.export_finished, timeout=240_000) as finished:
        panel.export_button.click()
        assert window.exports.imprint_question is None  # the kit's imprint is there: no question
    result = finished.args[0]
    assert result.validation.ok, result.validation.failures
    assert result.duration == pytest.approx(6.0 + 2.0, abs=0.15)
    assert result.plan.branding == window.branding_for(session)
    # Mid lower third: the strip's pixels in the file are the preview's picture.
    layer = rendered.layers.lower_third
    x, y, width, height = layer.rect
    frame = frame_at(result.output, (layer.start + layer.end) / 2)
    strip = frame[y + height // 4 : y + height * 3 // 4, x + width // 2 : x + width - 4]
    expected = np.array([0xC8, 0x10, 0x2E])
    close = np.abs(strip.astype(int) - expected).max(axis=2) < 40
    assert close.mean() > 0.5  # the box colour, with text on it
    # The end card fills the last two seconds in the kit's main colour.
    card = frame_at(result.output, result.duration - 0.5)
    assert np.abs(card[5:40, 5:40].astype(int) - expected).max() < 25
    window.close()


def test_damaged_saved_kit_is_reported_not_used(qtbot, user_dirs: Path) -> None:
    path = saved_brand_kit_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"format": "clipstudio-brand-kit", "version": 1, "font": "Comic Sans"}')
    window = _window(qtbot)
    assert window.workspace.brand_kit is None
    message = window.statusBar().currentMessage()
    assert "brand kit could not be read" in message and "Comic Sans" in message
    assert "Brand kit" in message  # says where to fix it
    window.close()
