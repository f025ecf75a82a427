"""What the command line prints: progress bars, JSON, and the plain-words descriptions."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clipstudio.core.branding.kit import BrandKit
    from clipstudio.core.media.probe import MediaInfo, VideoInfo


def print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, default=str))


def say(message: str) -> None:
    """A line of what the core is doing, on stderr so stdout stays the result."""
    print(message, file=sys.stderr)


def progress_bar(label: str, enabled: bool = True) -> Callable[[float], None]:
    """A one-line progress bar on stderr with time remaining; silent when stderr is not a tty."""
    from clipstudio.core.process import EtaClock

    clock = EtaClock()
    show = enabled and sys.stderr.isatty()
    last = [-1]

    def report(fraction: float) -> None:
        percent = int(fraction * 100)
        if not show or percent == last[0]:
            return
        last[0] = percent
        remaining = clock.remaining(fraction)
        eta = f"  {remaining:4.0f} s left" if remaining is not None else ""
        bar = "#" * (percent // 4)
        end = "\n" if percent >= 100 else ""
        print(f"\r{label} [{bar:<25}] {percent:3d}%{eta}", end=end, file=sys.stderr, flush=True)

    return report


def probe_lines(info: MediaInfo) -> list[str]:
    lines = [f"{info.path}: {info.container}, {info.duration:.2f} s, {info.size_bytes} bytes"]
    if info.video:
        v = info.video
        lines.append(
            f"  video: {v.codec} {v.profile or ''} {v.coded_width}x{v.coded_height}"
            f" rotation {v.rotation} -> {v.display_width}x{v.display_height} {v.orientation},"
            f" {_rate(v.frame_rate)} fps{' (variable)' if v.is_vfr else ''}, {v.pix_fmt},"
            f" {v.bit_depth}-bit, {v.color_range} range, {v.color_matrix}"
            f"{', HDR ' + v.hdr_format if v.hdr_format else ''}"
        )
    else:
        lines.append("  video: none")
    if info.audio:
        a = info.audio
        lines.append(f"  audio: {a.codec}, {a.sample_rate} Hz, {a.channels} channel(s)")
    else:
        lines.append("  audio: none")
    lines += [f"  - {note}" for note in media_notes(info)]
    return lines


def _rate(rate: Fraction) -> str:
    """30 as "30", 30000/1001 as "29.97 (30000/1001)"."""
    if rate.denominator == 1:
        return str(rate.numerator)
    return f"{float(rate):.3f}".rstrip("0").rstrip(".") + f" ({rate})"


def media_notes(info: MediaInfo) -> list[str]:
    """What a volunteer's file is, in plain words, and what the export makes of it."""
    from clipstudio.core.edit.limits import MIN_KEPT_S
    from clipstudio.core.export.presets import output_fps

    notes: list[str] = []
    if info.duration < MIN_KEPT_S:
        notes.append(f"only {info.duration:.2f} s long: too short to export (at least"
                     f" {MIN_KEPT_S:g} s)")  # fmt: skip
    v = info.video
    if v is not None:
        notes += _picture_notes(v)
        out = output_fps(v.frame_rate)
        if v.capture_frame_rate and v.capture_frame_rate > float(v.frame_rate):
            notes.append(f"slow-motion capture at {v.capture_frame_rate:g} fps, stored to play at"
                         f" {_rate(v.frame_rate)} fps: exported as it plays")  # fmt: skip
        elif v.capture_frame_rate:
            notes.append(f"high-speed capture at {v.capture_frame_rate:g} fps: exported at"
                         f" {_rate(out)} fps, at normal speed")  # fmt: skip
        elif v.is_vfr:
            notes.append(f"the phone varied the frame rate (median {v.real_frame_rate:g} fps):"
                         f" exported at a steady {_rate(out)} fps, the rate it was set to")  # fmt: skip
        elif out != v.frame_rate:
            notes.append(f"{_rate(v.frame_rate)} fps is outside 24-60: exported at {_rate(out)}")
    if info.ignored_streams:
        names = ", ".join(sorted({s.split(": ", 1)[-1] for s in info.ignored_streams}))
        count = len(info.ignored_streams)
        notes.append(f"{count} data track{'s' if count > 1 else ''} ({names}): telemetry or"
                     " camera metadata, ignored and left out of the export")  # fmt: skip
    return notes


def _picture_notes(v: VideoInfo) -> list[str]:
    notes: list[str] = []
    if v.rotation:
        notes.append(f"the phone's rotation flag turns it {v.rotation} degrees: shown upright")
    if v.dolby_vision:
        base = "HLG" if v.hdr_format == "hlg" else "HDR10" if v.hdr_format == "pq" else "SDR"
        notes.append(f"Dolby Vision, read as its {base} base layer (what phones and Facebook"
                     " show without Dolby Vision)")  # fmt: skip
    if v.hdr_format == "hlg":
        notes.append("phone HDR video (HLG): tone-mapped to normal colours on export")
    elif v.hdr_format == "pq":
        peak = f", brightest {v.hdr_peak_nits:g} nits" if v.hdr_peak_nits else ""
        notes.append(f"HDR10 video (PQ{peak}): tone-mapped to normal colours on export")
    if v.is_full_range:
        notes.append("full-range picture (levels 0-255, as many phones record): converted to"
                     " the video range 16-235 on export")  # fmt: skip
    if v.is_bt601:
        notes.append("BT.601 colours (older phones and SD cameras): converted to BT.709 on export")
    if v.sample_aspect_ratio != 1:
        ratio = v.sample_aspect_ratio
        notes.append(f"non-square pixels ({ratio.numerator}:{ratio.denominator}): shown at"
                     f" {v.display_width}x{v.display_height} and exported with square pixels")  # fmt: skip
    return notes


def brand_kit_lines(kit: BrandKit) -> list[str]:
    from clipstudio.core.branding.kit import png_size

    logo = "none"
    if kit.logo_png is not None:
        width, height = png_size(kit.logo_png)
        logo = f"{width}x{height} PNG, {kit.logo_corner}"
    return [
        f"name: {kit.name or '(none)'}",
        f"colours: primary {kit.primary_colour}, text {kit.text_colour},"
        f" accent {kit.accent_colour}",
        f"font: {kit.font}",
        f"logo: {logo}",
        f"imprint: {kit.imprint or '(none)'}",
        f"call to action: {kit.call_to_action or '(none)'}",
        f"link: {kit.link or '(none)'}",
    ]
