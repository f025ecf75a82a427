"""The command line's arguments. Choices come from the core's vocabulary, never from lists here."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any, NoReturn

from clipstudio import __version__
from clipstudio.core.branding.imprint import IMPRINT_EXAMPLE
from clipstudio.core.branding.kit import CORNERS, DEFAULT_END_CARD_S, END_CARD_MAX_S, END_CARD_MIN_S
from clipstudio.core.edit.limits import MAX_DURATION_S, MIN_MAX_DURATION_S
from clipstudio.core.edit.plan import DEFAULT_MUSIC_LEVEL_DB, MAX_MUSIC_LEVEL_DB, MIN_MUSIC_LEVEL_DB
from clipstudio.core.vocabulary import (
    DEFAULT_CAPTION_LOOK,
    DEFAULT_CAPTION_MODE,
    DEFAULT_ENGINE,
    DEFAULT_SHAPE,
    FIXES_ON_BY_DEFAULT,
    SWITCHED_FIXES,
    CaptionLook,
    CaptionMode,
    Cleanup,
    Engine,
    Fix,
    PortraitFill,
    Shape,
)

# `--fix-portrait none`: an upright picture between black bars (the portrait fix off).
NO_PORTRAIT_FILL = "none"
# The numbers a user types, by argparse dest: (lowest, highest) allowed; None is open-ended.
# Checked once for every command (ClipArgumentParser), so a new option gets the same care by
# adding a line here; every float option must in any case be finite.
NUMBER_RANGES: dict[str, tuple[float | None, float | None]] = {
    "start": (0.0, None),
    "end": (0.0, None),
    "max_duration": (MIN_MAX_DURATION_S, MAX_DURATION_S),  # the campaign guide's minute
    "end_card_seconds": (END_CARD_MIN_S, END_CARD_MAX_S),
}


class ClipArgumentParser(argparse.ArgumentParser):
    """argparse with Clip Studio's manners: a usage mistake is one `error:` line and a pointer
    to --help (not fifteen lines of usage), and numbers are checked before any work starts."""

    def error(self, message: str) -> NoReturn:
        print(f"error: {message} (see `{self.prog} --help`)", file=sys.stderr)
        sys.exit(2)

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:  # type: ignore[override]
        parsed = super().parse_args(args, namespace)
        problem = number_problem(parsed)
        if problem:
            prog = (
                f"{self.prog} {parsed.command}" if getattr(parsed, "command", None) else self.prog
            )
            print(f"error: {problem} (see `{prog} --help`)", file=sys.stderr)
            sys.exit(2)
        return parsed


def number_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with the numbers on the command line, in words, or None."""
    for name, value in vars(args).items():
        values = value if isinstance(value, list) else [value]
        for number in values:
            if isinstance(number, float):
                problem = _number_out_of_range(name, number)
                if problem:
                    return problem
    start, end = getattr(args, "start", None), getattr(args, "end", None)
    if isinstance(start, float) and isinstance(end, float) and end <= start:
        return f"--end ({end:g} s) must come after --start ({start:g} s)"
    return None


def _number_out_of_range(name: str, number: float) -> str | None:
    flag = "--" + name.replace("_", "-")
    if not math.isfinite(number):
        return f"{flag} must be a number, not {number}"
    low, high = NUMBER_RANGES.get(name, (None, None))
    if low is not None and number < low:
        return f"{flag} must be at least {low:g}, not {number:g}"
    if high is not None and number > high:
        return f"{flag} must be at most {high:g}, not {number:g}"
    return None


def build_parser() -> argparse.ArgumentParser:
    parser = ClipArgumentParser(
        prog="clipstudio",
        description="Turn phone footage into a Facebook-ready campaign clip.",
    )
    parser.add_argument("--version", action="version", version=f"Clip Studio {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_probe(commands)
    _add_check(commands)
    _add_export(commands)
    _add_transcribe(commands)
    _add_models(commands)
    _add_brand_kit(commands)
    gui = commands.add_parser("gui", help="open the window (the default)")
    gui.add_argument("clips", nargs="*", type=Path)
    gui.add_argument("--verbose", action="store_true",
                     help="show Qt's and FFmpeg's own messages in the terminal too")  # fmt: skip
    gui.set_defaults(handler="gui")
    return parser


def _add_probe(commands: argparse._SubParsersAction) -> None:
    probe = commands.add_parser("probe", help="describe a clip (streams, rotation, HDR, VFR)")
    probe.add_argument("clip", type=Path)
    probe.add_argument("--json", action="store_true", help="print JSON")
    probe.set_defaults(handler="probe")


def _add_check(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser("check", help="find what is wrong with a clip, in plain words")
    check.add_argument("clip", type=Path)
    check.add_argument("--json", action="store_true", help="print JSON")
    check.add_argument(
        "--imprint",
        default=None,
        metavar="TEXT",
        help="the digital imprint the clip will carry (default: the brand kit's)",
    )
    check.add_argument(
        "--brand-kit",
        type=Path,
        default=None,
        metavar="FILE.json",
        help="brand kit to read the imprint from (default: your saved kit)",
    )
    check.set_defaults(handler="check")


def _add_export(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser("export", help="render a Facebook-ready MP4")
    export.add_argument(
        "clips", type=Path, nargs="+", metavar="CLIP",
        help="the clip, or several clips joined in the order given",
    )  # fmt: skip
    export.add_argument("-o", "--output", type=Path, required=True)
    export.add_argument("--preset", choices=list(Shape), default=DEFAULT_SHAPE)
    export.add_argument(
        "--start", type=float, default=None, help="keep from this second (a single clip only)"
    )
    export.add_argument(
        "--end", type=float, default=None, help="keep up to this second (a single clip only)"
    )
    export.add_argument("--max-duration", type=float, default=MAX_DURATION_S)
    export.add_argument("--overwrite", action="store_true")
    _add_fixes(export)
    export.add_argument(
        "--captions", choices=list(CaptionMode), default=DEFAULT_CAPTION_MODE,
        help="burn captions into the picture (default), write a sidecar .srt, both, or none",
    )  # fmt: skip
    export.add_argument(
        "--caption-style", choices=list(CaptionLook), default=DEFAULT_CAPTION_LOOK,
        help="burned captions on a dark box (default), with a black outline, or on the box with"
        " the word being spoken in the brand kit's accent colour",
    )  # fmt: skip
    export.add_argument(
        "--subtitles", type=Path, default=None, help="use this edited .srt (a single clip only)"
    )
    export.add_argument("--auto-trim", action="store_true", help="sentence-aware trim")
    export.add_argument(
        "--drop-pauses", action="store_true",
        help="with --auto-trim, also cut pauses longer than a second inside the speech",
    )  # fmt: skip
    for cleanup in Cleanup:
        export.add_argument(cleanup.flag, action="store_true", help=cleanup.help)
    _add_overlays(export)
    export.add_argument("--language", default="en_GB", help="caption language_COUNTRY")
    export.add_argument("--engine", choices=list(Engine), default=DEFAULT_ENGINE)
    export.add_argument("--model", default=None)
    export.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_branding(export)
    export.set_defaults(handler="export")


def _add_overlays(export: argparse.ArgumentParser) -> None:
    """What goes over and under the takes: music, photos and other footage."""
    extra = export.add_argument_group(
        "music and pictures",
        "Use only music and pictures you have the rights to: your own, licensed for social"
        " media, or free to use. Facebook mutes or removes videos with music it recognises.",
    )
    extra.add_argument(
        "--music", type=Path, default=None, metavar="FILE",
        help="music under the whole video, looped or faded to its length and lowered under"
        " the speech",
    )  # fmt: skip
    extra.add_argument(
        "--music-level", type=float, default=DEFAULT_MUSIC_LEVEL_DB, metavar="DB",
        help=f"how loud the music is against the speech where nobody speaks, {MIN_MUSIC_LEVEL_DB:g}"
        f" to {MAX_MUSIC_LEVEL_DB:g} dB (default {DEFAULT_MUSIC_LEVEL_DB:g})",
    )  # fmt: skip
    extra.add_argument(
        "--cutaway", action="append", default=[], metavar="FILE@START-END",
        help="show a photo or a clip over the video from START to END (seconds of the video,"
        " before the end card: photo.jpg@12-16.5); the speech carries on. Repeatable",
    )  # fmt: skip


def _add_fixes(export: argparse.ArgumentParser) -> None:
    """One option per export repair, read off the vocabulary."""
    for fix in SWITCHED_FIXES:
        if fix is Fix.PORTRAIT:
            default = PortraitFill.BLUR if fix in FIXES_ON_BY_DEFAULT else NO_PORTRAIT_FILL
            export.add_argument(
                fix.flag,
                choices=[*PortraitFill, NO_PORTRAIT_FILL],
                default=default,
                help=fix.help,
            )
        else:
            export.add_argument(fix.flag, action="store_true", help=fix.help)


def _add_branding(export: argparse.ArgumentParser) -> None:
    brand = export.add_argument_group(
        "branding",
        "Logo, name caption and end card. UK law requires a digital imprint on election"
        " material published online; pass --no-imprint for a clip that is not.",
    )
    brand.add_argument(
        "--brand-kit",
        type=Path,
        default=None,
        metavar="FILE.json",
        help="the party's brand kit (default: your saved kit, if any)",
    )
    brand.add_argument(
        "--lower-third",
        default="",
        metavar="TEXT",
        help='name caption for the first seconds: "Cllr Sarah Jones, Labour'
        ' candidate for North Ward"',
    )
    brand.add_argument(
        "--call-to-action",
        default="",
        metavar="TEXT",
        help="end-card headline (default: the kit's)",
    )
    brand.add_argument(
        "--link", default="", metavar="TEXT", help="short link on the end card (default: the kit's)"
    )
    imprint = brand.add_mutually_exclusive_group()
    imprint.add_argument(
        Fix.IMPRINT.flag,
        default="",
        metavar="TEXT",
        help=f'digital imprint on the end card, e.g. "{IMPRINT_EXAMPLE}"',
    )
    imprint.add_argument(
        "--no-imprint",
        action="store_true",
        help="export without a digital imprint (not election material)",
    )
    brand.add_argument(
        "--logo",
        type=Path,
        default=None,
        metavar="FILE",
        help="logo (PNG, JPEG, WebP or SVG) instead of the kit's",
    )
    brand.add_argument(
        "--end-card-seconds",
        type=float,
        default=None,
        metavar="S",
        help=f"end card length, {END_CARD_MIN_S:g}-{END_CARD_MAX_S:g} s"
        f" (default {DEFAULT_END_CARD_S:g})",
    )


def _add_transcribe(commands: argparse._SubParsersAction) -> None:
    transcribe = commands.add_parser("transcribe", help="write subtitles with Whisper, offline")
    transcribe.add_argument("clip", type=Path)
    transcribe.add_argument("-o", "--output", type=Path, default=None)
    transcribe.add_argument("--engine", choices=list(Engine), default=DEFAULT_ENGINE)
    transcribe.add_argument("--model", default=None, help="model name or path")
    transcribe.add_argument("--language", default="en")
    transcribe.add_argument("--overwrite", action="store_true", help="replace an existing -o file")
    transcribe.set_defaults(handler="transcribe")


def _add_models(commands: argparse._SubParsersAction) -> None:
    models = commands.add_parser("models", help="list or download speech models")
    models_commands = models.add_subparsers(dest="models_command", required=True)
    models_list = models_commands.add_parser("list", help="models found on this computer")
    models_list.set_defaults(handler="models_list")
    models_download = models_commands.add_parser("download", help="download a larger model")
    models_download.add_argument("name")
    models_download.set_defaults(handler="models_download")


def _add_brand_kit(commands: argparse._SubParsersAction) -> None:
    kits = commands.add_parser("brand-kit", help="show, install, share or make a brand kit")
    kit_commands = kits.add_subparsers(dest="kit_command", required=True)
    kit_show = kit_commands.add_parser("show", help="print a kit (default: your saved kit)")
    kit_show.add_argument("file", type=Path, nargs="?", default=None)
    kit_show.set_defaults(handler="brand_kit_show")
    kit_save = kit_commands.add_parser("save", help="install a kit file as your saved kit")
    kit_save.add_argument("file", type=Path)
    kit_save.set_defaults(handler="brand_kit_save")
    kit_export = kit_commands.add_parser("export", help="write your saved kit to a file")
    kit_export.add_argument("file", type=Path)
    kit_export.add_argument("--overwrite", action="store_true")
    kit_export.set_defaults(handler="brand_kit_export")
    kit_make = kit_commands.add_parser("make", help="make a new kit file to hand round")
    kit_make.add_argument("file", type=Path)
    kit_make.add_argument("--name", default="")
    kit_make.add_argument("--primary-colour", default=None, metavar="#RRGGBB")
    kit_make.add_argument("--text-colour", default=None, metavar="#RRGGBB")
    kit_make.add_argument("--accent-colour", default=None, metavar="#RRGGBB")
    kit_make.add_argument("--font", default=None, help="one of the bundled fonts")
    kit_make.add_argument("--logo", type=Path, default=None, metavar="FILE")
    kit_make.add_argument("--logo-corner", default=None, choices=list(CORNERS))
    kit_make.add_argument("--imprint", default="", metavar="TEXT")
    kit_make.add_argument("--call-to-action", default="", metavar="TEXT")
    kit_make.add_argument("--link", default="", metavar="TEXT")
    kit_make.add_argument("--overwrite", action="store_true")
    kit_make.set_defaults(handler="brand_kit_make")
