"""Facebook output shapes and encoding rules, as data."""

from __future__ import annotations

from dataclasses import dataclass

from clipstudio.core.vocabulary import Shape


@dataclass(frozen=True)
class Preset:
    name: Shape
    width: int
    height: int
    # Where Facebook's own buttons and text cover the picture, and so where captions and brand
    # layers may go: clipstudio.core.export.layout.SHAPE_LAYOUTS.

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
    Shape.REELS: Preset(Shape.REELS, 1080, 1920),
}

# Encoding rules every export follows and validation checks.
VIDEO_CODEC = "h264"
VIDEO_PROFILE = "High"
PIX_FMT = "yuv420p"
X264_PRESET = "veryfast"  # PITFALLS: veryfast 27 s vs medium 45 s on a 59 s 1080p clip
X264_CRF = 20  # visually clean for talking heads; Facebook re-encodes anyway
FALLBACK_FPS = 30  # used when the source rate is outside 24-60 fps
MIN_FPS, MAX_FPS = 24.0, 60.0
AUDIO_CODEC = "aac"
AUDIO_PROFILE = "LC"
AUDIO_RATE = 48_000
AUDIO_CHANNELS = 2
AUDIO_BITRATE = "160k"  # Facebook asks for 128 kb/s or more

# EBU R128 loudness normalisation targets for social video.
LOUDNESS_TARGET_LUFS = -14.0
TRUE_PEAK_DBTP = -1.5
LRA_TARGET_LU = 11.0
LOUDNESS_TOLERANCE_LU = 1.0


def output_fps(source_fps: float) -> float:
    """Constant output rate: the source rate when it is 24-60 fps, else 30."""
    if MIN_FPS - 0.5 <= source_fps <= MAX_FPS + 0.5:
        for standard in (24000 / 1001, 24, 25, 30000 / 1001, 30, 50, 60000 / 1001, 60):
            if abs(source_fps - standard) < 0.05:
                return standard
        return round(source_fps, 3)
    return FALLBACK_FPS
