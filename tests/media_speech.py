"""Speech test media: espeak-ng phrases laid on a timeline with known silences between them.

Built on `MediaFactory` (tests/media.py); the cache key is the recipe, so clips are made once.
Onsets are measured from the synthesised audio itself (the first sample above a threshold), not
assumed, because espeak-ng pads each phrase with a little silence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from media import SENTENCES, MediaFactory, run_ffmpeg

# Speech starts this long after the clip starts (leading silence the auto-trim must drop).
LEAD_SILENCE_S = 1.0
# An espeak sample counts as voice above this amplitude (full scale 1.0); espeak's padding is 0.
ONSET_THRESHOLD = 0.01
# Phrases short enough that each becomes one caption; separated by silences > pause_split.
PHRASES = [
    "Vote on Thursday.",
    "Bring a friend with you.",
    "Save our library.",
    "Thank you for listening.",
]
# More campaign speech for the 60 s clip (bench and auto-trim).
LONG_SENTENCES = [
    *SENTENCES,
    "Our town deserves clean streets, safe parks and buses that run on time.",
    "I have lived here for twenty years and I have never seen the council listen so little.",
    "That is why I am standing for election this spring.",
    "If you agree, share this video with your neighbours and tell them why it matters.",
    "Together we can make a real difference for the people who live here.",
]


@dataclass(frozen=True)
class SpeechClip:
    path: Path
    phrases: tuple[str, ...]
    onsets: tuple[float, ...]  # first audible sample of each phrase, seconds
    offsets: tuple[float, ...]  # last audible sample of each phrase, seconds
    duration: float


def _wav_samples(path: Path) -> tuple[np.ndarray, int]:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        rate = stream.rate
        chunks = [frame.to_ndarray().reshape(-1) for frame in container.decode(stream)]
    samples = np.concatenate(chunks).astype(np.float32)
    if samples.dtype.kind == "i" or np.abs(samples).max() > 2:
        samples = samples / 32768.0
    return samples, rate


def _voice_span(wav: Path) -> tuple[float, float, float]:
    """(first voiced second, last voiced second, total seconds) of a WAV."""
    samples, rate = _wav_samples(wav)
    voiced = np.flatnonzero(np.abs(samples) > ONSET_THRESHOLD)
    return float(voiced[0] / rate), float(voiced[-1] / rate), len(samples) / rate


def phrase_clip(
    media: MediaFactory,
    phrases: Sequence[str] = tuple(PHRASES),
    gap: float | Sequence[float] = 1.5,
    *,
    tail: float = 1.5,
    size: str = "640x360",
    words_per_minute: int = 150,
    music_before: float = 0.0,
) -> SpeechClip:
    """A steady picture with `phrases` spoken one after another, `gap` s of silence between
    them, LEAD_SILENCE_S before the first (or `music_before` s of tones), `tail` s after.
    `gap` may also give the silence after each phrase but the last, one by one."""
    wavs = [media.speech(text, words_per_minute) for text in phrases]
    gaps = [gap] * (len(phrases) - 1) if isinstance(gap, int | float) else list(gap)
    assert len(gaps) == len(phrases) - 1, "one gap after each phrase but the last"
    pads = [*gaps, tail]
    spans = [_voice_span(wav) for wav in wavs]
    lead = music_before if music_before > 0 else LEAD_SILENCE_S
    onsets, offsets = [], []
    t = lead
    for (first, last, total), pad in zip(spans, pads, strict=True):
        onsets.append(t + first)
        offsets.append(t + last)
        t += total + pad
    duration = t

    def build(tmp: Path) -> None:
        inputs: list[str] = []
        parts: list[str] = []
        for index, wav in enumerate(wavs):
            inputs += ["-i", str(wav)]
            pad = pads[index]
            parts.append(f"[{index}:a]apad=pad_dur={pad}[s{index}]")
        if music_before > 0:
            # A chord of three tones with a tremolo: music-like, not speech.
            lead_source = (
                f"aevalsrc='0.2*sin(2*PI*262*t)+0.2*sin(2*PI*330*t)+0.2*sin(2*PI*392*t)"
                f"*(0.6+0.4*sin(2*PI*3*t))':s=48000:d={music_before}[lead]"
            )
        else:
            lead_source = f"anullsrc=r=48000:cl=mono:d={LEAD_SILENCE_S}[lead]"
        concat = "".join(f"[s{i}]" for i in range(len(wavs)))
        graph = ";".join(
            [lead_source, *parts, f"[lead]{concat}concat=n={len(wavs) + 1}:v=0:a=1[a]"]
        )
        audio = tmp.with_name(tmp.stem + ".audio.wav")
        run_ffmpeg([*inputs, "-filter_complex", graph, "-map", "[a]", "-ac", "1", str(audio)])
        run_ffmpeg([
            "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=30", "-i", str(audio),
            "-shortest", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "128k", str(tmp),
        ])  # fmt: skip
        audio.unlink()

    shown_gap = gap if isinstance(gap, int | float) else ",".join(f"{g:g}" for g in gaps)
    key = "|".join(w.name for w in wavs) + f"|{shown_gap}|{tail}|{size}|{music_before}"
    path = media.built("phrases", key, build)
    return SpeechClip(path, tuple(phrases), tuple(onsets), tuple(offsets), duration)


def sentences_clip(media: MediaFactory, gap: float = 1.5) -> SpeechClip:
    """The three SENTENCES of tests/media.py with `gap` s between them (about 15 s)."""
    return phrase_clip(media, SENTENCES, gap)


def long_speech_clip(media: MediaFactory) -> SpeechClip:
    """About 60 s of campaign speech in a small picture: the bench clip and auto-trim input."""
    sentences = LONG_SENTENCES + LONG_SENTENCES[3:5]
    return phrase_clip(media, sentences, gap=1.2, tail=2.0, size="320x180")
