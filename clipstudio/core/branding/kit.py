"""Brand kit and per-export branding: logo, lower third, end card with call to action and imprint.

A local party hands one small JSON file (colours, logo, font, imprint, call to action) to all its
volunteers, so every clip looks the same and carries the UK digital imprint (Elections Act 2022).
The logo travels inside the JSON as base64 PNG, so the kit is one file that works offline.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from clipstudio.core import paths
from clipstudio.core.branding.imprint import has_imprint
from clipstudio.core.errors import BadInputError
from clipstudio.core.files import ensure_folder, read_limited, write_file
from clipstudio.resources import assets_dir

Corner = Literal["top-left", "top-right", "bottom-left", "bottom-right"]
CORNERS: tuple[Corner, ...] = ("top-left", "top-right", "bottom-left", "bottom-right")

# The fonts a brand kit may choose, all shipped in assets/fonts (open licence, same on every OS).
BUNDLED_FONTS: dict[str, str] = {
    "DejaVu Sans Bold": "DejaVuSans-Bold.ttf",
    "DejaVu Sans Condensed Bold": "DejaVuSansCondensed-Bold.ttf",
    "DejaVu Serif Bold": "DejaVuSerif-Bold.ttf",
}
DEFAULT_FONT = "DejaVu Sans Bold"

BRAND_KIT_FORMAT = "clipstudio-brand-kit"
BRAND_KIT_VERSION = 1
MAX_KIT_BYTES = 2_000_000  # a kit is a small file; a bigger one is not a kit
MAX_LOGO_SIDE = 1024  # logos are scaled down on import; they are shown small anyway
# A kit's own logo was scaled to MAX_LOGO_SIDE on import; one far bigger was not made by us and
# would cost hundreds of MB to decode (a 12000 x 12000 PNG of 17 kB took an export to 1.3 GB).
MAX_KIT_LOGO_SIDE = 4 * MAX_LOGO_SIDE
# How deep a kit's JSON may nest: a kit is one flat object; 100 000 levels crashed the parser.
MAX_KIT_NESTING = 20
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Timings of the branded parts, in seconds of the exported clip.
END_CARD_MIN_S, END_CARD_MAX_S = 2.0, 4.0
DEFAULT_END_CARD_S = 3.0
LOWER_THIRD_START_S = 0.5
LOWER_THIRD_DURATION_S = 4.5
FADE_S = 0.4

_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class BrandKit:
    """What a local party shares with its volunteers. Colours are "#RRGGBB"."""

    name: str = ""  # "North Ward Labour": shown in the settings, not on the video
    primary_colour: str = "#1D3557"  # end-card background, lower-third box
    text_colour: str = "#FFFFFF"  # text on the primary colour
    accent_colour: str = "#F4A300"  # lower-third stripe, link line on the end card
    font: str = DEFAULT_FONT  # a key of BUNDLED_FONTS
    logo_png: bytes | None = None  # PNG with alpha; SVG logos are rasterised on import
    logo_corner: Corner = "top-right"
    imprint: str = ""  # the default digital imprint
    call_to_action: str = ""  # the default call to action: "Vote Sarah Jones on 7 May"
    link: str = ""  # optional short link shown on the end card

    def __post_init__(self) -> None:
        for name in ("primary_colour", "text_colour", "accent_colour"):
            value = getattr(self, name)
            if not _HEX_COLOUR.match(value):
                raise BadInputError(f"brand kit {name} must look like #RRGGBB, not {value!r}")
        if self.font not in BUNDLED_FONTS:
            raise BadInputError(
                f"brand kit font {self.font!r} is not one of: {', '.join(BUNDLED_FONTS)}"
            )
        if self.logo_corner not in CORNERS:
            raise BadInputError(f"logo corner must be one of: {', '.join(CORNERS)}")
        if self.logo_png is not None:
            width, height = png_size(self.logo_png)
            if max(width, height) > MAX_KIT_LOGO_SIDE:
                raise BadInputError(
                    f"the brand kit logo is {width}x{height}: too big (at most"
                    f" {MAX_KIT_LOGO_SIDE} pixels a side; import the logo again to scale it)"
                )


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk, or a plain error when it is not a PNG."""
    if not data.startswith(PNG_SIGNATURE) or len(data) < 24 or data[12:16] != b"IHDR":
        raise BadInputError("the brand kit logo is not a PNG image (or it is damaged)")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if not width or not height:
        raise BadInputError("the brand kit logo is damaged (a picture of no size)")
    return width, height


@dataclass(frozen=True)
class Branding:
    """The branded parts of one export. Empty text means "leave that part out"."""

    kit: BrandKit = field(default_factory=BrandKit)
    lower_third: str = ""  # "Cllr Sarah Jones, Labour candidate for North Ward"
    call_to_action: str = ""  # end-card headline; defaults to the kit's
    link: str = ""  # defaults to the kit's
    imprint: str = ""  # defaults to the kit's; required unless the user confirmed without
    show_logo: bool = True
    end_card_seconds: float = DEFAULT_END_CARD_S

    def __post_init__(self) -> None:
        if not END_CARD_MIN_S <= self.end_card_seconds <= END_CARD_MAX_S:
            raise BadInputError(
                f"the end card lasts {END_CARD_MIN_S:g}-{END_CARD_MAX_S:g} s,"
                f" not {self.end_card_seconds:g}"
            )

    @classmethod
    def from_kit(cls, kit: BrandKit, **overrides: Any) -> Branding:
        """The kit's defaults, with any non-empty override on top."""
        values: dict[str, Any] = {
            "kit": kit,
            "call_to_action": kit.call_to_action,
            "link": kit.link,
            "imprint": kit.imprint,
        }
        values.update({k: v for k, v in overrides.items() if v not in (None, "")})
        return cls(**values)

    @property
    def has_logo(self) -> bool:
        return self.show_logo and self.kit.logo_png is not None

    @property
    def has_end_card(self) -> bool:
        """An end card is shown when there is something to say on it."""
        return bool(self.call_to_action.strip() or has_imprint(self.imprint) or self.link.strip())

    @property
    def shows_anything(self) -> bool:
        """False when nothing would be drawn: the export is then a plain one."""
        return self.has_logo or bool(self.lower_third.strip()) or self.has_end_card

    @property
    def end_card_duration(self) -> float:
        """Seconds the end card adds to the export (the trim leaves room for them)."""
        return self.end_card_seconds if self.has_end_card else 0.0


def font_file(name: str) -> Path:
    """The bundled font file for a brand-kit font name."""
    if name not in BUNDLED_FONTS:
        raise BadInputError(f"unknown font {name!r}: use one of {', '.join(BUNDLED_FONTS)}")
    return assets_dir() / "fonts" / BUNDLED_FONTS[name]


def brand_kit_to_json(kit: BrandKit) -> str:
    """The kit as the small JSON file a party hands round (logo inline as base64 PNG)."""
    data = asdict(kit)
    logo = data.pop("logo_png")
    data["logo_png_base64"] = base64.b64encode(logo).decode("ascii") if logo else None
    return json.dumps(
        {"format": BRAND_KIT_FORMAT, "version": BRAND_KIT_VERSION, **data},
        indent=2,
        ensure_ascii=False,
    )


def brand_kit_from_json(text: str) -> BrandKit:
    """Parse a kit file; any problem is a BadInputError that says what to fix."""
    text = text.removeprefix("\ufeff")  # Notepad's UTF-8 files start with a byte-order mark
    _check_nesting(text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInputError(
            f"the brand kit is not valid JSON ({error.msg}, line {error.lineno})"
        ) from None
    except (RecursionError, ValueError):  # ValueError: a number of thousands of digits
        raise BadInputError("the brand kit is not a Clip Studio brand kit (damaged JSON)") from None
    if not isinstance(data, dict) or data.get("format") != BRAND_KIT_FORMAT:
        raise BadInputError("this JSON file is not a Clip Studio brand kit")
    if not isinstance(data.get("version"), int) or data["version"] > BRAND_KIT_VERSION:
        raise BadInputError("this brand kit was made by a newer Clip Studio: update the app")
    known = {name for name in BrandKit.__dataclass_fields__ if name != "logo_png"}
    values: dict[str, Any] = {}
    for name in known:
        if name in data and data[name] is not None:
            if not isinstance(data[name], str):
                raise BadInputError(f"brand kit field {name!r} must be text")
            values[name] = data[name]
    encoded = data.get("logo_png_base64")
    if encoded:
        try:
            values["logo_png"] = base64.b64decode(encoded, validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise BadInputError("the brand kit logo is damaged (bad base64)") from None
    return BrandKit(**values)


def _check_nesting(text: str) -> None:
    """Refuse JSON nested deeper than a kit ever is, before the parser recurses into it."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_KIT_NESTING:
                raise BadInputError(
                    "this JSON file is not a Clip Studio brand kit (nested too deep)"
                )
        elif char in "]}":
            depth -= 1


def load_brand_kit(path: Path) -> BrandKit:
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise BadInputError(f"no brand kit at {path}")
    data = read_limited(path, MAX_KIT_BYTES, "brand kit")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInputError(
            f"cannot read the brand kit {path.name}: it is not UTF-8 text (is it a kit file?)"
        ) from None
    return brand_kit_from_json(text)


def save_brand_kit(
    kit: BrandKit, path: Path, *, overwrite: bool = True, inputs: Iterable[Path] = ()
) -> None:
    """Write safely (files.write_file: atomic, locked, never over an input), so a crash never
    leaves half a kit behind. The settings folder is made on first save. `overwrite` is on for
    the window, whose save dialog has already asked; the command line passes --overwrite."""
    path = Path(path)
    ensure_folder(path.parent)
    write_file(path, brand_kit_to_json(kit), inputs=inputs, overwrite=overwrite)


def saved_brand_kit_path() -> Path:
    """Where the GUI keeps the user's brand kit; the CLI uses it too unless told otherwise."""
    return paths.config_dir() / "brand-kit.json"


def load_saved_brand_kit() -> BrandKit | None:
    """The user's saved kit, or None when they have not made one yet."""
    path = saved_brand_kit_path()
    return load_brand_kit(path) if path.exists() else None


def with_logo(kit: BrandKit, logo_png: bytes | None) -> BrandKit:
    return replace(kit, logo_png=logo_png)
