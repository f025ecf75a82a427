"""Subtitle files: SRT/VTT sidecars, ASS for burning in, and reading the user's edited files.

SRT and VTT are written here rather than through pysubs2: pysubs2 treats `{...}` in the text as
ASS override tags and drops it, so a caption the user typed with braces would lose words.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pysubs2

from clipstudio.core.branding.kit import BrandKit
from clipstudio.core.errors import BadInputError
from clipstudio.core.export.contrast import readable_on_box
from clipstudio.core.export.layout import SHADOW_FRACTION, box_alpha, box_opacity, caption_box
from clipstudio.core.export.presets import PRESETS, Preset
from clipstudio.core.files import read_limited
from clipstudio.core.speech.types import Caption, CaptionStyle, Transcript
from clipstudio.core.vocabulary import DEFAULT_SHAPE, CaptionPosition
from clipstudio.resources import CAPTION_FONT_NAME

# Facebook's uploader wants NAME.language_COUNTRY.srt; bare languages get their usual country.
DEFAULT_COUNTRY = {
    "en": "GB", "fr": "FR", "de": "DE", "es": "ES", "it": "IT", "nl": "NL", "pt": "PT",
    "pl": "PL", "sv": "SE", "da": "DK", "fi": "FI", "nb": "NO", "no": "NO", "ga": "IE",
    "cy": "GB", "gd": "GB", "el": "GR", "cs": "CZ", "hu": "HU", "ro": "RO", "ja": "JP",
    "zh": "CN", "ko": "KR", "ar": "AR", "tr": "TR", "uk": "UA", "ru": "RU",
}  # fmt: skip
# Unicode WORD JOINER: placed after a user's backslash so "\N", "\h" never become ASS escapes.
WORD_JOINER = "\u2060"
# ASS times are in centiseconds: a span shorter than one tick cannot be shown.
ASS_TICK_S = 0.01
# The highlight colour when no brand kit is given: the default kit's accent.
DEFAULT_ACCENT = BrandKit().accent_colour
_HTML_TAG = re.compile(r"</?(?:i|b|u|s|font)(?:\s[^>]*)?>", re.IGNORECASE)


def sidecar_path(video: Path, language: str = "en_GB") -> Path:
    """NAME.language_COUNTRY.srt beside `video` ("en" becomes "en_GB"; "fr_FR" is kept)."""
    return Path(video).with_name(f"{Path(video).stem}.{facebook_language(language)}.srt")


def facebook_language(language: str) -> str:
    parts = language.replace("-", "_").split("_")
    code = parts[0].lower()
    if not code.isalpha():
        raise BadInputError(f"not a language code: {language!r} (try en_GB)")
    country = parts[1].upper() if len(parts) > 1 and parts[1] else DEFAULT_COUNTRY.get(code, "")
    if not country:
        raise BadInputError(f"add the country to the language, e.g. {code}_{code.upper()}")
    return f"{code}_{country}"


# --- SRT / VTT ---------------------------------------------------------------------------------


def _timestamp(seconds: float, separator: str) -> str:
    ms = max(0, round(seconds * 1000))
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _clean_lines(caption: Caption) -> list[str]:
    # A blank line would end the cue early in SRT/VTT: never write one inside a cue.
    return [line.strip() for line in caption.lines if line.strip()]


def format_srt(captions: Sequence[Caption]) -> str:
    blocks = []
    for index, caption in enumerate(c for c in captions if _clean_lines(c)):
        times = f"{_timestamp(caption.start, ',')} --> {_timestamp(caption.end, ',')}"
        blocks.append("\n".join([str(index + 1), times, *_clean_lines(caption)]))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def write_srt(captions: Sequence[Caption], path: Path) -> None:
    Path(path).write_text(format_srt(captions), encoding="utf-8")


def write_vtt(captions: Sequence[Caption], path: Path) -> None:
    blocks = ["WEBVTT"]
    for caption in captions:
        lines = [line.replace("-->", "->") for line in _clean_lines(caption)]
        if lines:
            times = f"{_timestamp(caption.start, '.')} --> {_timestamp(caption.end, '.')}"
            blocks.append("\n".join([times, *lines]))
    Path(path).write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


# The files `transcribe -o` can write, by suffix.
CAPTION_FILE_SUFFIXES = (".srt", ".vtt", ".ass", ".json")


def check_caption_file_suffix(path: Path | None) -> str:
    """The suffix of a caption file we can write (".srt" for stdout), or a plain error."""
    suffix = path.suffix.lower() if path is not None else ".srt"
    if suffix not in CAPTION_FILE_SUFFIXES:
        raise BadInputError(
            f"cannot write {suffix or 'a file without a suffix'}:"
            f" use {', '.join(CAPTION_FILE_SUFFIXES)}"
        )
    return suffix


def transcript_to_dict(transcript: Transcript, captions: Sequence[Caption]) -> dict[str, Any]:
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
        "captions": [
            {
                "start": c.start,
                "end": c.end,
                "lines": list(c.lines),
                "words": [{"text": w.text, "start": w.start, "end": w.end} for w in c.words],
            }
            for c in captions
        ],
    }


def write_caption_file(
    path: Path,
    captions: Sequence[Caption],
    transcript: Transcript,
    frame: tuple[int, int],
) -> None:
    """Captions as the file `path`'s suffix asks for; `frame` is the picture's size (for ASS)."""
    suffix = check_caption_file_suffix(path)
    if suffix == ".srt":
        write_srt(captions, path)
    elif suffix == ".vtt":
        write_vtt(captions, path)
    elif suffix == ".ass":
        width, height = frame
        write_ass(captions, path, width=width, height=height, style=CaptionStyle(),
                  preset=PRESETS[DEFAULT_SHAPE])  # fmt: skip
    else:
        data = transcript_to_dict(transcript, captions)
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


# A caption file for footage of an hour is ~100 kB; 5 MB is far past any real one, and a file
# of 300 000 stacked cues (12 MB) kept libass busy for minutes on one frame.
MAX_SUBTITLE_BYTES = 5_000_000
# After overlaps are repaired, a cue shorter than one frame at 24 fps cannot be seen at all.
MIN_CUE_S = 1 / 24
# A timestamp written with a minus sign ("-00:00:01,000"): parsers read it as +1 s.
_NEGATIVE_TIMESTAMP = re.compile(
    r"(?<![\d:])-\s*(\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?|\d{1,2}:\d{2}[.,]\d{1,3})"
)
# Share of NUL bytes that says "UTF-16 without a byte-order mark" (ASCII text in UTF-16 is half
# NULs; UTF-8 text has none).
UTF16_NUL_SHARE = 0.2


@dataclass(frozen=True)
class SubtitleFile:
    """Captions read from the user's file, and what had to be repaired to use them."""

    captions: tuple[Caption, ...]
    notes: tuple[str, ...] = ()


def read_subtitles(path: Path) -> list[Caption]:
    """Captions from an SRT, VTT or ASS file (e.g. one the user corrected), in time order."""
    return list(read_subtitle_file(path).captions)


def read_subtitle_file(path: Path) -> SubtitleFile:
    """Captions from a caption file, decoded whatever Notepad or a subtitle editor saved it as,
    with negative times moved to 0 and overlapping cues shortened (notes say so); refuses a
    file with no captions in plain words."""
    path = Path(path)
    text = decode_text(read_limited(path, MAX_SUBTITLE_BYTES, "caption file"))
    text, negatives = _NEGATIVE_TIMESTAMP.subn("00:00:00.000", text)
    if not text.strip():
        raise BadInputError(f"{path.name} is empty: there are no captions in it")
    try:
        subs = pysubs2.SSAFile.from_string(text, keep_html_tags=True)
    except (pysubs2.exceptions.Pysubs2Error, ValueError, KeyError, IndexError):
        raise BadInputError(
            f"{path.name} is not a caption file Clip Studio can read (use SRT, VTT or ASS)"
        ) from None
    is_ass = subs.format in ("ass", "ssa")
    captions: list[Caption] = []
    for event in subs:
        if event.is_comment or event.end <= event.start:
            continue
        text = unescape_ass_text(event.text) if is_ass else _srt_text(event.text)
        lines = tuple(line.strip() for line in text.split("\n") if line.strip())
        if lines:
            captions.append(Caption(event.start / 1000, event.end / 1000, lines))
    if not captions:
        raise BadInputError(f"{path.name} has no captions with text and times in it")
    repaired, notes = repair_overlaps(captions)
    if negatives:
        notes.insert(0, f"{negatives} caption time(s) before 0:00 in {path.name} now start at 0:00")
    return SubtitleFile(tuple(repaired), tuple(notes))


def decode_text(data: bytes) -> str:
    """Text in whatever encoding a caption file was saved in: a byte-order mark first (UTF-8,
    UTF-16), then UTF-8, UTF-16 without a mark, and Windows-1252 / Latin-1 last (which read any
    byte, so old Western-European files come out right)."""
    for mark, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                           (codecs.BOM_UTF16_BE, "utf-16-be")):  # fmt: skip
        if data.startswith(mark):
            return data[len(mark) :].decode(encoding, errors="replace")
    with contextlib.suppress(UnicodeDecodeError):
        return data.decode("utf-8")
    if data and data.count(0) / len(data) > UTF16_NUL_SHARE:
        little_endian = data[1::2].count(0) > data[0::2].count(0)
        return data.decode("utf-16-le" if little_endian else "utf-16-be", errors="replace")
    with contextlib.suppress(UnicodeDecodeError):
        return data.decode("cp1252")
    return data.decode("latin-1")


def repair_overlaps(captions: Sequence[Caption]) -> tuple[list[Caption], list[str]]:
    """Captions in time order with no two on screen at once (libass stacks overlapping cues,
    and hundreds of thousands of them kept it on one frame for minutes): a cue that overlaps
    the next ends where the next begins; one left shorter than a frame is dropped."""
    ordered = sorted(captions, key=lambda c: (c.start, c.end))
    kept: list[Caption] = []
    shortened = dropped = 0
    for index, caption in enumerate(ordered):
        following = ordered[index + 1].start if index + 1 < len(ordered) else math.inf
        end = min(caption.end, following)
        if end - caption.start < MIN_CUE_S:
            dropped += 1
            continue
        if end < caption.end:
            shortened += 1
            caption = Caption(caption.start, end, caption.lines)
        kept.append(caption)
    notes = []
    if shortened:
        notes.append(f"{shortened} caption(s) overlapped the next and now end where it starts")
    if dropped:
        notes.append(f"{dropped} caption(s) hidden under the next one were left out")
    return kept, notes


def _srt_text(text: str) -> str:
    # pysubs2 stores SRT line breaks as \N; HTML styling tags are not caption text.
    return _HTML_TAG.sub("", text).replace(r"\N", "\n")


# --- ASS for burning in ------------------------------------------------------------------------


def escape_ass_text(text: str) -> str:
    """User text as ASS event text that libass draws literally: braces can never open an
    override block and a backslash can never start an escape such as \\N."""
    out: list[str] = []
    for ch in text:
        if ch == "\\":
            out.append("\\" + WORD_JOINER)
        elif ch in "{}":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append(r"\N")
        else:
            out.append(ch)
    return "".join(out)


def unescape_ass_text(text: str) -> str:
    """The text an ASS event shows: override blocks dropped, escapes turned back into text
    (the inverse of escape_ass_text for text it wrote)."""
    out: list[str] = []
    index = 0
    while index < len(text):
        ch = text[index]
        following = text[index + 1] if index + 1 < len(text) else ""
        if ch == "{":
            close = text.find("}", index)
            index = len(text) if close < 0 else close + 1
            continue
        if ch == "\\" and following in ("N", "n"):
            out.append("\n")
        elif ch == "\\" and following == "h":
            out.append("\u00a0")
        elif ch == "\\" and following in ("{", "}"):
            out.append(following)
        elif ch == "\\" and following == WORD_JOINER:
            out.append("\\")
        else:
            out.append(ch)
            index += 1
            continue
        index += 2
    return "".join(out)


def build_ass(
    captions: Sequence[Caption],
    *,
    width: int,
    height: int,
    style: CaptionStyle,
    preset: Preset,
    accent: str = DEFAULT_ACCENT,
) -> pysubs2.SSAFile:
    """Captions as ASS events at output pixels. The highlight look shows each caption as the
    box look does, with the word being spoken in `accent` (lightened if it would not read)."""
    box = caption_box(preset, width, height, style)
    boxed = style.background.boxed
    alpha = box_alpha(style.background)
    subs = pysubs2.SSAFile()
    subs.info["PlayResX"] = str(width)
    subs.info["PlayResY"] = str(height)
    subs.info["WrapStyle"] = "0"  # smart wrapping only as a safety net: lines come pre-broken
    subs.info["ScaledBorderAndShadow"] = "yes"
    subs.styles["Default"] = pysubs2.SSAStyle(
        fontname=CAPTION_FONT_NAME,
        fontsize=box.font_size,
        primarycolor=pysubs2.Color(255, 255, 255, 0),
        secondarycolor=pysubs2.Color(255, 255, 255, 0),
        # libass paints the BorderStyle=3 box in the outline colour.
        outlinecolor=pysubs2.Color(0, 0, 0, alpha if boxed else 0),
        backcolor=pysubs2.Color(0, 0, 0, alpha if boxed else 0x80),
        bold=True,
        borderstyle=3 if boxed else 1,
        outline=round(box.padding if boxed else box.outline, 1),
        shadow=0 if boxed else round(box.font_size * SHADOW_FRACTION, 1),
        alignment=(
            pysubs2.Alignment.TOP_CENTER if box.position is CaptionPosition.TOP
            else pysubs2.Alignment.BOTTOM_CENTER
        ),
        marginl=box.margin_side,
        marginr=box.margin_side,
        marginv=box.margin_v,
    )  # fmt: skip
    colour = readable_on_box(accent, box_opacity(style.background))
    for caption in captions:
        lines = _clean_lines(caption)
        if not lines:
            continue
        if not (style.background.highlights_words and caption.has_word_timings):
            subs.append(_event(caption.start, caption.end, escape_ass_text("\n".join(lines))))
            continue
        for start, end, spoken in highlight_spans(caption):
            subs.append(_event(start, end, _highlighted(lines, spoken, colour)))
    return subs


def _event(start: float, end: float, text: str) -> pysubs2.SSAEvent:
    return pysubs2.SSAEvent(start=round(start * 1000), end=round(end * 1000), text=text)


def highlight_spans(caption: Caption) -> list[tuple[float, float, int | None]]:
    """The caption's time cut into spans with the index of the word being spoken (None before
    the first word and after the last): a word stays lit until the next one starts."""
    spans: list[tuple[float, float, int | None]] = []
    t = caption.start
    words = caption.words
    for index, word in enumerate(words):
        start = min(max(word.start, t), caption.end)
        following = words[index + 1].start if index + 1 < len(words) else word.end
        end = min(max(following, start), caption.end)
        if start > t:
            spans.append((t, start, None))
        if end > start:
            spans.append((start, end, index))
        t = max(t, end)
    if caption.end > t:
        spans.append((t, caption.end, None))
    return [span for span in spans if span[1] - span[0] >= ASS_TICK_S]


def _highlighted(lines: Sequence[str], spoken: int | None, colour: str) -> str:
    """ASS text of `lines` with word number `spoken` in `colour` (user text escaped)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    tag = f"{{\\1c&H{blue:02X}{green:02X}{red:02X}&}}"
    out: list[str] = []
    index = 0
    for line in lines:
        tokens = []
        for token in line.split():
            text = escape_ass_text(token)
            tokens.append(f"{tag}{text}{{\\r}}" if index == spoken else text)
            index += 1
        out.append(" ".join(tokens))
    return r"\N".join(out)


def write_ass(
    captions: Sequence[Caption],
    path: Path,
    *,
    width: int,
    height: int,
    style: CaptionStyle,
    preset: Preset,
    accent: str = DEFAULT_ACCENT,
) -> None:
    """An ASS file for ffmpeg's subtitles filter (libass) with PlayRes = the output size, so
    font size and margins are exact pixels. Pass the bundled fonts folder as `fontsdir`."""
    subs = build_ass(
        captions, width=width, height=height, style=style, preset=preset, accent=accent
    )
    subs.save(str(path), format_="ass", encoding="utf-8")
