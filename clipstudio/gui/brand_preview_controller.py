"""The preview as the export will look: the exported frame's shape and fill, the export's own
logo, lower third and end card pictures on it (gui/brand_preview.py draws them), and the end
card where the video shows it: after the end point, for the card's seconds."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from clipstudio.core.branding.kit import Branding
from clipstudio.core.edit.plan import Fixes, Take, source_to_output_time
from clipstudio.core.export.fit import Fit, plan_fit, plan_fits
from clipstudio.core.export.presets import PRESETS
from clipstudio.core.vocabulary import Fix
from clipstudio.gui.brand_preview import LayerJob, LayerRenderer, RenderedLayers
from clipstudio.gui.fix_preview import PictureLook
from clipstudio.gui.player import Player
from clipstudio.gui.session import ClipSession
from clipstudio.gui.workers import TaskRunner
from clipstudio.gui.workspace import Workspace

# Playback reports its position in steps; this close to the end point counts as reaching it.
END_OF_CLIP_SLACK_S = 0.1
# How long the status bar says why there is no end card to show.
NO_END_CARD_MESSAGE_MS = 6000


def lead_of(session: ClipSession, joined: Sequence[ClipSession]) -> ClipSession:
    """The clip whose choices the video takes: the first of the joined clips when `session` is
    one of them (core edit/project.joined_plan: shape, fixes, captions, branding), else itself."""
    return joined[0] if session in joined else session


def output_fit(session: ClipSession, joined: Sequence[ClipSession] = ()) -> Fit | None:
    """Size and placement of the exported picture (the core decides; the preview shows it).
    With clips joined: the first clip's shape and fixes, the frame the largest any clip makes
    and this clip's own placement in it (fit.plan_fits, as the joined export lays them out)."""
    lead = lead_of(session, joined)
    media, project = session.media, lead.project
    if media is None or media.video is None or project is None:
        return None
    preset, fixes = PRESETS[project.preset], Fixes.of(project.fixes, project.portrait)
    sources = [s.media for s in joined if s.media is not None and s.media.video is not None]
    if session in joined and len(sources) == len(joined):
        return plan_fits(sources, preset, fixes)[1][media.path]
    return plan_fit(media, preset, fixes)


def picture_look(
    session: ClipSession, fit: Fit | None, joined: Sequence[ClipSession] = ()
) -> PictureLook | None:
    """Where the export puts the picture and the picture fixes it makes, for the preview."""
    media, project = session.media, lead_of(session, joined).project
    if fit is None or media is None or media.video is None or project is None:
        return None
    return PictureLook(fit, media.video.display_width, media.video.display_height,
                       brighten=Fix.BRIGHTEN in project.fixes,
                       deflicker=Fix.DEFLICKER in project.fixes)  # fmt: skip


class BrandPreviewController(QObject):
    """Keeps the player's brand layers current and runs the end card's show and hide."""

    branding_problem = Signal(object)  # why the branding cannot be drawn, or None once it can
    status = Signal(str, int)  # status bar text, milliseconds

    def __init__(
        self,
        workspace: Workspace,
        player: Player,
        tasks: TaskRunner,
        end_point: Callable[[], float],
        parent: QObject | None = None,
        joined: Callable[[], list[ClipSession]] = list,
    ) -> None:
        """`end_point` is where the clip ends in source time (the timeline's out handle);
        `joined`, the clips of the one video in order when they are joined, else []."""
        super().__init__(parent)
        self.workspace = workspace
        self.joined = joined
        self.player = player
        self.end_point = end_point
        self.layer_renderer = LayerRenderer(tasks, self)
        self.layer_renderer.ready.connect(self._layers_ready)
        self.layer_renderer.failed.connect(self._layers_failed)
        # The end card stays up for its seconds, as it will in the video, then the clip returns.
        self.end_card_timer = QTimer(self)
        self.end_card_timer.setSingleShot(True)
        self.end_card_timer.timeout.connect(self.hide_end_card)
        self._last_position = 0.0
        player.output_time_source = self.output_time
        player.reached_end.connect(self._reached_end)
        player.playing_changed.connect(self._playing_changed)

    def video_clips(self, session: ClipSession) -> list[ClipSession]:
        """The clips of the video `session` is part of, in order: the joined ones, or itself."""
        joined = self.joined()
        return joined if session in joined else [session]

    def show_output(self, session: ClipSession, branding: Branding) -> None:
        """The preview frame takes the export's shape, fill and picture fixes, and the brand
        pictures are drawn for that frame: both from one plan_fit, so they cannot disagree.
        With clips joined, the video's branding is the first clip's."""
        joined = self.joined()
        lead = lead_of(session, joined)
        assert lead.project is not None
        if lead is not session:
            branding = self.workspace.branding_for(lead)
        fit = output_fit(session, joined)
        self.player.view.set_output(
            PRESETS[lead.project.preset],
            self.workspace.settings.caption_style,
            picture_look(session, fit, joined),
            accent=branding.kit.accent_colour,
        )
        self.request_layers(session, branding, fit)

    def request_layers(self, session: ClipSession, branding: Branding, fit: Fit | None) -> None:
        """Redraw the brand pictures only when something they show has changed."""
        project = lead_of(session, self.joined()).project  # the video's shape
        if fit is None or project is None or not branding.shows_anything:
            self.layer_renderer.request(None)
            return
        self.layer_renderer.request(
            LayerJob(
                branding=branding,
                width=fit.width,
                height=fit.height,
                preset=PRESETS[project.preset],
                main_duration=sum(s.kept_duration() for s in self.video_clips(session)),
                caption_style=self.workspace.settings.caption_style,
            )
        )

    def clear(self) -> None:
        """No clip to brand: drop the pictures."""
        self.layer_renderer.request(None)

    def _layers_ready(self, rendered: RenderedLayers | None) -> None:
        if rendered is None:
            self.player.set_brand_layers(None, {})
        else:
            self.player.set_brand_layers(rendered.layers, rendered.images)
        self.branding_problem.emit(None)
        self.player.refresh_brand()
        if not self.player.view.brand.has_end_card():
            self.hide_end_card()

    def _layers_failed(self, message: str) -> None:
        self.player.set_brand_layers(None, {})
        self.hide_end_card()
        self.branding_problem.emit(message)

    def output_time(self, seconds: float) -> float | None:
        """Where a moment of the source lands in the exported video (None: it is cut)."""
        session = self.workspace.current
        if session is None or session.project is None or session.duration <= 0:
            return None
        takes = [
            take
            for clip in self.video_clips(session)
            if clip.project is not None
            for take in [Take(clip.path, s.start, s.end) for s in clip.project.segments]
            or [Take(clip.path, 0.0, clip.duration)]
        ]
        return source_to_output_time(takes, session.path, seconds)

    # --- the end card ---------------------------------------------------------------------------

    def preview_end_card(self) -> None:
        """Pause and show the end card for as long as it will last in the video."""
        self.player.pause()
        self.show_end_card()

    def show_end_card(self) -> bool:
        """Show the card for its own seconds (the timer's, as the video's); False if none."""
        session = self.workspace.current
        if session is None or session.project is None:
            return False
        if not self.player.view.brand.has_end_card():
            self.status.emit(
                "No end card yet: add a call to action or an imprint.", NO_END_CARD_MESSAGE_MS
            )
            return False
        self.player.show_end_card(True)
        seconds = self.workspace.branding_for(self.video_clips(session)[0]).end_card_duration
        self.end_card_timer.start(round(seconds * 1000))
        return True

    def hide_end_card(self) -> None:
        """Back to the clip's picture, and the card's timer with it."""
        self.end_card_timer.stop()
        self.player.show_end_card(False)

    def end_card_showing(self) -> bool:
        """Whether the preview shows the end card instead of the clip."""
        return self.player.view.brand.end_card_showing

    def jumped_to(self, seconds: float) -> None:
        """A seek is not playback: the next position is measured from here, not from before."""
        self._last_position = seconds

    def ends_video(self) -> bool:
        """Whether the video's end comes after the clip shown (not so for all but the last of
        joined clips: the next clip does)."""
        session = self.workspace.current
        return session is not None and self.video_clips(session)[-1] is session

    def follow_position(self, seconds: float) -> None:
        """Playing past the end point pauses there and shows what the video shows next."""
        previous, self._last_position = self._last_position, seconds
        if (
            self.ends_video()
            and self.player.is_playing()
            and self.player.view.brand.has_end_card()
            and previous < self.end_point() <= seconds + END_OF_CLIP_SLACK_S
        ):
            self.player.pause()
            self.show_end_card()

    def _reached_end(self) -> None:
        """The source ran out while playing: if the clip ends there, its end card comes next."""
        session = self.workspace.current
        if session is None or not self.player.view.brand.has_end_card() or not self.ends_video():
            return
        if self.end_point() >= session.duration - END_OF_CLIP_SLACK_S:
            self.show_end_card()

    def _playing_changed(self, playing: bool) -> None:
        if playing:
            self.hide_end_card()
