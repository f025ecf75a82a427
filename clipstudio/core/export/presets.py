"""Facebook output shapes and encoding rules, as data."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from clipstudio.core.vocabulary import Shape


@dataclass(frozen=True)
class Preset:
    name: Shape
    width: int
    height: int
    # Where Facebook's own buttons and text cover the picture, and so where captions and brand
    # layers may go: clipstudio.core.export.layout.SHAPE_LAYOUTS.
    # The platform's smallest accepted frame (0: none): a smaller source is upscaled to it, and
    # only to it (plan_fit).
    min_width: int = 0
    min_height: int = 0

    @property
    def label(self) -> str:
        return self.name.label

    @property
    def aspect(self) -> float:
        return self.width / self.height


PRESETS: dict[Shape, Preset] = {
    # Facebook video specs: feed 16:9 1920x1080, square 1:1, portrait 4:5 1080x1350, Reels 9:16.
    Shape.FEED: Preset(Shape.FEED, 1920, 1080),
    Shape.SQUARE: Preset(Shape.SQUARE, 1080, 1080),
    Shape.PORTRAIT: Preset(Shape.PORTRAIT, 1080, 1350),
    # Meta's Reels specs: 1080x1920 recommended, 540x960 at least.
    Shape.REELS: Preset(Shape.REELS, 1080, 1920, min_width=540, min_height=960),
}

# Encoding rules every export follows and validation checks.
VIDEO_CODEC = "h264"
VIDEO_PROFILE = "High"
PIX_FMT = "yuv420p"
X264_PRESET = "veryfast"  # PITFALLS: veryfast 27 s vs medium 45 s on a 59 s 1080p clip
X264_CRF = 20  # visually clean for talking heads; Facebook re-encodes anyway
FALLBACK_FPS = Fraction(30)  # used when the source rate is outside 24-60 fps
# "24-60 fps" includes film's 23.976.
MIN_FPS, MAX_FPS = Fraction(24000, 1001), Fraction(60)
AUDIO_CODEC = "aac"
AUDIO_PROFILE = "LC"
AUDIO_RATE = 48_000
AUDIO_CHANNELS = 2
AUDIO_BITRATE = "160k"  # Facebook asks for 128 kb/s or more

# EBU R128 loudness normalisation targets for social video.
LOUDNESS_TARGET_LUFS = -14.0
TRUE_PEAK_DBTP = -1.5
LOUDNESS_TOLERANCE_LU = 1.0


def output_fps(nominal: Fraction) -> Fraction:
    """The export's constant rate, exactly: the source's nominal rate (probe's
    `VideoInfo.frame_rate`: 30 stays 30, 29.97 stays 30000/1001) when it is 24-60 fps, else 30
    (a 240 fps slow-motion file plays at normal speed, a 15 fps one repeats its frames)."""
    if MIN_FPS <= nominal <= MAX_FPS:
        return nominal
    return FALLBACK_FPS
