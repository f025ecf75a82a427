"""Command line: argument parsing and printing only; every decision lives in clipstudio.core.

Exit status: 0 done, 1 internal failure (with ffmpeg's own words), 2 bad input or usage,
130 cancelled (Ctrl+C).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clipstudio import __version__
from clipstudio.core.branding.kit import (
    DEFAULT_END_CARD_S,
    END_CARD_MAX_S,
    END_CARD_MIN_S,
    IMPRINT_EXAMPLE,
)
from clipstudio.core.errors import BadInputError, Cancelled, ClipStudioError, InternalError
from clipstudio.core.export.presets import DEFAULT_PRESET, MAX_DURATION_S, PRESETS

if TYPE_CHECKING:
    from clipstudio.core.branding.kit import Branding, BrandKit

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_CANCELLED = 0, 1, 2, 130


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        argv = ["gui"]  # `clipstudio` alone opens the window
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or EXIT_OK)
    except BadInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Cancelled:
        print("error: cancelled", file=sys.stderr)
        return EXIT_CANCELLED
    except KeyboardInterrupt:
        print("error: cancelled", file=sys.stderr)
        return EXIT_CANCELLED
    except (InternalError, ClipStudioError) as exc:
        print(f"error: internal failure: {exc}", file=sys.stderr)
        return EXIT_INTERNAL


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clipstudio",
        description="Turn phone footage into a Facebook-ready campaign clip.",
    )
    parser.add_argument("--version", action="version", version=f"Clip Studio {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    probe = commands.add_parser("probe", help="describe a clip (streams, rotation, HDR, VFR)")
    probe.add_argument("clip", type=Path)
    probe.add_argument("--json", action="store_true", help="print JSON")
    probe.set_defaults(handler=cmd_probe)

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
    check.set_defaults(handler=cmd_check)

    export = commands.add_parser("export", help="render a Facebook-ready MP4")
    export.add_argument("clip", type=Path)
    export.add_argument("-o", "--output", type=Path, required=True)
    export.add_argument("--preset", choices=sorted(PRESETS), default=DEFAULT_PRESET)
    export.add_argument("--start", type=float, default=None, help="keep from this second")
    export.add_argument("--end", type=float, default=None, help="keep up to this second")
    export.add_argument("--max-duration", type=float, default=MAX_DURATION_S)
    export.add_argument("--overwrite", action="store_true")
    export.add_argument("--fix-portrait", choices=["blur", "crop"], default="blur")
    export.add_argument("--brighten", action="store_true", help="lift dark or backlit footage")
    export.add_argument("--stabilise", action="store_true", help="smooth hand-held shake")
    export.add_argument("--denoise-audio", action="store_true", help="reduce noise and wind")
    export.add_argument("--deflicker", action="store_true", help="even out flickering light")
    export.add_argument(
        "--captions", choices=["burn", "srt", "both", "none"], default="burn",
        help="burn captions into the picture (default), write a sidecar .srt, both, or none",
    )  # fmt: skip
    export.add_argument("--subtitles", type=Path, default=None, help="use this edited .srt")
    export.add_argument("--auto-trim", action="store_true", help="sentence-aware trim")
    export.add_argument(
        "--drop-pauses", action="store_true",
        help="with --auto-trim, also cut pauses longer than a second inside the speech",
    )  # fmt: skip
    export.add_argument("--language", default="en_GB", help="caption language_COUNTRY")
    export.add_argument("--engine", default="faster-whisper")
    export.add_argument("--model", default=None)
    export.add_argument("--quiet", action="store_true", help="no progress bar")
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
        "--imprint",
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
    export.set_defaults(handler=cmd_export)

    transcribe = commands.add_parser("transcribe", help="write subtitles with Whisper, offline")
    transcribe.add_argument("clip", type=Path)
    transcribe.add_argument("-o", "--output", type=Path, default=None)
    transcribe.add_argument("--engine", choices=["faster-whisper", "openai-whisper"],
                            default="faster-whisper")  # fmt: skip
    transcribe.add_argument("--model", default=None, help="model name or path")
    transcribe.add_argument("--language", default="en")
    transcribe.set_defaults(handler=cmd_transcribe)

    models = commands.add_parser("models", help="list or download speech models")
    models_commands = models.add_subparsers(dest="models_command", required=True)
    models_list = models_commands.add_parser("list", help="models found on this computer")
    models_list.set_defaults(handler=cmd_models_list)
    models_download = models_commands.add_parser("download", help="download a larger model")
    models_download.add_argument("name")
    models_download.set_defaults(handler=cmd_models_download)

    kits = commands.add_parser("brand-kit", help="show, install, share or make a brand kit")
    kit_commands = kits.add_subparsers(dest="kit_command", required=True)
    kit_show = kit_commands.add_parser("show", help="print a kit (default: your saved kit)")
    kit_show.add_argument("file", type=Path, nargs="?", default=None)
    kit_show.set_defaults(handler=cmd_brand_kit_show)
    kit_save = kit_commands.add_parser("save", help="install a kit file as your saved kit")
    kit_save.add_argument("file", type=Path)
    kit_save.set_defaults(handler=cmd_brand_kit_save)
    kit_export = kit_commands.add_parser("export", help="write your saved kit to a file")
    kit_export.add_argument("file", type=Path)
    kit_export.add_argument("--overwrite", action="store_true")
    kit_export.set_defaults(handler=cmd_brand_kit_export)
    kit_make = kit_commands.add_parser("make", help="make a new kit file to hand round")
    kit_make.add_argument("file", type=Path)
    kit_make.add_argument("--name", default="")
    kit_make.add_argument("--primary-colour", default=None, metavar="#RRGGBB")
    kit_make.add_argument("--text-colour", default=None, metavar="#RRGGBB")
    kit_make.add_argument("--accent-colour", default=None, metavar="#RRGGBB")
    kit_make.add_argument("--font", default=None, help="one of the bundled fonts")
    kit_make.add_argument("--logo", type=Path, default=None, metavar="FILE")
    kit_make.add_argument(
        "--logo-corner",
        default=None,
        choices=["top-left", "top-right", "bottom-left", "bottom-right"],
    )
    kit_make.add_argument("--imprint", default="", metavar="TEXT")
    kit_make.add_argument("--call-to-action", default="", metavar="TEXT")
    kit_make.add_argument("--link", default="", metavar="TEXT")
    kit_make.add_argument("--overwrite", action="store_true")
    kit_make.set_defaults(handler=cmd_brand_kit_make)

    gui = commands.add_parser("gui", help="open the window (the default)")
    gui.add_argument("clips", nargs="*", type=Path)
    gui.set_defaults(handler=cmd_gui)
    return parser


def print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, default=str))


def progress_bar(label: str, enabled: bool = True) -> Callable[[float], None]:
    """A one-line progress bar on stderr with time remaining; silent when stderr is not a tty."""
    from clipstudio.core.process import EtaClock

    clock = EtaClock()
    show = enabled and sys.stderr.isatty()
    last = [-1]

    def report(fraction: float) -> None:
        percent = int(fraction * 100)
        if not show or percent == last[0]:
            return
        last[0] = percent
        remaining = clock.remaining(fraction)
        eta = f"  {remaining:4.0f} s left" if remaining is not None else ""
        bar = "#" * (percent // 4)
        end = "\n" if percent >= 100 else ""
        print(f"\r{label} [{bar:<25}] {percent:3d}%{eta}", end=end, file=sys.stderr, flush=True)

    return report


# --- commands -----------------------------------------------------------------------------------


def cmd_probe(args: argparse.Namespace) -> int:
    from clipstudio.core.media.probe import probe

    info = probe(args.clip)
    if args.json:
        print_json(info.to_dict())
        return EXIT_OK
    print(f"{info.path}: {info.container}, {info.duration:.2f} s, {info.size_bytes} bytes")
    if info.video:
        v = info.video
        print(
            f"  video: {v.codec} {v.profile or ''} {v.coded_width}x{v.coded_height}"
            f" rotation {v.rotation} -> {v.display_width}x{v.display_height} {v.orientation},"
            f" {v.real_frame_rate:g} fps{' (variable)' if v.is_vfr else ''}, {v.pix_fmt},"
            f" {v.bit_depth}-bit{', HDR ' + v.hdr_format if v.hdr_format else ''}"
        )
    else:
        print("  video: none")
    if info.audio:
        a = info.audio
        print(f"  audio: {a.codec}, {a.sample_rate} Hz, {a.channels} channel(s)")
    else:
        print("  audio: none")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from clipstudio.core.analysis.report import analyse_clip, report_lines, report_to_dict

    imprint = args.imprint
    if imprint is None:
        kit = _brand_kit(args.brand_kit)
        imprint = kit.imprint if kit is not None else ""
    report = analyse_clip(
        args.clip, progress=progress_bar("Checking", not args.json), imprint=imprint
    )
    if args.json:
        print_json(report_to_dict(report))
    else:
        for line in report_lines(report):
            print(line)
    return EXIT_OK


NO_IMPRINT_MESSAGE = (
    "this clip has no digital imprint, which UK law requires on election material published"
    f' online: add --imprint "{IMPRINT_EXAMPLE}" with your own names and address (or put it'
    " in the brand kit), or add --no-imprint if the clip is not election material"
)


def _brand_kit(path: Path | None) -> BrandKit | None:
    """The kit named on the command line, else the user's saved kit, else None."""
    from clipstudio.core.branding.kit import (
        load_brand_kit,
        load_saved_brand_kit,
        saved_brand_kit_path,
    )

    if path is not None:
        return load_brand_kit(path)
    try:
        return load_saved_brand_kit()
    except BadInputError as exc:
        raise BadInputError(
            f"{exc} (in your saved kit {saved_brand_kit_path()}: replace it with"
            " `clipstudio brand-kit save FILE.json`, or pass --brand-kit)"
        ) from None


def _branding(args: argparse.Namespace) -> Branding | None:
    """Kit defaults with the flags on top; refuses to go on without an imprint unless told."""
    from dataclasses import replace

    from clipstudio.core.branding.kit import Branding, BrandKit, with_logo

    kit = _brand_kit(args.brand_kit) or BrandKit()
    if args.logo is not None:
        from clipstudio.core.branding.layers import import_logo

        kit = with_logo(kit, import_logo(args.logo))
    branding = Branding.from_kit(
        kit,
        lower_third=args.lower_third,
        call_to_action=args.call_to_action,
        link=args.link,
        imprint=args.imprint,
        end_card_seconds=args.end_card_seconds,
    )
    if args.no_imprint:
        branding = replace(branding, imprint="")
    elif not branding.imprint.strip():
        raise BadInputError(NO_IMPRINT_MESSAGE)
    return branding if branding.shows_anything else None


def cmd_export(args: argparse.Namespace) -> int:
    from clipstudio.core.export.render import ExportRequest, export_clip

    branding = _branding(args)
    request = ExportRequest(
        source=args.clip,
        output=args.output,
        preset=args.preset,
        start=args.start,
        end=args.end,
        max_duration=args.max_duration,
        overwrite=args.overwrite,
        fix_portrait=args.fix_portrait,
        brighten=args.brighten,
        stabilise=args.stabilise,
        denoise_audio=args.denoise_audio,
        deflicker=args.deflicker,
        caption_mode=args.captions,
        subtitles=args.subtitles,
        auto_trim=args.auto_trim,
        drop_pauses=args.drop_pauses,
        language=args.language,
        engine=args.engine,
        model=args.model,
        branding=branding,
    )
    result = export_clip(
        request,
        progress=progress_bar("Exporting", not args.quiet),
        log=lambda message: print(message, file=sys.stderr),
    )
    print(f"wrote {result.output} ({result.duration:.2f} s, {result.width}x{result.height})")
    for extra in result.sidecars:
        print(f"wrote {extra}")
    return EXIT_OK


def cmd_brand_kit_show(args: argparse.Namespace) -> int:
    from clipstudio.core.branding.kit import saved_brand_kit_path

    kit = _brand_kit(args.file)
    if kit is None:
        raise BadInputError(
            "no brand kit saved yet: install one with `clipstudio brand-kit save FILE.json`"
        )
    print(f"brand kit: {args.file or saved_brand_kit_path()}")
    for line in brand_kit_lines(kit):
        print(f"  {line}")
    return EXIT_OK


def brand_kit_lines(kit: BrandKit) -> list[str]:
    logo = "none"
    if kit.logo_png is not None:
        import struct

        width, height = struct.unpack(">II", kit.logo_png[16:24])  # the PNG's IHDR size
        logo = f"{width}x{height} PNG, {kit.logo_corner}"
    return [
        f"name: {kit.name or '(none)'}",
        f"colours: primary {kit.primary_colour}, text {kit.text_colour},"
        f" accent {kit.accent_colour}",
        f"font: {kit.font}",
        f"logo: {logo}",
        f"imprint: {kit.imprint or '(none)'}",
        f"call to action: {kit.call_to_action or '(none)'}",
        f"link: {kit.link or '(none)'}",
    ]


def cmd_brand_kit_save(args: argparse.Namespace) -> int:
    from clipstudio.core.branding.kit import load_brand_kit, save_brand_kit, saved_brand_kit_path

    kit = load_brand_kit(args.file)
    target = saved_brand_kit_path()
    save_brand_kit(kit, target)
    print(f"saved the brand kit {kit.name or args.file.name} as yours ({target})")
    return EXIT_OK


def cmd_brand_kit_export(args: argparse.Namespace) -> int:
    from clipstudio.core.branding.kit import load_saved_brand_kit

    kit = load_saved_brand_kit()
    if kit is None:
        raise BadInputError("no brand kit saved yet: make one in the app or with `brand-kit make`")
    _write_kit(kit, args.file, args.overwrite)
    return EXIT_OK


def cmd_brand_kit_make(args: argparse.Namespace) -> int:
    from clipstudio.core.branding.kit import BrandKit

    values = {
        "name": args.name,
        "primary_colour": args.primary_colour,
        "text_colour": args.text_colour,
        "accent_colour": args.accent_colour,
        "font": args.font,
        "logo_corner": args.logo_corner,
        "imprint": args.imprint,
        "call_to_action": args.call_to_action,
        "link": args.link,
    }
    kit = BrandKit(**{name: value for name, value in values.items() if value is not None})
    if args.logo is not None:
        from clipstudio.core.branding.kit import with_logo
        from clipstudio.core.branding.layers import import_logo

        kit = with_logo(kit, import_logo(args.logo))
    _write_kit(kit, args.file, args.overwrite)
    return EXIT_OK


def _write_kit(kit: BrandKit, path: Path, overwrite: bool) -> None:
    from clipstudio.core.branding.kit import save_brand_kit

    if path.exists() and not overwrite:
        raise BadInputError(f"{path} already exists (add --overwrite to replace it)")
    if path.suffix.lower() != ".json":
        raise BadInputError(f"a brand kit file ends in .json, not {path.name}")
    save_brand_kit(kit, path)
    print(f"wrote {path}")


def cmd_transcribe(args: argparse.Namespace) -> int:
    from clipstudio.core.speech.cli_support import transcribe_command

    return transcribe_command(
        clip=args.clip,
        output=args.output,
        engine=args.engine,
        model=args.model,
        language=args.language,
        progress=progress_bar("Transcribing"),
    )


def cmd_models_list(args: argparse.Namespace) -> int:
    from clipstudio.core.speech.models import list_models_lines

    for line in list_models_lines():
        print(line)
    return EXIT_OK


def cmd_models_download(args: argparse.Namespace) -> int:
    from clipstudio.core.speech.models import download_model

    path = download_model(args.name, progress=progress_bar(f"Downloading {args.name}"))
    print(f"downloaded {args.name} to {path}")
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    from clipstudio.gui.app import run_app

    return run_app([str(p) for p in args.clips])

