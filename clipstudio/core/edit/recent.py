"""What the window had open when it closed: the clips in their order, the one shown, whether
they are joined into one video, the files opened recently and the last folder a file dialog
used, so a restart brings the work back.

Each clip's own work (trims, captions, fixes) is its autosave (edit/project.py); this record
only says which clips to open again. One small JSON file in the app's state folder, written
safely (core/files.py). No Qt here.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from clipstudio.core.errors import BadInputError
from clipstudio.core.files import ensure_folder, write_file
from clipstudio.core.paths import state_dir, videos_dir

log = logging.getLogger(__name__)

RECORD_FORMAT_VERSION = 1
RECORD_FILE_NAME = "open-clips.json"
# The File menu's "Open recent" list: enough for a week of clips, short enough to read.
RECENT_LIMIT = 8


@dataclass(frozen=True)
class OpenRecord:
    clips: tuple[str, ...] = ()  # absolute paths, in the clip list's order
    current: int = -1  # the clip shown, an index into `clips` (-1: none)
    recent: tuple[str, ...] = ()  # most recent first
    last_folder: str = ""  # where the last file dialog was left ("" : never used)
    # Several clips open are exported as one video, in their order (a volunteer who opens
    # three takes of one appeal wants one film); off: each clip is its own video.
    join: bool = True

    def with_clips(self, clips: list[str], current: int) -> OpenRecord:
        """The clip list as it is now."""
        shown = current if 0 <= current < len(clips) else (0 if clips else -1)
        return replace(self, clips=tuple(clips), current=shown)

    def with_opened(self, paths: list[str]) -> OpenRecord:
        """`paths` were just opened: to the front of the recent files, the first one first."""
        recent = [p for p in self.recent if p not in paths]
        return replace(self, recent=tuple([*paths, *recent][:RECENT_LIMIT]))

    def with_join(self, join: bool) -> OpenRecord:
        return replace(self, join=join)

    def with_folder(self, folder: str | Path) -> OpenRecord:
        return replace(self, last_folder=str(folder))

    def dialog_folder(self) -> str:
        """Where a file dialog opens: the last folder used while it exists, else Videos, else
        the home folder (a fresh laptop may have no Videos folder yet)."""
        for folder in (Path(self.last_folder) if self.last_folder else None, videos_dir()):
            if folder is not None and folder.is_dir():
                return str(folder)
        return str(Path.home())

    def existing_recent(self) -> list[str]:
        """Recent files still on the disk (an unplugged USB stick's are left out, not lost)."""
        return [path for path in self.recent if Path(path).is_file()]


def record_file() -> Path:
    return state_dir() / RECORD_FILE_NAME


def record_to_dict(record: OpenRecord) -> dict[str, Any]:
    return {
        "version": RECORD_FORMAT_VERSION,
        "clips": list(record.clips),
        "current": record.current,
        "recent": list(record.recent),
        "last_folder": record.last_folder,
        "join": record.join,
    }


def record_from_dict(data: Any) -> OpenRecord:
    """Inverse of record_to_dict; raises BadInputError for a file of another shape."""
    if not isinstance(data, dict) or data.get("version") != RECORD_FORMAT_VERSION:
        raise BadInputError("the list of open clips was written by another version")
    try:
        clips = tuple(str(p) for p in data.get("clips", []))
        current = int(data.get("current", -1))
        return OpenRecord(
            clips=clips,
            current=current if 0 <= current < len(clips) else (0 if clips else -1),
            recent=tuple(str(p) for p in data.get("recent", []))[:RECENT_LIMIT],
            last_folder=str(data.get("last_folder", "")),
            join=bool(data.get("join", True)),  # records from before joining: the default
        )
    except (TypeError, ValueError) as exc:
        raise BadInputError(f"the list of open clips is damaged: {exc}") from exc


def load_record(path: Path | None = None) -> OpenRecord:
    """The saved record, or an empty one when there is none or it cannot be read (the clips'
    own autosaves are untouched either way; only the list of what to reopen is lost)."""
    path = path or record_file()
    try:
        return record_from_dict(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return OpenRecord()
    except (OSError, ValueError, BadInputError) as exc:
        log.warning("open clips record %s not used: %s", path, exc)
        return OpenRecord()


def save_record(record: OpenRecord, path: Path | None = None) -> None:
    """Written safely: a crash mid-save leaves the previous record whole."""
    path = path or record_file()
    ensure_folder(path.parent)
    write_file(path, json.dumps(record_to_dict(record), indent=1, ensure_ascii=False),
               overwrite=True)  # fmt: skip
