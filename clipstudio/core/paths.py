"""Where Clip Studio keeps its own files on the user's computer, one function per folder.

The window and the command line both read these, so an autosave, the saved brand kit or a
downloaded model is found by either.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "clipstudio"


def projects_dir() -> Path:
    """Autosaves of each clip's work (edit/project.py)."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / "projects"


def config_dir() -> Path:
    """The user's own settings files: the saved brand kit."""
    return Path(platformdirs.user_config_dir(APP_NAME))


def models_dir() -> Path:
    """Speech models the user downloaded on purpose."""
    return Path(platformdirs.user_cache_dir(APP_NAME)) / "models"


def state_dir() -> Path:
    """What the window had open when it closed, and its recent files (edit/recent.py)."""
    return Path(platformdirs.user_state_dir(APP_NAME))


def videos_dir() -> Path:
    """The user's own Videos folder, where file dialogs start before any folder was used."""
    return Path(platformdirs.user_videos_dir())


def log_dir() -> Path:
    """The app's log file, which the Help menu opens."""
    return Path(platformdirs.user_log_dir(APP_NAME))
