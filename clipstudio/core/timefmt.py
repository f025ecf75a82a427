"""Times as a volunteer reads and types them: "1:05.3". One home, so every readout agrees."""

from __future__ import annotations

import math


def clock(seconds: float, decimals: int = 1) -> str:
    """'m:ss.d' with `decimals` places (0: 'm:ss'). Rounded once, so 59.96 s is '1:00.0',
    never '0:60.0'."""
    scale = 10**decimals
    ticks = round(max(0.0, seconds) * scale)
    minutes, rest = divmod(ticks, 60 * scale)
    if decimals == 0:
        return f"{minutes}:{rest:02d}"
    whole, fraction = divmod(rest, scale)
    return f"{minutes}:{whole:02d}.{fraction:0{decimals}d}"


def parse_clock(text: str) -> float:
    """'1:02.5', '62.5' or '62,5' -> seconds. Raises ValueError for anything else."""
    text = text.strip().replace(",", ".")
    if ":" in text:
        minutes, _, seconds = text.partition(":")
        value = int(minutes) * 60 + float(seconds)
    else:
        value = float(text)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"not a time: {text!r}")
    return value
