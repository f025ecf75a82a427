"""One function per command: turn the arguments into core calls and print what they return.

Heavy core modules are imported inside the commands, so `clipstudio --help` and the window's
start do not load PyAV, numpy or Whisper.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from clipstudio.cli.output import (
    brand_kit_lines,
    print_json,
    probe_lines,
    progress_bar,
    say,
)
from clipstudio.cli.parser import NO_PORTRAIT_FILL
from clipstudio.core import vocabulary as vocab
from clipstudio.core.errors import BadInputError

if TYPE_CHECKING:
    from clipstudio.core.branding.kit import Branding, BrandKit
    from clipstudio.core.edit.plan import Cutaway, EditPlan, Fixes, Music

EXIT_OK = 0


def cmd_probe(args: argparse.Namespace) -> int:
    from clipstudio.core.media.probe import probe

    info = probe(args.clip)
    if args.json:
        print_json(info.to_dict())
    else:
        for line in probe_lines(info):
            print(line)
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


def _branding(args: argparse.Namespace) -> Branding:
    """Kit defaults with the flags on top; refuses to go on without an imprint unless told."""
    from dataclasses import replace

    from clipstudio.core.branding.imprint import NO_IMPRINT_MESSAGE, has_imprint
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
    elif not has_imprint(branding.imprint):
        raise BadInputError(NO_IMPRINT_MESSAGE)
    return branding


def _fixes(args: argparse.Namespace) -> Fixes:
    """The repairs asked for, one option per member of the vocabulary."""
    from clipstudio.core.edit.plan import Fixes

    switches = (fix for fix in vocab.SWITCHED_FIXES if fix is not vocab.Fix.PORTRAIT)
    on = {fix for fix in switches if getattr(args, fix)}
    if args.fix_portrait == NO_PORTRAIT_FILL:
        return Fixes.of(on)
    return Fixes.of(on | {vocab.Fix.PORTRAIT}, vocab.PortraitFill(args.fix_portrait))


def plan_from_args(args: argparse.Namespace) -> EditPlan:
    """The export's plan, built from the command line: one take of each clip, in order."""
    from clipstudio.core.edit.plan import CaptionTrack, EditPlan, Take
    from clipstudio.core.speech.types import CaptionStyle

    single = len(args.clips) == 1
    for option, value in (("--start", args.start), ("--end", args.end),
                          ("--subtitles", args.subtitles)):  # fmt: skip
        if value is not None and not single:
            raise BadInputError(f"{option} goes with a single clip, not {len(args.clips)}")
    mode = vocab.CaptionMode(args.captions)
    captions = None  # transcribe
    if mode.wants_captions and args.subtitles is not None:
        from clipstudio.core.speech.subtitles import read_subtitle_file

        subtitles = read_subtitle_file(args.subtitles)
        for note in subtitles.notes:
            say(note)
        captions = subtitles.captions
    start = 0.0 if args.start is None else args.start
    return EditPlan(
        takes=tuple(Take(str(clip), start, args.end, captions) for clip in args.clips),
        preset=vocab.Shape(args.preset),
        max_duration=args.max_duration,
        trim=vocab.Trim.SENTENCES if args.auto_trim else vocab.Trim.TO_LIMIT,
        drop_pauses=args.drop_pauses,
        fixes=_fixes(args),
        captions=CaptionTrack(
            mode=mode,
            style=CaptionStyle(background=vocab.CaptionLook(args.caption_style)),
            language=args.language,
        ),
        branding=_branding(args),
        cleanup=frozenset(c for c in vocab.Cleanup if getattr(args, option_name(c.flag))),
        cutaways=tuple(parse_cutaway(text) for text in args.cutaway),
        music=_music(args),
    )


def _music(args: argparse.Namespace) -> Music | None:
    from clipstudio.core.edit.plan import Music

    if args.music is None:
        return None
    if not Path(args.music).is_file():
        raise BadInputError(f"no such music file: {args.music}")
    try:
        return Music(str(args.music), args.music_level)
    except ValueError as exc:
        raise BadInputError(f"--music-level: {exc}") from None


def parse_cutaway(text: str) -> Cutaway:
    """FILE@START-END (seconds or m:ss of the video) as a Cutaway; the last "@" splits, so a
    file name may hold one."""
    from clipstudio.core.edit.plan import Cutaway
    from clipstudio.core.timefmt import parse_clock

    path, at, span = text.rpartition("@")
    start_text, dash, end_text = span.partition("-")
    if not (at and dash and path):
        raise BadInputError(f"--cutaway {text}: write it FILE@START-END, e.g. photo.jpg@12-16.5")
    if not Path(path).is_file():
        raise BadInputError(f"--cutaway: no such file: {path}")
    try:
        return Cutaway(path, parse_clock(start_text), parse_clock(end_text))
    except ValueError as exc:
        raise BadInputError(f"--cutaway {text}: {exc}") from None


def option_name(flag: str) -> str:
    """argparse's attribute for an option ("--remove-retakes" -> "remove_retakes")."""
    return flag.lstrip("-").replace("-", "_")


def cmd_export(args: argparse.Namespace) -> int:
    from clipstudio.core.export.render import ExportJob, export_clip

    plan = plan_from_args(args)
    job = ExportJob(
        output=args.output,
        overwrite=args.overwrite,
        engine=vocab.Engine(args.engine),
        model=args.model,
        inputs=_files_read(args),
    )
    result = export_clip(plan, job, progress=progress_bar("Exporting", not args.quiet), log=say)
    print(f"wrote {result.output} ({result.duration:.2f} s, {result.width}x{result.height})")
    for extra in result.sidecars:
        print(f"wrote {extra}")
    return EXIT_OK


def _files_read(args: argparse.Namespace) -> tuple[Path, ...]:
    """The files an export reads besides its clip: none of them may be written over."""
    named = (getattr(args, name, None) for name in ("subtitles", "logo", "brand_kit"))
    return tuple(Path(path) for path in named if path is not None)


def cmd_transcribe(args: argparse.Namespace) -> int:
    """SRT on stdout, or a file chosen by its suffix. The clip is probed and the output
    checked and locked before Whisper runs, so no mistake is found after the long part."""
    from clipstudio.core.files import safe_writes
    from clipstudio.core.media.probe import probe
    from clipstudio.core.speech.layout import build_captions
    from clipstudio.core.speech.subtitles import (
        check_caption_file_suffix,
        format_srt,
        write_caption_file,
    )
    from clipstudio.core.speech.transcribe import transcribe_file

    output: Path | None = args.output
    check_caption_file_suffix(output)
    info = probe(args.clip)  # a damaged or truncated file is refused here, as by `probe`
    if info.audio is None:
        raise BadInputError(f"{Path(args.clip).name} has no sound to transcribe")
    with safe_writes([args.clip], args.overwrite) as writes:
        if output is not None:
            writes.claim(output)
        transcript = transcribe_file(
            args.clip,
            engine=vocab.Engine(args.engine),
            model=args.model,
            language=args.language,
            progress=progress_bar("Transcribing"),
        )
        captions = build_captions(transcript.words)
        if output is None:
            sys.stdout.write(format_srt(captions))
            return EXIT_OK
        frame = (
            (info.video.display_width, info.video.display_height) if info.video else (1920, 1080)
        )
        write_caption_file(writes.temp(output), captions, transcript, frame)
        writes.commit()
    return EXIT_OK


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


def cmd_brand_kit_save(args: argparse.Namespace) -> int:
    from clipstudio.core.branding.kit import load_brand_kit, save_brand_kit, saved_brand_kit_path

    kit = load_brand_kit(args.file)
    target = saved_brand_kit_path()
    save_brand_kit(kit, target, inputs=[args.file])
    print(f"saved the brand kit {kit.name or args.file.name} as yours ({target})")
    return EXIT_OK


def cmd_brand_kit_export(args: argparse.Namespace) -> int:
    from clipstudio.core.branding.kit import load_saved_brand_kit, saved_brand_kit_path

    kit = load_saved_brand_kit()
    if kit is None:
        raise BadInputError("no brand kit saved yet: make one in the app or with `brand-kit make`")
    _write_kit(kit, args.file, args.overwrite, inputs=[saved_brand_kit_path()])
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
    _write_kit(kit, args.file, args.overwrite, inputs=[args.logo] if args.logo else [])
    return EXIT_OK


def _write_kit(kit: BrandKit, path: Path, overwrite: bool, inputs: list[Path]) -> None:
    from clipstudio.core.branding.kit import save_brand_kit

    if path.suffix.lower() != ".json":
        raise BadInputError(f"a brand kit file ends in .json, not {path.name}")
    save_brand_kit(kit, path, overwrite=overwrite, inputs=inputs)
    print(f"wrote {path}")


def cmd_gui(args: argparse.Namespace) -> int:
    from clipstudio.gui.app import run_app

    return run_app([str(p) for p in args.clips], verbose=args.verbose)


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "probe": cmd_probe,
    "check": cmd_check,
    "export": cmd_export,
    "transcribe": cmd_transcribe,
    "models_list": cmd_models_list,
    "models_download": cmd_models_download,
    "brand_kit_show": cmd_brand_kit_show,
    "brand_kit_save": cmd_brand_kit_save,
    "brand_kit_export": cmd_brand_kit_export,
    "brand_kit_make": cmd_brand_kit_make,
    "gui": cmd_gui,
}
