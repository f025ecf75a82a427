"""What the command line prints: progress bars, JSON, and the plain-words descriptions."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clipstudio.core.branding.kit import BrandKit
    from clipstudio.core.media.probe import MediaInfo


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
            f" {v.real_frame_rate:g} fps{' (variable)' if v.is_vfr else ''}, {v.pix_fmt},"
            f" {v.bit_depth}-bit{', HDR ' + v.hdr_format if v.hdr_format else ''}"
        )
    else:
        lines.append("  video: none")
    if info.audio:
        a = info.audio
        lines.append(f"  audio: {a.codec}, {a.sample_rate} Hz, {a.channels} channel(s)")
    else:
        lines.append("  audio: none")
    return lines


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
