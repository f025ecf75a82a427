"""Sound: missing, too quiet, clipped, noisy, windy, and whether anyone speaks at all.

The campaign guide calls sound "one of the most important aspects": the speaker no more than a
metre from the phone, no noisy or windy places. Loudness is EBU R128 (ffmpeg's ebur128 meter); speech is
found with the Silero VAD that ships inside faster-whisper (offline).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from clipstudio.core.analysis.checks.base import Check, Says, Span, flagged_spans, rounded
from clipstudio.core.analysis.loudness import integrated_lufs
from clipstudio.core.analysis.samples import Samples
from clipstudio.core.analysis.types import Finding
from clipstudio.core.vocabulary import Fix

# Less speech than this in a whole clip means nobody really speaks (a cough, a word off-camera).
SPEECH_MIN_S = 1.0
# Speech quieter than this (EBU R128 integrated loudness of the speech alone) is far below normal:
# export normalises to -14 LUFS (Facebook), and lifting speech by 24 dB or more also lifts the
# room's hiss and the phone's own noise into hearing. Broadcast dialogue sits near -23 (EBU R128),
# which is where the test clips put normal speech.
TOO_QUIET_LUFS = -38.0
# pyloudnorm needs at least one 400 ms block (EBU R128 momentary window).
LOUDNESS_MIN_S = 0.4
# Clipping: at least this many full-scale runs (samples.py) in the clip...
CLIP_MIN_EVENTS = 5
# ...clustered in stretches: events closer than this belong to one stretch.
CLIP_MERGE_GAP_S = 3.0
# Frames for noise and wind measurements.
FRAME_S = 0.05
# Speech-to-noise ratio below this is noisy: broadcast asks 20+ dB, speech stays easy to follow
# down to ~15 dB, and under ~12 dB listeners start to strain (typical café or street).
NOISY_SNR_DB = 12.0
# Where the speech frames are no louder than the noise (real speech under rotor or train bursts at
# 0 dB: the pauses' median came out above the speech frames' mean and the ratio read -96 to
# -102 dB), the speech is buried and the difference of two estimates says nothing more: the
# figure is held here.
SNR_FLOOR_DB = -10.0
# Noise is measured twice and the worse figure counts. In the pauses: their median level, when
# there is at least this much pause...
NOISE_MIN_PAUSE_S = 0.5
# ...otherwise the quietest tenth of the frames.
NOISE_PERCENTILE = 10.0
# Frames whose power is measured at once: bounded memory (~26 MB of float64 at 50 ms frames).
POWER_BLOCK_FRAMES = 4096
# Noise band frames analysed at once: bounded memory (2048 frames of 32 ms: ~25 MB of spectra
# and their copies; 8192 took ~100 MB).
BAND_BLOCK_FRAMES = 2048
# Wind frames analysed at once: bounded memory (1024 frames of 0.1 s: ~25 MB with spectra).
WIND_BLOCK_FRAMES = 1024
# Under the speech itself: in each frequency band the noise is what the band never drops below
# for long (its 20th percentile over each 1.5 s of speech: speech moves between bands, noise
# stays; a burst of thunder or traffic raises the floor of the stretches it covers). Measured on
# the shared clean speech: 15.6-37.6 dB; mixed with the GoPro rotor at 0/5 dB: 4.0/7.8 dB, and
# with rotor bursts (1.5 s of every 5, 18 dB above the rest) at 0/5 dB overall: 6.6/9.1 dB,
# where the VAD called 39.7 of 40.2 s "speech" and the pauses gave 15 dB.
NOISE_BAND_PERCENTILE = 20.0
NOISE_BAND_FRAME_S = 0.032
NOISE_BANDS = 24
NOISE_BAND_LOW_HZ, NOISE_BAND_HIGH_HZ = 100.0, 6000.0
NOISE_STRETCH_S = 1.5
# Loud sound where nobody speaks is noise too (a drone's rotors measured -7 LUFS): louder than
# this is 5 LU over speech at arm's length from a phone (-23 LUFS), what rotors, a generator or
# a gale give; room tone measures -45 to -60 LUFS, a train passing a riverbank -29, the test
# patterns' steady tone -22.
LOUD_NOISE_LUFS = -18.0
# Wind: energy below this frequency (wind rumble)...
WIND_CUTOFF_HZ = 150.0
# ...is most of the frame's energy...
WIND_LOW_SHARE = 0.6
# ...and, where someone speaks, most of it lies lower still: a deep male voice's fundamental
# (85-180 Hz) puts plenty of energy under 150 Hz, little under 90. Measured: JFK pitched down
# 30 % with a 10 dB bass boost, 26 % of its energy under 90 Hz (median of its bass-heavy
# frames); rumbling wind 88 %.
WIND_DEEP_HZ = 90.0
WIND_DEEP_SHARE = 0.5
# ...the frame is audible (dBFS)...
WIND_MIN_DBFS = -45.0
# ...and it stands this far above the clip's usual low-frequency level (wind comes in gusts; a
# steady hum does not).
WIND_BURST_DB = 10.0
WIND_FLOOR_PERCENTILE = 20.0
# Gusts adding up to at least this long make a windy clip.
WIND_MIN_TOTAL_S = 1.0
WIND_MERGE_GAP_S = 2.0
WIND_FRAME_S = 0.1
# Below this power a frame is digital silence (avoids log of zero).
POWER_FLOOR = 1e-12

ADVICE_MISSING = "This clip has no sound. Check the microphone is not covered, then film again."
ADVICE_QUIET = "The speech is very quiet. Keep the phone within a metre of the speaker."
ADVICE_CLIPPING = (
    "The sound is distorted because it is too loud. Move the phone a little further from the "
    "speaker or from loud sounds."
)
ADVICE_NOISY = (
    "Background noise is loud compared with the speech. Film somewhere quieter, with the phone "
    "within a metre of the speaker."
)
ADVICE_LOUD_NOISE = (
    "No one speaks and the sound is loud noise (wind, traffic, engines). If this is B-roll, it"
    " can go under music or speech; if someone should be heard, film somewhere quieter."
)
ADVICE_WIND = "Wind is rumbling in the microphone. Film out of the wind or shield the phone."
ADVICE_NO_SPEECH = (
    "No one speaks in this clip: is it B-roll? If someone should be heard, check the microphone"
    " is not covered and the speaker is close to the phone."
)


def speech_spans(samples: Samples) -> list[Span]:
    """Where someone speaks (seconds), from Silero VAD; shared by several checks."""
    return samples.memo("speech_spans", lambda: _detect_speech(samples))


def _detect_speech(samples: Samples) -> list[Span]:
    from clipstudio.core.speech.vad import speech_spans as detect

    return detect(samples.mono, samples.audio_rate)


def speech_seconds(spans: list[Span]) -> float:
    return sum(end - start for start, end in spans)


def _speech_audio(samples: Samples, spans: list[Span]) -> list[np.ndarray]:
    """The audio inside the speech spans: (channels, n) views, not a joined copy."""
    rate = samples.audio_rate
    return [samples.audio[:, int(s * rate) : int(e * rate)] for s, e in spans]


def integrated_loudness(parts: list[np.ndarray], rate: int) -> float:
    """EBU R128 integrated loudness (LUFS) of (channels, n) pieces measured as one stream;
    -inf when silent or short."""
    if sum(part.shape[1] for part in parts) <= LOUDNESS_MIN_S * rate:
        return -math.inf
    return integrated_lufs(parts, rate)


def speech_loudness(samples: Samples) -> float:
    return samples.memo(
        "speech_loudness",
        lambda: integrated_loudness(
            _speech_audio(samples, speech_spans(samples)), samples.audio_rate
        ),
    )


def frame_powers(mono: np.ndarray, rate: int, frame_s: float) -> np.ndarray:
    """Mean square of consecutive frames (in blocks: a float64 copy of an hour is 0.5 GB)."""
    size = max(1, int(rate * frame_s))
    count = mono.size // size
    if count == 0:
        return np.zeros(0)
    powers = np.empty(count)
    for first in range(0, count, POWER_BLOCK_FRAMES):
        last = min(count, first + POWER_BLOCK_FRAMES)
        frames = mono[first * size : last * size].astype(np.float64).reshape(-1, size)
        powers[first:last] = np.mean(frames**2, axis=1)
    return powers


@dataclass(frozen=True)
class NoiseMeasure:
    snr_db: float
    speech_dbfs: float
    noise_dbfs: float
    noise_from: str  # "pauses", "quietest frames" or "under the speech"


def _speech_mask(spans: list[Span], count: int, frame_s: float) -> np.ndarray:
    centres = (np.arange(count) + 0.5) * frame_s
    inside = np.zeros(count, dtype=bool)
    for start, end in spans:
        inside |= (centres >= start) & (centres < end)
    return inside


def measure_noise(samples: Samples) -> NoiseMeasure | None:
    """Speech-to-noise ratio, the worse of: the speech frames' power over the pauses' power,
    and the speech over what each frequency band never drops below while it is spoken."""
    return samples.memo("noise", lambda: _measure_noise(samples))


def _measure_noise(samples: Samples) -> NoiseMeasure | None:
    spans = speech_spans(samples)
    powers = frame_powers(samples.mono, samples.audio_rate, FRAME_S)
    if powers.size == 0 or speech_seconds(spans) < SPEECH_MIN_S:
        return None
    in_speech = _speech_mask(spans, powers.size, FRAME_S)
    near_speech = _speech_mask([(s - 0.1, e + 0.1) for s, e in spans], powers.size, FRAME_S)
    pauses = powers[~near_speech]
    if pauses.size * FRAME_S >= NOISE_MIN_PAUSE_S:
        noise, source = float(np.median(pauses)), "pauses"
    else:
        noise, source = float(np.percentile(powers, NOISE_PERCENTILE)), "quietest frames"
    speech_plus_noise = float(powers[in_speech].mean())
    snr = _snr_db(speech_plus_noise, noise)
    bands = band_powers(samples)
    under_speech = _under_speech_snr(bands[_speech_mask(spans, bands.shape[0], NOISE_BAND_FRAME_S)])
    if under_speech < snr:
        snr, source = under_speech, "under the speech"
        noise = speech_plus_noise / (1 + 10 ** (snr / 10))
    return NoiseMeasure(
        snr_db=snr,
        speech_dbfs=10 * math.log10(max(speech_plus_noise, POWER_FLOOR)),
        noise_dbfs=10 * math.log10(max(noise, POWER_FLOOR)),
        noise_from=source,
    )


def _snr_db(speech_plus_noise: float, noise: float) -> float:
    speech = max(speech_plus_noise - noise, POWER_FLOOR)
    return max(SNR_FLOOR_DB, 10 * math.log10(speech / max(noise, POWER_FLOOR)))


def band_powers(samples: Samples) -> np.ndarray:
    """Power in NOISE_BANDS equal bands of 100-6000 Hz, per 32 ms frame: (frames, bands)."""
    return samples.memo("band_powers", lambda: _band_powers(samples.mono, samples.audio_rate))


def _band_powers(mono: np.ndarray, rate: int) -> np.ndarray:
    size = int(rate * NOISE_BAND_FRAME_S)
    count = mono.size // size
    if count == 0:
        return np.zeros((0, NOISE_BANDS))
    window = np.hanning(size).astype(np.float32)
    freqs = np.fft.rfftfreq(size, 1 / rate)
    band = (freqs >= NOISE_BAND_LOW_HZ) & (freqs <= NOISE_BAND_HIGH_HZ)
    edges = np.linspace(0, int(band.sum()), NOISE_BANDS + 1).astype(int)
    powers = np.empty((count, NOISE_BANDS))
    # In blocks of frames: the spectra of an hour at once were ~0.4 GB (issue 13).
    for first in range(0, count, BAND_BLOCK_FRAMES):
        last = min(count, first + BAND_BLOCK_FRAMES)
        frames = mono[first * size : last * size].reshape(-1, size) * window
        spectrum = np.abs(np.fft.rfft(frames, axis=1))[:, band] ** 2
        powers[first:last] = np.add.reduceat(spectrum, edges[:-1], axis=1)
    return powers


def _under_speech_snr(spoken: np.ndarray) -> float:
    """Speech over noise in the spoken frames' bands: the noise of each 1.5 s stretch of speech
    is each band's low percentile there, summed; averaged over the stretches."""
    size = int(round(NOISE_STRETCH_S / NOISE_BAND_FRAME_S))
    if spoken.shape[0] < 2:
        return math.inf
    stretches = np.array_split(spoken, max(1, spoken.shape[0] // size))
    floors = [np.percentile(part, NOISE_BAND_PERCENTILE, axis=0).sum() for part in stretches]
    return _snr_db(float(spoken.sum(axis=1).mean()), float(np.mean(floors)))


def clip_loudness(samples: Samples) -> float:
    """Integrated loudness (LUFS) of the whole clip's sound."""
    return samples.memo(
        "clip_loudness", lambda: integrated_loudness([samples.audio], samples.audio_rate)
    )


@dataclass(frozen=True)
class WindMeasure:
    times: np.ndarray
    low_share: np.ndarray
    low_dbfs: np.ndarray
    gusts: np.ndarray  # frames judged wind
    deep_share: np.ndarray = field(default_factory=lambda: np.zeros(0))  # under WIND_DEEP_HZ


def measure_wind(samples: Samples) -> WindMeasure:
    mono = samples.mono
    rate = samples.audio_rate
    size = int(rate * WIND_FRAME_S)
    count = mono.size // size
    if count == 0:
        empty = np.zeros(0)
        return WindMeasure(empty, empty, empty, np.zeros(0, dtype=bool), empty)
    window = np.hanning(size)
    freqs = np.fft.rfftfreq(size, 1 / rate)
    low_band, all_band = (freqs > 0) & (freqs < WIND_CUTOFF_HZ), freqs > 0
    deep_band = (freqs > 0) & (freqs < WIND_DEEP_HZ)
    share, deep_share, mean_square = np.zeros(count), np.zeros(count), np.zeros(count)
    # In blocks of frames: the spectra of an hour of audio at once took ~1 GB (issue 13).
    for first in range(0, count, WIND_BLOCK_FRAMES):
        last = min(count, first + WIND_BLOCK_FRAMES)
        frames = mono[first * size : last * size].astype(np.float64).reshape(-1, size) * window
        spectrum = np.abs(np.fft.rfft(frames, axis=1)) ** 2
        total = np.maximum(spectrum[:, all_band].sum(axis=1), POWER_FLOOR)
        share[first:last] = spectrum[:, low_band].sum(axis=1) / total
        deep_share[first:last] = spectrum[:, deep_band].sum(axis=1) / total
        mean_square[first:last] = np.mean(frames**2, axis=1)
    # Parseval with the window's power: the low band's share of the frame's mean square.
    window_power = float(np.mean(window**2))
    low_power = share * mean_square / window_power
    low_db = 10 * np.log10(np.maximum(low_power, POWER_FLOOR))
    floor = float(np.percentile(low_db, WIND_FLOOR_PERCENTILE))
    # In speech a gust must rumble lower than a deep voice does; in the pauses the low share is
    # enough (a phone's own high-pass filter can take wind's lowest octave away).
    spoken = _speech_mask(speech_spans(samples), count, WIND_FRAME_S)
    rumble = (share >= WIND_LOW_SHARE) & (~spoken | (deep_share >= WIND_DEEP_SHARE))
    gusts = rumble & (low_db >= WIND_MIN_DBFS) & (low_db >= floor + WIND_BURST_DB)
    return WindMeasure(np.arange(count) * WIND_FRAME_S, share, low_db, gusts, deep_share)


def _no_audio(samples: Samples) -> bool:
    return samples.media.audio is None or samples.audio.size == 0


class AudioMissing(Check):
    id = "audio.missing"
    says = Says("No sound", ADVICE_MISSING, severity="error")

    def run(self, samples: Samples) -> list[Finding]:
        if samples.media.audio is not None:
            return []
        return [
            self.found({"audio_streams": 0})
        ]


class TooQuiet(Check):
    id = "audio.too_quiet"
    says = Says("Speech too quiet", ADVICE_QUIET)

    def run(self, samples: Samples) -> list[Finding]:
        if _no_audio(samples) or speech_seconds(speech_spans(samples)) < SPEECH_MIN_S:
            return []
        loudness = speech_loudness(samples)
        if not math.isfinite(loudness) or loudness >= TOO_QUIET_LUFS:
            return []
        return [
            self.found({"speech_lufs": rounded(loudness, 1), "threshold_lufs": TOO_QUIET_LUFS})
        ]


class Clipping(Check):
    id = "audio.clipping"
    says = Says("Distorted sound", ADVICE_CLIPPING)

    def run(self, samples: Samples) -> list[Finding]:
        events = samples.clip_event_times
        if _no_audio(samples) or len(events) < CLIP_MIN_EVENTS:
            return []
        stretches = flagged_spans(
            events, [True] * len(events), step=0.05, merge_gap=CLIP_MERGE_GAP_S, min_length=0.0
        )
        findings = []
        for start, end in stretches:
            count = sum(1 for t in events if start <= t < end + 0.05)
            if count < CLIP_MIN_EVENTS:
                continue
            findings.append(
                self.found(
                    measured={"clipped_runs": count, "threshold_runs": CLIP_MIN_EVENTS},
                    span=(start, end),
                )
            )
        return findings


class Noisy(Check):
    id = "audio.noisy"
    says = Says("Noisy background", ADVICE_NOISY, fix=Fix.DENOISE_AUDIO)

    def run(self, samples: Samples) -> list[Finding]:
        if _no_audio(samples):
            return []
        measure = measure_noise(samples)
        if measure is None:
            return self._loud_without_speech(samples)
        if measure.snr_db >= NOISY_SNR_DB:
            return []
        return [
            self.found(
                {
                    "snr_db": rounded(measure.snr_db, 1),
                    "speech_dbfs": rounded(measure.speech_dbfs, 1),
                    "noise_dbfs": rounded(measure.noise_dbfs, 1),
                    "noise_from": measure.noise_from,
                    "threshold_snr_db": NOISY_SNR_DB,
                },
            )
        ]

    def _loud_without_speech(self, samples: Samples) -> list[Finding]:
        loudness = clip_loudness(samples)
        if not math.isfinite(loudness) or loudness < LOUD_NOISE_LUFS:
            return []
        return [
            self.found(
                {
                    "loudness_lufs": rounded(loudness, 1),
                    "speech_seconds": rounded(speech_seconds(speech_spans(samples)), 2),
                    "noise_from": "no speech",
                    "threshold_lufs": LOUD_NOISE_LUFS,
                },
                title="Loud noise, no speech",
                advice=ADVICE_LOUD_NOISE,
                repairable=False,  # noise reduction keeps speech; there is none to keep
            )
        ]


class Wind(Check):
    id = "audio.wind"
    says = Says("Wind noise", ADVICE_WIND, fix=Fix.DENOISE_AUDIO)

    def run(self, samples: Samples) -> list[Finding]:
        if _no_audio(samples):
            return []
        measure = measure_wind(samples)
        total = float(measure.gusts.sum()) * WIND_FRAME_S
        if total < WIND_MIN_TOTAL_S:
            return []
        spans = flagged_spans(
            measure.times,
            measure.gusts,
            step=WIND_FRAME_S,
            merge_gap=WIND_MERGE_GAP_S,
            min_length=0.0,
        )
        return [
            self.found(
                {
                    "gust_seconds": rounded(total, 1),
                    "gusts": len(spans),
                    "low_frequency_share": rounded(measure.low_share[measure.gusts].mean(), 2),
                    "gust_dbfs": rounded(measure.low_dbfs[measure.gusts].mean(), 1),
                },
                span=(spans[0][0], spans[-1][1]),
            )
        ]


class NoSpeech(Check):
    id = "speech.none"
    says = Says("No one speaks", ADVICE_NO_SPEECH)

    def run(self, samples: Samples) -> list[Finding]:
        if _no_audio(samples):
            return []  # audio.missing says it better
        if samples.transcript is not None:
            words = len(samples.transcript.words)
            if words:
                return []
            measured: dict = {"words": 0, "source": "transcript"}
        else:
            seconds = speech_seconds(speech_spans(samples))
            if seconds >= SPEECH_MIN_S:
                return []
            measured = {"speech_seconds": rounded(seconds, 2), "source": "voice detection"}
        return [
            self.found(measured)
        ]
