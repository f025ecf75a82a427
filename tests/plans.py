"""Plans for the export tests: one clip, the command line's defaults, captions off unless asked."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from clipstudio.core.branding.kit import Branding
from clipstudio.core.edit.plan import CaptionTrack, EditPlan, Fixes, Segment, Take, takes_of
from clipstudio.core.export.render import ExportJob, ExportResult, export_clip
from clipstudio.core.progress import CancelToken, ProgressCallback
from clipstudio.core.speech.subtitles import read_subtitles
from clipstudio.core.speech.types import Caption, CaptionStyle
from clipstudio.core.vocabulary import (
    DEFAULT_SHAPE,
    FIXES_ON_BY_DEFAULT,
    CaptionMode,
    Fix,
    PortraitFill,
    Shape,
    Trim,
)


def clip_plan(
    source: Path | str,
    *,
    start: float = 0.0,
    end: float | None = None,
    segments: Iterable[Segment] | None = None,
    preset: Shape | str = DEFAULT_SHAPE,
    max_duration: float = 60.0,
    trim: Trim = Trim.TO_LIMIT,
    fix: Iterable[Fix] = (),
    portrait: PortraitFill | str | None = PortraitFill.BLUR,
    caption_mode: CaptionMode | str = CaptionMode.NONE,
    captions: Iterable[Caption] | None = None,
    subtitles: Path | None = None,
    style: CaptionStyle | None = None,
    branding: Branding | None = None,
) -> EditPlan:
    """`fix` adds repairs to the defaults; `portrait` None turns the portrait fix off;
    `segments` are exact kept ranges (the window's way), else [start, end] is cut to the limit."""
    if subtitles is not None:
        captions = read_subtitles(subtitles)
    caption_tuple = None if captions is None else tuple(captions)
    on = set(FIXES_ON_BY_DEFAULT) | set(fix)
    if portrait is None:
        on.discard(Fix.PORTRAIT)
    source = str(source)
    if segments is not None:
        takes = takes_of(source, tuple(segments), caption_tuple)
        trim = Trim.EXACT
    else:
        takes = (Take(source, start, end, caption_tuple),)
    return EditPlan(
        takes=takes,
        preset=Shape(preset),
        max_duration=max_duration,
        trim=trim,
        fixes=Fixes.of(on, PortraitFill(portrait or PortraitFill.BLUR)),
        captions=CaptionTrack(mode=CaptionMode(caption_mode), style=style or CaptionStyle()),
        branding=branding,
    )


def export(
    source: Path | str,
    out: Path,
    *,
    overwrite: bool = False,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    **plan: object,
) -> ExportResult:
    """Export `source` to `out` with `clip_plan(source, **plan)`."""
    return export_clip(
        clip_plan(source, **plan),  # type: ignore[arg-type]
        ExportJob(output=out, overwrite=overwrite),
        progress=progress,
        cancel=cancel,
    )
