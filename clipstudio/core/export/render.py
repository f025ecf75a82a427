"""Export: plan -> prepared plan -> measured passes -> one ffmpeg render -> validation -> rename.

The output is written under a temporary name beside the target and renamed only once it has
passed validation, so a failed or cancelled export leaves nothing behind and the source is
never touched.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import numpy as np

from clipstudio.core.edit.plan import (
    EditPlan,
    captions_on_timeline,
    check_cutaways,
    on_frame_grid,
)
from clipstudio.core.errors import BadInputError, FfmpegError, ValidationError
from clipstudio.core.export import ffmpeg, timeline
from clipstudio.core.export import presets as rules
from clipstudio.core.export.caption_check import BurnedCaptions
from clipstudio.core.export.cutaways import is_photo, lay_cutaway
from clipstudio.core.export.fit import Fit, plan_fits
from clipstudio.core.export.loudness import (
    LoudnessPlan,
    LoudnessReadings,
    decide_loudness,
    parse_readings,
)
from clipstudio.core.export.music import (
    DUCK_DB,
    RIGHTS_NOTE,
    MusicBed,
    plan_music_bed,
    promise_with_music,
    with_level,
)
from clipstudio.core.export.prepare import TRANSCRIBE_SHARE, prepare_plan, transcribes
from clipstudio.core.export.validate import Expected, ValidationReport, validate_output
from clipstudio.core.files import SafeWrites, check_free_space, safe_writes, work_dir
from clipstudio.core.media.probe import MediaInfo, probe, require_picture
from clipstudio.core.process import ProcessResult, progress_parser, run_process
from clipstudio.core.progress import CancelToken, ProgressCallback, no_progress, scaled
from clipstudio.core.speech.subtitles import sidecar_path
from clipstudio.core.speech.types import Caption
from clipstudio.core.vocabulary import DEFAULT_ENGINE, Engine, Fix
from clipstudio.resources import caption_font_file

Log = Callable[[str], None]
OUTPUT_SUFFIXES = (".mp4", ".m4v")
# The free-space preflight's guess: x264 at CRF 20 on noisy handheld 1080p30 stays under about
# 6 bits per pixel per second (12 Mb/s); twice the usual talking head, so the guess is generous.
ESTIMATE_BITS_PER_PIXEL_SECOND = 6.0
ESTIMATE_AUDIO_BITS_PER_S = 192_000
# What ffmpeg (and the OS under it) says when the disk fills up mid-render.
DISK_FULL_WORDS = "No space left on device"


@dataclass(frozen=True)
class ExportJob:
    """How to run an export, beside the plan of what to make: none of these is an edit."""

    output: Path
    overwrite: bool = False
    engine: Engine = DEFAULT_ENGINE  # used only when the plan leaves captions to transcribe
    model: str | None = None
    # Files the user gave besides the sources (subtitles, logo, brand kit): never written over.
    inputs: tuple[Path, ...] = ()


@dataclass(frozen=True)
class ExportResult:
    output: Path
    duration: float
    width: int
    height: int
    sidecars: tuple[Path, ...]
    validation: ValidationReport
    plan: EditPlan  # as rendered: every take resolved
    log: tuple[str, ...]


def export_clip(
    plan: EditPlan,
    job: ExportJob,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    log: Log | None = None,
) -> ExportResult:
    """Make the video the plan describes at `job.output`, validated; see the module docstring."""
    progress = progress or no_progress
    messages: list[str] = []

    def say(message: str) -> None:
        messages.append(message)
        if log is not None:
            log(message)

    output = Path(job.output)
    if output.suffix.lower() not in OUTPUT_SUFFIXES:
        raise BadInputError(f"the output must be an .mp4 file, not {output.name}")
    inputs: list[str | Path] = [*plan.sources, *job.inputs, *_overlaid_files(plan)]
    with safe_writes(inputs, job.overwrite) as writes:
        # Everything that can refuse the output is asked before probing and transcribing.
        writes.claim(output)
        if plan.captions.mode.writes_sidecar:
            writes.claim(sidecar_path(output, plan.captions.language))
        media = _probe_sources(plan)
        _check_music(plan)
        media.update(_probe_cutaway_clips(plan))
        check_free_space(output.parent, estimated_bytes(plan, media))
        transcribing = transcribes(plan, media)
        plan = prepare_plan(plan, media, engine=job.engine, model=job.model, progress=progress,
                            cancel=cancel, log=say)  # fmt: skip
        # Every take a whole number of frames: the joins are frame-accurate and stay in sync.
        plan = replace(plan, takes=on_frame_grid(plan.takes, output_rate(plan, media)))
        kept = ", ".join(f"{t.start:.2f}-{t.duration + t.start:.2f} s" for t in plan.takes)
        say(f"keeping {kept} ({plan.kept_duration:.2f} s)")
        if plan.end_card_duration:
            say(
                f"adding a {plan.end_card_duration:g} s end card ({plan.total_duration:.2f} s in all)"
            )
        render_progress = scaled(progress, TRANSCRIBE_SHARE, 1.0) if transcribing else progress
        validation, sidecars = render_plan(plan, media, output, writes, progress=render_progress,
                                           cancel=cancel, log=say)  # fmt: skip
    return ExportResult(
        output=output,
        duration=validation.duration,
        width=validation.width,
        height=validation.height,
        sidecars=sidecars,
        validation=validation,
        plan=plan,
        log=tuple(messages),
    )


def output_rate(plan: EditPlan, media: Mapping[str, MediaInfo]) -> Fraction:
    """The video's frame rate: several clips play at the first one's (the rate rule applied
    to it), so the clip the volunteer put first sets the motion."""
    first = media[plan.takes[0].source].video
    assert first is not None
    return rules.output_fps(first.frame_rate)


def estimated_bytes(plan: EditPlan, media: Mapping[str, MediaInfo]) -> int:
    """A generous guess at the exported file's size, for the free-space preflight."""
    preset = rules.PRESETS[plan.preset]
    footage = sum(info.duration for info in media.values())
    seconds = min(plan.max_duration, footage) + plan.end_card_duration
    pixels = preset.width * preset.height
    video_bits = ESTIMATE_BITS_PER_PIXEL_SECOND * pixels * seconds
    return int((video_bits + ESTIMATE_AUDIO_BITS_PER_S * seconds) / 8)


def _probe_sources(plan: EditPlan) -> dict[str, MediaInfo]:
    """Each source probed once; every one must have a picture."""
    media: dict[str, MediaInfo] = {}
    for source in plan.sources:
        info = probe(source)
        require_picture(info)
        media[source] = info
    return media


def _overlaid_files(plan: EditPlan) -> list[str]:
    """The music and cutaway files: read by the export, never written over."""
    files = [cutaway.source for cutaway in plan.cutaways]
    return files + ([plan.music.source] if plan.music is not None else [])


def _check_music(plan: EditPlan) -> None:
    if plan.music is None:
        return
    info = probe(plan.music.source)
    if info.audio is None:
        raise BadInputError(f"{Path(plan.music.source).name} has no sound: pick a music file")


def _probe_cutaway_clips(plan: EditPlan) -> dict[str, MediaInfo]:
    """The clips shown over the video (photos are read when they are drawn)."""
    clips: dict[str, MediaInfo] = {}
    for cutaway in plan.cutaways:
        if not is_photo(cutaway.source) and cutaway.source not in clips:
            info = probe(cutaway.source)
            require_picture(info)
            clips[cutaway.source] = info
    return clips


def render_plan(
    plan: EditPlan,
    media: Mapping[str, MediaInfo],
    output: Path,
    writes: SafeWrites,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    log: Log = lambda _message: None,
) -> tuple[ValidationReport, tuple[Path, ...]]:
    """Render a resolved plan to `output` (validated, then renamed by `writes`, which has
    claimed it); returns the report and any sidecar files written."""
    assert plan.resolved
    preset = rules.PRESETS[plan.preset]
    fit, fits = plan_fits([media[source] for source in plan.sources], preset, plan.fixes)
    if fit.upscaled:
        log(f"enlarging the picture to {fit.width}x{fit.height}, the smallest {preset.label}"
            " the platform accepts")  # fmt: skip
    fps = output_rate(plan, media)
    plan = replace(plan, takes=on_frame_grid(plan.takes, fps))
    pieces, runs = timeline.lay_out(plan.takes, media, fits, fps)
    check_cutaways(plan.cutaways, timeline.main_duration(pieces, fps))
    timeline_captions = captions_on_timeline(plan.takes)
    burn = plan.captions.mode.burns and bool(timeline_captions)
    write_sidecar = plan.captions.mode.writes_sidecar and bool(timeline_captions)

    with work_dir("export") as work:
        loudness, readings = None, None
        if any(piece.has_audio for piece in pieces):
            loudness, readings = _measure_loudness(pieces, runs, plan, fps, work, cancel)
            log(loudness.describe())
        progress(0.05)
        transforms = None
        render_share = (0.05, 0.95)
        if Fix.STABILISE in plan.fixes:
            transforms = _analyse_shake(pieces, fps, work, cancel)
            progress(0.35)
            render_share = (0.35, 0.95)
        subtitles_ass, burned = None, None
        if burn:
            subtitles_ass = work / "captions.ass"
            burned = _write_burned_captions(timeline_captions, plan, fit, float(fps), subtitles_ass)
        overlays, end_card = _brand_files(plan, preset, fit, work)
        cutaways = tuple(
            lay_cutaway(c, fit, preset, fps, work, index, media.get(c.source))
            for index, c in enumerate(plan.cutaways)
        )
        bed, promised = None, loudness
        if plan.music is not None:
            card = end_card.seconds if end_card is not None else 0.0
            bed, promised = _lay_music(plan, pieces, fps, card, loudness, readings, work, cancel,
                                       log)  # fmt: skip
        temp_video = writes.temp(output)
        spec = ffmpeg.RenderSpec(
            plan=plan,
            pieces=pieces,
            runs=runs,
            preset=preset,
            frame=fit,
            fps=fps,
            loudness=loudness,
            subtitles_ass=subtitles_ass,
            fonts_dir=caption_font_file().parent if burn else None,
            vidstab_transforms=transforms,
            output=temp_video,
            overlays=overlays,
            end_card=end_card,
            music=bed,
            cutaways=cutaways,
        )
        _run_render(spec, output, scaled(progress, *render_share), cancel)
        validation = validate_output(
            temp_video,
            Expected(
                width=fit.width,
                height=fit.height,
                fps=fps,
                max_duration=plan.max_duration,
                loudness=promised,
                duration=spec.total_duration if end_card is not None else None,
                captions=burned,
            ),
            cancel=cancel,
        )
        if not validation.ok:
            broken = "; ".join(f"{r.name}: got {r.detail}" for r in validation.failures)
            raise ValidationError(f"the exported file broke the export rules ({broken})")
        sidecars: list[Path] = []
        if write_sidecar:
            from clipstudio.core.export.layout import SIDECAR_RULES
            from clipstudio.core.speech.layout import reflow_captions
            from clipstudio.core.speech.subtitles import write_srt

            final_sidecar = sidecar_path(output, plan.captions.language)
            write_srt(reflow_captions(timeline_captions, SIDECAR_RULES), writes.temp(final_sidecar))
            sidecars.append(final_sidecar)
        writes.commit()
        progress(1.0)
        log(f"validated: {len(validation.rules)} rules passed")
        return validation, tuple(sidecars)


def captions_to_burn(
    captions: list[Caption], plan: EditPlan, width: int, height: int
) -> list[Caption]:
    """Timeline captions as burned into a `width` x `height` picture of the plan's shape."""
    from clipstudio.core.export.layout import caption_rules
    from clipstudio.core.speech.layout import reflow_captions

    preset = rules.PRESETS[plan.preset]
    return reflow_captions(captions, caption_rules(preset, width, height, plan.captions.style))


def _write_burned_captions(
    captions: list[Caption], plan: EditPlan, fit: Fit, fps: float, ass: Path
) -> BurnedCaptions:
    """The ASS of the captions as burned into this picture, re-broken to the shape's lines (a
    caption file or the editor's text may be laid out for another shape); and what the caption
    check needs to find them in the file."""
    from clipstudio.core.export.caption_check import caption_moments
    from clipstudio.core.export.contrast import readable_on_box
    from clipstudio.core.export.layout import box_opacity, caption_box
    from clipstudio.core.speech.subtitles import write_ass

    preset, style = rules.PRESETS[plan.preset], plan.captions.style
    shown = captions_to_burn(captions, plan, fit.width, fit.height)
    accent = highlight_accent(plan)
    write_ass(shown, ass, width=fit.width, height=fit.height, style=style, preset=preset,
              accent=accent)  # fmt: skip
    lit = readable_on_box(accent, box_opacity(style.background))
    return BurnedCaptions(
        ass=ass,
        fonts_dir=caption_font_file().parent,
        zone=caption_box(preset, fit.width, fit.height, style).zone,
        look=style.background,
        moments=caption_moments(shown, style.background, lit, fps),
    )


def highlight_accent(plan: EditPlan) -> str:
    """The word highlight's colour: the brand kit's accent (the default kit's without one)."""
    from clipstudio.core.branding.kit import BrandKit

    return (plan.branding.kit if plan.branding is not None else BrandKit()).accent_colour


def _run_render(
    spec: ffmpeg.RenderSpec, output: Path, progress: ProgressCallback, cancel: CancelToken | None
) -> ProcessResult:
    """The one render; a disk that fills up on the way is the user's to fix, said plainly."""
    try:
        return run_process(
            ffmpeg.render_command(spec),
            description="export",
            on_stdout_line=progress_parser(spec.total_duration, progress),
            cancel=cancel,
        )
    except FfmpegError as exc:
        if DISK_FULL_WORDS in exc.stderr_tail:
            raise BadInputError(f"the disk is full: {output.name} could not be written") from None
        raise


def _analyse_shake(
    pieces: Sequence[timeline.Piece], fps: Fraction, work: Path, cancel: CancelToken | None
) -> tuple[Path, ...]:
    """vid.stab's first pass over each take's picture."""
    transforms = []
    for index, piece in enumerate(pieces):
        path = work / f"transforms-{index}.trf"
        detect = ffmpeg.vidstab_detect_command(piece, path, fps)
        run_process(detect, description="stabilisation analysis", cancel=cancel)
        transforms.append(path)
    return tuple(transforms)


def _brand_files(
    plan: EditPlan, preset: rules.Preset, fit: Fit, work: Path
) -> tuple[tuple[ffmpeg.OverlayImage, ...], ffmpeg.EndCard | None]:
    """Draw the branded pictures once (brand_layers, as the preview does) into the work dir."""
    if plan.branding is None or not plan.branding.shows_anything:
        return (), None
    from clipstudio.core.branding.layers import render_layers

    layers = render_layers(plan.branding, fit.width, fit.height, preset, plan.kept_duration,
                           caption_style=plan.captions.style)  # fmt: skip
    overlays = []
    for name, layer in (("logo", layers.logo), ("lower-third", layers.lower_third)):
        if layer is not None:
            path = work / f"{name}.png"
            path.write_bytes(layer.png)
            overlays.append(
                ffmpeg.OverlayImage(path, layer.x, layer.y, layer.start, layer.end, layer.fade)
            )
    end_card = None
    if layers.end_card is not None:
        path = work / "end-card.png"
        path.write_bytes(layers.end_card)
        end_card = ffmpeg.EndCard(path, layers.end_card_seconds)
    return tuple(overlays), end_card


def _measure_loudness(
    pieces: Sequence[timeline.Piece],
    runs: Sequence[timeline.Run],
    plan: EditPlan,
    fps: Fraction,
    work: Path,
    cancel: CancelToken | None,
) -> tuple[LoudnessPlan, LoudnessReadings]:
    """First pass: ebur128's readings of the joined audio and where in it someone speaks, then
    the loudness rule's decision (export/loudness.py)."""
    from clipstudio.core.speech.vad import VAD_RATE, speech_spans

    readings_file, speech_file = work / "loudness.txt", work / "speech.f32"
    first = run_process(
        ffmpeg.loudness_measure_command(
            pieces, runs, plan.fixes, fps, readings_file, speech_file
        ),  # fmt: skip
        description="loudness measurement",
        cancel=cancel,
    )
    readings = parse_readings(_read_text(readings_file), first.stderr)
    speech = np.fromfile(speech_file, dtype=np.float32) if speech_file.exists() else np.zeros(0)
    return decide_loudness(readings, speech_spans(speech, VAD_RATE)), readings


def _lay_music(
    plan: EditPlan,
    pieces: Sequence[timeline.Piece],
    fps: Fraction,
    card: float,
    loudness: LoudnessPlan | None,
    readings: LoudnessReadings | None,
    work: Path,
    cancel: CancelToken | None,
    log: Log,
) -> tuple[MusicBed, LoudnessPlan]:
    """The music measured as the video will play it, laid under the speech the loudness pass
    found, and what the loudness rule must then find in the file."""
    assert plan.music is not None
    main = timeline.main_duration(pieces, fps)
    speech = loudness.speech if loudness is not None else ()
    bed = plan_music_bed(plan.music, speech, main, card)
    plain_file, laid_file = work / "music.txt", work / "music-laid.txt"
    measured = run_process(
        ffmpeg.music_measure_command(bed, plain_file, laid_file),
        description="music measurement",
        cancel=cancel,
    )
    bed = with_level(bed, plan.music, parse_readings(_read_text(plain_file), ""))
    laid = parse_readings(_read_text(laid_file), measured.stderr)
    log(
        f"music: {Path(plan.music.source).name} {plan.music.level_db:g} dB under the speech"
        f" ({bed.gain_db:+.1f} dB), {DUCK_DB:g} dB lower under {len(bed.ducked)} stretch(es)"
        " of speech"
    )
    log(RIGHTS_NOTE)
    return bed, promise_with_music(loudness, readings, laid, bed)


def _read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
