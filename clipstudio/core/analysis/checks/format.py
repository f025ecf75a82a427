"""Whole-clip facts from the probe: portrait, too long, low resolution, HDR, variable rate."""

from __future__ import annotations

from clipstudio.core.analysis.samples import Samples
from clipstudio.core.analysis.types import Finding
from clipstudio.core.edit.limits import MAX_DURATION_S
from clipstudio.core.vocabulary import Fix

# Below 720 lines (the short side of the picture) Facebook's HD playback has to upscale.
MIN_LINES = 720
# The probe's duration can overshoot by a frame or an audio packet; not worth an info line.
DURATION_TOLERANCE_S = 0.5

ADVICE_PORTRAIT = (
    "This was filmed upright (portrait). Turn the phone on its side and film landscape."
)
ADVICE_TOO_LONG = (
    "The clip is longer than one minute and will be trimmed. Keep videos short: one minute at most."
)
ADVICE_LOW_RES = "The picture is small and may look soft. Film in 1080p (HD) if the phone allows."
ADVICE_HDR = "This is an HDR video; it will be converted to normal colours for Facebook."
ADVICE_VFR = "The phone varied the frame rate; it will be converted to a steady rate."


class Portrait:
    id = "orientation.portrait"

    def run(self, samples: Samples) -> list[Finding]:
        video = samples.media.video
        if video is None or video.orientation != "portrait":
            return []
        return [
            Finding(
                id=self.id,
                severity="warning",
                title="Filmed upright",
                advice=ADVICE_PORTRAIT,
                measured={
                    "display_width": video.display_width,
                    "display_height": video.display_height,
                    "rotation": video.rotation,
                },
                fix=Fix.PORTRAIT,
            )
        ]


class TooLong:
    id = "duration.too_long"

    def run(self, samples: Samples) -> list[Finding]:
        duration = samples.media.duration
        if duration <= MAX_DURATION_S + DURATION_TOLERANCE_S:
            return []
        return [
            Finding(
                id=self.id,
                severity="info",
                title="Longer than one minute",
                advice=ADVICE_TOO_LONG,
                measured={"duration_s": round(duration, 2), "limit_s": MAX_DURATION_S},
            )
        ]


class LowResolution:
    id = "video.low_resolution"

    def run(self, samples: Samples) -> list[Finding]:
        video = samples.media.video
        if video is None:
            return []
        lines = min(video.display_width, video.display_height)
        if lines >= MIN_LINES:
            return []
        return [
            Finding(
                id=self.id,
                severity="info",
                title="Low resolution",
                advice=ADVICE_LOW_RES,
                measured={
                    "width": video.display_width,
                    "height": video.display_height,
                    "min_lines": MIN_LINES,
                },
            )
        ]


class Hdr:
    id = "video.hdr"

    def run(self, samples: Samples) -> list[Finding]:
        video = samples.media.video
        if video is None or not video.is_hdr:
            return []
        return [
            Finding(
                id=self.id,
                severity="info",
                title="HDR video",
                advice=ADVICE_HDR,
                measured={
                    "hdr_format": video.hdr_format,
                    "transfer": video.color_transfer,
                    "bit_depth": video.bit_depth,
                },
            )
        ]


class Vfr:
    id = "video.vfr"

    def run(self, samples: Samples) -> list[Finding]:
        video = samples.media.video
        if video is None or not video.is_vfr:
            return []
        return [
            Finding(
                id=self.id,
                severity="info",
                title="Variable frame rate",
                advice=ADVICE_VFR,
                measured={
                    "average_fps": video.avg_frame_rate,
                    "median_fps": video.real_frame_rate,
                },
            )
        ]
