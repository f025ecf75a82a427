"""Brand kit files, logo import and the branded pictures, measured on the pixels they draw."""

from __future__ import annotations

import base64
import io
import json
import stat
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from clipstudio.core.branding.imprint import IMPRINT_EXAMPLE, publish_findings
from clipstudio.core.branding.kit import (
    DEFAULT_FONT,
    FADE_S,
    LOWER_THIRD_DURATION_S,
    LOWER_THIRD_START_S,
    MAX_KIT_BYTES,
    MAX_LOGO_SIDE,
    Branding,
    BrandKit,
    brand_kit_from_json,
    brand_kit_to_json,
    load_brand_kit,
    load_saved_brand_kit,
    save_brand_kit,
    saved_brand_kit_path,
)
from clipstudio.core.branding.layers import (
    IMPRINT_MIN_CAP_FRACTION,
    Layer,
    _imprint_font,
    drawable_text,
    import_logo,
    imprint_lines,
    layer_opacity,
    render_layers,
)
from clipstudio.core.errors import BadInputError
from clipstudio.core.export.layout import caption_box, shape_layout
from clipstudio.core.export.presets import PRESETS
from clipstudio.core.speech.types import CaptionStyle
from clipstudio.core.vocabulary import Fix

PRIMARY = "#5B2C83"
ACCENT = "#F4A300"


def rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)


def logo_png(width: int = 200, height: int = 100) -> bytes:
    """A blue disc on a transparent background."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    from PIL import ImageDraw

    ImageDraw.Draw(image).ellipse(
        (width / 2 - height / 2.2, height * 0.05, width / 2 + height / 2.2, height * 0.95),
        fill=(0, 68, 255, 255),
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def picture(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("RGBA")).astype(float)


def full_kit(**changes: object) -> BrandKit:
    values: dict[str, object] = {
        "name": "North Ward Labour",
        "primary_colour": PRIMARY,
        "accent_colour": ACCENT,
        "logo_png": logo_png(),
        "imprint": IMPRINT_EXAMPLE,
        "call_to_action": "Vote Sarah Jones on 7 May",
        "link": "example.org/north",
    }
    values.update(changes)
    return BrandKit(**values)  # type: ignore[arg-type]


# --- the kit file -------------------------------------------------------------------------------


def test_kit_json_round_trip_keeps_the_logo(tmp_path: Path) -> None:
    kit = full_kit(font="DejaVu Serif Bold", logo_corner="bottom-left", link="ex.org/é")
    path = tmp_path / "kit.json"
    save_brand_kit(kit, path)
    assert load_brand_kit(path) == kit
    assert brand_kit_from_json(brand_kit_to_json(kit)).logo_png == kit.logo_png
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "clipstudio-brand-kit"
    # A kit is handed round: readable by others, and no temporary file left beside it.
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["kit.json"]


def test_saved_kit_lives_in_the_user_settings(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert load_saved_brand_kit() is None
    path = saved_brand_kit_path()
    assert path.is_relative_to(tmp_path / "config")
    save_brand_kit(full_kit(), path)  # makes the settings folder on first save
    assert load_saved_brand_kit() == full_kit()


def _kit_text(**changes: object) -> str:
    data = json.loads(brand_kit_to_json(full_kit()))
    data.update(changes)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{not json", "not valid json"),
        (json.dumps({"format": "something-else", "version": 1}), "not a clip studio brand kit"),
        (json.dumps([1, 2, 3]), "not a clip studio brand kit"),
        (_kit_text(version=99), "newer clip studio"),
        (_kit_text(primary_colour="red"), "#rrggbb"),
        (_kit_text(accent_colour="#12345"), "#rrggbb"),
        (_kit_text(font="Comic Sans"), "font"),
        (_kit_text(logo_corner="middle"), "corner"),
        (_kit_text(logo_png_base64="@@not base64@@"), "damaged"),
        (_kit_text(logo_png_base64=base64.b64encode(b"GIF89a....").decode()), "not a png"),
        (_kit_text(imprint=42), "must be text"),
    ],
    ids=["not-json", "wrong-format", "not-object", "newer", "colour-name", "short-hex",
         "unknown-font", "bad-corner", "bad-base64", "logo-not-png", "not-text"],
)  # fmt: skip
def test_bad_kits_say_what_is_wrong(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "kit.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadInputError) as caught:
        load_brand_kit(path)
    assert words in str(caught.value).lower()


def test_missing_binary_and_huge_kits_are_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="no brand kit"):
        load_brand_kit(tmp_path / "missing.json")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(BadInputError, match="cannot read"):
        load_brand_kit(binary)
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * (MAX_KIT_BYTES + 1))
    with pytest.raises(BadInputError, match="too big"):
        load_brand_kit(huge)


def test_end_card_length_and_defaults() -> None:
    with pytest.raises(BadInputError, match="2-4 s"):
        Branding(end_card_seconds=5)
    branding = Branding.from_kit(full_kit(), call_to_action="", imprint="Promoted by me, AB1 2CD")
    assert branding.call_to_action == "Vote Sarah Jones on 7 May"  # empty override: the kit's
    assert branding.imprint == "Promoted by me, AB1 2CD"
    assert branding.end_card_duration == 3.0
    bare = Branding()
    assert not bare.has_end_card and bare.end_card_duration == 0 and not bare.shows_anything


# --- logo import --------------------------------------------------------------------------------


def test_png_logo_keeps_its_alpha_and_is_scaled_down(tmp_path: Path) -> None:
    big = Image.new("RGBA", (3000, 1500), (0, 0, 0, 0))
    big.paste((255, 0, 0, 255), (1000, 500, 2000, 1000))
    path = tmp_path / "logo.png"
    big.save(path)
    pixels = picture(import_logo(path))
    assert pixels.shape[:2] == (MAX_LOGO_SIDE // 2, MAX_LOGO_SIDE)
    assert pixels[5, 5, 3] == 0  # transparent corner stays transparent
    assert tuple(pixels[256, 512]) == (255, 0, 0, 255)


def test_svg_logo_is_rasterised_with_alpha(tmp_path: Path) -> None:
    path = tmp_path / "logo 'it's' [1].svg"
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20">'
        '<rect x="10" y="0" width="20" height="20" fill="#00ff00"/></svg>',
        encoding="utf-8",
    )
    pixels = picture(import_logo(path))
    assert pixels.shape[:2] == (MAX_LOGO_SIDE // 2, MAX_LOGO_SIDE)  # drawn large, not upscaled
    assert pixels[256, 100, 3] == 0  # left of the square: transparent
    assert pixels[256, 512, 3] == 255 and pixels[256, 512, 1] > 250


def test_jpeg_logo_becomes_an_opaque_png(tmp_path: Path) -> None:
    path = tmp_path / "logo.jpg"
    Image.new("RGB", (64, 32), (10, 200, 30)).save(path)
    data = import_logo(path)
    assert data.startswith(b"\x89PNG")
    assert picture(data)[:, :, 3].min() == 255


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("logo.png", b"this is not a picture", "not a picture"),
        ("logo.gif", b"GIF89a", "png, jpeg, webp or svg"),
        ("logo.svg", b"<svg this is broken", "not an svg"),
    ],
)
def test_bad_logos_are_refused(tmp_path: Path, name: str, content: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(BadInputError) as caught:
        import_logo(path)
    assert words in str(caught.value).lower()
    with pytest.raises(BadInputError, match="logo picture not found"):
        import_logo(tmp_path / "missing.png")


# --- the pictures -------------------------------------------------------------------------------


def inside(rect: tuple[int, int, int, int], area: tuple[int, int, int, int]) -> bool:
    x, y, w, h = rect
    ax, ay, aw, ah = area
    return ax <= x and ay <= y and x + w <= ax + aw and y + h <= ay + ah


def overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


@pytest.mark.parametrize("preset", sorted(PRESETS))
@pytest.mark.parametrize("corner", ["top-right", "bottom-left"])
def test_every_part_sits_in_the_safe_area_clear_of_captions(preset: str, corner: str) -> None:
    frame = PRESETS[preset]
    branding = Branding.from_kit(
        full_kit(logo_corner=corner),
        lower_third="Cllr Sarah Jones, Labour candidate for North Ward",
    )
    layers = render_layers(branding, frame.width, frame.height, frame, 20.0)
    safe = layers.safe_area
    assert safe[1] + safe[3] <= frame.height * (1 - shape_layout(frame.name).bottom)
    assert layers.logo is not None and layers.lower_third is not None
    logo, lower = layers.logo.rect, layers.lower_third.rect
    captions = (
        0,
        caption_box(frame, frame.width, frame.height, CaptionStyle()).zone_top,
        frame.width,
        frame.height,
    )
    for rect in (logo, lower):
        assert inside(rect, safe)
        assert not overlaps(rect, captions)
    assert not overlaps(logo, lower)
    short = min(frame.width, frame.height)
    assert logo[3] <= short / 8 + 1 and logo[2] <= short / 4 + 1  # small, aspect kept (2:1)
    assert abs(logo[2] / logo[3] - 2) < 0.05
    for name in ("logo", "call_to_action", "link", "imprint"):
        assert inside(layers.end_card_boxes[name], safe), name
    card = picture(layers.end_card)
    assert card.shape == (frame.height, frame.width, 4) and card[:, :, 3].min() == 255


def test_caption_zone_follows_the_caption_size() -> None:
    feed = PRESETS["feed"]
    small = caption_box(feed, 1920, 1080, CaptionStyle(size_scale=1.0)).zone_top
    large = caption_box(feed, 1920, 1080, CaptionStyle(size_scale=1.5)).zone_top
    assert large < small < 1080 * (1 - shape_layout(feed.name).bottom)
    kit = full_kit()
    low = render_layers(Branding.from_kit(kit, lower_third="Sam"), 1920, 1080, feed, 20.0,
                        caption_style=CaptionStyle(size_scale=1.5))  # fmt: skip
    assert low.lower_third is not None
    assert low.lower_third.y + low.lower_third.rect[3] <= large


def ink_rows(card: np.ndarray, box: tuple[int, int, int, int], background: str) -> np.ndarray:
    x, y, w, h = box
    region = card[y : y + h, x : x + w, :3]
    differs = np.abs(region - rgb(background)).max(axis=2) > 60
    return np.flatnonzero(differs.any(axis=1))


@pytest.mark.parametrize("preset", ["feed", "reels"])
def test_imprint_is_legible_measured_on_its_pixels(preset: str) -> None:
    """Capital letters only, so the ink height is the cap height."""
    frame = PRESETS[preset]
    branding = Branding.from_kit(full_kit(imprint="PROMOTED BY HH HH HH"))
    layers = render_layers(branding, frame.width, frame.height, frame, 20.0)
    rows = ink_rows(picture(layers.end_card), layers.end_card_boxes["imprint"], PRIMARY)
    cap_height = rows.max() - rows.min() + 1
    assert cap_height >= IMPRINT_MIN_CAP_FRACTION * frame.height
    assert cap_height >= 20


def test_imprint_wraps_but_never_splits_the_postcode() -> None:
    font = _imprint_font(DEFAULT_FONT, 1920)
    for width in range(300, 1000, 7):  # every place a line could end
        lines = imprint_lines(IMPRINT_EXAMPLE, font, width)
        assert any(line.endswith("AB1\u00a02CD") for line in lines), (width, lines)
        assert "".join(lines).replace("\u00a0", " ").replace(" ", "") == IMPRINT_EXAMPLE.replace(
            " ", ""
        )


def test_long_imprint_wraps_and_never_shrinks() -> None:
    feed = PRESETS["feed"]
    short = render_layers(Branding.from_kit(full_kit()), 1920, 1080, feed, 20.0)
    long_text = IMPRINT_EXAMPLE + ", and of the North Ward Labour Party at 2 Low Road, Town"
    long = render_layers(Branding.from_kit(full_kit(imprint=long_text)), 1920, 1080, feed, 20.0)
    assert long.imprint_font_px == short.imprint_font_px
    assert long.end_card_boxes["imprint"][3] > 1.8 * short.end_card_boxes["imprint"][3]
    with pytest.raises(BadInputError, match="too long to show legibly"):
        render_layers(Branding.from_kit(full_kit(imprint=long_text * 20)), 1920, 1080, feed, 20.0)
    with pytest.raises(BadInputError, match="no letters"):
        render_layers(Branding.from_kit(full_kit(imprint="🎉 🎉")), 1920, 1080, feed, 20.0)


def test_lower_third_splits_name_and_role_and_cuts_what_cannot_fit() -> None:
    feed = PRESETS["feed"]

    def lower(text: str) -> Layer:
        layers = render_layers(Branding(kit=full_kit(), lower_third=text), 1920, 1080, feed, 20.0)
        assert layers.lower_third is not None
        return layers.lower_third

    one = lower("Cllr Sarah Jones")
    two = lower("Cllr Sarah Jones, Labour candidate for North Ward, and friend of the library")
    assert 1.5 * one.rect[3] < two.rect[3] < 3 * one.rect[3]
    huge = lower("Sarah " * 200)
    assert huge.rect[2] <= 0.7 * 1920 and huge.rect[3] < 3 * one.rect[3]
    box = picture(one.png)
    assert np.abs(box[one.rect[3] // 2, 1, :3] - rgb(ACCENT)).max() < 2  # the accent stripe
    assert np.abs(box[2, -3, :3] - rgb(PRIMARY)).max() < 2  # the box
    assert np.abs(box[:, :, :3] - rgb(PRIMARY)).max(axis=2).max() > 100  # and text on it


def test_short_main_part_has_no_lower_third_and_times_follow_the_constants() -> None:
    feed = PRESETS["feed"]
    branding = Branding(kit=full_kit(), lower_third="Sam")
    assert render_layers(branding, 640, 360, feed, 1.2).lower_third is None
    layer = render_layers(branding, 640, 360, feed, 20.0).lower_third
    assert layer is not None and layer.start == LOWER_THIRD_START_S
    assert layer.end == LOWER_THIRD_START_S + LOWER_THIRD_DURATION_S and layer.fade == FADE_S
    cut_short = render_layers(branding, 640, 360, feed, 3.0).lower_third
    assert cut_short is not None and cut_short.end == 3.0


def test_layer_opacity_ramps_like_ffmpegs_fade() -> None:
    layer = Layer(png=b"", x=0, y=0, start=1.0, end=5.0, fade=0.4)
    assert layer_opacity(layer, 0.99) == 0.0
    assert layer_opacity(layer, 1.2) == pytest.approx(0.5)
    assert layer_opacity(layer, 3.0) == 1.0
    assert layer_opacity(layer, 4.9) == pytest.approx(0.25)
    assert layer_opacity(layer, 5.01) == 0.0
    assert layer_opacity(Layer(png=b"", x=0, y=0), 123.0) == 1.0


def test_text_the_font_cannot_draw_is_dropped_not_boxed() -> None:
    font = "DejaVu Sans Bold"
    assert drawable_text("Vote 🎉 today 👍🏽👨‍👩‍👧!", font) == "Vote today !"
    assert drawable_text("café Zoë ñ — مرحبا שלום", font) == "café Zoë ñ — مرحبا שלום"
    assert drawable_text("%{pts} \\N {x} 'a' \"b\": 100%", font) == "%{pts} \\N {x} 'a' \"b\": 100%"
    assert drawable_text("line one\r\n\x07line\ttwo\n\n", font) == "line one\nline two"
    assert drawable_text("🎉🎉", font) == ""


def test_hostile_text_draws_without_error_on_every_preset() -> None:
    hostile = 'Jo\'s "best": 100% %{pts} \\N {b} 🎉 مرحبا\n' + "x" * 300
    branding = Branding.from_kit(full_kit(), lower_third=hostile, call_to_action=hostile * 3,
                                 link=hostile, imprint="Promoted by Jo \"J\" O'Neil: 100% {x} \\"
                                 " 🎉, 1 High St, AB1 2CD")  # fmt: skip
    for frame in PRESETS.values():
        layers = render_layers(branding, frame.width, frame.height, frame, 20.0)
        assert layers.lower_third is not None and layers.end_card is not None
        for name in ("call_to_action", "link", "imprint"):
            assert inside(layers.end_card_boxes[name], layers.safe_area), (frame.name, name)


# --- the publish check --------------------------------------------------------------------------


@pytest.mark.parametrize("imprint", [None, "", "   "])
def test_no_imprint_is_a_warning_with_the_rule_and_an_example(imprint: str | None) -> None:
    (finding,) = publish_findings(imprint)
    assert finding.id == "publish.no_imprint" and finding.severity == "warning"
    assert (
        finding.title == "No digital imprint"
        and finding.fix is Fix.IMPRINT
        and finding.fix.flag == "--imprint"
    )
    assert "Elections Act 2022" in finding.advice and IMPRINT_EXAMPLE in finding.advice


def test_imprint_with_an_address_is_fine_and_without_one_is_noted() -> None:
    assert publish_findings(IMPRINT_EXAMPLE) == []
    assert publish_findings("Promoted by J. Smith, 10 Downing St, London SW1A 2AA") == []
    (note,) = publish_findings("Promoted by J. Smith")
    assert note.id == "publish.imprint_no_address" and note.severity == "info"
