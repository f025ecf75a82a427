"""Speech to words with timings, offline: faster-whisper (default) or openai-whisper (optional).

Both engines get the same 16 kHz samples from `decode_audio` and give back the same Transcript.
Word starts and ends are then checked against the audio's own energy, words lost to word
timestamps put back and words in another script dropped (speech/cleanup.py). Captions in
British English ("en_GB") get British spelling (speech/spelling.py).
"""

from __future__ import annotations

import functools
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from clipstudio.core.errors import BadInputError
from clipstudio.core.progress import CancelToken, ProgressCallback, no_progress, scaled
from clipstudio.core.speech.audio import (
    WHISPER_SAMPLE_RATE,
    decode_audio_range,
)
from clipstudio.core.speech.cleanup import (
    in_language_script,
    recover_missing_words,
    refine_word_timings,
)
from clipstudio.core.speech.disfluency import VERBATIM_HINT, fit_to_voice, place_fillers
from clipstudio.core.speech.models import ModelRef, import_openai_whisper, resolve_model
from clipstudio.core.speech.spelling import british_spelling, wants_british_spelling
from clipstudio.core.speech.types import Transcript, Word
from clipstudio.core.vocabulary import DEFAULT_ENGINE, Engine

# Settings shared by our faster-whisper call and the benchmark's bare call (bench_transcribe.py).
# VAD keeps Whisper from inventing words over silence and music; not conditioning on the previous
# text stops one hallucinated phrase from repeating through the rest of the clip.
FASTER_WHISPER_OPTIONS: dict[str, Any] = {
    "vad_filter": True,
    "word_timestamps": True,
    "condition_on_previous_text": False,
}
FASTER_WHISPER_COMPUTE = {"device": "cpu", "compute_type": "int8"}  # no GPU on volunteers' laptops
# Share of the work that decoding the audio takes (measured: ~0.1 s of ~1.2 s for 17 s of speech).
DECODE_SHARE = 0.1


class Transcriber(Protocol):
    """Anything that turns a media file into a Transcript."""

    @property
    def engine(self) -> str: ...

    model_label: str

    def transcribe(
        self,
        path: str | Path,
        *,
        language: str = "en",
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        verbatim: bool = False,
        start: float = 0.0,
        end: float | None = None,
    ) -> Transcript: ...


def whisper_language(language: str) -> str:
    """Whisper wants "en"; users and Facebook say "en_GB" or "en-GB"."""
    code = language.replace("-", "_").split("_")[0].strip().lower()
    if not code.isalpha() or not 2 <= len(code) <= 3:
        raise BadInputError(f"not a language code: {language!r} (try en, fr, de)")
    return code


def get_transcriber(engine: str = DEFAULT_ENGINE, model: str | None = None) -> Transcriber:
    """The transcriber for `engine`/`model` (see models.resolve_model); loads lazily, once."""
    ref = resolve_model(engine, model)
    if ref.engine is Engine.FASTER_WHISPER:
        return FasterWhisperTranscriber(ref)
    return OpenAIWhisperTranscriber(ref)


def transcribe_file(
    path: str | Path,
    *,
    engine: str = DEFAULT_ENGINE,
    model: str | None = None,
    language: str = "en",
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    verbatim: bool = False,
) -> Transcript:
    """One call by name, so it can run in a child process (clipstudio.core.isolate)."""
    transcriber = get_transcriber(engine, model)
    return transcriber.transcribe(path, language=language, progress=progress, cancel=cancel,
                                  verbatim=verbatim)  # fmt: skip


class _WhisperTranscriber:
    """What both engines share: decode once with PyAV, load the model, refine onsets."""

    engine = ""

    def __init__(self, ref: ModelRef) -> None:
        self.ref = ref
        self.model_label = ref.label

    def transcribe(
        self,
        path: str | Path,
        *,
        language: str = "en",
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        verbatim: bool = False,
        start: float = 0.0,
        end: float | None = None,
    ) -> Transcript:
        """Words of `path` in the source's own time: of its `start`..`end` seconds only, when
        given (an export of a long recording transcribes what it can keep). `verbatim` also
        writes the fillers and false starts (to find and cut them: core/speech/disfluency.py),
        each filler on the burst of voice it is."""
        progress = progress or no_progress
        code = whisper_language(language)
        audio, offset = decode_audio_range(path, start, end, cancel)
        duration = len(audio) / WHISPER_SAMPLE_RATE
        progress(DECODE_SHARE)
        model = self._load(str(self.ref.location))
        if cancel is not None:
            cancel.raise_if_cancelled()
        words: list[Word] = []
        if duration > 0:
            report = scaled(progress, DECODE_SHARE, 1.0)
            words = self._words(model, audio, code, duration, report, cancel, verbatim)
        progress(1.0)
        refined = tuple(refine_word_timings(in_language_script(words, code), audio))
        if verbatim:
            refined = place_fillers(refined, audio, WHISPER_SAMPLE_RATE)
            refined = fit_to_voice(refined, audio, WHISPER_SAMPLE_RATE)
        if wants_british_spelling(language):
            refined = tuple(british_spelling(refined))
        if offset:
            refined = tuple(replace(w, start=w.start + offset, end=w.end + offset) for w in refined)
        return Transcript(
            words=refined,
            language=code,
            duration=duration + offset,
            engine=self.engine,
            model=self.model_label,
        )

    def _load(self, location: str) -> Any:
        raise NotImplementedError

    def _words(
        self,
        model: Any,
        audio: np.ndarray,
        code: str,
        duration: float,
        report: ProgressCallback,
        cancel: CancelToken | None,
        verbatim: bool,
    ) -> list[Word]:
        raise NotImplementedError


class FasterWhisperTranscriber(_WhisperTranscriber):
    engine = Engine.FASTER_WHISPER

    def _load(self, location: str) -> Any:
        return _load_faster_whisper(location)

    def _words(self, model, audio, code, duration, report, cancel, verbatim):  # noqa: ANN001, ANN202
        words: list[Word] = []
        # `hotwords` goes before every 30 s window; initial_prompt only before the first.
        hint = {"hotwords": VERBATIM_HINT} if verbatim else {}
        segments, _info = model.transcribe(audio, language=code, **FASTER_WHISPER_OPTIONS, **hint)
        # The generator does the work segment by segment: poll cancel between segments.
        for segment in segments:
            if cancel is not None:
                cancel.raise_if_cancelled()
            timed = [
                Word(w.word, float(w.start), float(w.end), float(w.probability))
                for w in segment.words or []
            ]
            words.extend(recover_missing_words(segment.text, timed, segment.start, segment.end))
            report(segment.end / duration)
        return words


class OpenAIWhisperTranscriber(_WhisperTranscriber):
    engine = Engine.OPENAI_WHISPER

    def _load(self, location: str) -> Any:
        return _load_openai_whisper(location)

    def _words(self, model, audio, code, duration, report, cancel, verbatim):  # noqa: ANN001, ANN202
        # openai-whisper runs the whole file in one call: it can only be cancelled around it.
        hint = {"initial_prompt": VERBATIM_HINT, "carry_initial_prompt": True} if verbatim else {}
        result = model.transcribe(
            audio,
            language=code if model.is_multilingual else None,
            word_timestamps=True,
            condition_on_previous_text=False,
            fp16=False,  # CPU
            verbose=None,
            **hint,
        )
        if cancel is not None:
            cancel.raise_if_cancelled()
        words: list[Word] = []
        for segment in result.get("segments", []):
            timed = [
                Word(str(w["word"]), float(w["start"]), float(w["end"]), float(w["probability"]))
                for w in segment.get("words", [])
            ]
            words.extend(recover_missing_words(str(segment.get("text", "")), timed,
                                               float(segment["start"]), float(segment["end"])))  # fmt: skip
        return words


_load_lock = threading.Lock()


@functools.lru_cache(maxsize=2)
def _load_faster_whisper_unlocked(location: str) -> Any:
    from faster_whisper import WhisperModel

    try:
        return WhisperModel(location, **FASTER_WHISPER_COMPUTE)
    except (RuntimeError, ValueError, OSError) as exc:
        raise BadInputError(f"cannot load the speech model {location}: {exc}") from exc


def _load_faster_whisper(location: str) -> Any:
    """Loading takes ~0.5 s and 100+ MB: once per process per model (GUI and tests reuse it)."""
    with _load_lock:
        return _load_faster_whisper_unlocked(location)


@functools.lru_cache(maxsize=2)
def _load_openai_whisper_unlocked(location: str) -> Any:
    whisper = import_openai_whisper()
    try:
        return whisper.load_model(location, device="cpu")
    except (RuntimeError, KeyError, OSError, ValueError) as exc:
        raise BadInputError(f"cannot load the openai-whisper checkpoint {location}: {exc}") from exc


def _load_openai_whisper(location: str) -> Any:
    with _load_lock:
        return _load_openai_whisper_unlocked(location)
