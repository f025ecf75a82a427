"""The campaign guide's rules for video in the app's own words, each with the checks that catch
a clip breaking it (the ids of analysis/checks and branding/imprint's findings) and what the
app does about it. The window's Help › "How to make a good campaign clip" shows this.

Source: the party's Digital Campaigning Guide (../shared/guide/campaign-video-rules.md),
paraphrased. Pure data; importing it loads no check.
"""

from __future__ import annotations

from dataclasses import dataclass

from clipstudio.core.vocabulary import Fix


@dataclass(frozen=True)
class GuideRule:
    title: str  # the rule, as a volunteer would say it
    why: str  # what the guide says and why it matters
    checks: tuple[tuple[str, str], ...]  # (check id, its name in plain words) that catch it
    app_help: str  # what Clip Studio does about it


GUIDE_RULES: tuple[GuideRule, ...] = (
    GuideRule(
        "Keep it under a minute",
        "Short and interesting: people scroll past long videos.",
        (("duration.too_long", "Too long"),),
        "The length under the preview turns red past a minute; “Trim to 1 minute” cuts whole"
        " sentences to fit, end card included.",
    ),
    GuideRule(
        "Always add captions",
        "Most people watch with the sound off. Never post a video without subtitles.",
        (("speech.none", "No speech found"),),
        "Clip Studio writes the captions on your computer, lets you correct them, burns them"
        " into the picture and saves the .srt file Facebook takes.",
    ),
    GuideRule(
        "Film landscape, never upright",
        "The golden rule: hold the phone sideways.",
        (("orientation.portrait", "Filmed upright"),),
        "An upright clip gets its sides filled with a blurred copy (or is cropped to fill),"
        " in the preview as in the video.",
    ),
    GuideRule(
        "Keep the phone steady",
        "Use a tripod, or rest the phone on something.",
        (("stability.shaky", "Shaky"),),
        f"“{Fix.STABILISE.label}” smooths hand-held shake when the video is made.",
    ),
    GuideRule(
        "Head near the top of the frame",
        "Frame the speaker with their head near the top, not in the middle.",
        (("framing.headroom", "Head too low in the frame"),),
        "The check says when there is too much space above the head.",
    ),
    GuideRule(
        "Good light, in front of the speaker",
        "Cameras only make up for poor light so far. Light from the front; not against a"
        " window (silhouettes), not so bright that people squint.",
        (
            ("lighting.too_dark", "Too dark"),
            ("lighting.backlit", "Light behind the speaker"),
            ("lighting.overexposed", "Too bright"),
        ),
        f"“{Fix.BRIGHTEN.label}” lifts a dark or backlit clip; the preview shows it.",
    ),
    GuideRule(
        "Steady light, not at night",
        "Avoid flickering lights and filming after dark.",
        (("lighting.flicker", "Flickering light"),),
        f"“{Fix.DEFLICKER.label}” smooths flickering light; the preview shows it as you play.",
    ),
    GuideRule(
        "Clear sound",
        "One of the most important parts: the speaker no more than a metre from the phone,"
        " away from noisy and windy places.",
        (
            ("audio.missing", "No sound"),
            ("audio.too_quiet", "Too quiet"),
            ("audio.clipping", "Sound distorted"),
            ("audio.noisy", "Noisy"),
            ("audio.wind", "Wind noise"),
        ),
        "Every video is made as loud as others in the feed; "
        f"“{Fix.DENOISE_AUDIO.label}” takes out"
        " wind and background noise.",
    ),
    GuideRule(
        "Say who published it",
        "UK law: election material online must carry a digital imprint, the names and postal"
        " address of who promotes it and for whom.",
        (
            ("publish.no_imprint", "No digital imprint"),
            ("publish.imprint_no_address", "Imprint without an address"),
        ),
        "The imprint goes on the end card of every video, and into the post text.",
    ),
    GuideRule(
        "Pick the best take, cut the mistakes",
        "Editing makes a punchier film. One clear call to action: sign, share, come along.",
        (),
        "Set where the clip starts and ends on the timeline; the post text tips count the"
        " calls to action.",
    ),
    GuideRule(
        "Leave the technical side to the app",
        "Facebook wants an MP4 of a standard size, frame rate and colour.",
        (
            ("video.low_resolution", "Small picture"),
            ("video.hdr", "HDR colours"),
            ("video.vfr", "Uneven frame rate"),
        ),
        "Every video is made to Facebook's rules and checked before it is kept.",
    ),
)
