"""What the window and its controllers all read: the settings, the brand kit and the clip being
edited. One holder, so no part of the window keeps a copy that drifts from the others'."""

from __future__ import annotations

import logging

from clipstudio.core.branding.kit import Branding, BrandKit, load_saved_brand_kit
from clipstudio.core.errors import BadInputError
from clipstudio.gui.session import ClipSession
from clipstudio.gui.settings import AppSettings, save_settings

log = logging.getLogger(__name__)


class Workspace:
    """The services the window is given (settings, brand kit) and the clip it shows."""

    def __init__(self, settings: AppSettings, brand_kit: BrandKit | None) -> None:
        self.settings = settings
        self.brand_kit = brand_kit
        self.current: ClipSession | None = None

    def use_settings(self, settings: AppSettings) -> None:
        """New settings from now on, saved for the next start."""
        self.settings = settings
        save_settings(settings)

    def branding_for(self, session: ClipSession) -> Branding:
        """The clip's own choices over the brand kit's defaults."""
        assert session.project is not None
        return session.project.branding.resolve(self.brand_kit)


def load_brand_kit() -> tuple[BrandKit | None, str]:
    """The kit saved by the brand kit editor (or the CLI), and why it is not used when damaged:
    the window says so in its status bar instead of starting with a half-read kit."""
    try:
        return load_saved_brand_kit(), ""
    except BadInputError as exc:
        log.warning("saved brand kit not used: %s", exc)
        return None, (
            f"Your saved brand kit could not be read ({exc}). Open File › Brand kit to set it"
            " up again."
        )
