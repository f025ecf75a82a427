"""Decide what the plan left to us: transcribe where captions are wanted but not given (or the
mistakes are to be found), resolve each take against its source, cut the mistakes, and cut to
the keep budget. Out comes a resolved plan (every take with its end and captions, `Trim.EXACT`,
nothing left to clean up) that render.py turns into a file.

Several takes: `--auto-trim` trims each take on its own (silence at its ends, whole sentences),
then the whole video is held to the budget: takes are kept in order and the one that crosses
the limit is cut at a sentence end or pause, as a single clip is."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from clipstudio.core.edit.limits import MIN_KEPT_S, check_budget, fits, keep_budget
from clipstudio.core.edit.plan import EditPlan, Take, takes_of
from clipstudio.core.edit.trim import SilenceFinder, plan_segments, resolve_range
from clipstudio.core.errors import BadInputError
from clipstudio.core.media.probe import MediaInfo
from clipstudio.core.process import run_process
from clipstudio.core.progress import CancelToken, ProgressCallback, scaled
from clipstudio.core.speech.types import LayoutRules, Transcript
from clipstudio.core.vocabulary import Engine, Trim

Log = Callable[[str], None]
# Share of the export's progress bar that transcription takes when it has to run.
TRANSCRIBE_SHARE = 0.25
# How much footage past the start a cut to the limit transcribes, as a multiple of the budget:
# the sentence trim keeps at most the budget of speech, and dropped pauses (--drop-pauses) can
# stretch that over more of the source; three times covers a minute of speech with 2 minutes
# of pauses in it.
TRANSCRIBE_BUDGET_SHARE = 3.0
# A range ending this close to the source's end is the whole source.
TRANSCRIBE_TAIL_S = 1.0


def prepare_plan(
    plan: EditPlan,
    media: Mapping[str, MediaInfo],
    *,
    engine: Engine,
    model: str | None,
    progress: ProgressCallback,
    cancel: CancelToken | None,
    log: Log,
) -> EditPlan:
    """The plan with nothing left to decide. Raises BadInputError for ranges that cannot work."""
    budget = check_budget(plan.max_duration, plan.end_card_duration)
    if len(plan.takes) == 1:  # a range that cannot work is said before any transcription
        only = plan.takes[0]
        resolve_range(media[only.source].duration, only.start, only.end)
    if plan.captions.mode.wants_captions:
        for take in plan.takes:
            _check_given_captions(take, media[take.source], log)
    sources = _sources_to_transcribe(plan, media)
    transcripts: dict[str, Transcript] = {}
    if sources:
        from clipstudio.core.speech.transcribe import get_transcriber

        log("transcribing the speech" + (" to find the mistakes" if plan.cleanup else ""))
        transcriber = get_transcriber(engine, model)
        share = TRANSCRIBE_SHARE / len(sources)
        for index, source in enumerate(sources):
            span = transcription_span(plan, media[source], budget)
            if span != (0.0, None):
                log(f"transcribing {span[0]:.1f}-{span[1]:.1f} s of {media[source].duration:.1f} s")
            transcripts[source] = transcriber.transcribe(
                source,
                language=plan.captions.language,  # en_GB: British spelling
                progress=scaled(progress, index * share, (index + 1) * share),
                cancel=cancel,
                verbatim=bool(plan.cleanup),
                **_range_arguments(span),
            )
    takes = tuple(_with_captions(plan, take, transcripts.get(take.source)) for take in plan.takes)
    footage = _Footage(media, transcripts, cancel)
    if plan.trim is Trim.EXACT:
        takes = _exact(takes, media)
    else:
        takes = _resolved(plan, takes, footage, budget)
    if plan.cleanup:
        takes = _cleaned(takes, transcripts, plan, log)
    if plan.trim is Trim.EXACT:
        _check_kept_fits(sum(t.duration for t in takes), plan)
    else:
        takes = _held_to_budget(plan, takes, footage, budget, log)
    if plan.captions.mode.wants_captions and not any(take.captions for take in takes):
        log("no speech found, so the video has no captions")
    return replace(plan, takes=takes, trim=Trim.EXACT, cleanup=frozenset())


def _check_given_captions(take: Take, info: MediaInfo, log: Log) -> None:
    """Captions the user gave that fall after the clip's end are said, not silently lost; a
    file with none inside the clip is the wrong file, refused."""
    if not take.captions:
        return
    late = [c for c in take.captions if c.start >= info.duration]
    if len(late) == len(take.captions):
        raise BadInputError(
            f"none of the {len(late)} captions falls inside the clip ({info.duration:.1f} s long):"
            f" the first starts at {late[0].start:.1f} s. Is it the caption file of this clip?"
        )
    if late:
        log(f"{len(late)} caption(s) start after the clip ends ({info.duration:.1f} s): left out")


def transcription_span(
    plan: EditPlan, info: MediaInfo, budget: float
) -> tuple[float, float | None]:
    """The part of a source worth transcribing: the takes' own ranges, and when the export
    cuts to the limit, no more than it could keep (TRANSCRIBE_BUDGET_SHARE of the budget past
    the start). (0, None) is the whole source. An hour's recording made into a 59 s clip was
    transcribed whole: 0.95 GB for a 12-minute source."""
    takes = [t for t in plan.takes if t.source == info.path]
    start = min((t.start for t in takes), default=0.0)
    ends = [t.end for t in takes]
    end = info.duration if None in ends or not ends else max(e for e in ends if e is not None)
    if plan.trim is not Trim.EXACT and len(takes) == 1:
        end = min(end, start + budget * TRANSCRIBE_BUDGET_SHARE)
    if start <= 0 and end >= info.duration - TRANSCRIBE_TAIL_S:
        return 0.0, None
    return max(0.0, start), end


def _range_arguments(span: tuple[float, float | None]) -> dict[str, float]:
    """Only a real sub-range is passed on (engines that do not take a range still work)."""
    start, end = span
    return {} if end is None else {"start": start, "end": end}


def transcribes(plan: EditPlan, media: Mapping[str, MediaInfo]) -> bool:
    """Whether preparing this plan runs Whisper (the caller shares the progress bar with it)."""
    return bool(_sources_to_transcribe(plan, media))


def _sources_to_transcribe(plan: EditPlan, media: Mapping[str, MediaInfo]) -> list[str]:
    wanted = []
    for source in plan.sources:
        if media[source].audio is None:
            continue
        uncaptioned = any(t.captions is None for t in plan.takes if t.source == source)
        wants_words = plan.trim is Trim.SENTENCES or bool(plan.cleanup)
        if (plan.captions.mode.wants_captions and uncaptioned) or wants_words:
            wanted.append(source)
    return wanted


def _with_captions(plan: EditPlan, take: Take, transcript: Transcript | None) -> Take:
    """Captions laid out from the transcript where the take has none of its own."""
    if take.captions is not None:
        return take
    if not plan.captions.mode.wants_captions or transcript is None:
        return replace(take, captions=())
    from clipstudio.core.speech.layout import build_captions

    return replace(take, captions=tuple(build_captions(transcript.words, layout_rules(plan))))


def layout_rules(plan: EditPlan) -> LayoutRules:
    """The line rules captions are made to: the shape's when they are burned in (the sidecar
    is re-broken to its own rules when written), the sidecar's broadcast rules otherwise."""
    from clipstudio.core.export.layout import SIDECAR_RULES, caption_rules
    from clipstudio.core.export.presets import PRESETS

    if not plan.captions.mode.burns:
        return SIDECAR_RULES
    preset = PRESETS[plan.preset]
    return caption_rules(preset, preset.width, preset.height, plan.captions.style)


def _exact(takes: tuple[Take, ...], media: Mapping[str, MediaInfo]) -> tuple[Take, ...]:
    """The user's own ranges, held to their sources (a range past the end stops at it)."""
    kept = []
    for take in takes:
        duration = media[take.source].duration
        end = duration if take.end is None else min(take.end, duration)
        start = max(0.0, take.start)
        if end > start:
            kept.append(replace(take, start=start, end=end))
    if sum(t.end - t.start for t in kept if t.end is not None) < MIN_KEPT_S:
        raise BadInputError("the kept parts are too short to make a clip")
    return tuple(kept)


@dataclass(frozen=True)
class _Footage:
    """What cutting a take to a length reads: the sources' probe data and transcripts (the
    sentence ends), and the cancel for the silence search."""

    media: Mapping[str, MediaInfo]
    transcripts: Mapping[str, Transcript]
    cancel: CancelToken | None


def _resolved(
    plan: EditPlan, takes: tuple[Take, ...], footage: _Footage, budget: float
) -> tuple[Take, ...]:
    """Each take's range checked against its source; with --auto-trim each is trimmed on its
    own (silence at its ends dropped, whole sentences kept)."""
    resolved: list[Take] = []
    for take in takes:
        if plan.trim is Trim.SENTENCES:
            resolved += _cut_to(take, budget, footage, True, plan.drop_pauses)
        else:
            duration = footage.media[take.source].duration
            start, end = resolve_range(duration, take.start, take.end)
            resolved.append(replace(take, start=start, end=end))
    return tuple(resolved)


def _cleaned(
    takes: tuple[Take, ...], transcripts: Mapping[str, Transcript], plan: EditPlan, log: Log
) -> tuple[Take, ...]:
    """The retakes and fillers the plan asks to lose, cut out of every take of their source."""
    from clipstudio.core.edit.cuts import cut_take
    from clipstudio.core.speech.disfluency import find_disfluencies

    spans = {
        source: find_disfluencies(transcript.words, plan.cleanup)
        for source, transcript in transcripts.items()
    }
    cleaned: list[Take] = []
    for take in takes:
        found = spans.get(take.source, ())
        cleaned += cut_take(take, [(d.start, d.end) for d in found])
    for kind in sorted(plan.cleanup):
        count = sum(1 for found in spans.values() for d in found if d.kind is kind)
        seconds = sum(d.duration for found in spans.values() for d in found if d.kind is kind)
        log(f"{kind.label.lower()}: {count} cut ({seconds:.1f} s)")
    if not cleaned:
        raise BadInputError("nothing is left of the clips once the mistakes are cut")
    return tuple(cleaned)


def _held_to_budget(
    plan: EditPlan, takes: tuple[Take, ...], footage: _Footage, budget: float, log: Log
) -> tuple[Take, ...]:
    """Takes in order while they fit; the one that crosses the limit is cut the way a single
    clip is (at a sentence end with a transcript, else at a pause); the rest are left out."""
    kept: list[Take] = []
    used = 0.0
    for index, take in enumerate(takes):
        room = budget - used
        if take.duration <= room:
            kept.append(take)
            used += take.duration
            continue
        if room > MIN_KEPT_S and take.duration > MIN_KEPT_S:
            kept += _cut_to(take, room, footage)
        left_out = len({t.source for t in takes[index + 1 :]})
        if left_out and len(plan.sources) > 1:
            log(f"the time limit is reached: {left_out} later clip(s) left out")
        break
    if sum(t.duration for t in kept) < MIN_KEPT_S:
        raise BadInputError("the kept parts are too short to make a clip")
    return tuple(kept)


def _cut_to(
    take: Take, budget: float, footage: _Footage, auto_trim: bool = False,
    drop_pauses: bool = False,
) -> tuple[Take, ...]:  # fmt: skip
    """One take cut to `budget` the way trim.plan_segments cuts a single clip (at sentence ends
    with a transcript, else at pauses), as takes of its source."""
    info = footage.media[take.source]
    segments = plan_segments(
        info.duration,
        take.start,
        take.end,
        budget,
        find_silences=_silence_finder(info, footage.cancel),
        transcript=footage.transcripts.get(take.source),
        auto_trim=auto_trim,
        drop_pauses=drop_pauses,
    )
    return takes_of(take.source, segments, take.captions)


def _check_kept_fits(kept: float, plan: EditPlan) -> None:
    """The user's own kept parts plus the end card must stay under the limit."""
    card = plan.end_card_duration
    if fits(kept, card, plan.max_duration):
        return
    room = keep_budget(plan.max_duration, card)
    if not card:
        raise BadInputError(
            f"the kept parts ({kept:.1f} s) add up to more than the time limit: cut"
            f" {kept - room:.1f} s more"
        )
    raise BadInputError(
        f"the kept parts ({kept:.1f} s) and the {card:g} s end card would run past the"
        f" {plan.max_duration:g} s limit: cut {kept - room:.1f} s more"
    )


def _silence_finder(media: MediaInfo, cancel: CancelToken | None) -> SilenceFinder:
    return lambda start, end: _find_silences(media, start, end, cancel)


def _find_silences(
    media: MediaInfo, start: float, end: float, cancel: CancelToken | None
) -> list[tuple[float, float]]:
    if media.audio is None:
        return []
    from clipstudio.core.export import ffmpeg

    result = run_process(
        ffmpeg.silence_command(media.path, start, end),
        description="silence detection",
        cancel=cancel,
    )
    return ffmpeg.parse_silences(result.stderr, start, end)
