"""Whole-clip facts from the probe: portrait, too long, low resolution, HDR, variable rate."""

from __future__ import annotations

from typing import Any

from clipstudio.core.analysis.checks.base import Check, Says
from clipstudio.core.analysis.samples import Samples
from clipstudio.core.analysis.types import Finding
from clipstudio.core.edit.limits import MAX_DURATION_S
from clipstudio.core.media.probe import VideoInfo
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


class VideoCheck(Check):
    """A check of the video stream's own properties (no pictures decoded): `shows` says whether
    this video has the problem, `measure` what the finding reports."""

    def shows(self, video: VideoInfo) -> bool:
        raise NotImplementedError

    def measure(self, video: VideoInfo) -> dict[str, Any]:
        raise NotImplementedError

    def run(self, samples: Samples) -> list[Finding]:
        video = samples.media.video
        if video is None or not self.shows(video):
            return []
        return [self.found(self.measure(video))]


class Portrait(VideoCheck):
    id = "orientation.portrait"
    says = Says("Filmed upright", ADVICE_PORTRAIT, fix=Fix.PORTRAIT)

    def shows(self, video: VideoInfo) -> bool:
        return video.orientation == "portrait"

    def measure(self, video: VideoInfo) -> dict[str, Any]:
        size = {"display_width": video.display_width, "display_height": video.display_height}
        return {**size, "rotation": video.rotation}


class TooLong(Check):
    id = "duration.too_long"
    says = Says("Longer than one minute", ADVICE_TOO_LONG, severity="info")

    def run(self, samples: Samples) -> list[Finding]:
        duration = samples.media.duration
        if duration <= MAX_DURATION_S + DURATION_TOLERANCE_S:
            return []
        return [self.found({"duration_s": round(duration, 2), "limit_s": MAX_DURATION_S})]


class LowResolution(VideoCheck):
    id = "video.low_resolution"
    says = Says("Low resolution", ADVICE_LOW_RES, severity="info")

    def shows(self, video: VideoInfo) -> bool:
        return min(video.display_width, video.display_height) < MIN_LINES

    def measure(self, video: VideoInfo) -> dict[str, Any]:
        size = {"width": video.display_width, "height": video.display_height}
        return {**size, "min_lines": MIN_LINES}


class Hdr(VideoCheck):
    id = "video.hdr"
    says = Says("HDR video", ADVICE_HDR, severity="info")

    def shows(self, video: VideoInfo) -> bool:
        return video.is_hdr

    def measure(self, video: VideoInfo) -> dict[str, Any]:
        kind = {"hdr_format": video.hdr_format, "transfer": video.color_transfer}
        return {**kind, "bit_depth": video.bit_depth}


class Vfr(VideoCheck):
    id = "video.vfr"
    says = Says("Variable frame rate", ADVICE_VFR, severity="info")

    def shows(self, video: VideoInfo) -> bool:
        return video.is_vfr

    def measure(self, video: VideoInfo) -> dict[str, Any]:
        return {"average_fps": video.avg_frame_rate, "median_fps": video.real_frame_rate}
