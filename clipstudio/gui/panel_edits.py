"""What the volunteer changes in the work panels becomes a step of the window's one undo
history (gui/history.py) on the clip shown: a fix switched, a shape or caption choice, a word of
the branding or of the post text. Panels speak by signal; this turns each into its edit."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject

from clipstudio.core.vocabulary import Fix
from clipstudio.gui.checks import ChecksPanel
from clipstudio.gui.export_panel import ExportPanel
from clipstudio.gui.history import (
    BrandingEdit,
    ChoiceEdit,
    EditCommand,
    FixEdit,
    MusicEdit,
    PostTextEdit,
)
from clipstudio.gui.postcopy_panel import PostCopyPanel
from clipstudio.gui.workspace import Workspace

# The undo menu's words for the branding fields ("Undo Edit the imprint").
BRANDING_WORDS = {"lower_third": "speaker's name", "call_to_action": "call to action",
                  "end_card_seconds": "end card's length", "show_logo": "logo switch"}  # fmt: skip
# The export panel's choices: (the panel's signal, the undo menu's words, the project field).
CHOICES = (
    ("preset_changed", "Change the shape", "preset"),
    ("caption_mode_changed", "Change the captions", "caption_mode"),
    ("portrait_changed", "Change the upright fill", "portrait"),
    ("output_dir_changed", "Change the folder", "output_dir"),
)


class PanelEdits(QObject):
    """Connects the checks, export and post text panels to edits of the current clip."""

    def __init__(
        self,
        workspace: Workspace,
        checks: ChecksPanel,
        export: ExportPanel,
        post: PostCopyPanel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        checks.fix_toggled.connect(self.fix_toggled)
        export.branding_edited.connect(self.branding_edited)
        export.music_changed.connect(lambda music, words: self.edit(MusicEdit, words, music=music))
        for signal_name, text, field in CHOICES:
            getattr(export, signal_name).connect(
                lambda value, t=text, f=field: self.edit(ChoiceEdit, t, **{f: value})
            )
        post.changed.connect(
            lambda copy: self.edit(PostTextEdit, "Edit the post text", "post", post_copy=copy)
        )
        # The imprint filled in from the video's is not the volunteer's step: not recorded.
        post.filled_in.connect(lambda copy: self.update(post_copy=copy))

    def edit(
        self, kind: type[EditCommand], text: str, merge_key: object = None, **changes: Any
    ) -> None:
        """The volunteer changed the clip shown: one step of the undo history."""
        if self.workspace.current is not None:
            self.workspace.current.edit(kind, text, merge_key, **changes)

    def update(self, **changes: Any) -> None:
        if self.workspace.current is not None:
            self.workspace.current.update_project(**changes)

    def fix_toggled(self, option: Fix, on: bool) -> None:
        session = self.workspace.current
        if session is None or session.project is None:
            return
        fixes = session.project.fixes
        self.edit(FixEdit, f"{'Turn on' if on else 'Turn off'} “{option.label}”",
                  fixes=fixes | {option} if on else fixes - {option})  # fmt: skip

    def branding_edited(self, name: str, value: Any) -> None:  # the type of field `name`
        session = self.workspace.current
        if session is not None and session.project is not None:
            branding = replace(session.project.branding, **{name: value})
            self.edit(BrandingEdit, f"Edit the {BRANDING_WORDS.get(name, name)}", name,
                      branding=branding)  # fmt: skip
