"""Findings: what a check reports, in plain words and with the numbers behind it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from clipstudio.core.vocabulary import Fix

Severity = Literal["info", "warning", "error"]


@dataclass(frozen=True)
class Finding:
    id: str  # e.g. "lighting.too_dark" (stable: the GUI and tests key on it)
    severity: Severity
    title: str  # short, plain words: "Too dark"
    advice: str  # one or two sentences a volunteer understands
    start: float | None = None  # span in source seconds; None for whole-clip findings
    end: float | None = None
    measured: dict[str, Any] = field(default_factory=dict)
    fix: Fix | None = None  # the repair that answers it (the window's switch, the CLI option)

    def to_dict(self) -> dict[str, Any]:
        """As JSON for `check --json`: the fix is the option to pass ("--brighten")."""
        data = asdict(self)
        data["fix"] = self.fix.cli_hint if self.fix is not None else None
        return data
