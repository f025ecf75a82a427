"""The preview shows the picture fixes ticked for export (gui/fix_preview.py), measured against
the export's own pictures: brighten lifts a dark clip about as much as the export's curve, the
blur-fill puts blurred picture where the bars were, a crop cuts where fit.picture_placement says,
deflicker evens out the frames' levels, and switching a fix off gives the plain preview back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from media import MediaFactory, frame_at
from plans import export

pytest.importorskip("pytestqt")

from PySide6.QtGui import QColor, QImage

from clipstudio.core.export.fit import Fit, FitMode, picture_placement
from clipstudio.core.export.look import DEFLICKER_FRAMES
from clipstudio.core.vocabulary import Fix, PortraitFill, Shape

LOAD_TIMEOUT_MS = 120_000
# BT.709 luma of full-range RGB, as both sides are measured.
LUMA_RGB = np.array([0.2126, 0.7152, 0.0722])


# Encoded and tagged BT.709, so Qt's player, PyAV and the export read the colours alike: Qt
# decodes an untagged 360x640 clip as BT.601 where probe and the export take BT.709.
BT709 = ["-vf", "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p", "-colorspace",
         "bt709", "-color_primaries", "bt709", "-color_trc", "bt709"]  # fmt: skip


def _clip(media: MediaFactory, name: str, picture: str) -> Path:
    """1.5 s of the lavfi `picture` with a tone, tagged BT.709."""
    return media.ffmpeg_clip(name, [
        "-f", "lavfi", "-i", picture, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", "1.5", *BT709, "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
    ])  # fmt: skip


def _dark_clip(media: MediaFactory) -> Path:
    """A moving 640x360 picture at a quarter of its levels (mean luma about 30 of 255):
    footage the brighten check flags."""
    return _clip(
        media,
        "dark640x360",
        "testsrc2=size=640x360:rate=30,lutrgb=r=val*0.25:g=val*0.25:b=val*0.25",
    )


def _upright_clip(media: MediaFactory) -> Path:
    """An upright 360x640 moving picture."""
    return _clip(media, "upright709-360x640", "testsrc2=size=360x640:rate=30")


def _banded_portrait(media: MediaFactory) -> Path:
    """An upright 360x640 white picture with a black band across rows 300-340 and a grey one
    down columns 60-80: where a crop cuts can be read off the preview."""
    return _clip(
        media,
        "banded360x640",
        "color=white:s=360x640:r=30,"
        "drawbox=0:300:360:40:black:t=fill,drawbox=60:0:20:640:gray:t=fill",
    )


def _rgb(image: QImage) -> np.ndarray:
    """An RGB array (rows, columns, 3) of a 32-bit QImage (BGRA bytes)."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
    # A copy: the view would outlive the converted image's pixels.
    return (
        rows[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[:, :, 2::-1].copy()
    )


def _luma(rgb: np.ndarray) -> np.ndarray:
    return rgb.astype(np.float64) @ LUMA_RGB


def _opened(qtbot, window, path: Path):
    session = window.add_clips([str(path)])[0]
    qtbot.waitUntil(lambda: session.media is not None, timeout=LOAD_TIMEOUT_MS)
    session.cancel_all()  # neither the checks nor the captions are needed here
    picture = window.player.view.picture
    qtbot.waitUntil(lambda: not picture.composed.isNull(), timeout=LOAD_TIMEOUT_MS)
    # The paused first frame: the player may hand it over more than once while it loads.
    qtbot.wait(300)
    return session


def _shown(window) -> tuple[np.ndarray, int]:
    """The preview's picture (the output frame, in device pixels) and which frame it is."""
    picture = window.player.view.picture
    return _rgb(picture.composed), picture.image.cacheKey()


def test_brighten_lifts_the_preview_as_the_export_lifts_the_file(
    qtbot, window, media, tmp_path
) -> None:
    clip = _dark_clip(media)
    exported = export(clip, tmp_path / "bright.mp4", fix=[Fix.BRIGHTEN]).output
    source_luma = _luma(frame_at(clip, 0.0)).mean()
    export_lift = _luma(frame_at(exported, 0.0)).mean() - source_luma

    session = _opened(qtbot, window, clip)
    assert Fix.BRIGHTEN not in session.project.fixes
    plain, frame = _shown(window)
    window.edits.fix_toggled(Fix.BRIGHTEN, True)
    brightened, same_frame = _shown(window)
    assert same_frame == frame
    preview_lift = _luma(brightened).mean() - _luma(plain).mean()
    print(
        f"mean luma: source {source_luma:.1f}, export +{export_lift:.1f}, "
        f"preview {_luma(plain).mean():.1f} +{preview_lift:.1f}"
    )
    assert source_luma < 40 and export_lift > 15  # dark footage, and the export's curve lifts it
    assert preview_lift == pytest.approx(export_lift, rel=0.2, abs=3)
    # The preview's plain picture is the file's (Qt's conversion and PyAV's differ by a few levels).
    assert _luma(plain).mean() == pytest.approx(source_luma, abs=4)

    window.edits.fix_toggled(Fix.BRIGHTEN, False)
    restored, same_frame = _shown(window)
    assert same_frame == frame
    assert np.array_equal(restored, plain)


def test_blur_fill_puts_blurred_picture_where_the_bars_were(qtbot, window, media, tmp_path) -> None:
    clip = _upright_clip(media)
    exported = _luma(frame_at(export(clip, tmp_path / "blur.mp4").output, 0.0))  # the default fill

    session = _opened(qtbot, window, clip)
    assert Fix.PORTRAIT in session.project.fixes and session.project.portrait is PortraitFill.BLUR
    filled, frame = _shown(window)
    window.edits.fix_toggled(Fix.PORTRAIT, False)
    barred, same_frame = _shown(window)
    assert same_frame == frame
    height, width = barred.shape[:2]
    fit = Fit(FitMode.PAD, width, height)
    place = picture_placement(fit, 360, 640)
    sides = [slice(0, int(place.x) - 2), slice(int(place.x + place.width) + 2, width)]

    def side_luma(rgb: np.ndarray) -> np.ndarray:
        return np.concatenate([_luma(rgb[:, columns]).ravel() for columns in sides])

    bars, fill = side_luma(barred), side_luma(filled)
    export_w = exported.shape[1]
    export_place = picture_placement(Fit(FitMode.BLUR, export_w, exported.shape[0]), 360, 640)
    export_fill = exported[:, : int(export_place.x) - 2].ravel()
    print(
        f"sides: bars mean {bars.mean():.1f} sd {bars.std():.1f}; preview fill mean "
        f"{fill.mean():.1f} sd {fill.std():.1f}; export fill mean {export_fill.mean():.1f} "
        f"sd {export_fill.std():.1f}"
    )
    assert bars.mean() < 2 and bars.std() < 2  # black bars
    assert fill.mean() > 40 and fill.std() > 10  # picture, not a flat colour
    # Blurred: the fill changes slowly across, the picture in the middle in steps.
    middle = _luma(filled[:, int(place.x) + 2 : int(place.x + place.width) - 2])
    fill_steps = np.abs(np.diff(_luma(filled[:, sides[0]]), axis=1)).max()
    assert fill_steps < np.abs(np.diff(middle, axis=1)).max() / 4
    # About as bright as the export's fill (both darkened by look.darkened_level).
    assert fill[: fill.size // 2].mean() == pytest.approx(export_fill.mean(), abs=6)

    window.edits.fix_toggled(Fix.PORTRAIT, True)
    restored, same_frame = _shown(window)
    assert same_frame == frame and np.array_equal(restored, filled)


@pytest.mark.parametrize("shape", [Shape.FEED, Shape.SQUARE])
def test_crop_cuts_where_the_export_cuts(qtbot, window, media, shape: Shape) -> None:
    session = _opened(qtbot, window, _banded_portrait(media))
    window.export_panel.preset_changed.emit(shape)
    window.export_panel.portrait_changed.emit(PortraitFill.CROP)
    assert session.project.portrait is PortraitFill.CROP and session.project.preset is shape
    shown, _ = _shown(window)
    height, width = shown.shape[:2]
    place = picture_placement(Fit(FitMode.CROP, width, height), 360, 640)
    scale = place.height / 640
    luma = _luma(shown)
    # The black band across rows 300-340 of the source, down the frame's middle column.
    dark_rows = np.flatnonzero(luma[:, width // 2] < 60)
    assert dark_rows[0] == pytest.approx(place.y + 300 * scale, abs=2)
    assert dark_rows[-1] + 1 == pytest.approx(place.y + 340 * scale, abs=2)
    # The grey band down columns 60-80, along a row away from the black band.
    row = luma[int(place.y + 100 * scale)]
    grey = np.flatnonzero((row > 60) & (row < 200))
    assert grey[0] == pytest.approx(place.x + 60 * scale, abs=2)
    assert grey[-1] + 1 == pytest.approx(place.x + 80 * scale, abs=2)
    # A third of the overhang is cut above, two thirds below (the guide keeps heads in).
    assert -place.y == pytest.approx((place.height - height) / 3)
    # No bars: the frame is filled to its edges.
    assert min(luma[0, 0], luma[0, -1], luma[-1, 0], luma[-1, -1]) > 200


def _export_deflickered(codes: tuple[int, ...], count: int) -> np.ndarray:
    """The export's deflicker (ffmpeg.py's own filter) on grey frames of luma `codes` (limited
    range, repeated): each output frame's mean luma code."""
    import subprocess

    import ffmpeg as ffmpeg_graph

    from clipstudio.core.edit.plan import Fixes
    from clipstudio.core.export import ffmpeg

    pick = f"if(eq(mod(N,{len(codes)}),0),{codes[0]},{codes[1]})"
    source = ffmpeg_graph.input("color=gray:s=64x36:r=30", f="lavfi").video
    source = source.filter("format", "yuv420p").filter("geq", lum=pick, cb=128, cr=128)
    fixed = ffmpeg._repairs(source, Fixes.of({Fix.DEFLICKER}), None)
    args = ffmpeg_graph.output(fixed, "pipe:", format="rawvideo", pix_fmt="gray",
                               frames=count).get_args()  # fmt: skip
    raw = subprocess.run([ffmpeg.ffmpeg_exe(), "-v", "error", *args], capture_output=True,
                         check=True).stdout  # fmt: skip
    return np.frombuffer(raw, np.uint8).reshape(count, -1).mean(axis=1)


def test_deflicker_evens_out_the_frames_levels_as_the_export_does(qtbot) -> None:
    """Frames alternating between two levels come out of the preview at the levels the
    export's deflicker gives them once its window of DEFLICKER_FRAMES has filled, and as they
    were with the fix off."""
    from PySide6.QtCore import QRectF

    from clipstudio.gui.fix_preview import FixedPicture, PictureLook

    codes, count = (90, 130), 16
    exported = (_export_deflickered(codes, count) - 16) * 255 / 219  # limited codes -> 0-255
    picture = FixedPicture()
    picture.set_frame_rect(QRectF(0, 0, 320, 180), 1.0)
    frames = []
    for n in range(count):
        level = round((codes[n % 2] - 16) * 255 / 219)
        image = QImage(640, 360, QImage.Format.Format_RGB32)
        image.fill(QColor(level, level, level))
        frames.append(image)

    def shown_levels(deflicker: bool) -> np.ndarray:
        picture.set_look(PictureLook(Fit(FitMode.SCALE, 640, 360), 640, 360, deflicker=deflicker))
        levels = []
        for image in frames:
            picture.show_image(image)
            levels.append(float(_luma(_rgb(picture.composed)).mean()))
        return np.array(levels)

    plain, evened = shown_levels(False), shown_levels(True)
    print(f"plain {plain[-2:]}, preview deflickered {evened[-2:]}, export {exported[-2:]}")
    assert plain[:2] == pytest.approx([86, 133], abs=1)
    settled = slice(DEFLICKER_FRAMES, count)
    assert np.ptp(exported[settled]) < 10  # the export's own: from 46 levels apart
    assert evened[settled] == pytest.approx(exported[settled], abs=3)
    assert np.array_equal(shown_levels(False), plain)


def test_a_clip_the_phone_turned_is_placed_upright(qtbot, window, media) -> None:
    """An iPhone-style clip (landscape pictures tagged to turn -90 degrees) is placed as the
    viewer sees it: upright over its fill, its white marker at the picture's top left."""
    _opened(qtbot, window, media.rotated_portrait(seconds=2.0))
    picture = window.player.view.picture
    assert (picture.image.width(), picture.image.height()) == (360, 640)
    shown, _ = _shown(window)
    height, width = shown.shape[:2]
    place = picture_placement(Fit(FitMode.BLUR, width, height), 360, 640)
    marker = 80 * place.height / 640  # marked_clip's square: an eighth of the height
    inside = _luma(shown[2 : int(marker) - 2, int(place.x) + 2 : int(place.x + marker) - 2])
    assert inside.min() > 230  # white
    beside = _luma(shown[2 : int(marker) - 2, int(place.x + place.width - marker) + 2 :
                         int(place.x + place.width) - 2])  # fmt: skip
    assert beside.mean() < 200  # the top right is testsrc2, not the marker


def test_a_frame_step_keeps_the_deflicker_window_and_a_jump_starts_it_again(qtbot) -> None:
    from clipstudio.gui.player import Player

    player = Player()
    qtbot.addWidget(player)
    restarts = []
    player.view.picture.restart_flicker = lambda: restarts.append(player.position())
    player.step(1)
    player.step(-1)
    assert restarts == []  # the frames either side still count, as in the export's window
    player.step(10)
    player.seek(2.0)
    assert len(restarts) == 2


def test_a_joined_clip_is_previewed_with_the_first_clips_shape_and_fixes(
    qtbot, window, media
) -> None:
    """Joined clips make one video with the first clip's shape and fixes in the largest frame
    any of them makes (edit/project.joined_plan, fit.plan_fits): the preview of the second shows
    that, and its own choices again once the clips are no longer joined."""
    from clipstudio.core.export.presets import PRESETS

    lead = _opened(qtbot, window, _dark_clip(media))
    window.edits.fix_toggled(Fix.BRIGHTEN, True)
    window.export_panel.preset_changed.emit(Shape.SQUARE)
    second = _opened(qtbot, window, _upright_clip(media))
    window.open_clips.set_join(True)  # the default, but kept from the last window's record
    assert window.open_clips.joined() == [lead, second] and window.current is second
    picture = window.player.view.picture
    assert picture.look.brighten and window.player.view.preset == PRESETS[Shape.SQUARE]
    assert Fix.BRIGHTEN not in second.project.fixes and second.project.preset is Shape.FEED
    # The frame: the upright clip's 640x640 over its fill (the landscape one makes 360x360).
    assert picture.look.fit == Fit(FitMode.BLUR, 640, 640)
    window.open_clips.set_join(False)
    assert not picture.look.brighten and window.player.view.preset == PRESETS[Shape.FEED]
    assert picture.look.fit.mode is FitMode.BLUR
    window.open_clips.set_join(True)  # the record outlives the window: leave the default


def test_a_joined_clip_is_previewed_on_the_joined_videos_timeline(qtbot, window, media) -> None:
    """The brand layers' times, the end card's place and the branding's length are the joined
    video's: the second clip's moments come after the first clip, and only the last clip's
    end leads to the end card."""
    from clipstudio.core.branding.imprint import IMPRINT_EXAMPLE
    from clipstudio.core.branding.kit import BrandKit

    window.set_brand_kit(BrandKit(imprint=IMPRINT_EXAMPLE))
    lead = _opened(qtbot, window, _dark_clip(media))
    second = _opened(qtbot, window, _upright_clip(media))
    window.open_clips.set_join(True)  # the default, but kept from the last window's record
    preview = window.brand_preview
    both = lead.kept_duration() + second.kept_duration()
    assert preview.output_time(0.5) == pytest.approx(lead.kept_duration() + 0.5)
    assert preview.ends_video()
    assert preview.layer_renderer.wanted.main_duration == pytest.approx(both)
    window.clips.clip_list.setCurrentRow(0)
    assert window.current is lead and not preview.ends_video()
    assert preview.output_time(0.5) == pytest.approx(0.5)
    window.open_clips.set_join(False)
    assert preview.ends_video()
    assert preview.layer_renderer.wanted.main_duration == pytest.approx(lead.kept_duration())
    window.open_clips.set_join(True)  # the record outlives the window: leave the default


def test_the_last_picture_stays_up_when_playback_reaches_the_end(qtbot, media) -> None:
    """Qt's player hands the preview an empty frame at the end of the clip: the preview keeps
    the last picture (it went black), and only a new clip or none clears it."""
    from clipstudio.gui.player import Player

    player = Player()
    qtbot.addWidget(player)
    player.resize(400, 300)
    player.show()
    player.load(str(_dark_clip(media)))
    qtbot.waitUntil(lambda: player.duration() > 0, timeout=LOAD_TIMEOUT_MS)
    player.seek(1.2)
    with qtbot.waitSignal(player.reached_end, timeout=LOAD_TIMEOUT_MS):
        player.toggle_play()
    qtbot.wait(300)  # the empty frame follows the end
    picture = player.view.picture
    assert not picture.composed.isNull() and _luma(_rgb(picture.composed)).mean() > 10
    player.unload()
    assert picture.composed.isNull()
