"""A project: the user's work on one clip (trim, caption edits, fixes, preset, post copy,
music, pictures over the speech) as JSON.

The GUI autosaves it so closing the window or a crash loses nothing; opening the same file again
(same path, size and modification time) brings the work back. `to_plan` (one clip) and
`joined_plan` (several clips, one video) are the one way projects become what the export
renders. No Qt here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from clipstudio.core.branding.imprint import Imprint
from clipstudio.core.branding.kit import (
    DEFAULT_END_CARD_S,
    END_CARD_MAX_S,
    END_CARD_MIN_S,
    Branding,
    BrandKit,
)
from clipstudio.core.branding.postcopy import PostCopy
from clipstudio.core.edit.plan import (
    DEFAULT_MUSIC_LEVEL_DB,
    MAX_MUSIC_LEVEL_DB,
    MIN_MUSIC_LEVEL_DB,
    CaptionTrack,
    Cutaway,
    EditPlan,
    Fixes,
    Music,
    Segment,
    Take,
    check_cutaways,
    on_frame_grid,
    span_on_timeline,
)
from clipstudio.core.errors import BadInputError
from clipstudio.core.export.presets import output_fps
from clipstudio.core.files import ensure_folder, write_file
from clipstudio.core.paths import projects_dir
from clipstudio.core.speech.types import Caption, CaptionStyle, CaptionWord
from clipstudio.core.vocabulary import (
    DEFAULT_SHAPE,
    FIXES_ON_BY_DEFAULT,
    NEW_PROJECT_CAPTION_MODE,
    CaptionMode,
    Fix,
    PortraitFill,
    Shape,
    Trim,
)

# Bumped when the JSON layout changes; older files are read and brought up to date (version 2
# had no music and no pictures over the speech).
PROJECT_FORMAT_VERSION = 3
READABLE_VERSIONS = (1, 2, PROJECT_FORMAT_VERSION)
# The window's captions and the sidecar's name: Facebook's NAME.language_COUNTRY.srt.
CAPTION_LANGUAGE = "en_GB"


@dataclass(frozen=True)
class ClipBranding:
    """The branded parts the user chose for one clip.

    None means "the brand kit's default", so a kit changed later still reaches the clips the user
    has not touched, while a text the user cleared on purpose stays cleared ("" is an answer).
    """

    lower_third: str = ""  # the speaker's name and role: it differs per clip, so no kit default
    call_to_action: str | None = None
    link: str | None = None
    imprint: str | None = None
    show_logo: bool = True
    end_card_seconds: float = DEFAULT_END_CARD_S

    def resolve(self, kit: BrandKit | None) -> Branding:
        """The Branding an export (and its preview) uses: the kit's defaults where unset."""
        kit = kit or BrandKit()

        def pick(mine: str | None, default: str) -> str:
            return default if mine is None else mine

        return Branding(
            kit=kit,
            lower_third=self.lower_third,
            call_to_action=pick(self.call_to_action, kit.call_to_action),
            link=pick(self.link, kit.link),
            imprint=pick(self.imprint, kit.imprint),
            show_logo=self.show_logo,
            end_card_seconds=self.end_card_seconds,
        )


@dataclass(frozen=True)
class PictureOver:
    """A photo or clip shown over this clip's speech, held in the clip's own source seconds
    (the words it was put over), so it stays over them whatever is trimmed before it or
    joined in front; `span_on_timeline` places it in the video at export."""

    source: str
    start: float
    end: float


@dataclass(frozen=True)
class Project:
    source: str
    source_size: int
    source_mtime_ns: int
    preset: Shape = DEFAULT_SHAPE
    # Kept ranges in source seconds; empty means the whole clip.
    segments: tuple[Segment, ...] = ()
    # The user's edited captions in source time; None until the user changes anything.
    captions: tuple[Caption, ...] | None = None
    # Export repairs switched on (from the checks panel, or on by default).
    fixes: frozenset[Fix] = FIXES_ON_BY_DEFAULT
    caption_mode: CaptionMode = NEW_PROJECT_CAPTION_MODE
    portrait: PortraitFill = PortraitFill.BLUR  # how the portrait fix fills a wide frame
    output_dir: str = ""
    post_copy: PostCopy = field(default_factory=PostCopy)
    branding: ClipBranding = field(default_factory=ClipBranding)
    # Music under the video this clip leads (None: none), and pictures over its speech.
    music: Music | None = None
    pictures: tuple[PictureOver, ...] = ()

    def with_changes(self, **changes: Any) -> Project:
        return replace(self, **changes)


@dataclass(frozen=True)
class ClipTakes:
    """One clip's part of a video: its project, its length and the caption editor's captions
    (None while the speech is still being written out: the export then transcribes)."""

    project: Project
    duration: float
    captions: tuple[Caption, ...] | None


def to_plan(
    project: Project,
    *,
    duration: float,
    captions: tuple[Caption, ...] | None,
    kit: BrandKit | None,
    caption_style: CaptionStyle,
    frame_rate: Fraction | None = None,
) -> EditPlan:
    """What the window exports for one clip: its decisions as the one plan the renderer
    takes. The kept ranges are exact: the window has already trimmed."""
    return joined_plan([ClipTakes(project, duration, captions)], kit=kit,
                       caption_style=caption_style, frame_rate=frame_rate)  # fmt: skip


def joined_plan(
    clips: Sequence[ClipTakes],
    *,
    kit: BrandKit | None,
    caption_style: CaptionStyle,
    frame_rate: Fraction | None = None,
) -> EditPlan:
    """Several clips as one video: each clip's kept parts (with its own captions) become takes
    in the order given, and each clip's pictures go over its own words wherever they land.
    What a video has once comes from the first clip's project: the shape, the fixes, how the
    captions show, the branding and end card, the music.

    `frame_rate`: the first clip's (probe's nominal rate). The pictures are placed on the
    takes as the render snaps them to the output's frames, so one over the last words ends
    with the video rather than a frame past it."""
    lead = clips[0].project
    placed = place_pictures(clips, frame_rate)
    return EditPlan(
        takes=clip_takes(clips),
        preset=lead.preset,
        trim=Trim.EXACT,
        fixes=Fixes.of(lead.fixes, lead.portrait),
        captions=CaptionTrack(
            mode=lead.caption_mode, style=caption_style, language=CAPTION_LANGUAGE
        ),
        branding=lead.branding.resolve(kit),
        music=lead.music,
        cutaways=tuple(p.cutaway for p in placed if p.cutaway is not None),
    )


def clip_takes(clips: Sequence[ClipTakes]) -> tuple[Take, ...]:
    """Each clip's kept parts (the whole clip when nothing is cut), in the order given."""
    if not clips:
        raise ValueError("a video needs at least one clip")
    return tuple(
        Take(clip.project.source, s.start, s.end, clip.captions)
        for clip in clips
        for s in (clip.project.segments or (Segment(0.0, clip.duration),))
    )


@dataclass(frozen=True)
class PlacedPicture:
    """A clip's picture and where it plays in the video (None: all its words were cut)."""

    clip: int  # which of the clips given
    picture: PictureOver
    cutaway: Cutaway | None


def place_pictures(
    clips: Sequence[ClipTakes], frame_rate: Fraction | None = None
) -> list[PlacedPicture]:
    """Every clip's pictures through the kept parts onto the video's time (output seconds),
    in the order they play (pictures left out at the end)."""
    takes = clip_takes(clips)
    placed_on = on_frame_grid(takes, output_fps(frame_rate)) if frame_rate else takes
    placed = []
    for index, clip in enumerate(clips):
        for picture in clip.project.pictures:
            span = span_on_timeline(placed_on, clip.project.source, picture.start, picture.end)
            cutaway = None
            if span is not None:
                cutaway = Cutaway(picture.source, *span)
            placed.append(PlacedPicture(index, picture, cutaway))
    never = float("inf")
    return sorted(placed, key=lambda p: p.cutaway.start if p.cutaway else never)


def check_pictures(
    clips: Sequence[ClipTakes], frame_rate: Fraction | None = None
) -> list[PlacedPicture]:
    """place_pictures, refused in the export's own words (plan.check_cutaways: BadInputError)
    when pictures lie over each other or past the end, measured on the takes as the render
    snaps them, so the window says it before the export would."""
    placed = place_pictures(clips, frame_rate)
    takes = clip_takes(clips)
    main = sum(t.duration for t in (on_frame_grid(takes, output_fps(frame_rate))
                                    if frame_rate else takes))  # fmt: skip
    check_cutaways([p.cutaway for p in placed if p.cutaway is not None], main)
    return placed


def picture_over(source: str | Path, captions: Sequence[Caption]) -> PictureOver:
    """A picture over the words of `captions` (source time): from the first one's start to
    the last one's end."""
    if not captions:
        raise ValueError("a picture goes over at least one caption")
    return PictureOver(str(source), min(c.start for c in captions), max(c.end for c in captions))


def source_identity(path: str | Path) -> tuple[str, int, int]:
    """Absolute path, size and mtime: together they tell 'the same clip' from a new one."""
    resolved = Path(path).resolve()
    stat = resolved.stat()
    return str(resolved), stat.st_size, stat.st_mtime_ns


def new_project(path: str | Path) -> Project:
    source, size, mtime_ns = source_identity(path)
    return Project(source=source, source_size=size, source_mtime_ns=mtime_ns)


def project_key(source: str, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(f"{source}|{size}|{mtime_ns}".encode()).hexdigest()[:24]


def project_file_for(path: str | Path, root: Path | None = None) -> Path:
    """Where the autosave of the clip at `path` lives."""
    key = project_key(*source_identity(path))
    return (root or projects_dir()) / f"{key}.json"


def project_to_dict(project: Project) -> dict[str, Any]:
    return {
        "version": PROJECT_FORMAT_VERSION,
        "source": project.source,
        "source_size": project.source_size,
        "source_mtime_ns": project.source_mtime_ns,
        "preset": project.preset,
        "segments": [[s.start, s.end] for s in project.segments],
        "captions": None
        if project.captions is None
        else [caption_to_dict(c) for c in project.captions],
        "fixes": sorted(project.fixes),
        "caption_mode": project.caption_mode,
        "portrait": project.portrait,
        "output_dir": project.output_dir,
        "post_copy": {
            "headline": project.post_copy.headline,
            "body": project.post_copy.body,
            "link_description": project.post_copy.link_description,
            "imprint": {
                "promoter": project.post_copy.imprint.promoter,
                "on_behalf_of": project.post_copy.imprint.on_behalf_of,
                "address": project.post_copy.imprint.address,
            },
        },
        "branding": {
            "lower_third": project.branding.lower_third,
            "call_to_action": project.branding.call_to_action,
            "link": project.branding.link,
            "imprint": project.branding.imprint,
            "show_logo": project.branding.show_logo,
            "end_card_seconds": project.branding.end_card_seconds,
        },
        "music": None
        if project.music is None
        else {"source": project.music.source, "level_db": project.music.level_db},
        "pictures": [[p.source, p.start, p.end] for p in project.pictures],
    }


def caption_to_dict(caption: Caption) -> dict[str, Any]:
    """A caption as JSON; its word timings as [text, start, end] triples when it has them."""
    data: dict[str, Any] = {"start": caption.start, "end": caption.end,
                            "lines": list(caption.lines)}  # fmt: skip
    if caption.words:
        data["words"] = [[w.text, w.start, w.end] for w in caption.words]
    return data


def caption_from_dict(data: dict[str, Any]) -> Caption:
    """Inverse of caption_to_dict; autosaves from before word timings have none."""
    words = tuple(
        CaptionWord(str(text), float(start), float(end))
        for text, start, end in data.get("words", ())
    )
    return Caption(
        float(data["start"]), float(data["end"]), tuple(str(x) for x in data["lines"]), words
    )


def _branding_from_dict(data: Any) -> ClipBranding:
    """Autosaves written before branding existed have no "branding": they get the defaults."""
    if not isinstance(data, dict):
        return ClipBranding()

    def optional_text(name: str) -> str | None:
        value = data.get(name)
        return None if value is None else str(value)

    seconds = float(data.get("end_card_seconds", DEFAULT_END_CARD_S))
    return ClipBranding(
        lower_third=str(data.get("lower_third", "")),
        call_to_action=optional_text("call_to_action"),
        link=optional_text("link"),
        imprint=optional_text("imprint"),
        show_logo=bool(data.get("show_logo", True)),
        end_card_seconds=min(END_CARD_MAX_S, max(END_CARD_MIN_S, seconds)),
    )


def _music_from(data: Any) -> Music | None:
    """Autosaves before version 3 have no music; a level out of range is brought inside it."""
    if not isinstance(data, dict):
        return None
    level = float(data.get("level_db", DEFAULT_MUSIC_LEVEL_DB))
    return Music(str(data["source"]), min(MAX_MUSIC_LEVEL_DB, max(MIN_MUSIC_LEVEL_DB, level)))


def _pictures_from(data: Any) -> tuple[PictureOver, ...]:
    return tuple(PictureOver(str(source), float(start), float(end))
                 for source, start, end in data or ())  # fmt: skip


def _member(kind: type[Any], value: Any, default: Any) -> Any:
    """A vocabulary member from saved text; an unknown word (a newer app's) gets the default."""
    try:
        return kind(value)
    except ValueError:
        return default


def _fixes_from(data: dict[str, Any]) -> frozenset[Fix]:
    """Version 1 saved the switches as strings and always filled an upright picture's sides."""
    fixes = {_member(Fix, str(name), None) for name in data.get("fixes", [])}
    if data.get("version") == 1:
        fixes.add(Fix.PORTRAIT)
    return frozenset(fix for fix in fixes if fix is not None and fix.is_switch)


def project_from_dict(data: dict[str, Any]) -> Project:
    """Inverse of project_to_dict. Raises BadInputError for a file of another version or shape."""
    if not isinstance(data, dict) or data.get("version") not in READABLE_VERSIONS:
        raise BadInputError("the saved project was written by another version of Clip Studio")
    try:
        captions_data = data.get("captions")
        captions = (
            None if captions_data is None else tuple(caption_from_dict(c) for c in captions_data)
        )
        post = data.get("post_copy") or {}
        imprint = post.get("imprint") or {}
        return Project(
            source=str(data["source"]),
            source_size=int(data["source_size"]),
            source_mtime_ns=int(data["source_mtime_ns"]),
            preset=_member(Shape, data.get("preset"), DEFAULT_SHAPE),
            segments=tuple(Segment(float(a), float(b)) for a, b in data.get("segments", [])),
            captions=captions,
            fixes=_fixes_from(data),
            caption_mode=_member(CaptionMode, data.get("caption_mode"), NEW_PROJECT_CAPTION_MODE),
            portrait=_member(PortraitFill, data.get("portrait"), PortraitFill.BLUR),
            output_dir=str(data.get("output_dir", "")),
            post_copy=PostCopy(
                headline=str(post.get("headline", "")),
                body=str(post.get("body", "")),
                link_description=str(post.get("link_description", "")),
                imprint=Imprint(
                    promoter=str(imprint.get("promoter", "")),
                    on_behalf_of=str(imprint.get("on_behalf_of", "")),
                    address=str(imprint.get("address", "")),
                ),
            ),
            branding=_branding_from_dict(data.get("branding")),
            music=_music_from(data.get("music")),
            pictures=_pictures_from(data.get("pictures")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BadInputError(f"the saved project is damaged: {exc}") from exc


def save_project(project: Project, path: Path) -> None:
    """Written safely (files.write_file: temp beside it, fsync, atomic rename, locked): a crash
    mid-save leaves the previous autosave whole. The autosave is the app's own file, so it is
    replaced without asking."""
    ensure_folder(path.parent)
    text = json.dumps(project_to_dict(project), indent=1, ensure_ascii=False)
    write_file(path, text, overwrite=True)


def load_project(path: Path) -> Project | None:
    """The saved project at `path`, or None when there is none. Raises BadInputError if damaged."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInputError(f"the saved project is damaged: {exc}") from exc
    return project_from_dict(data)


def restore_or_new(path: str | Path, root: Path | None = None) -> tuple[Project, bool]:
    """The autosaved project for this exact clip if there is a usable one, else a fresh one.

    Returns (project, restored). A damaged autosave is not silently reused: it is renamed to
    `.damaged` so the next save does not overwrite the evidence, and a fresh project starts.
    """
    fresh = new_project(path)
    file = project_file_for(path, root)
    try:
        saved = load_project(file)
    except BadInputError:
        file.replace(file.with_suffix(".damaged"))
        return fresh, False
    if saved is None or (saved.source, saved.source_size, saved.source_mtime_ns) != (
        fresh.source,
        fresh.source_size,
        fresh.source_mtime_ns,
    ):
        return fresh, False
    return saved, True
