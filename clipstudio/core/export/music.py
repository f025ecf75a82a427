"""Music under the speech, as numbers: its gain, where it ducks, how it fades. The ffmpeg
filters that do it are written in export/ffmpeg.py from a MusicBed.

The music ducks by gain from the speech activity the loudness pass already found (Silero VAD,
export/loudness.py: the same spans the speech-gated loudness is measured over), not by a
compressor listening to the speech: a compressor's gain follows each syllable's level and
comes up in every gap between words (measured with ffmpeg's sidechaincompress on espeak-ng
speech: 4.5-7.8 dB rises inside sentences at a 1-1.5 s release, and a slower release never let
the music back up in 1.5 s pauses). Spans closer than DUCK_HOLD_S are one stretch of speech, so
the music stays down between words and comes up only where the speaker pauses.

The volunteer must have the rights to the music: RIGHTS_NOTE says so on every export with music.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from clipstudio.core.edit.plan import Music
from clipstudio.core.export import presets as rules
from clipstudio.core.export.loudness import (
    INTEGRATED_MIN_S,
    MOMENTARY_S,
    LoudnessPlan,
    LoudnessReadings,
    LoudnessRule,
    gated_loudness,
    rule_level,
)

Span = tuple[float, float]

# How far the music goes down under speech, below its level in the pauses: the issue asks for
# at least 10 dB; 15 dB keeps words clear over busy music on a phone speaker.
DUCK_DB = 15.0
# The VAD's spans are tight (30 ms of padding, for the speech-gated loudness) and end before a
# word's soft tail: measured on espeak-ng speech, the music began to come up 0.2 s before the
# voice stopped. The duck holds this long after each span.
DUCK_TAIL_S = 0.2
# Speech spans closer than this (after the tail) are one stretch: the music stays down between
# words and between the clauses of a sentence (the VAD splits at 300 ms of silence).
DUCK_HOLD_S = 0.6
# The music goes down just before the speech starts (the render knows what comes) and comes
# back up after it stops; both ramps fit inside a pause of DUCK_HOLD_S.
DUCK_ATTACK_S = 0.12
DUCK_RELEASE_S = 0.45
# The music starts with a short fade, and ends with a longer one: under the end card when
# there is one, else over the last seconds.
FADE_IN_S = 0.5
FADE_OUT_S = 2.0
RIGHTS_NOTE = (
    "music: use only music you have the rights to (your own, licensed for social media, or free"
    " to use); Facebook mutes or removes videos with music it recognises"
)


@dataclass(frozen=True)
class MusicBed:
    """The music as the render lays it under the video."""

    source: str
    gain_db: float  # puts its loudness at the speech target + Music.level_db (with_level)
    ducked: tuple[Span, ...]  # output seconds where it is DUCK_DB down (ramps outside them)
    fade_in_s: float
    fade_out_start: float
    fade_out_s: float
    duration: float  # the whole video, end card included


def duck_spans(speech: Sequence[Span]) -> tuple[Span, ...]:
    """The stretches of speech the music ducks under: each span held DUCK_TAIL_S longer, and
    spans closer than DUCK_HOLD_S joined."""
    joined: list[Span] = []
    for start, end in sorted((start, end + DUCK_TAIL_S) for start, end in speech):
        if joined and start - joined[-1][1] < DUCK_HOLD_S:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return tuple(joined)


def plan_music_bed(music: Music, speech: Sequence[Span], main: float, card: float) -> MusicBed:
    """The bed for a video of `main` seconds of takes and a `card` s end card, ducked under
    `speech` (output seconds); its gain is set once the music is measured (with_level)."""
    total = main + card
    fade_out = card if card > 0 else min(FADE_OUT_S, total / 2)
    return MusicBed(
        source=music.source,
        gain_db=0.0,
        ducked=tuple((s, min(e, main)) for s, e in duck_spans(speech) if s < main),
        fade_in_s=min(FADE_IN_S, total / 4),
        fade_out_start=total - fade_out,
        fade_out_s=fade_out,
        duration=total,
    )


def with_level(bed: MusicBed, music: Music, plain: LoudnessReadings) -> MusicBed:
    """The bed's gain: the music's own loudness (`plain`: its readings as it loops, not ducked
    or faded) put at the speech target + music.level_db."""
    music_lufs = gated_loudness(plain.momentary[plain.times >= MOMENTARY_S - 1e-6])
    if not math.isfinite(music_lufs):
        return bed
    target = rules.LOUDNESS_TARGET_LUFS + music.level_db
    return replace(bed, gain_db=round(target - music_lufs, 2))


def promise_with_music(
    plan: LoudnessPlan | None,
    source: LoudnessReadings | None,
    bed_readings: LoudnessReadings,
    bed: MusicBed,
) -> LoudnessPlan:
    """What the loudness rule must find in the file once the music is under it. Speech-gated
    rules measure the speech, which the music ducks under (it adds under 0.1 LU there); the
    other rules measure the whole sound, so the mix is predicted from the readings of both
    (`bed_readings`: the bed as laid, ducked and faded, before its gain; their powers add:
    music and ambience are unrelated sounds). Under silence, or a clip without sound, the
    music is the sound, measured as a clip without speech is."""
    if plan is not None and plan.rule in (LoudnessRule.SPEECH, LoudnessRule.SHORT_SPEECH):
        return plan
    times = bed_readings.times
    powers = [10 ** ((bed_readings.momentary + bed.gain_db) / 10),
              10 ** ((bed_readings.short_term + bed.gain_db) / 10)]  # fmt: skip
    audible = plan is not None and plan.rule is not LoudnessRule.SILENT and source is not None
    if audible:
        assert plan is not None and source is not None
        for index, ours in enumerate((source.momentary, source.short_term)):
            ours = np.interp(times, source.times, ours + plan.gain_db, left=-np.inf, right=-np.inf)
            powers[index] = powers[index] + 10 ** (ours / 10)
    readings = replace(
        bed_readings,
        momentary=10 * np.log10(np.maximum(powers[0], 1e-30)),
        short_term=10 * np.log10(np.maximum(powers[1], 1e-30)),
    )
    if not audible:
        short = bed.duration < INTEGRATED_MIN_S
        rule = LoudnessRule.SHORT_NO_SPEECH if short else LoudnessRule.NO_SPEECH
        level = rule_level(rule, readings, ())
        return LoudnessPlan(rule, level, level, 0.0, limit=True)
    assert plan is not None
    level = rule_level(plan.rule, readings, plan.speech)
    return replace(plan, level_lufs=level - plan.gain_db, limit=True)
