"""Pictures over the speech: "Show a picture here" on the captions chosen (gui/captions.py asks
by signal) puts a photo or clip over their words, and the export panel lists the video's
pictures with where they play and takes one away. Each is a PictureEdit step of the undo
history on the clip whose words it covers. Where a picture plays (through the kept parts,
after the clips joined before it) and whether it fits are core's (edit/project.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from clipstudio.core.edit.project import (
    PictureOver,
    PlacedPicture,
    check_pictures,
    picture_over,
    place_pictures,
)
from clipstudio.core.errors import BadInputError
from clipstudio.core.speech.types import Caption
from clipstudio.core.timefmt import clock
from clipstudio.gui.captions import CaptionsPanel
from clipstudio.gui.export_panel import ExportPanel
from clipstudio.gui.history import PictureEdit
from clipstudio.gui.session import ClipSession
from clipstudio.gui.workspace import Workspace

PICTURE_FILTER = (
    "Photos and clips (*.jpg *.jpeg *.png *.webp *.heic *.bmp *.gif *.tif *.tiff *.mp4 *.mov"
    " *.m4v *.webm *.mkv);;All files (*)"
)


def _plain(exc: BadInputError) -> str:
    text = str(exc)
    return text[:1].upper() + text[1:] + "."


def video_pictures(clips: list[ClipSession]) -> tuple[list[PlacedPicture], str]:
    """The pictures of the video made of `clips` (in order; each with its project) and why
    they cannot go where they are, in the export's words ("" when they can)."""
    works = [s.clip_takes() for s in clips]
    if not works:
        return [], ""
    rate = _frame_rate(clips[0])
    try:
        return check_pictures(works, rate), ""
    except BadInputError as exc:
        return place_pictures(works, rate), _plain(exc)


def _frame_rate(session: ClipSession):  # noqa: ANN202 - a Fraction, or None before the probe
    media = session.media
    return media.video.frame_rate if media is not None and media.video is not None else None


# The words a picture is over, as its row in the list shows them.
WORDS_SHOWN = 28


def _words_under(session: ClipSession, picture: PictureOver) -> str:
    """The caption words a picture covers (its clip's captions in source time), shortened."""
    said = " ".join(
        " ".join(c.lines) for c in session.captions.captions
        if c.end > picture.start and c.start < picture.end
    )  # fmt: skip
    return said if len(said) <= WORDS_SHOWN else said[: WORDS_SHOWN - 1].rstrip() + "…"


class PicturesController(QObject):
    """Adds pictures from the caption editor, lists and removes them in the export panel."""

    error = Signal(str, str)  # plain words, details ("": the volunteer can fix it)
    folder_used = Signal(str)

    def __init__(
        self,
        workspace: Workspace,
        captions: CaptionsPanel,
        panel: ExportPanel,
        video_clips: Callable[[], list[ClipSession]],
        dialog_folder: Callable[[], str],
        dialog_parent: QWidget,
    ) -> None:
        """`video_clips`: the clips of the video the export would make now, in order."""
        super().__init__(dialog_parent)
        self.workspace = workspace
        self.panel = panel
        self.video_clips = video_clips
        self.dialog_folder = dialog_folder
        self.dialog_parent = dialog_parent
        captions.picture_requested.connect(self.choose_for)
        panel.picture_removed.connect(self.remove)

    def choose_for(self, captions: list[Caption]) -> None:
        """The file dialog for a picture over `captions`' words (the clip shown)."""
        session = self.workspace.current
        if session is None or session.project is None or not captions:
            return
        path, _ = QFileDialog.getOpenFileName(
            self.dialog_parent, "Choose a photo or clip to show", self.dialog_folder(),
            PICTURE_FILTER,
        )  # fmt: skip
        if path:
            self.folder_used.emit(str(Path(path).parent))
            self.add(session, picture_over(Path(path).resolve(), captions))

    def add(self, session: ClipSession, picture: PictureOver) -> bool:
        """Put `picture` on `session`'s words unless its words are cut or it would lie over
        another picture (said in plain words, nothing added)."""
        assert session.project is not None
        pictures = (*session.project.pictures, picture)
        clips = [s for s in self.video_clips() if s.project is not None] or [session]
        works = [
            replace(s.clip_takes(), project=s.project.with_changes(pictures=pictures))
            if s is session else s.clip_takes()
            for s in clips
        ]  # fmt: skip
        try:
            placed = check_pictures(works, _frame_rate(clips[0]))
        except BadInputError as exc:
            self.error.emit(_plain(exc), "")
            return False
        index = clips.index(session) if session in clips else 0
        if any(p.picture == picture and p.clip == index and p.cutaway is None for p in placed):
            self.error.emit("The captions you chose are cut from the video: choose captions"
                            " that are kept.", "")  # fmt: skip
            return False
        session.edit(PictureEdit, "Show a picture here", pictures=pictures)
        return True

    def remove(self, key: object) -> None:
        session, picture = key  # type: ignore[misc] - the key each row was given by refresh
        if session.project is not None and not session.closed:
            kept = tuple(p for p in session.project.pictures if p != picture)
            session.edit(PictureEdit, f"Remove the picture {Path(picture.source).name}",
                         pictures=kept)  # fmt: skip

    def refresh(self) -> None:
        """The export panel's list: each picture of the video, where it plays, and any
        problem the export would refuse."""
        clips = [s for s in self.video_clips() if s.project is not None]
        placed, problem = video_pictures(clips)
        rows = []
        for item in placed:
            name = Path(item.picture.source).name
            if item.cutaway is None:
                words, tip = f"{name} — its words are cut", "Not in the video: remove it"
            else:
                said = _words_under(clips[item.clip], item.picture)
                over = f" over “{said}”" if said else ""
                words = f"{name}  {clock(item.cutaway.start)}–{clock(item.cutaway.end)}{over}"
                tip = f"{item.picture.source}\nover {clips[item.clip].name}"
            rows.append((words, tip, (clips[item.clip], item.picture)))
        self.panel.set_pictures(rows, problem)
