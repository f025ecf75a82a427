"""The UK digital imprint: what election material published online must carry, in one place.

Elections Act 2022, Part 6, and the Electoral Commission's statutory guidance on digital
imprints: material published by or for a candidate or party, and any paid political advert,
must show the name and postal address of its promoter and of anyone it is published for. Here:
the rule's wording and example, how an imprint is recognised (a UK postcode), how the post's
three fields become one line and back, and the findings the checks panel and `check` show.
Pure text; no footage is looked at, so the window can re-check as the volunteer types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clipstudio.core.analysis.types import Finding
from clipstudio.core.vocabulary import Fix

# The Electoral Commission's own example wording.
IMPRINT_EXAMPLE = (
    "Promoted by A. Agent on behalf of C. Candidate, both at 1 High Street, Town, AB1 2CD"
)
# A UK postcode ("AB1 2CD", "SW1A 1AA", "M1 1AE"): the sure sign that an address is there, and
# one unit the end card never breaks across lines.
UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b", re.IGNORECASE)

ADVICE_NO_IMPRINT = (
    "Election material published online by or for a candidate or party, and any paid political"
    " advert, must show a digital imprint: the name and postal address of the promoter and of"
    " anyone it is published for (UK Elections Act 2022; Electoral Commission statutory"
    f' guidance on digital imprints). For example: "{IMPRINT_EXAMPLE}".'
)
ADVICE_NO_ADDRESS = (
    "The imprint has no UK postcode. It must give the postal address of the promoter (and of"
    f' anyone it is published for), for example: "{IMPRINT_EXAMPLE}".'
)
# What the command line says when an export has no imprint and was not told it needs none.
NO_IMPRINT_MESSAGE = (
    "this clip has no digital imprint, which UK law requires on election material published"
    f' online: add --imprint "{IMPRINT_EXAMPLE}" with your own names and address (or put it'
    " in the brand kit), or add --no-imprint if the clip is not election material"
)


def has_imprint(text: str | None) -> bool:
    """Whether there is an imprint at all (the export asks before going on without one)."""
    return bool((text or "").strip())


def publish_findings(imprint: str | None) -> list[Finding]:
    """A warning when there is no imprint; a note when it gives no postcode."""
    text = (imprint or "").strip()
    if not text:
        return [
            Finding(
                id="publish.no_imprint",
                severity="warning",
                title="No digital imprint",
                advice=ADVICE_NO_IMPRINT,
                measured={"imprint": ""},
                fix=Fix.IMPRINT,
            )
        ]
    if not UK_POSTCODE.search(text):
        return [
            Finding(
                id="publish.imprint_no_address",
                severity="info",
                title="Imprint without an address",
                advice=ADVICE_NO_ADDRESS,
                measured={"imprint": text},
                fix=Fix.IMPRINT,
            )
        ]
    return []


@dataclass(frozen=True)
class Imprint:
    """The imprint as the post's three fields: who promotes it, for whom, and a postal address."""

    promoter: str = ""
    on_behalf_of: str = ""
    address: str = ""


def format_imprint(imprint: Imprint) -> str:
    """'Promoted by NAME on behalf of NAME, both at ADDRESS', the Electoral Commission's wording
    (IMPRINT_EXAMPLE): with two names, "both at" says the address is each one's, as the law
    asks. The 'on behalf of' part only when it differs from the promoter."""
    promoter = imprint.promoter.strip()
    behalf = imprint.on_behalf_of.strip()
    address = imprint.address.strip().replace("\n", ", ")
    if not promoter:
        return ""
    text = f"Promoted by {promoter}"
    two_names = bool(behalf) and behalf.casefold() != promoter.casefold()
    if two_names:
        text += f" on behalf of {behalf}"
    if address:
        text += f", both at {address}" if two_names else f", {address}"
    return text


# "Promoted by A on behalf of B, both at ADDRESS": the wording of the Electoral Commission's
# examples, which the brand kit's and the export panel's imprint follow.
IMPRINT_WORDS = re.compile(
    r"^\s*promoted\s+by\s+(?P<promoter>.+?)"
    r"(?:\s+on\s+behalf\s+of\s+(?P<behalf>.+?))?"
    r"(?:\s*,\s*(?:(?:both|all)\s+)?(?:at|of)?\s*(?P<address>.+?))?\s*$",
    re.IGNORECASE | re.DOTALL,
)


def imprint_from_text(text: str) -> Imprint | None:
    """Split a one-line imprint (the video's) into the post's three fields, the inverse of
    `format_imprint`; None if it is worded otherwise."""
    match = IMPRINT_WORDS.match(" ".join(text.split()))
    if match is None:
        return None
    return Imprint(
        promoter=match["promoter"].strip(),
        on_behalf_of=(match["behalf"] or "").strip(),
        address=(match["address"] or "").strip(),
    )


def imprint_problems(imprint: Imprint) -> list[str]:
    """What is missing from the imprint, in plain words (empty when complete)."""
    problems = []
    if not imprint.promoter.strip():
        problems.append("Add the name of the person or group promoting the post.")
    if not imprint.address.strip():
        problems.append("Add the promoter's postal address.")
    return problems
