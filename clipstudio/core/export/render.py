"""Export: request -> plan -> measured passes -> one ffmpeg render -> validation -> rename.

The output is written under a temporary name beside the target and renamed only once it has
passed validation, so a failed or cancelled export leaves nothing behind and the source is
never touched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from clipstudio.core.branding.kit import Branding
from clipstudio.core.edit.plan import (
    CaptionMode,
    EditPlan,
    Fixes,
    PortraitFix,
    Segment,
    captions_on_timeline,
)
from clipstudio.core.edit.trim import LIMIT_SAFETY_S, MIN_KEPT_S, fits_with_end_card, plan_segments
from clipstudio.core.errors import BadInputError, OutputExistsError, ValidationError
from clipstudio.core.export import ffmpeg
from clipstudio.core.export import presets as rules
from clipstudio.core.export.validate import Expected, ValidationReport, validate_output
from clipstudio.core.media.probe import MediaInfo, probe
from clipstudio.core.process import progress_parser, run_process
from clipstudio.core.progress import CancelToken, ProgressCallback, no_progress, scaled
from clipstudio.core.speech.types import Caption, CaptionStyle, LayoutRules, Transcript
from clipstudio.resources import caption_font_file

Log = Callable[[str], None]
OUTPUT_SUFFIXES = (".mp4", ".m4v")


@dataclass(frozen=True)
class ExportRequest:
    """What the CLI and the GUI ask for; `export_clip` resolves it into an EditPlan."""

    source: Path
    output: Path
    preset: str = rules.DEFAULT_PRESET
    start: float | None = None
    end: float | None = None
    max_duration: float = rules.MAX_DURATION_S
    overwrite: bool = False
    fix_portrait: PortraitFix = "blur"
    brighten: bool = False
    stabilise: bool = False
    denoise_audio: bool = False
    deflicker: bool = False
    caption_mode: CaptionMode = "burn"
    subtitles: Path | None = None  # an edited .srt/.vtt/.ass to use instead of transcribing
    auto_trim: bool = False
    drop_pauses: bool = False  # with a transcript: also cut pauses over 1 s inside the speech
    language: str = "en_GB"
    engine: str = "faster-whisper"
    model: str | None = None
    # The GUI passes its edited captions (source time) and its own kept ranges directly.
    captions: Sequence[Caption] | None = None
    segments: Sequence[Segment] | None = None
    transcript: Transcript | None = None
    caption_style: CaptionStyle = field(default_factory=CaptionStyle)
    # Logo, lower third, end card. The core does not insist on an imprint: the CLI and the GUI
    # ask the user (--no-imprint / a confirmation) before exporting without one.
    branding: Branding | None = None


@dataclass(frozen=True)
class ExportResult:
    output: Path
    duration: float
    width: int
    height: int
    sidecars: tuple[Path, ...]
    validation: ValidationReport
    plan: EditPlan
    log: tuple[str, ...]


def export_clip(
    request: ExportRequest,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    log: Log | None = None,
) -> ExportResult:
    progress = progress or no_progress
    messages: list[str] = []

    def say(message: str) -> None:
        messages.append(message)
        if log is not None:
            log(message)

    source, output = Path(request.source), Path(request.output)
    _check_paths(source, output, request.overwrite)
    media = probe(source)
    if media.video is None:
        raise BadInputError(
            f"{source.name} has no picture: Clip Studio needs a video, not only sound"
        )
    if request.preset not in rules.PRESETS:
        raise BadInputError(f"unknown preset {request.preset!r}: use {', '.join(rules.PRESETS)}")

    wants_captions = request.caption_mode != "none"
    transcript = request.transcript
    captions = list(request.captions) if request.captions is not None else None
    if wants_captions and captions is None and request.subtitles is not None:
        from clipstudio.core.speech.subtitles import read_subtitles

        captions = read_subtitles(request.subtitles)
    needs_transcript = (wants_captions and captions is None) or request.auto_trim
    if needs_transcript and transcript is None and media.audio is not None:
        from clipstudio.core.speech.transcribe import get_transcriber

        say("transcribing the speech for captions")
        transcript = get_transcriber(request.engine, request.model).transcribe(
            source,
            language=request.language.split("_")[0],
            progress=scaled(progress, 0.0, 0.25),
            cancel=cancel,
        )
    if wants_captions and captions is None and transcript is not None:
        from clipstudio.core.speech.layout import build_captions

        captions = build_captions(transcript.words, LayoutRules())
    if wants_captions and not captions:
        say("no speech found, so the video has no captions")

    # The end card comes after the kept parts: the trim leaves room for it.
    card = request.branding.end_card_duration if request.branding is not None else 0.0
    if request.segments:
        segments = tuple(request.segments)
        _check_kept_fits(sum(s.duration for s in segments), card, request.max_duration)
    else:
        if card and request.max_duration - card <= LIMIT_SAFETY_S + MIN_KEPT_S:
            raise BadInputError(
                f"--max-duration {request.max_duration:g} s leaves no time for the clip before"
                f" the {card:g} s end card"
            )
        segments = plan_segments(
            media.duration,
            request.start,
            request.end,
            request.max_duration - card,
            find_silences=lambda start, end: _find_silences(media, start, end, cancel),
            transcript=transcript,
            auto_trim=request.auto_trim,
            drop_pauses=request.drop_pauses,
        )
    plan = EditPlan(
        source=str(source),
        preset=request.preset,
        segments=segments,
        max_duration=request.max_duration,
        fixes=Fixes(
            portrait=request.fix_portrait,
            brighten=request.brighten,
            stabilise=request.stabilise,
            denoise_audio=request.denoise_audio,
            deflicker=request.deflicker,
        ),
        caption_mode=request.caption_mode,
        captions=tuple(captions or ()),
        caption_style=request.caption_style,
        caption_language=request.language,
        branding=request.branding,
    )
    kept = ", ".join(f"{s.start:.2f}-{s.end:.2f} s" for s in segments)
    say(f"keeping {kept} ({plan.kept_duration:.2f} s)")
    if card:
        say(f"adding a {card:g} s end card ({plan.total_duration:.2f} s in all)")
    validation, sidecars = render_plan(plan, media, output, progress=scaled(progress, 0.25, 1.0)
                                       if needs_transcript else progress, cancel=cancel, log=say)  # fmt: skip
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


def render_plan(
    plan: EditPlan,
    media: MediaInfo,
    output: Path,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    log: Log = lambda _message: None,
) -> tuple[ValidationReport, tuple[Path, ...]]:
    """Render a resolved plan to `output` (validated, atomically renamed); returns the report
    and any sidecar files written."""
    assert media.video is not None
    preset = rules.PRESETS[plan.preset]
    fit = ffmpeg.plan_fit(media, preset, plan.fixes)
    fps = rules.output_fps(media.video.real_frame_rate or media.video.avg_frame_rate)
    timeline_captions = captions_on_timeline(plan.captions, plan.segments)
    burn = plan.caption_mode in ("burn", "both") and bool(timeline_captions)
    write_sidecar = plan.caption_mode in ("srt", "both") and bool(timeline_captions)

    with _work_dir(output) as work, _temporary_outputs(output) as temps:
        loudness, lra_target = None, rules.LRA_TARGET_LU
        if media.audio is not None:
            loudness, lra_target = _measure_loudness(media, plan, cancel)
            log(
                f"measured {loudness.input_i:.1f} LUFS, {loudness.input_tp:.1f} dBTP,"
                f" range {loudness.input_lra:.1f} LU"
            )
        progress(0.05)
        transforms = None
        render_share = (0.05, 0.95)
        if plan.fixes.stabilise:
            transforms = work / "transforms.trf"
            detect = ffmpeg.vidstab_detect_command(media, plan.segments, transforms)
            run_process(
                detect,
                description="stabilisation analysis",
                on_stdout_line=None,
                cancel=cancel,
            )
            progress(0.35)
            render_share = (0.35, 0.95)
        subtitles_ass = None
        if burn:
            from clipstudio.core.speech.subtitles import write_ass

            subtitles_ass = work / "captions.ass"
            write_ass(
                timeline_captions,
                subtitles_ass,
                width=fit.width,
                height=fit.height,
                style=plan.caption_style,
                bottom_unsafe_fraction=preset.bottom_unsafe_fraction,
            )
        overlays, end_card = _brand_files(plan, preset, fit, work)
        temp_video = temps.new(output)
        spec = ffmpeg.RenderSpec(
            media=media,
            segments=plan.segments,
            preset=preset,
            fit=fit,
            fps=fps,
            fixes=plan.fixes,
            loudness=loudness,
            lra_target=lra_target,
            subtitles_ass=subtitles_ass,
            fonts_dir=caption_font_file().parent if burn else None,
            vidstab_transforms=transforms,
            output=temp_video,
            overlays=overlays,
            end_card=end_card,
        )
        result = run_process(
            ffmpeg.render_command(spec),
            description="export",
            on_stdout_line=progress_parser(spec.total_duration, scaled(progress, *render_share)),
            cancel=cancel,
        )
        if loudness is not None:
            applied = ffmpeg.parse_loudnorm_json(result.stderr)
            if applied.normalization_type and applied.normalization_type != "linear":
                log(f"loudness: ffmpeg fell back to {applied.normalization_type} mode")
        validation = validate_output(
            temp_video,
            Expected(
                width=fit.width,
                height=fit.height,
                fps=fps,
                max_duration=plan.max_duration,
                audio_is_silent=media.audio is None,
                duration=spec.total_duration if end_card is not None else None,
            ),
            cancel=cancel,
        )
        if not validation.ok:
            broken = "; ".join(f"{r.name}: got {r.detail}" for r in validation.failures)
            raise ValidationError(f"the exported file broke the export rules ({broken})")
        sidecars: list[Path] = []
        if write_sidecar:
            from clipstudio.core.speech.subtitles import sidecar_path, write_srt

            final_sidecar = sidecar_path(output, plan.caption_language)
            temp_sidecar = temps.new(final_sidecar)
            write_srt(timeline_captions, temp_sidecar)
            sidecars.append(final_sidecar)
        temps.commit()
        progress(1.0)
        log(f"validated: {len(validation.rules)} rules passed")
        return validation, tuple(sidecars)


def _brand_files(
    plan: EditPlan, preset: rules.Preset, fit: ffmpeg.Fit, work: Path
) -> tuple[tuple[ffmpeg.OverlayImage, ...], ffmpeg.EndCard | None]:
    """Draw the branded pictures once (brand_layers, as the preview does) into the work dir."""
    if plan.branding is None:
        return (), None
    from clipstudio.core.branding.layers import render_layers

    layers = render_layers(plan.branding, fit.width, fit.height, preset, plan.kept_duration,
                           caption_style=plan.caption_style)  # fmt: skip
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


def _check_kept_fits(kept: float, card: float, max_duration: float) -> None:
    """The user's own kept parts plus the end card must stay under the limit."""
    if fits_with_end_card(kept, card, max_duration):
        return
    if not card:
        raise BadInputError("the kept parts add up to more than the time limit")
    room = max_duration - card - LIMIT_SAFETY_S
    raise BadInputError(
        f"the kept parts ({kept:.1f} s) and the {card:g} s end card would run past the"
        f" {max_duration:g} s limit: cut {kept - room:.1f} s more"
    )


def _check_paths(source: Path, output: Path, overwrite: bool) -> None:
    if output.suffix.lower() not in OUTPUT_SUFFIXES:
        raise BadInputError(f"the output must be an .mp4 file, not {output.name}")
    if source.exists() and output.exists() and os.path.samefile(source, output):
        raise BadInputError("the output would overwrite the source clip: choose another name")
    if source.resolve() == output.resolve():
        raise BadInputError("the output would overwrite the source clip: choose another name")
    if output.exists() and not overwrite:
        raise OutputExistsError(f"{output} already exists (add --overwrite to replace it)")
    if not output.parent.is_dir():
        raise BadInputError(f"the folder {output.parent} does not exist")


def _find_silences(
    media: MediaInfo, start: float, end: float, cancel: CancelToken | None
) -> list[tuple[float, float]]:
    if media.audio is None:
        return []
    result = run_process(
        ffmpeg.silence_command(media.path, start, end),
        description="silence detection",
        cancel=cancel,
    )
    return ffmpeg.parse_silences(result.stderr, start, end)


def _measure_loudness(
    media: MediaInfo, plan: EditPlan, cancel: CancelToken | None
) -> tuple[ffmpeg.LoudnessMeasurement, float]:
    """First pass. The LRA target is raised to the measured range so loudnorm stays linear
    (PITFALLS: it falls back to dynamic mode when the range exceeds the target)."""
    first = run_process(
        ffmpeg.loudness_measure_command(media, plan.segments, plan.fixes),
        description="loudness measurement",
        cancel=cancel,
    )
    measured = ffmpeg.parse_loudness_measurement(first.stderr)
    lra_target = rules.LRA_TARGET_LU
    if measured.input_lra > lra_target:
        lra_target = min(50.0, measured.input_lra + 1.0)  # loudnorm accepts LRA up to 50
    return measured, lra_target


@contextlib.contextmanager
def _work_dir(output: Path) -> Iterator[Path]:
    """Scratch files (ASS captions, vid.stab transforms) in the system temp dir."""
    path = Path(tempfile.mkdtemp(prefix="clipstudio-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


class _TemporaryOutputs:
    """Temp files beside their targets, renamed onto the targets only by `commit()`."""

    def __init__(self) -> None:
        self.pending: list[tuple[Path, Path]] = []

    def new(self, final: Path) -> Path:
        temp = final.with_name(f".{final.stem}.{uuid.uuid4().hex[:8]}.part{final.suffix}")
        self.pending.append((temp, final))
        return temp

    def commit(self) -> None:
        for temp, final in self.pending:
            os.replace(temp, final)
        self.pending.clear()

    def discard(self) -> None:
        for temp, _ in self.pending:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
        self.pending.clear()


@contextlib.contextmanager
def _temporary_outputs(_output: Path) -> Iterator[_TemporaryOutputs]:
    temps = _TemporaryOutputs()
    try:
        yield temps
    finally:
        temps.discard()  # after commit() there is nothing left to discard
