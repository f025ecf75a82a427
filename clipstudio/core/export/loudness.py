"""How loud an export is: what is measured, which gain is applied and what validation checks,
decided here and nowhere else.

Speech is what the viewer must hear, so where someone speaks the speech itself is normalised
(speech-gated EBU R128 loudness, to the platform's -14 LUFS). Sound without speech (room tone,
a street, a drone's rotors) and kept parts too short for an integrated measurement are set by
their loudest moment instead, and quiet sound is never raised further than a sound engineer
would raise it. The gain is one number for the whole clip (no compression), with a peak limiter
only where that gain would push peaks past the ceiling. Every readout is ffmpeg's own ebur128
meter (400 ms momentary and 3 s short-term loudness every 100 ms); only the BS.1770 gate over
the speech's blocks is done here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from clipstudio.core.export import presets as rules

Span = tuple[float, float]

# Integrated loudness needs enough 400 ms blocks to gate: below this a kept part is judged by
# its loudest 400 ms (PITFALLS: EBU R128's integrated measure is meant for 3 s and more).
INTEGRATED_MIN_S = 3.0
# EBU R128 windows and the meter's reading interval.
MOMENTARY_S = 0.4
SHORT_TERM_S = 3.0
READING_S = 0.1
# BS.1770 gates: blocks under -70 LUFS are silence; then blocks 10 LU under the mean are pauses.
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = 10.0
# At least this much speech (Silero VAD) makes the speech the thing to normalise; a short kept
# part needs at least half its length spoken.
SPEECH_MIN_S = 1.0
SPEECH_MIN_SHARE_SHORT = 0.5
# The loudest 400 ms of a spoken sentence sits this far above its integrated loudness: measured
# on the shared real speech (ljspeech, Harvard sentences, TIMIT, JFK): 2.1-8.2 LU, median 4.4,
# 3.8 for the sentences under 3 s. A short spoken clip set by its loudest moment to -14 + 4
# comes out near -14 LUFS of speech.
SPEECH_PEAK_ABOVE_INTEGRATED_LU = 4.0
# Boost caps. Speech may be raised by up to 24 dB: the check calls speech under -38 LUFS "too
# quiet" (audio.TOO_QUIET_LUFS), so speech the check accepts always reaches -14; raised further,
# the phone's own hiss comes up with it and the advice is to film closer. Sound without speech
# is ambience, not content: a sound engineer lifts room tone a few dB to keep it present, never
# 26-48 dB (which turned near-silence into loud hiss); 10 dB lets quiet B-roll be heard and
# leaves silence quiet.
MAX_SPEECH_BOOST_DB = 24.0
MAX_AMBIENCE_BOOST_DB = 10.0
# Where the gain would push peaks over the ceiling a lookahead limiter takes them down, by at
# most this much: 6 dB of limiting on a shout or a clap is inaudible in speech; more flattens it,
# so beyond that the gain is lowered instead.
MAX_LIMITING_DB = 6.0
# The limiter works on samples; true (inter-sample) peaks and the AAC encoder overshoot it by up
# to about 0.5 dB, so it limits that far under the true-peak ceiling.
LIMITER_MARGIN_DB = 0.5


class LoudnessRule(StrEnum):
    """Which measure sets the clip's gain (and so what validation checks)."""

    SPEECH = "speech"  # speech-gated integrated loudness -> -14 LUFS
    SHORT_SPEECH = "short speech"  # under 3 s, someone speaks: loudest 400 ms -> -10 LUFS
    NO_SPEECH = "no speech"  # nobody speaks: loudest 3 s -> -14 LUFS (boost capped at 10 dB)
    SHORT_NO_SPEECH = "short, no speech"  # under 3 s, nobody speaks: loudest 400 ms -> -14
    SILENT = "silent"  # nothing above the absolute gate: left as it is

    @property
    def measure(self) -> str:
        """The measure in words, for the log and the validation's rule name."""
        return {
            LoudnessRule.SPEECH: "speech-gated loudness",
            LoudnessRule.SHORT_SPEECH: "loudest 0.4 s",
            LoudnessRule.NO_SPEECH: "loudest 3 s",
            LoudnessRule.SHORT_NO_SPEECH: "loudest 0.4 s",
            LoudnessRule.SILENT: "silence",
        }[self]


@dataclass(frozen=True)
class LoudnessReadings:
    """ebur128's readings every 100 ms (end time of each reading, momentary and short-term
    LUFS) and the true peak of the whole."""

    times: np.ndarray
    momentary: np.ndarray
    short_term: np.ndarray
    true_peak_dbtp: float

    @property
    def duration(self) -> float:
        return float(self.times[-1]) if self.times.size else 0.0


@dataclass(frozen=True)
class LoudnessPlan:
    """The loudness decision for one clip: the rule, the level it measured, the gain."""

    rule: LoudnessRule
    level_lufs: float  # the source's level by the rule's measure (-inf: silence)
    target_lufs: float  # where the rule wants that level
    gain_db: float
    limit: bool  # a peak limiter follows the gain
    speech: tuple[Span, ...] = ()  # in the output's time, for the speech-gated measure
    capped: str = ""  # why the gain stopped short of the target, in words

    @property
    def expected_lufs(self) -> float:
        """The level validation must find in the file, by the same measure."""
        return self.level_lufs + self.gain_db

    @property
    def limiter_ceiling_dbfs(self) -> float:
        return rules.TRUE_PEAK_DBTP - LIMITER_MARGIN_DB

    def describe(self) -> str:
        if self.rule is LoudnessRule.SILENT:
            return "loudness: the sound is silent, left as it is"
        spoken = sum(end - start for start, end in self.speech)
        what = f"{self.rule.measure} {self.level_lufs:.1f} LUFS"
        if self.rule is LoudnessRule.SPEECH:
            what += f" over {spoken:.1f} s of speech"
        elif self.rule in (LoudnessRule.NO_SPEECH, LoudnessRule.SHORT_NO_SPEECH):
            what = f"no one speaks; {what}"
        line = f"loudness ({self.rule}): {what}, {self.gain_db:+.1f} dB to {self.expected_lufs:.1f}"
        if self.capped:
            line += f" ({self.capped})"
        if self.limit:
            line += f", peaks limited at {self.limiter_ceiling_dbfs:g} dBFS"
        return line


def decide_loudness(readings: LoudnessReadings, speech: Sequence[Span]) -> LoudnessPlan:
    """The rule for this clip's sound and the gain it gives."""
    duration = readings.duration
    spoken = sum(end - start for start, end in speech)
    short = duration < INTEGRATED_MIN_S
    has_speech = spoken >= (min(SPEECH_MIN_S, SPEECH_MIN_SHARE_SHORT * duration) if short
                            else SPEECH_MIN_S)  # fmt: skip
    if has_speech:
        rule = LoudnessRule.SHORT_SPEECH if short else LoudnessRule.SPEECH
    else:
        rule = LoudnessRule.SHORT_NO_SPEECH if short else LoudnessRule.NO_SPEECH
    spans = tuple(speech) if has_speech else ()
    level = rule_level(rule, readings, spans)
    if not math.isfinite(level) or level < ABSOLUTE_GATE_LUFS:
        return LoudnessPlan(LoudnessRule.SILENT, level, level, 0.0, False)
    target = rules.LOUDNESS_TARGET_LUFS
    if rule is LoudnessRule.SHORT_SPEECH:
        target += SPEECH_PEAK_ABOVE_INTEGRATED_LU
    gain, capped = target - level, ""
    cap = MAX_SPEECH_BOOST_DB if has_speech else MAX_AMBIENCE_BOOST_DB
    if gain > cap:
        gain = cap
        kind = "speech" if has_speech else "sound without speech"
        capped = f"raised by no more than {cap:g} dB, the most for {kind}"
    ceiling = rules.TRUE_PEAK_DBTP - LIMITER_MARGIN_DB
    headroom = ceiling - readings.true_peak_dbtp
    if gain > headroom + MAX_LIMITING_DB:
        gain = headroom + MAX_LIMITING_DB
        capped = f"held back by its peaks ({readings.true_peak_dbtp:.1f} dBTP)"
    return LoudnessPlan(rule, level, target, gain, limit=gain > headroom, speech=spans,
                        capped=capped)  # fmt: skip


def rule_level(rule: LoudnessRule, readings: LoudnessReadings, speech: Sequence[Span]) -> float:
    """A rule's level measured on any readings: the source's (to decide) or the file's (to
    validate). -inf when there is nothing to measure."""
    times = readings.times
    if rule is LoudnessRule.SPEECH:
        middle = times - MOMENTARY_S / 2
        inside = np.zeros(times.size, dtype=bool)
        for start, end in speech:
            inside |= (middle >= start) & (middle <= end)
        return gated_loudness(readings.momentary[inside & (times >= MOMENTARY_S - 1e-6)])
    if rule is LoudnessRule.NO_SPEECH:
        full = readings.short_term[times >= SHORT_TERM_S - 1e-6]
        return float(full.max()) if full.size else -math.inf
    full = readings.momentary[times >= MOMENTARY_S - 1e-6]
    return float(full.max()) if full.size else -math.inf


def gated_loudness(momentary: np.ndarray) -> float:
    """BS.1770-4 integrated loudness of a set of 400 ms blocks (their momentary loudness): the
    mean energy of the blocks above the absolute gate and within 10 LU of their own mean."""
    blocks = momentary[np.isfinite(momentary) & (momentary > ABSOLUTE_GATE_LUFS)]
    if blocks.size == 0:
        return -math.inf
    energy = 10 ** ((blocks + 0.691) / 10)
    relative_gate = _lufs(float(energy.mean())) - RELATIVE_GATE_LU
    kept = energy[blocks > relative_gate]
    return _lufs(float(kept.mean())) if kept.size else -math.inf


def _lufs(energy: float) -> float:
    return -0.691 + 10 * math.log10(energy) if energy > 0 else -math.inf


_READING = re.compile(r"pts_time:(?P<t>[-\d.e+]+)\s+lavfi\.r128\.M=(?P<m>\S+)\s+"
                      r"lavfi\.r128\.S=(?P<s>\S+)")  # fmt: skip
_TRUE_PEAK = re.compile(r"True peak:\s*Peak:\s*(-?[\d.]+|-inf)")


def parse_readings(metadata: str, summary: str) -> LoudnessReadings:
    """ametadata's print of ebur128's per-100 ms tags, and the true peak from its summary."""
    rows = [(float(m["t"]) + READING_S, _number(m["m"]), _number(m["s"]))
            for m in _READING.finditer(metadata)]  # fmt: skip
    data = np.array(rows, dtype=np.float64).reshape(-1, 3)
    peak = _TRUE_PEAK.search(summary[summary.rfind("Summary:") :])
    return LoudnessReadings(
        times=data[:, 0],
        momentary=data[:, 1],
        short_term=data[:, 2],
        true_peak_dbtp=_number(peak.group(1)) if peak else -math.inf,
    )


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return -math.inf
