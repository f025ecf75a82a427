"""What `clipstudio transcribe` does, kept out of cli.py so the CLI stays argument parsing only."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from clipstudio.core.errors import BadInputError
from clipstudio.core.export.presets import DEFAULT_PRESET, PRESETS
from clipstudio.core.progress import ProgressCallback, no_progress
from clipstudio.core.speech.layout import build_captions
from clipstudio.core.speech.subtitles import format_srt, write_ass, write_srt, write_vtt
from clipstudio.core.speech.transcribe import get_transcriber
from clipstudio.core.speech.types import Caption, CaptionStyle, Transcript

OUTPUT_SUFFIXES = (".srt", ".vtt", ".ass", ".json")


def transcript_to_dict(transcript: Transcript, captions: list[Caption]) -> dict[str, Any]:
    """Every word with its timing and probability, plus the captions made from them."""
    return {
        "engine": transcript.engine,
        "model": transcript.model,
        "language": transcript.language,
        "duration": round(transcript.duration, 3),
        "text": transcript.text,
        "words": [
            {
                "text": w.text.strip(),
                "start": round(w.start, 3),
                "end": round(w.end, 3),
                "probability": round(w.probability, 4),
            }
            for w in transcript.words
        ],
        "captions": [{"start": c.start, "end": c.end, "lines": list(c.lines)} for c in captions],
    }


def _frame_size(clip: Path) -> tuple[int, int]:
    """The clip's displayed size (after rotation), or the default preset's for audio files."""
    from clipstudio.core.media.probe import probe

    info = probe(clip)
    if info.video is not None:
        return info.video.display_width, info.video.display_height
    preset = PRESETS[DEFAULT_PRESET]
    return preset.width, preset.height


def transcribe_command(
    clip: Path,
    output: Path | None,
    engine: str,
    model: str | None,
    language: str,
    progress: ProgressCallback = no_progress,
) -> int:
    """Transcribe `clip` and write captions: SRT on stdout, or a file chosen by its suffix."""
    suffix = output.suffix.lower() if output is not None else ".srt"
    if suffix not in OUTPUT_SUFFIXES:
        raise BadInputError(
            f"cannot write {suffix or 'a file without a suffix'}: use {', '.join(OUTPUT_SUFFIXES)}"
        )
    if not Path(clip).is_file():
        raise BadInputError(f"no such file: {clip}")
    if output is not None and not output.parent.exists():
        raise BadInputError(f"the folder {output.parent} does not exist")
    transcriber = get_transcriber(engine, model)
    transcript = transcriber.transcribe(clip, language=language, progress=progress)
    captions = build_captions(transcript.words)
    if output is None:
        sys.stdout.write(format_srt(captions))
        return 0
    if suffix == ".srt":
        write_srt(captions, output)
    elif suffix == ".vtt":
        write_vtt(captions, output)
    elif suffix == ".ass":
        width, height = _frame_size(clip)
        write_ass(
            captions,
            output,
            width=width,
            height=height,
            style=CaptionStyle(),
            bottom_unsafe_fraction=PRESETS[DEFAULT_PRESET].bottom_unsafe_fraction,
        )
    else:
        data = transcript_to_dict(transcript, captions)
        output.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0
