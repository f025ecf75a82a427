"""Ready to publish: the UK digital imprint that election material posted online must carry.

Pure: it looks at the imprint the user set (or did not), not at the footage, so the GUI calls
`publish_findings` directly and `analyse_clip` adds them when asked. It sits outside `checks/`,
whose package loads every footage check (numpy and more: 0.35 s of the window's start-up).
"""

from __future__ import annotations

from clipstudio.core.analysis.types import Finding
from clipstudio.core.branding.kit import IMPRINT_EXAMPLE, UK_POSTCODE

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
                fix="--imprint",
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
                fix="--imprint",
            )
        ]
    return []
