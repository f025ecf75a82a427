"""Post copy rules: the guide's character limits, its writing tips, and the UK digital imprint.

Pure text rules, no Qt: the GUI's post copy helper shows these counters and tips live.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from clipstudio.core.branding.imprint import Imprint, format_imprint, imprint_problems

# Campaign guide, "Writing good content for advertising": Facebook ad copy limits.
HEADLINE_LIMIT = 25
BODY_LIMIT = 90
LINK_DESCRIPTION_LIMIT = 30

# Campaign guide: one clear call to action ("sign, share, come along"). Phrases, lower case.
CALL_TO_ACTION_PHRASES = (
    "sign up",
    "sign the petition",
    "sign",
    "share",
    "come along",
    "come to",
    "join us",
    "join",
    "vote",
    "donate",
    "volunteer",
    "register",
    "get involved",
    "find out more",
    "learn more",
    "read more",
    "watch",
    "click",
    "visit",
    "call us",
    "email us",
    "tell your friends",
    "pledge",
)
# Campaign guide: "a timeframe ('today', 'now') adds urgency".
URGENCY_WORDS = ("today", "now", "tonight", "this week", "this weekend", "tomorrow")

TipLevel = Literal["ok", "advice"]


@dataclass(frozen=True)
class FieldCount:
    """How long a piece of copy is against its limit."""

    used: int
    limit: int

    @property
    def remaining(self) -> int:
        return self.limit - self.used

    @property
    def over(self) -> bool:
        return self.used > self.limit

    def label(self) -> str:
        return f"{self.used} / {self.limit}"


@dataclass(frozen=True)
class PostCopy:
    headline: str = ""
    body: str = ""
    link_description: str = ""
    imprint: Imprint = Imprint()


@dataclass(frozen=True)
class Tip:
    level: TipLevel
    text: str


def count_characters(text: str) -> int:
    """Characters as a reader sees them: NFC-normalised, outer whitespace ignored."""
    return len(unicodedata.normalize("NFC", text.strip()))


def headline_count(text: str) -> FieldCount:
    return FieldCount(count_characters(text), HEADLINE_LIMIT)


def body_count(text: str) -> FieldCount:
    return FieldCount(count_characters(text), BODY_LIMIT)


def link_description_count(text: str) -> FieldCount:
    return FieldCount(count_characters(text), LINK_DESCRIPTION_LIMIT)


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(r"\b" + r"\s+".join(map(re.escape, phrase.split())) + r"\b", re.IGNORECASE)


def calls_to_action(text: str) -> list[str]:
    """The calls to action in `text`, one per action, in reading order: each the longest phrase
    said for it. An action is a phrase's first word, so "sign the petition" and a later "sign"
    are one call to action (sign), as the reader hears them; "sign" and "share" are two."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for phrase in sorted(CALL_TO_ACTION_PHRASES, key=len, reverse=True):
        for match in _phrase_pattern(phrase).finditer(text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue  # "sign" inside an already counted "sign up"
            taken.append(span)
            found.append((span[0], phrase))
    longest: dict[str, str] = {}
    first_said: dict[str, int] = {}
    for position, phrase in sorted(found):
        action = phrase.split()[0]
        first_said.setdefault(action, position)
        if len(phrase) > len(longest.get(action, "")):
            longest[action] = phrase
    return [longest[action] for action in sorted(first_said, key=first_said.__getitem__)]


def urgency_words(text: str) -> list[str]:
    return [word for word in URGENCY_WORDS if _phrase_pattern(word).search(text)]


def tips(copy: PostCopy) -> list[Tip]:
    """The guide's advice applied to this copy, as short sentences."""
    result: list[Tip] = []
    for name, count in (
        ("Headline", headline_count(copy.headline)),
        ("Body text", body_count(copy.body)),
        ("Link description", link_description_count(copy.link_description)),
    ):
        if count.over:
            result.append(
                Tip("advice", f"{name} is {-count.remaining} characters too long "
                    f"(the guide says {count.limit} at most).")
            )  # fmt: skip
    all_text = " ".join((copy.headline, copy.body, copy.link_description))
    actions = calls_to_action(all_text)
    if not actions:
        result.append(Tip("advice", "Ask people to do one thing: sign, share, come along."))
    elif len(actions) > 1:
        quoted = ", ".join(f"'{a}'" for a in actions)
        result.append(Tip("advice", f"Pick one call to action; this asks for {quoted}."))
    else:
        result.append(Tip("ok", f"One clear call to action: '{actions[0]}'."))
    if urgency_words(all_text):
        result.append(Tip("ok", "Gives a timeframe, which adds urgency."))
    else:
        result.append(Tip("advice", "Say when: 'today' or 'now' adds urgency."))
    for problem in imprint_problems(copy.imprint):
        result.append(Tip("advice", f"Imprint: {problem}"))
    return result


def compose_post(copy: PostCopy, link: str = "") -> str:
    """The text to paste into Facebook: body, headline, link description and the video's link
    (the end card's web address, so the post and the video send people to one place), then the
    imprint."""
    parts = [
        copy.body.strip(),
        copy.headline.strip(),
        copy.link_description.strip(),
        link.strip(),
        format_imprint(copy.imprint),
    ]
    return "\n\n".join(part for part in parts if part)
