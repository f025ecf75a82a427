"""The picture fixes' numbers and geometry, shared by the export's filters and the preview:
where the picture lands (measured on ffmpeg's own output) and the preview's approximations."""

from __future__ import annotations

import subprocess

import ffmpeg as ffmpeg_graph
import numpy as np
import pytest

from clipstudio.core.export import ffmpeg
from clipstudio.core.export.fit import Fit, FitMode, fill_placement, picture_placement
from clipstudio.core.export.look import (
    BACKGROUND_BLUR_RADIUS,
    BRIGHTEN_CURVE,
    box_blur_sigma,
    curve_points,
    darkened_level,
    deflicker_gain,
    self_screen_level,
    self_screen_opacity,
)

SOURCE_W, SOURCE_H = 180, 320  # an upright phone picture
FRAME = (320, 180)  # the feed shape, small


def _fitted(mode: FitMode, band: tuple[int, int]) -> np.ndarray:
    """ffmpeg's own fit of a white source with a black band across rows `band`, as grey pixels."""
    source = ffmpeg_graph.input(f"color=white:s={SOURCE_W}x{SOURCE_H}:d=0.1", f="lavfi").video
    source = source.filter("drawbox", 0, band[0], SOURCE_W, band[1] - band[0], color="black",
                           t="fill")  # fmt: skip
    fitted = ffmpeg._fit_to_frame(source, Fit(mode, *FRAME))
    args = ffmpeg_graph.output(fitted, "pipe:", format="rawvideo", pix_fmt="gray",
                               frames=1).get_args()  # fmt: skip
    raw = subprocess.run([ffmpeg.ffmpeg_exe(), "-v", "error", *args], capture_output=True,
                         check=True).stdout  # fmt: skip
    return np.frombuffer(raw, np.uint8).reshape(FRAME[1], FRAME[0])


def test_crop_placement_is_where_ffmpeg_cuts() -> None:
    fit = Fit(FitMode.CROP, *FRAME)
    place = picture_placement(fit, SOURCE_W, SOURCE_H)
    band = (150, 170)
    picture = _fitted(FitMode.CROP, band)
    dark_rows = np.flatnonzero(picture[:, FRAME[0] // 2] < 128)
    scale = place.height / SOURCE_H
    expected = (place.y + band[0] * scale, place.y + band[1] * scale)
    assert dark_rows[0] == pytest.approx(expected[0], abs=1.5)
    assert dark_rows[-1] + 1 == pytest.approx(expected[1], abs=1.5)
    # The cut keeps the top: a third of the overhang above, two thirds below.
    assert -place.y == pytest.approx((place.height - FRAME[1]) / 3)


def test_blur_fill_placement_is_where_ffmpeg_puts_the_picture() -> None:
    fit = Fit(FitMode.BLUR, *FRAME)
    place = picture_placement(fit, SOURCE_W, SOURCE_H)
    picture = _fitted(FitMode.BLUR, (0, 0 + 1))
    row = picture[FRAME[1] // 2]
    sharp = np.flatnonzero(row >= 250)  # the picture itself; the fill is blurred and darkened
    assert sharp[0] == pytest.approx(place.x, abs=1.5)
    assert sharp[-1] + 1 == pytest.approx(place.x + place.width, abs=1.5)
    # The fill covers the frame, centred, and is darkened by the shared amount.
    fill = fill_placement(fit, SOURCE_W, SOURCE_H)
    assert fill.width >= FRAME[0] and fill.height >= FRAME[1]
    assert row[2] / 255 == pytest.approx(darkened_level(1.0), abs=0.03)


def test_preview_brighten_follows_the_export_curve() -> None:
    points = curve_points(BRIGHTEN_CURVE)
    assert points[0] == (0.0, 0.0) and points[-1] == (1.0, 1.0)
    opacity = self_screen_opacity(points)
    assert 0.5 < opacity < 1.0
    worst = max(abs(self_screen_level(x, opacity) - y) for x, y in points)
    # The preview's one-blend copy stays within 11 of 255 levels of the export's curve.
    assert worst < 11 / 255, worst


def test_blur_spread_and_deflicker_gain() -> None:
    # Two box passes of radius 30: the spread of a Gaussian of about 25 px.
    assert box_blur_sigma() == pytest.approx(24.9, abs=0.1)
    assert box_blur_sigma(BACKGROUND_BLUR_RADIUS, 1) == pytest.approx(17.6, abs=0.1)
    assert deflicker_gain([0.5] * 7, 0.25) == pytest.approx(2.0)
    assert deflicker_gain([0.4] * 20 + [0.6] * 7, 0.6) == pytest.approx(1.0)  # the last 7 only
    assert deflicker_gain([], 0.3) == 1.0
